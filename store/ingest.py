"""Storing parsed documents: one transaction per file, all rows or none.

* The same bytes again change nothing and say so (documents are keyed by sha256).
* A newer registry of a municipality supersedes the rows of the older one; the older document
  stays listed and its rows stay in the database, marked `superseded_by`.
* The original bytes are kept, so a file can be parsed again after a parser improves.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.pool import SingletonThreadPool

import strings as S
from loaders.base import ParsedDocument, ParseError, json_value
from loaders.canonical import FACT_TABLES, REFERENCE_TABLES
from loaders.sniff import safe_file_name
from store.accounts import Actor, require_staff
from store.db import gc_paused, ingest_transaction, write_transaction
from store.schema import TABLES, audit_log, documents, originals, store_meta

# Tables a newer registry replaces, per municipality; the yearly ones per municipality and year.
SUPERSEDED_TABLES = ("tos", "projects", "population")
YEARLY_TABLES = ("projects", "population")
REGISTRY_KINDS = ("registry", "population")


@dataclass
class IngestResult:
    """What happened to one file."""

    file_name: str
    status: str  # stored, duplicate, rejected
    message: str
    document_id: str | None = None
    kind: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "status": self.status,
            "message": self.message,
            "document_id": self.document_id,
            "kind": self.kind,
            "counts": self.counts,
            "warnings": self.warnings,
        }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _bump_revision(conn: sa.Connection) -> None:
    """Move the revision forward.

    It is a millisecond clock that never repeats, so a database rebuilt from scratch cannot reuse
    a revision an earlier one had (pages cache on it).
    """
    now_ms = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    updated = conn.execute(
        store_meta.update()
        .where(store_meta.c.key == "revision")
        .values(value=sa.case((store_meta.c.value + 1 > now_ms, store_meta.c.value + 1), else_=now_ms))
    ).rowcount
    if not updated:
        conn.execute(store_meta.insert().values(key="revision", value=now_ms))


def _audit(conn: sa.Connection, action: str, user: str | None, document_id: str | None, file_name: str | None, details: str = "") -> None:
    conn.execute(
        audit_log.insert().values(
            at=now(), user=user, action=action, document_id=document_id, file_name=file_name, details=details[:2000]
        )
    )


def _clean(value: Any, type_name: str) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if type_name == "int":
        return int(round(float(value)))
    if type_name == "float":
        return float(value)
    if type_name == "bool":
        return bool(value)
    if type_name == "date":
        if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
            return value.isoformat()[:10]
        return str(value)[:10]
    if type_name == "str":
        return str(value)
    return value


def _column_values(series: pd.Series | None, type_name: str, n: int) -> list[Any]:
    """A column as plain Python values for the driver (None for unknown), converted at once."""
    if series is None:
        return [None] * n
    if type_name == "int":
        values = pd.to_numeric(series, errors="coerce").round().astype("Int64")
        return values.to_numpy(dtype=object, na_value=None).tolist()
    if type_name == "float":
        values = pd.to_numeric(series, errors="coerce").astype("float64")
        return [None if v != v else v for v in values.tolist()]
    if type_name == "bool":
        return [None if v is None or v is pd.NA or v != v else bool(v) for v in series.tolist()]
    if type_name == "json":
        return [None if v is None else json.dumps(json_value(v), ensure_ascii=False) for v in series.tolist()]
    values = series.astype(object).where(series.notna(), None).tolist()
    if type_name == "date":
        return [None if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)[:10]) for v in values]
    return [None if v is None else (v if isinstance(v, str) else str(v)) for v in values]


def _rows(table: str, df: pd.DataFrame, document_id: str) -> tuple[list[str], list[tuple]]:
    """Column names and row tuples of a canonical frame, ready for a bulk insert."""
    n = len(df)
    columns = list(FACT_TABLES[table]) + ["source_ref"]
    types = {**FACT_TABLES[table], "source_ref": "str"}
    # A column with no value at all is left to its NULL default: fewer parameters to bind per row
    # (a narrow registry fills 10 of the 21 columns). Empty columns are dropped before converting
    # them, and again after (text that is not a number becomes None in an integer column).
    data = {c: _column_values(df[c], types[c], n) for c in columns if c in df and df[c].notna().any()}
    data = {c: values for c, values in data.items() if any(v is not None for v in values)}
    data["document_id"] = [document_id] * n
    return list(data), list(zip(*data.values(), strict=True))


def _bulk_insert(conn: sa.Connection, table: str, df: pd.DataFrame, document_id: str) -> None:
    """Insert a frame in one go: COPY on PostgreSQL, the driver's executemany elsewhere.

    SQLAlchemy's per-row parameter handling costs more than the insert itself at 45 000 rows.
    """
    columns, rows = _rows(table, df, document_id)
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _effective_date(as_of: str | None, ingested_at: dt.datetime) -> str:
    return as_of or ingested_at.date().isoformat()


def _effective_of() -> sa.ColumnElement:
    """A stored document's effective date in SQL: «по состоянию на», else the day it was loaded."""
    return sa.func.coalesce(documents.c.as_of, sa.func.substr(sa.cast(documents.c.ingested_at, sa.Text), 1, 10))


