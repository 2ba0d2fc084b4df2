"""Queries that return canonical frames, with provenance columns attached.

Personal data (chairs, phones, e-mails, leaders, contacts) leaves the store only when the caller
asks for it with `personal=True`; public pages and public exports never do.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import sqlalchemy as sa

from loaders.canonical import FACT_TABLES, PERSONAL_COLUMNS, REFERENCE_TABLES
from store.db import gc_paused
from store.schema import TABLES, audit_log, documents, originals, store_meta

log = logging.getLogger(__name__)


def revision(engine: sa.Engine) -> int:
    """A number that changes with every write: the cache key of everything read below."""
    with engine.connect() as conn:
        value = conn.execute(sa.select(store_meta.c.value).where(store_meta.c.key == "revision")).scalar()
    return int(value or 0)


def _frame(conn: sa.Connection, query: sa.Select) -> pd.DataFrame:
    """A query result as a frame: rows straight from the DBAPI cursor, text as plain objects.

    SQLAlchemy's Row objects and pandas' per-row inspection cost more than the read itself on a
    national store (200 000 projects), so the rows come from the cursor as plain tuples; the type
    conversions SQLAlchemy would make on each row (booleans and JSON in SQLite, for instance) are
    made here per column with the same processors. Text stays in object columns rather than Arrow
    strings: Arrow-backed text makes every later row filter copy the strings.
    """
    columns = list(query.selected_columns)
    dialect = conn.dialect
    with gc_paused():
        result = conn.execute(query)
        try:
            description = result.cursor.description
            rows = result.cursor.fetchall()
        finally:
            result.close()
        values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
        del rows
        data = {}
        for column, column_values, described in zip(columns, values, description, strict=True):
            process = column.type.dialect_impl(dialect).result_processor(dialect, described[1])
            if process is not None:
                column_values = [process(value) for value in column_values]
            if isinstance(column.type, sa.JSON):
                # Lists and dicts must stay whole values (np.array would nest them into dimensions).
                cells = np.empty(len(column_values), dtype=object)
                for i, value in enumerate(column_values):
                    cells[i] = value
                data[column.name] = pd.Series(cells, dtype=object)
            elif isinstance(column.type, (sa.String, sa.Text)):
                data[column.name] = pd.Series(np.array(column_values, dtype=object), dtype=object)
            else:
                data[column.name] = _inferred(column_values, exact=process is None)
        del values
        return pd.DataFrame(data, columns=[c.name for c in columns])


def _inferred(values, exact: bool) -> pd.Series:
    """`pd.Series(list(values))`, with numpy's C conversion first for plain integer or float columns.

    A column of Python ints (or floats, or both) becomes int64 (float64) alike both ways;
    anything else (no rows, missing values, text, huge integers, booleans) takes pandas' own inference.
    """
    if exact and len(values):
        array = np.array(values)
        if array.dtype.kind in "if" and array.ndim == 1:
            return pd.Series(array)
    return pd.Series(list(values))


def read_table(
    engine: sa.Engine, name: str, active_only: bool = True, personal: bool = False
) -> pd.DataFrame:
    """One canonical table with document_id and source_ref; superseded rows left out by default."""
    t = TABLES[name]
    cols = [c for c in t.columns if personal or c.name not in PERSONAL_COLUMNS]
    query = sa.select(*cols)
    if active_only and name not in REFERENCE_TABLES:
        query = query.where(t.c.superseded_by.is_(None))
    df = _columnar_frame(engine, query)
    if df is not None:
        return df
    with engine.connect() as conn:
        df = _frame(conn, query)
    return df


# Plain column types the columnar route converts itself; JSON and timestamps take the DBAPI route.
_COLUMNAR_TYPES = (sa.String, sa.Integer, sa.Float, sa.Boolean)
# Databases whose ADBC read failed once (a refused login, a connection option libpq lacks…): read row by
# row for the rest of the process instead of failing, and waiting, on every page load.
_ADBC_FAILED: set[str] = set()


def _adbc_uri(engine: sa.Engine) -> str | None:
    """The libpq address of a PostgreSQL store for the ADBC driver; None where the columnar route does not apply.

    PostgreSQL only. The ADBC SQLite driver carries its own copy of the SQLite library, and two copies
    in one process break each other's POSIX file locks (sqlite.org/howtocorrupt.html, §2.2.1): a
    commit through the sqlite3 module after an ADBC read reported «database disk image is
    malformed» here. A SQLite store is read row by row.
    """
    if engine.dialect.name != "postgresql" or str(engine.url) in _ADBC_FAILED:
        return None
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _columnar_frame(engine: sa.Engine, query: sa.Select) -> pd.DataFrame | None:
    """The same frame as `_frame`, read column-wise through ADBC; None where that route does not apply.

    At national scale `fetchall` creates ~4.5 million Python objects for 245 000 rows, most of the
    first page's load (bench/NOTES.md). On PostgreSQL the ADBC driver (binary COPY) hands the rows
    over as Arrow columns instead. Each column is then converted to exactly what `_frame` returns for
    it (tests/test_columnar_read.py compares the two), and any surprise (a type the column should not
    hold, a driver error) falls back to `_frame`, so this route only changes speed.
    """
    columns = list(query.selected_columns)
    uri = _adbc_uri(engine)
    if uri is None or not all(isinstance(c.type, _COLUMNAR_TYPES) for c in columns):
        return None
    try:
        import adbc_driver_postgresql.dbapi as driver
    except ImportError:  # an optional speed-up: psycopg reads the same data
        return None
    sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    try:
        with driver.connect(uri) as conn, conn.cursor() as cursor:
            cursor.execute(sql)
            table = cursor.fetch_arrow_table()
    except Exception as exc:  # noqa: BLE001 - any driver failure: read the usual way
        _ADBC_FAILED.add(str(engine.url))
        log.warning("columnar read failed; this database is read row by row from now on: %s", exc)
        return None
    if table.num_rows == 0:
        return None
    data = {}
    for column, array in zip(columns, table.columns, strict=True):
        series = _column_from_arrow(column.type, array)
        if series is None:
            log.warning("column %s came back as %s, reading row by row", column.name, array.type)
            return None
        data[column.name] = series
    return pd.DataFrame(data, columns=[c.name for c in columns])


def _column_from_arrow(kind: sa.types.TypeEngine, array) -> pd.Series | None:
    """One Arrow column as `_frame` builds it from Python values (None when the type is unexpected).

    `_frame` gives: text as objects with None; integers as int64, or float64 with NaN when some are
    missing; floats as float64; booleans as bool, or objects (True/False/None) when some are missing;
    a column with no value at all as objects of None.
    """
    import pyarrow as pa

    kind_of = array.type
    n = len(array)
    if pa.types.is_null(kind_of) or array.null_count == n:
        return pd.Series(np.full(n, None, dtype=object), dtype=object)
    if isinstance(kind, sa.Boolean):
        if not pa.types.is_boolean(kind_of):
            return None
        if array.null_count == 0:
            return pd.Series(array.to_numpy(zero_copy_only=False))
        flags = array.to_pylist()
        return pd.Series(np.array(flags, dtype=object), dtype=object)
    if isinstance(kind, sa.String):
        if not (pa.types.is_string(kind_of) or pa.types.is_large_string(kind_of)):
            return None
        return pd.Series(array.to_numpy(zero_copy_only=False), dtype=object)
    if isinstance(kind, sa.Integer):
        if not pa.types.is_integer(kind_of):
            return None
        if array.null_count == 0:
            return pd.Series(array.to_numpy().astype(np.int64))
        return pd.Series(array.to_numpy(zero_copy_only=False).astype(np.float64))
    if isinstance(kind, sa.Float):
        if not pa.types.is_floating(kind_of):
            return None
        return pd.Series(array.to_numpy(zero_copy_only=False).astype(np.float64))
    return None


def regions(engine: sa.Engine) -> pd.DataFrame:
    return read_table(engine, "regions")


def municipalities(engine: sa.Engine) -> pd.DataFrame:
    """Municipalities with their region and the latest known population (with its source)."""
    m = read_table(engine, "municipalities")
    r = regions(engine)[["region_id", "name"]].rename(columns={"name": "region_name"})
    m = m.merge(r, on="region_id", how="left")
    pop = read_table(engine, "population")
    if len(pop):
        pop = pop.dropna(subset=["population"]).sort_values(["municipality_id", "year"], na_position="first")
        latest = pop.groupby("municipality_id").tail(1)[
            ["municipality_id", "population", "year", "document_id", "source_ref"]
        ].rename(
            columns={"year": "population_year", "document_id": "population_document_id", "source_ref": "population_source_ref"}
        )
        m = m.merge(latest, on="municipality_id", how="left")
    else:
        for col in ("population", "population_year", "population_document_id", "population_source_ref"):
            m[col] = None
    return m


def documents_frame(engine: sa.Engine) -> pd.DataFrame:
    """Every document, with how many of its rows are current and how many were replaced."""
    with engine.connect() as conn:
        docs = _frame(conn, sa.select(*[c for c in documents.columns]).order_by(documents.c.ingested_at.desc()))
        counts = []
        for name in FACT_TABLES:
            if name in REFERENCE_TABLES:
                continue
            t = TABLES[name]
            q = sa.select(
                t.c.document_id,
                sa.func.count().label("rows"),
                sa.func.sum(sa.case((t.c.superseded_by.is_not(None), 1), else_=0)).label("superseded"),
            ).group_by(t.c.document_id)
            part = _frame(conn, q)
            if len(part):
                part["table"] = name
                counts.append(part)
    if counts:
        c = pd.concat(counts)
        agg = c.groupby("document_id")[["rows", "superseded"]].sum()
        docs = docs.merge(agg, left_on="document_id", right_index=True, how="left")
    else:
        docs["rows"] = 0
        docs["superseded"] = 0
    docs["rows"] = docs["rows"].fillna(0).astype(int)
    docs["superseded"] = docs["superseded"].fillna(0).astype(int)
    return docs


def document_names(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(documents.c.document_id, documents.c.file_name)).all())


def demo_document_ids(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(sa.select(documents.c.document_id).where(documents.c.is_demo.is_(True)))}


def original_bytes(engine: sa.Engine, document_id: str) -> bytes | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(originals.c.content).where(originals.c.document_id == document_id)).scalar()


def data_as_of(engine: sa.Engine) -> str | None:
    """The date the data stands at: the latest «по состоянию на» of the stored documents, else the last ingest."""
    with engine.connect() as conn:
        as_of = conn.execute(
            sa.select(sa.func.max(documents.c.as_of)).where(documents.c.status != "rejected")
        ).scalar()
        if as_of:
            return as_of
        last = conn.execute(sa.select(sa.func.max(documents.c.ingested_at))).scalar()
    return last.date().isoformat() if last is not None else None


def audit_frame(engine: sa.Engine, limit: int = 500) -> pd.DataFrame:
    with engine.connect() as conn:
        return _frame(conn, sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))


def dataset_frames(engine: sa.Engine, personal: bool = False) -> dict:
    """The frames the analytics need, in one call (pages and reports read the same data)."""
    return {
        "tos": read_table(engine, "tos", personal=personal),
        "projects": read_table(engine, "projects"),
        "municipalities": municipalities(engine),
        "regions": regions(engine),
        "documents": documents_frame(engine),
        "as_of": data_as_of(engine),
    }


_MATCHERS: dict[tuple, object] = {}


def municipality_matcher(engine: sa.Engine):
    """A matcher for the bundled reference (with aliases) and every municipality the store knows.

    Municipalities learned from earlier files match exactly; rebuilt only when they change.
    """
    from loaders.names import Municipality, MunicipalityMatcher, load_municipalities

    t = TABLES["municipalities"]
    with engine.connect() as conn:
        count, last = conn.execute(sa.select(sa.func.count(), sa.func.max(t.c.municipality_id))).one()
    key = (str(engine.url), count, last)
    if key not in _MATCHERS:
        reference = {m.municipality_id: m for m in load_municipalities()}
        with engine.connect() as conn:
            rows = conn.execute(sa.select(t.c.municipality_id, t.c.name, t.c.type, t.c.region_id, t.c.parent_id)).all()
        known = list(reference.values()) + [
            Municipality(mid, name, kind or "", region_id, parent_id)
            for mid, name, kind, region_id, parent_id in rows
            if mid not in reference
        ]
        _MATCHERS.clear()
        _MATCHERS[key] = MunicipalityMatcher(known)
    return _MATCHERS[key]
