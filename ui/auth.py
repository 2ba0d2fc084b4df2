"""Who is using the app: anonymous viewers, signed-in staff, administrators.

Staff sign in with a name and password (store/accounts.py: argon2 hashes, rate limits), or — where
the department runs an identity provider — through `st.login` (OIDC) configured in
.streamlit/secrets.toml; the e-mails that get staff or admin rights are listed there too:

    [auth]                      # Streamlit's OIDC settings (see README)
    redirect_uri = "https://tos.example.ru/oauth2callback"
    cookie_secret = "…"
    client_id = "…"
    client_secret = "…"
    server_metadata_url = "https://idp.example.ru/.well-known/openid-configuration"

    [tos]
    staff_emails = ["ivanova@example.ru"]
    admin_emails = ["admin@example.ru"]
"""

from __future__ import annotations

import streamlit as st

from store.accounts import ANONYMOUS, ROLE_NAMES, AccountError, Actor, record_sign_out, sign_in
from ui import data
from ui.widgets import md

K_ACTOR = "auth_actor"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _oidc_actor() -> Actor | None:
    if not _oidc_configured():
        return None
    user = getattr(st, "user", None)
    if user is None or not user.get("is_logged_in"):
        return None
    email = (user.get("email") or "").lower()
    settings = st.secrets.get("tos", {})
    if email in [e.lower() for e in settings.get("admin_emails", [])]:
        return Actor(email, "admin")
    if email in [e.lower() for e in settings.get("staff_emails", [])]:
        return Actor(email, "staff")
    return Actor(email, "viewer")


def current_actor() -> Actor:
    """The signed-in actor of this session (anonymous when nobody signed in)."""
    return st.session_state.get(K_ACTOR) or _oidc_actor() or ANONYMOUS


def is_staff() -> bool:
    return current_actor().is_staff


def render_sign_in() -> None:
    """The sidebar block: a sign-in form, or who is signed in and a sign-out button."""
    side = st.sidebar
    actor = current_actor()
    if actor.is_staff:
        side.caption(f"Вы вошли: {md(actor.name)} ({ROLE_NAMES.get(actor.role, actor.role)})")
        if side.button("Выйти", key="auth_sign_out"):
            record_sign_out(data.engine(), actor)
            st.session_state.pop(K_ACTOR, None)
            if _oidc_actor() is not None:
                st.logout()
            st.rerun()
        return
    with side.expander("Вход для сотрудников", expanded=False):
        if actor.role == "viewer" and actor is not ANONYMOUS:
            st.caption(f"{md(actor.name)}: у этой учётной записи нет прав сотрудника.")
        with st.form("auth_form", clear_on_submit=True, border=False):
            name = st.text_input("Имя пользователя", key="auth_name")
            password = st.text_input("Пароль", type="password", key="auth_password")
            submitted = st.form_submit_button("Войти")
        if submitted:
            try:
                st.session_state[K_ACTOR] = sign_in(data.engine(), name, password)
                st.rerun()
            except AccountError as exc:
                st.error(str(exc))
        if _oidc_configured() and st.button("Войти через учётную запись организации", key="auth_oidc"):
            st.login()


def require_staff_page() -> Actor:
    """First line of a staff page: anyone else gets a message and nothing more."""
    actor = current_actor()
    if not actor.is_staff:
        st.error("Эта страница доступна только сотрудникам. Войдите в боковой панели («Вход для сотрудников»).")
        st.stop()
    return actor