def _supersede_group(
    conn: sa.Connection, table: str, document_id: str, effective: str, year: object
) -> list[dict[str, str]]:
    """Supersede by set-based statements: the new rows' municipalities are a subquery, not a list."""
    t = TABLES[table]
    if table in YEARLY_TABLES:
        # A 2024 project list replaces 2024, not the 2023 list; rows without a year replace their like.
        same_year = [t.c.year == int(year)] if year is not None else [t.c.year.is_(None)]
    else:
        same_year = []
    mine = sa.select(t.c.municipality_id).where(t.c.document_id == document_id, *same_year).distinct().scalar_subquery()
    # Driven from the few registry documents, each probed through the document_id index: a scan of
    # our own rows through the municipality index would cost as much as the insert on a big file.
    overlaps = (
        sa.select(sa.literal(1))
        .select_from(t)
        .where(
            t.c.document_id == documents.c.document_id,
            t.c.superseded_by.is_(None),
            t.c.municipality_id.in_(mine),
            *same_year,
        )
        .exists()
    )
    others = sa.select(documents.c.document_id, _effective_of().label("eff")).where(
        documents.c.kind.in_(REGISTRY_KINDS), documents.c.document_id != document_id, overlaps
    )
    notes = []
    newer_rows = 0
    for other_doc, eff in conn.execute(others).all():
        if eff <= effective:
            # The other document is older: its rows for our municipalities are replaced.
            conn.execute(
                t.update()
                .where(t.c.document_id == other_doc, t.c.superseded_by.is_(None), t.c.municipality_id.in_(mine), *same_year)
                .values(superseded_by=document_id)
            )
        else:
            # The other document is newer: our rows for its municipalities are the old ones.
            theirs = sa.select(t.c.municipality_id).where(t.c.document_id == other_doc, *same_year).distinct().scalar_subquery()
            newer_rows += conn.execute(
                t.update()
                .where(t.c.document_id == document_id, t.c.superseded_by.is_(None), t.c.municipality_id.in_(theirs), *same_year)
                .values(superseded_by=other_doc)
            ).rowcount
    if newer_rows:
        notes.append(
            {
                "where": "файл",
                "message": f"{newer_rows} строк(и) этого файла сохранены как устаревшие: в базе уже есть более новый "
                f"реестр тех же муниципалитетов ({S.TABLE_NAMES[table]})",
            }
        )
    return notes


