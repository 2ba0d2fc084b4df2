"""Issue 8, who may do what: accounts, sign-in with rate limits, the role × page × action matrix."""

import datetime as dt
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from store import queries
from store.accounts import (
    ANONYMOUS,
    AccountError,
    Actor,
    PermissionDenied,
    create_account,
    reset_password,
    set_disabled,
    sign_in,
)
from store.ingest import delete_document, ingest_bytes, record_rejection, sha256, store_parsed
from tests.conftest import ROOT, STAFF, xlsx_bytes

REGISTRY = xlsx_bytes({"Р": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Рассвет", "Беловский городской округ", 100]]})


def test_passwords_are_salted_argon2_hashes(engine):
    import sqlalchemy as sa

    from store.schema import accounts

    create_account(engine, "ivanova", "очень-длинный-пароль")
    create_account(engine, "petrova", "очень-длинный-пароль")
    with engine.connect() as conn:
        hashes = dict(conn.execute(sa.select(accounts.c.name, accounts.c.password_hash)).all())
    assert all(h.startswith("$argon2id$") for h in hashes.values())
    assert hashes["ivanova"] != hashes["petrova"]  # salted: the same password, different hashes
    assert "очень-длинный-пароль" not in " ".join(hashes.values())


def test_sign_in_and_rate_limit(engine):
    create_account(engine, "ivanova", "очень-длинный-пароль", role="staff")
    assert sign_in(engine, "ivanova", "очень-длинный-пароль") == Actor("ivanova", "staff")
    now = dt.datetime.now(dt.UTC)
    for _ in range(5):
        with pytest.raises(AccountError, match="Неверное имя пользователя или пароль"):
            sign_in(engine, "ivanova", "не тот пароль", now=now)
    # Locked now, even with the right password.
    with pytest.raises(AccountError, match="Слишком много неудачных попыток"):
        sign_in(engine, "ivanova", "очень-длинный-пароль", now=now)
    # After the lock window it works again; a reset lifts the lock at once.
    assert sign_in(engine, "ivanova", "очень-длинный-пароль", now=now + dt.timedelta(minutes=16)).role == "staff"
    reset_password(engine, "ivanova", "новый-длинный-пароль")
    assert sign_in(engine, "ivanova", "новый-длинный-пароль").name == "ivanova"
    set_disabled(engine, "ivanova", True)
    with pytest.raises(AccountError):
        sign_in(engine, "ivanova", "новый-длинный-пароль")
    actions = queries.audit_frame(engine)["action"].tolist()
    assert {"sign_in", "sign_in_failed", "sign_in_locked", "password_reset", "account_disabled"} <= set(actions)


def test_unknown_user_and_short_password(engine):
    with pytest.raises(AccountError, match="Неверное имя"):
        sign_in(engine, "nobody", "whatever-password")
    with pytest.raises(AccountError, match="слишком короткий"):
        create_account(engine, "x", "123")


def test_accounts_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'acc.db'}"
    run = subprocess.run(
        [sys.executable, "-m", "store.accounts", "--db", url, "create", "smirnova", "--role", "admin", "--password-stdin"],
        input="длинный-пароль-администратора\n", capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "создана" in run.stdout
    listed = subprocess.run([sys.executable, "-m", "store.accounts", "--db", url, "list"], capture_output=True, text=True, cwd=ROOT)
    assert "smirnova\tadmin\tактивна" in listed.stdout


@pytest.mark.parametrize("actor", [None, ANONYMOUS, Actor("гость", "viewer")])
def test_every_write_function_checks_the_role_itself(engine, actor):
    from loaders.api import parse_bytes

    doc = parse_bytes(REGISTRY, "r.xlsx")
    with pytest.raises(PermissionDenied):
        ingest_bytes(engine, REGISTRY, "r.xlsx", actor=actor)
    with pytest.raises(PermissionDenied):
        store_parsed(engine, REGISTRY, doc, actor)
    with pytest.raises(PermissionDenied):
        record_rejection(engine, b"x", "x.csv", "нет", actor)
    ingest_bytes(engine, REGISTRY, "r.xlsx", actor=STAFF)
    with pytest.raises(PermissionDenied):
        delete_document(engine, sha256(REGISTRY), actor)
    assert len(queries.read_table(engine, "tos")) == 1


PUBLIC_PAGES = ["pages/overview.py", "pages/trends.py", "pages/municipalities.py", "pages/projects.py", "pages/presentation.py", "pages/contests.py"]
STAFF_PAGES = ["pages/data.py", "pages/audit.py"]


@pytest.mark.parametrize(("role", "allowed"), [("viewer", False), ("staff", True), ("admin", True)])
def test_permission_matrix_pages(demo_db, monkeypatch, role, allowed):
    monkeypatch.setenv("TOS_DB_URL", demo_db["url"])
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if role != "viewer":
        at.session_state["auth_actor"] = Actor("тест", role)
    at.run()
    for page in PUBLIC_PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert not any("только сотрудникам" in e.value for e in at.error), page
    for page in STAFF_PAGES:
        if not allowed:
            # Not in this role's navigation at all.
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)
            continue
        at.switch_page(page).run()
        assert not at.exception, page
        assert not any("только сотрудникам" in e.value for e in at.error), (role, page)
    # The staff version of the workbook is offered only to staff.
    at.switch_page("pages/overview.py").run()
    assert bool(at.sidebar.checkbox) is allowed


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_page_run_directly_by_a_viewer_gives_nothing(demo_db, monkeypatch, page):
    """What a hand-typed URL would reach if the navigation were bypassed: the page refuses itself."""
    monkeypatch.setenv("TOS_DB_URL", demo_db["url"])
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception
    assert any("только сотрудникам" in e.value for e in at.error)
    assert not at.get("file_uploader") and not at.dataframe and not at.get("download_button")


def test_sign_in_through_the_form_and_out(demo_db, monkeypatch, tmp_path):
    from store.db import get_engine, init_db

    url = f"sqlite:///{tmp_path / 'signin.db'}"
    engine = get_engine(url)
    init_db(engine)
    create_account(engine, "ivanova", "очень-длинный-пароль")
    monkeypatch.setenv("TOS_DB_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.text_input(key="auth_name").input("ivanova")
    at.text_input(key="auth_password").input("неверный")
    submit = at.get("form_submit_button")
    assert submit, "нет кнопки входа"
    submit[0].click().run()
    assert any("Неверное имя пользователя или пароль" in e.value for e in at.error)
    at.text_input(key="auth_name").input("ivanova")
    at.text_input(key="auth_password").input("очень-длинный-пароль")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert any("Вы вошли: ivanova" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/data.py").run()
    assert not any("только сотрудникам" in e.value for e in at.error)
    at.button(key="auth_sign_out").click().run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/data.py")
    actions = queries.audit_frame(engine)["action"].tolist()
    assert actions[:3] == ["sign_out", "sign_in", "sign_in_failed"]


@pytest.mark.parametrize(
    ("zone", "label", "shown", "hour_before"),
    [(None, "МСК", "23.11.2026 01:30:00", "23.11.2026 00:30:00"), ("Asia/Irkutsk", "МСК+5", "23.11.2026 06:30:00", "23.11.2026 05:30:00")],
)
def test_journal_shows_local_times_and_russian_roles(tmp_path, monkeypatch, zone, label, shown, hour_before):
    """Moments are stored in UTC; staff read them in the department's zone, named in the header."""
    import store.accounts as accounts_module
    from store.db import get_engine, init_db

    late_evening_utc = dt.datetime(2026, 11, 22, 22, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(accounts_module, "_now", lambda: late_evening_utc)
    if zone:
        monkeypatch.setenv("TOS_TIMEZONE", zone)
    else:
        monkeypatch.delenv("TOS_TIMEZONE", raising=False)
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    engine = get_engine(url)
    init_db(engine)
    create_account(engine, "petrova", "очень-длинный-пароль", role="admin")
    # A sign-in written by an earlier version, with the role code in its text.
    import sqlalchemy as sa

    from store.schema import audit_log

    with engine.begin() as conn:
        conn.execute(sa.insert(audit_log).values(at=late_evening_utc - dt.timedelta(hours=1), user="petrova", action="sign_in", details="роль admin"))
    monkeypatch.setenv("TOS_DB_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["auth_actor"] = Actor("petrova", "admin")
    at.run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    journal, people = (df.value for df in at.dataframe)
    # Newest entry first: the earlier version's sign-in was written last.
    assert list(journal[f"Когда ({label})"]) == [hour_before, shown]
    assert list(journal["Действие"]) == ["вход", "создана учётная запись"]
    assert list(journal["Подробности"]) == ["роль: администратор", "роль: администратор"]
    assert list(people["Роль"]) == ["администратор"]
    assert list(people[f"Создана ({label})"]) == [shown[:-3]]


def test_an_unknown_time_zone_is_named_in_the_message(monkeypatch):
    from analytics.formatting import display_zone

    monkeypatch.setenv("TOS_TIMEZONE", "Europe/Mockba")
    with pytest.raises(ValueError, match="Часовой пояс «Europe/Mockba» \\(переменная TOS_TIMEZONE\\) неизвестен"):
        display_zone()
    # The app says so on every page instead of failing inside one.
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Часовой пояс «Europe/Mockba» (переменная TOS_TIMEZONE) неизвестен; пример: Asia/Irkutsk."]
