"""The database: a SQLite file under data/ by default, any SQLAlchemy URL through TOS_DB_URL or --db."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = ROOT / "data" / "tos.db"


def database_url(url: str | None = None) -> str:
    """The URL in force: the argument, then TOS_DB_URL, then data/tos.db."""
    url = url or os.environ.get("TOS_DB_URL")
    if not url:
        return f"sqlite:///{DEFAULT_DB_PATH}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we install.
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file is parsed and stored, or a large table is read.

    Parsing a registry or reading a national table allocates millions of cells, strings and tuples
    that all live until the end; each full collection walks every one of them (0.2 s of a
    45 000-row ingest). Reference counting still frees what is dropped; cycles wait for the
    collector until the work is done. Only the caller that turned collection off turns it back on,
    so overlapping calls are safe.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _sqlite_setup(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Manage transactions ourselves (pysqlite's implicit BEGIN is deferred and unsafe for writers).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the write lock at BEGIN, so two uploads queue instead of failing midway.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> sa.Engine:
    """One engine per URL for the life of the process."""
    resolved = database_url(url)
    if resolved.startswith("sqlite:///"):
        path = Path(resolved[len("sqlite:///") :])
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(resolved, connect_args={"timeout": 30})
        _sqlite_setup(engine)
    else:
        engine = sa.create_engine(resolved, pool_pre_ping=True)
    return engine


def is_sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


def write_connection(engine: sa.Engine) -> sa.Connection:
    """A connection whose transaction takes the write lock at once (SQLite); see `write_transaction`."""
    conn = engine.connect()
    if is_sqlite(engine):
        conn = conn.execution_options(sqlite_immediate=True)
    return conn


# Key of the PostgreSQL advisory lock every write transaction holds ("TOS" in ASCII).
WRITE_LOCK_KEY = 0x544F53


def _take_turn(conn: sa.Connection) -> None:
    """Writers take turns, as SQLite makes them do anyway.

    A write reads before it writes (is the file stored already? which municipalities are new? which
    rows does it supersede?); two at once on PostgreSQL would both decide from the same state and the
    second would fail on a unique key. Writes are rare and short next to the reads, which never wait.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One write transaction, committed at the end or rolled back on an error; writers take turns."""
    with write_connection(engine) as conn, conn.begin():
        _take_turn(conn)
        yield conn


# Page cache of a connection while it stores a file (KiB): with SQLite's default 2 MB the indexes of
# a 200 000-row insert no longer fit, and every index page is written out and read back.
INGEST_CACHE_KIB = 64 * 1024


@contextmanager
def ingest_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """`write_transaction` with a page cache sized for a bulk insert (SQLite).

    The connection's own cache size is put back afterwards and the memory handed back, so a pooled
    connection does not keep 64 MB for the rest of the process.
    """
    with write_connection(engine) as conn:
        raw = conn.connection.driver_connection if is_sqlite(engine) else None
        previous = None
        if raw is not None:
            previous = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute(f"PRAGMA cache_size=-{INGEST_CACHE_KIB}")
        try:
            with conn.begin():
                _take_turn(conn)
                yield conn
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA cache_size={int(previous)}")
                raw.execute("PRAGMA shrink_memory")


def init_db(engine: sa.Engine) -> list[str]:
    """Create or upgrade the tables and load the bundled reference when missing.

    Returns the schema changes made to an existing database (empty for an up-to-date one).
    """
    from store.migrate import upgrade
    from store.reference import load_reference

    changes = upgrade(engine)
    load_reference(engine)
    return changes