def _supersede(conn: sa.Connection, doc: ParsedDocument, document_id: str, effective: str) -> list[dict[str, str]]:
    """Mark older registry rows of the same municipalities as replaced; or ours, if we are older."""
    notes = []
    for table in SUPERSEDED_TABLES:
        if table not in doc.tables or doc.tables[table].empty:
            continue
        frame = doc.tables[table]
        # Population and projects are facts per year: a newer file replaces the same year, not the others.
        if table in YEARLY_TABLES:
            years = frame["year"]
            groups = list(years.dropna().unique()) + ([None] if years.isna().any() else [])
        else:
            groups = [None]
        for year in groups:
            notes += _supersede_group(conn, table, document_id, effective, year)
    return notes


def _upsert_reference(conn: sa.Connection, doc: ParsedDocument, document_id: str) -> None:
    for table in REFERENCE_TABLES:
        df = doc.tables.get(table)
        if df is None or df.empty:
            continue
        t = TABLES[table]
        key = "region_id" if table == "regions" else "municipality_id"
        # The reference tables are small next to the facts: read all their ids rather than a huge IN list.
        have = set(conn.execute(sa.select(t.c[key])).scalars())
        # A set lookup per row: Series.isin(set) lists the set again for every call (70 ms at 18 000).
        is_new = [isinstance(k, str) and k not in have for k in df[key].tolist()]
        new = df[is_new].drop_duplicates(key)
        if len(new):
            _bulk_insert(conn, table, new, document_id)


def store_parsed(engine: sa.Engine, data: bytes, doc: ParsedDocument, actor: Actor | None) -> IngestResult:
    """Store an already parsed document in one transaction (staff only).

    A database error (the server gone, a disk full, a constraint) rolls the transaction back: the user
    gets a message naming the file instead of a traceback, and nothing of the file is stored.
    """
    require_staff(actor, "загрузка документов")
    try:
        return _store_parsed(engine, data, doc, actor)
    except sa.exc.SQLAlchemyError as exc:
        return _database_error(doc.file_name, data, exc, doc.kind)


def _database_error(name: str, data: bytes, exc: sa.exc.SQLAlchemyError, kind: str | None = None) -> IngestResult:
    cause = type(getattr(exc, "orig", None) or exc).__name__
    return IngestResult(
        name,
        "rejected",
        f"«{name}»: не сохранено — ошибка базы данных ({cause}). Из файла ничего не записано, прежние данные "
        "не изменились. Попробуйте ещё раз; если ошибка повторится, сообщите администратору.",
        sha256(data),
        kind,
    )


