"""Make every page run through dashboard.py, even when Streamlit's legacy mode starts it alone.

Streamlit keeps a class-level flag that is True while a `pages/` folder exists and no session has
yet called `st.navigation` (AppTest also resets it on every run). While it is on, a request for
/data runs pages/data.py on its own — without the shared filters and, worse, without the
role-based page list. Every page calls `ensure_app_navigation()` first: if the legacy mode ran
it alone, the flag is switched off and dashboard.py runs in its place (its st.navigation routes
back to this same page), then this run stops. Nothing reruns, so no widget value is lost.
Streamlit maintainers describe the pages/ + st.navigation mix in streamlit/streamlit#10276.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ENTRY_POINT = Path(__file__).resolve().parent.parent / "dashboard.py"


def ensure_app_navigation() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if not PagesManager.uses_pages_directory:
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx()
    code = compile(ENTRY_POINT.read_text(encoding="utf-8"), str(ENTRY_POINT), "exec")
    # Run as the entry point runs, so its widgets keep their identity (and their values).
    with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash):
        exec(code, {"__name__": "__main__", "__file__": str(ENTRY_POINT)})  # noqa: S102 - our own entry point
    st.stop()
