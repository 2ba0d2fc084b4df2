"""Bring an existing database up to the current schema when the app is upgraded.

The schema grows by adding tables and nullable columns (new facts, new provenance fields);
`upgrade()` adds what is missing and drops indexes the schema retired, in one transaction, and
returns what it did. A change that is not additive (a renamed or retyped column) needs a written
migration — none exists yet; when one is needed, Alembic is the tool to adopt.
"""

from __future__ import annotations

import sqlalchemy as sa

from store.schema import RETIRED_INDEXES, metadata


def upgrade(engine: sa.Engine) -> list[str]:
    """Create missing tables and add missing columns; return a line per change."""
    inspector = sa.inspect(engine)
    existing = set(inspector.get_table_names())
    changes: list[str] = []
    missing_tables = [t for t in metadata.sorted_tables if t.name not in existing]
    if missing_tables:
        metadata.create_all(engine, tables=missing_tables)
        changes += [f"создана таблица {t.name}" for t in missing_tables]
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if table.name not in existing:
                continue
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in have:
                    continue
                if not column.nullable and column.server_default is None:
                    raise RuntimeError(
                        f"Таблице {table.name} не хватает обязательного столбца {column.name}: нужна миграция базы."
                    )
                type_sql = column.type.compile(dialect=engine.dialect)
                conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {type_sql}')
                changes.append(f"в таблицу {table.name} добавлен столбец {column.name}")
        for table_name, names in RETIRED_INDEXES.items():
            if table_name not in existing:
                continue
            have = {i["name"] for i in inspector.get_indexes(table_name)}
            for name in names:
                if name in have:
                    conn.exec_driver_sql(f"DROP INDEX {name}")
                    changes.append(f"из таблицы {table_name} удалён лишний индекс {name}")
    return changes