def _store_parsed(engine: sa.Engine, data: bytes, doc: ParsedDocument, actor: Actor) -> IngestResult:
    user = actor.name
    document_id = sha256(data)
    name = doc.file_name
    ingested_at = now()
    warnings = [w.as_dict() for w in doc.warnings]
    counts = {t: len(df) for t, df in doc.tables.items() if t not in REFERENCE_TABLES and len(df)}
    with ingest_transaction(engine) as conn:
        existing = conn.execute(
            sa.select(documents.c.status, documents.c.file_name, documents.c.ingested_at).where(
                documents.c.document_id == document_id
            )
        ).first()
        if existing is not None and existing.status != "rejected":
            _audit(conn, "duplicate", user, document_id, name, f"уже загружен как «{existing.file_name}»")
            return IngestResult(
                name,
                "duplicate",
                f"«{name}»: этот файл уже загружен ({_fmt_dt(existing.ingested_at)}, как «{existing.file_name}») — ничего не изменилось.",
                document_id,
                doc.kind,
            )
        if existing is not None:  # was rejected before; the parser may have improved since
            conn.execute(documents.delete().where(documents.c.document_id == document_id))
        meta = dict(doc.meta)
        conn.execute(
            documents.insert().values(
                document_id=document_id,
                file_name=name,
                kind=doc.kind,
                size_bytes=len(data),
                ingested_at=ingested_at,
                status="warnings" if warnings else "ok",
                warnings=warnings,
                error=None,
                title=_clean(meta.get("title"), "str"),
                doc_date=_clean(meta.get("doc_date"), "date"),
                as_of=_clean(meta.get("as_of"), "date"),
                region_id=meta.get("region_id"),
                municipality_id=meta.get("municipality_id"),
                place=_clean(meta.get("place"), "str"),
                participants=_clean(meta.get("participants"), "int"),
                is_demo=bool(meta.get("is_demo")),
                meta=_json_safe(meta),
                uploaded_by=user,
            )
        )
        conn.execute(originals.insert().values(document_id=document_id, content=data))
        _upsert_reference(conn, doc, document_id)
        for table, df in doc.tables.items():
            if table in REFERENCE_TABLES or df.empty:
                continue
            _bulk_insert(conn, table, df, document_id)
        if doc.kind in REGISTRY_KINDS:
            notes = _supersede(conn, doc, document_id, _effective_date(meta.get("as_of"), ingested_at))
            if notes:
                warnings.extend(notes)
                conn.execute(
                    documents.update()
                    .where(documents.c.document_id == document_id)
                    .values(warnings=warnings, status="warnings")
                )
        _bump_revision(conn)
        _audit(conn, "ingest", user, document_id, name, _counts_text(counts))
    message = f"«{name}»: сохранено — {_counts_text(counts) or 'документ без таблиц'}"
    if warnings:
        message += f"; замечаний: {len(warnings)}"
    return IngestResult(name, "stored", message, document_id, doc.kind, counts, warnings)


def _json_safe(meta: dict[str, Any]) -> dict[str, Any]:
    from loaders.base import json_value

    return {k: json_value(v) for k, v in meta.items()}


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {S.TABLE_NAMES.get(t, t)}" for t, n in counts.items())


def _fmt_dt(value: dt.datetime | None) -> str:
    if value is None:
        return "ранее"
    return value.strftime("%d.%m.%Y %H:%M")


def record_rejection(engine: sa.Engine, data: bytes, file_name: str, message: str, actor: Actor | None) -> IngestResult:
    """Record a rejected file (no facts, the original kept for a later re-parse) and say why."""
    require_staff(actor, "загрузка документов")
    user = actor.name
    name = safe_file_name(file_name)
    document_id = sha256(data) if data else None
    with write_transaction(engine) as conn:
        if document_id:
            existing = conn.execute(
                sa.select(documents.c.status).where(documents.c.document_id == document_id)
            ).first()
            if existing is None:
                conn.execute(
                    documents.insert().values(
                        document_id=document_id,
                        file_name=name,
                        kind=None,
                        size_bytes=len(data),
                        ingested_at=now(),
                        status="rejected",
                        warnings=[],
                        error=message,
                        is_demo=False,
                        meta={},
                        uploaded_by=user,
                    )
                )
                conn.execute(originals.insert().values(document_id=document_id, content=data))
            elif existing.status == "rejected":
                conn.execute(
                    documents.update().where(documents.c.document_id == document_id).values(error=message, ingested_at=now())
                )
            _bump_revision(conn)
        _audit(conn, "reject", user, document_id, name, message)
    return IngestResult(name, "rejected", f"«{name}»: отклонён — {message}", document_id)


def _matcher_while_reading(engine: sa.Engine, pool: ThreadPoolExecutor):
    """The municipality matcher, built in another thread while the parser reads the file.

    Reading a workbook is Rust code that releases the GIL, and building the matcher of a national
    store (18 000 municipalities, ~0.18 s) takes about as long, so the two overlap. An in-memory
    SQLite database is one connection per thread: built here instead.
    """
    from store.queries import municipality_matcher

    if isinstance(engine.pool, SingletonThreadPool):
        return municipality_matcher(engine)
    return pool.submit(municipality_matcher, engine)


