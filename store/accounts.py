"""Staff accounts: argon2 password hashes in the database, rate-limited sign-in, an audit trail.

    python -m store.accounts create NAME [--role staff|admin] [--db URL]   (asks for the password)
    python -m store.accounts reset NAME [--db URL]
    python -m store.accounts disable NAME | enable NAME | list

Accounts live in the database rather than a file so that several app instances behind one proxy
share them. Passwords are hashed with argon2id (argon2-cffi): salted, memory-hard.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from store.db import write_transaction
from store.schema import accounts, audit_log, sign_in_attempts

ROLES = ("staff", "admin")
ROLE_NAMES = {"staff": "сотрудник", "admin": "администратор"}
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
_hasher = PasswordHasher()
# Verifying against this keeps the time of «no such user» equal to «wrong password».
_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


class AccountError(Exception):
    """A Russian message for the person at the keyboard."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user (or the command line), and their role."""

    name: str
    role: str  # viewer, staff, admin

    @property
    def is_staff(self) -> bool:
        return self.role in ROLES


ANONYMOUS = Actor("аноним", "viewer")
COMMAND_LINE = Actor("командная строка", "admin")


class PermissionDenied(PermissionError):
    """An action the actor's role does not allow."""


def require_staff(actor: Actor | None, action: str) -> None:
    """Every write checks the role itself, whatever page or URL led to it."""
    if actor is None or not actor.is_staff:
        raise PermissionDenied(f"Действие «{action}» доступно только сотрудникам, вошедшим в систему.")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _audit(conn: sa.Connection, action: str, user: str, details: str = "") -> None:
    conn.execute(audit_log.insert().values(at=_now(), user=user, action=action, details=details))


def create_account(engine: sa.Engine, name: str, password: str, role: str = "staff") -> None:
    name = name.strip()
    if role not in ROLES:
        raise AccountError(f"Роль «{role}» неизвестна (допустимы: {', '.join(ROLES)}).")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD} символов.")
    with write_transaction(engine) as conn:
        if conn.execute(sa.select(accounts.c.name).where(accounts.c.name == name)).first():
            raise AccountError(f"Учётная запись «{name}» уже есть; для смены пароля используйте reset.")
        conn.execute(
            accounts.insert().values(name=name, password_hash=_hasher.hash(password), role=role, disabled=False, created_at=_now())
        )
        _audit(conn, "account_created", name, f"роль: {ROLE_NAMES[role]}")


def reset_password(engine: sa.Engine, name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD} символов.")
    with write_transaction(engine) as conn:
        updated = conn.execute(
            accounts.update().where(accounts.c.name == name).values(password_hash=_hasher.hash(password))
        ).rowcount
        if not updated:
            raise AccountError(f"Учётной записи «{name}» нет.")
        conn.execute(sign_in_attempts.delete().where(sign_in_attempts.c.name == name))
        _audit(conn, "password_reset", name)


def set_disabled(engine: sa.Engine, name: str, disabled: bool) -> None:
    with write_transaction(engine) as conn:
        if not conn.execute(accounts.update().where(accounts.c.name == name).values(disabled=disabled)).rowcount:
            raise AccountError(f"Учётной записи «{name}» нет.")
        _audit(conn, "account_disabled" if disabled else "account_enabled", name)


def list_accounts(engine: sa.Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(accounts.c.name, accounts.c.role, accounts.c.disabled, accounts.c.created_at).order_by(accounts.c.name))
        return [dict(r._mapping) for r in rows]


def sign_in(engine: sa.Engine, name: str, password: str, now: dt.datetime | None = None) -> Actor:
    """Check a name and password; after MAX_FAILURES failures in LOCK_MINUTES the name is locked."""
    now = now or _now()
    name = (name or "").strip()
    window_start = now - dt.timedelta(minutes=LOCK_MINUTES)
    # The attempt and its audit line are committed before any error is raised: a rollback would
    # erase exactly the failures the rate limit counts.
    error: str | None = None
    actor: Actor | None = None
    with write_transaction(engine) as conn:
        failures = conn.execute(
            sa.select(sa.func.count()).where(
                sign_in_attempts.c.name == name, sign_in_attempts.c.ok.is_(False), sign_in_attempts.c.at >= window_start
            )
        ).scalar()
        if failures >= MAX_FAILURES:
            _audit(conn, "sign_in_locked", name, f"{failures} неудачных попыток за {LOCK_MINUTES} мин.")
            error = f"Слишком много неудачных попыток входа. Попробуйте через {LOCK_MINUTES} минут."
        else:
            row = conn.execute(sa.select(accounts).where(accounts.c.name == name)).first()
            try:
                ok = _hasher.verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None and not row.disabled
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
            conn.execute(sign_in_attempts.insert().values(name=name, at=now, ok=ok))
            if ok:
                if _hasher.check_needs_rehash(row.password_hash):
                    conn.execute(accounts.update().where(accounts.c.name == name).values(password_hash=_hasher.hash(password)))
                _audit(conn, "sign_in", name, f"роль: {ROLE_NAMES.get(row.role, row.role)}")
                actor = Actor(name, row.role)
            else:
                _audit(conn, "sign_in_failed", name)
                error = "Неверное имя пользователя или пароль."
    if error is not None:
        raise AccountError(error)
    return actor


def record_sign_out(engine: sa.Engine, actor: Actor) -> None:
    with write_transaction(engine) as conn:
        _audit(conn, "sign_out", actor.name)


def main(argv: list[str] | None = None) -> int:
    from store.db import get_engine, init_db

    parser = argparse.ArgumentParser(prog="python -m store.accounts", description="Учётные записи сотрудников.")
    sub = parser.add_subparsers(dest="command", required=True)
    for cmd in ("create", "reset", "disable", "enable"):
        p = sub.add_parser(cmd)
        p.add_argument("name")
        if cmd == "create":
            p.add_argument("--role", default="staff", choices=ROLES)
        if cmd in ("create", "reset"):
            p.add_argument("--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода")
    sub.add_parser("list")
    parser.add_argument("--db", help="адрес базы (по умолчанию TOS_DB_URL или data/tos.db)")
    args = parser.parse_args(argv)
    engine = get_engine(args.db)
    init_db(engine)

    def read_password() -> str:
        if args.password_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Пароль: ")
        if first != getpass.getpass("Ещё раз: "):
            raise AccountError("Пароли не совпадают.")
        return first

    try:
        if args.command == "create":
            create_account(engine, args.name, read_password(), args.role)
            print(f"Учётная запись «{args.name}» создана (роль {args.role}).")
        elif args.command == "reset":
            reset_password(engine, args.name, read_password())
            print(f"Пароль «{args.name}» изменён, блокировка снята.")
        elif args.command in ("disable", "enable"):
            set_disabled(engine, args.name, args.command == "disable")
            print(f"Учётная запись «{args.name}» {'отключена' if args.command == 'disable' else 'включена'}.")
        else:
            for a in list_accounts(engine):
                print(f"{a['name']}\t{a['role']}\t{'отключена' if a['disabled'] else 'активна'}")
    except AccountError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
