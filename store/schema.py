"""Tables of the store, built from the canonical definition in loaders.canonical."""

from __future__ import annotations

import sqlalchemy as sa

from loaders.canonical import FACT_TABLES, REFERENCE_TABLES

metadata = sa.MetaData()

_TYPES = {
    "str": sa.Text,
    "int": sa.BigInteger,
    "float": sa.Float,
    "bool": sa.Boolean,
    "date": sa.String(10),  # ISO text: sorts and compares the same in SQLite and PostgreSQL
    "json": sa.JSON,
}
_ID_COLUMNS = {"municipality_id", "region_id", "tos_id", "practice_id", "contest_id", "document_id", "parent_id", "ref_id"}

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("document_id", sa.String(64), primary_key=True),  # sha256 of the bytes
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20)),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),  # ok, warnings, rejected
    sa.Column("warnings", sa.JSON, nullable=False),  # [{where, message}]
    sa.Column("error", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("doc_date", sa.String(10)),
    sa.Column("as_of", sa.String(10)),
    sa.Column("region_id", sa.String(16)),
    sa.Column("municipality_id", sa.String(80)),
    sa.Column("place", sa.Text),
    sa.Column("participants", sa.BigInteger),
    sa.Column("is_demo", sa.Boolean, nullable=False, default=False),
    sa.Column("meta", sa.JSON, nullable=False),
    sa.Column("uploaded_by", sa.Text),
)

originals = sa.Table(
    "originals",
    metadata,
    sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.document_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

# A counter bumped by every write: pages cache on it.
store_meta = sa.Table(
    "store_meta",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user", sa.Text),
    sa.Column("action", sa.String(30), nullable=False),  # ingest, reject, duplicate, delete, sign_in, sign_in_failed
    sa.Column("document_id", sa.String(64)),
    sa.Column("file_name", sa.Text),
    sa.Column("details", sa.Text),
)


accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("name", sa.String(120), primary_key=True),
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, salted
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

sign_in_attempts = sa.Table(
    "sign_in_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(120), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
)


# Indexes earlier versions created and this one does not: store.migrate drops them. The projects'
# municipality index repeated the start of ix_projects_municipality_year and cost 0.4–0.8 s on a
# 200 000-row insert; lookups by municipality alone use the composite index.
RETIRED_INDEXES = {"projects": ("ix_projects_municipality_id",)}


def _column(table: str, name: str, type_name: str) -> sa.Column:
    if name in _ID_COLUMNS:
        # Indexed where queries look rows up: by municipality (supersede, cards), practice and contest.
        indexed = name in ("municipality_id", "practice_id", "contest_id")
        indexed = indexed and f"ix_{table}_{name}" not in RETIRED_INDEXES.get(table, ())
        return sa.Column(name, sa.String(120), index=indexed)
    return sa.Column(name, _TYPES[type_name])


def _build_tables() -> dict[str, sa.Table]:
    tables = {}
    for name, columns in FACT_TABLES.items():
        if name in REFERENCE_TABLES:
            key = "region_id" if name == "regions" else "municipality_id"
            cols = [sa.Column(key, sa.String(120), primary_key=True)]
            cols += [_column(name, c, t) for c, t in columns.items() if c != key]
            cols += [sa.Column("document_id", sa.String(64)), sa.Column("source_ref", sa.Text)]
        else:
            cols = [sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True)]
            cols += [
                sa.Column(
                    "document_id",
                    sa.String(64),
                    sa.ForeignKey("documents.document_id", ondelete="CASCADE"),
                    nullable=False,
                    index=True,
                ),
                sa.Column("source_ref", sa.Text),
                # Set when a newer registry of the same municipality replaced this row. Not indexed:
                # reads scan the table anyway, and every index costs on a 200 000-row insert.
                sa.Column("superseded_by", sa.String(64)),
            ]
            cols += [_column(name, c, t) for c, t in columns.items()]
        tables[name] = sa.Table(name, metadata, *cols)
    return tables


TABLES = _build_tables()
sa.Index("ix_projects_municipality_year", TABLES["projects"].c.municipality_id, TABLES["projects"].c.year)


# The commission workspace (page «Конкурсы»): contests being scored, their applicants, criteria,
# members and the members' scores. A score is never overwritten: re-entry marks the earlier row
# replaced (who, when) and adds a new one, so what a member typed is kept with who entered it.
score_contests = sa.Table(
    "score_contests",
    metadata,
    sa.Column("contest_id", sa.String(120), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("region_id", sa.String(16)),
    sa.Column("nomination", sa.Text),
    sa.Column("level", sa.String(20)),
    sa.Column("commission", sa.Text),  # the commission as the final sheet names it
    sa.Column("source_contest_id", sa.String(120)),  # the stored protocol's contest it mirrors, if any
    sa.Column("period_from", sa.Integer),  # the years figure-based criteria take their facts from
    sa.Column("period_to", sa.Integer),
    sa.Column("criteria_name", sa.Text),
    sa.Column("tie_rule", sa.JSON, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.Text),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
)

score_applicants = sa.Table(
    "score_applicants",
    metadata,
    sa.Column("contest_id", sa.String(120), sa.ForeignKey("score_contests.contest_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("municipality_id", sa.String(120), primary_key=True),
    sa.Column("category", sa.String(4)),
    sa.Column("position", sa.Integer, nullable=False),
)

score_criteria = sa.Table(
    "score_criteria",
    metadata,
    sa.Column("contest_id", sa.String(120), sa.ForeignKey("score_contests.contest_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("min_points", sa.Float, nullable=False),
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("weight", sa.Float, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # manual, figure
    sa.Column("figure", sa.String(40)),
    sa.Column("bands", sa.JSON, nullable=False),
)

score_members = sa.Table(
    "score_members",
    metadata,
    sa.Column("contest_id", sa.String(120), sa.ForeignKey("score_contests.contest_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("role", sa.String(60)),  # председатель, секретарь, член комиссии
)

scores = sa.Table(
    "scores",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("contest_id", sa.String(120), sa.ForeignKey("score_contests.contest_id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("member", sa.String(200), nullable=False),
    sa.Column("municipality_id", sa.String(120), nullable=False),
    sa.Column("criterion", sa.String(40), nullable=False),
    sa.Column("points", sa.Float),  # null: the score was cleared
    sa.Column("entered_by", sa.Text, nullable=False),
    sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),  # form, upload
    sa.Column("replaced_at", sa.DateTime(timezone=True)),
    sa.Column("replaced_by", sa.Text),
)
# One current score per member × applicant × criterion.
sa.Index(
    "ux_scores_current",
    scores.c.contest_id,
    scores.c.member,
    scores.c.municipality_id,
    scores.c.criterion,
    unique=True,
    sqlite_where=scores.c.replaced_at.is_(None),
    postgresql_where=scores.c.replaced_at.is_(None),
)