def ingest_bytes(
    engine: sa.Engine,
    data: bytes,
    file_name: str,
    kind: str | None = None,
    actor: Actor | None = None,
    parser: Callable[..., ParsedDocument] | None = None,
) -> IngestResult:
    """Parse and store one file (staff only). A file that cannot be parsed stores no facts."""
    from loaders.api import parse_bytes
    from loaders.safety import check_file_name

    require_staff(actor, "загрузка документов")
    name = safe_file_name(file_name)
    try:
        check_file_name(file_name)
    except ParseError as exc:
        return record_rejection(engine, data, name, exc.message, actor)
    parse = parser or parse_bytes
    with engine.connect() as conn:
        existing = conn.execute(
            sa.select(documents.c.status, documents.c.file_name, documents.c.ingested_at).where(
                documents.c.document_id == sha256(data)
            )
        ).first()
    if existing is not None and existing.status != "rejected":
        return IngestResult(
            name,
            "duplicate",
            f"«{name}»: этот файл уже загружен ({_fmt_dt(existing.ingested_at)}, как «{existing.file_name}») — ничего не изменилось.",
            sha256(data),
        )
    with gc_paused(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="tos-matcher") as pool:
        try:
            doc = parse(data, name, kind, functools.partial(_matcher_while_reading, engine, pool))
        except ParseError as exc:
            return record_rejection(engine, data, name, exc.message, actor)
        except sa.exc.SQLAlchemyError as exc:  # reading the municipalities for the matcher failed
            return _database_error(name, data, exc)
        except Exception as exc:  # a parser bug: the user gets a message, the store stays as it was
            return record_rejection(
                engine, data, name, f"Файл «{name}»: внутренняя ошибка разбора ({type(exc).__name__}). Сообщите разработчикам.", actor
            )
        return store_parsed(engine, data, doc, actor)


def ingest_path(engine: sa.Engine, path: str | Path, kind: str | None = None, actor: Actor | None = None) -> IngestResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return IngestResult(path.name, "rejected", f"«{path.name}»: файл не открывается ({exc.strerror or exc}).")
    return ingest_bytes(engine, data, path.name, kind, actor)


def delete_document(engine: sa.Engine, document_id: str, actor: Actor | None) -> bool:
    """Remove a document and its facts (staff only); rows it had superseded become current again."""
    require_staff(actor, "удаление документов")
    user = actor.name
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(documents.c.file_name).where(documents.c.document_id == document_id)).first()
        if row is None:
            return False
        # Rows this document had replaced: which documents (and years) they belong to.
        replaced = {}
        for table in SUPERSEDED_TABLES:
            t = TABLES[table]
            cols = [t.c.document_id] + ([t.c.year] if table in YEARLY_TABLES else [])
            replaced[table] = conn.execute(sa.select(*cols).where(t.c.superseded_by == document_id).distinct()).all()
        for table in FACT_TABLES:
            if table in REFERENCE_TABLES:
                continue
            t = TABLES[table]
            conn.execute(t.update().where(t.c.superseded_by == document_id).values(superseded_by=None))
            conn.execute(t.delete().where(t.c.document_id == document_id))
        # They are current again only if no other remaining document is newer: r2023 replaced by r2024
        # and r2024 by r2025 — deleting r2024 leaves r2023 replaced by r2025, not counted twice.
        for table, keys in replaced.items():
            for key in keys:
                eff = conn.execute(sa.select(_effective_of()).where(documents.c.document_id == key[0])).scalar()
                _supersede_group(conn, table, key[0], eff, key[1] if table in YEARLY_TABLES else None)
        for table in REFERENCE_TABLES:
            t = TABLES[table]
            conn.execute(t.update().where(t.c.document_id == document_id).values(document_id=None))
        conn.execute(originals.delete().where(originals.c.document_id == document_id))
        conn.execute(documents.delete().where(documents.c.document_id == document_id))
        _bump_revision(conn)
        _audit(conn, "delete", user, document_id, row.file_name)
    return True
