"""The code style and the layer rules are part of the suite, so CI keeps them."""

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_is_clean():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_lower_layers_never_import_streamlit():
    offenders = []
    for folder in ("loaders", "store", "analytics", "reports"):
        for path in (ROOT / folder).rglob("*.py"):
            if re.search(r"^\s*(import streamlit|from streamlit)", path.read_text(encoding="utf-8"), re.MULTILINE):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_pages_do_not_compute_or_read_data():
    pattern = re.compile(r"\.groupby\(|read_sql|read_excel|read_file\(|pd\.merge\(|sqlalchemy|import sqlite3")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_page_routes_through_the_entry_point():
    """Each page calls ensure_app_navigation() before anything else (see ui/navigation.py)."""
    missing = []
    for path in (ROOT / "pages").glob("*.py"):
        code = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith(("#", '"', "import", "from", " "))]
        first_call = next((line for line in code if "(" in line), "")
        if not first_call.startswith("ensure_app_navigation()"):
            missing.append(path.name)
    assert missing == []


def test_every_canonical_column_is_documented():
    from loaders.canonical import FACT_TABLES

    text = (ROOT / "docs" / "DATA_MODEL.md").read_text(encoding="utf-8")
    missing = [f"{t}.{c}" for t, cols in FACT_TABLES.items() for c in [t, *cols] if f"`{c}`" not in text]
    assert missing == []


def test_every_command_line_option_is_in_the_readme():
    import argparse

    import loaders.__main__ as loaders_cli
    import reports.__main__ as reports_cli
    import store.accounts as accounts_cli
    import store.transfer as transfer_cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    captured = []
    real_parse = argparse.ArgumentParser.parse_args

    def capture(self, args=None, namespace=None):
        captured.append(self)
        raise SystemExit(0)

    argparse.ArgumentParser.parse_args = capture
    try:
        for module in (loaders_cli, reports_cli, accounts_cli, transfer_cli):
            try:
                module.main([])
            except SystemExit:
                pass
    finally:
        argparse.ArgumentParser.parse_args = real_parse

    def options(parser):
        for action in parser._actions:
            yield from (o for o in action.option_strings if o.startswith("--") and o != "--help")
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield name
                    yield from options(sub)

    for parser in captured:
        missing += [o for o in options(parser) if o not in readme]
    assert captured and missing == []


def test_every_table_shows_a_dash_for_missing_values():
    """Streamlit writes «None» in an empty cell unless told otherwise: every table on a page says «—»."""
    import ast

    missing = []
    for path in [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "dataframe"
                and getattr(node.func.value, "id", None) == "st"
                and not any(k.arg == "placeholder" for k in node.keywords)
            ):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing, missing
