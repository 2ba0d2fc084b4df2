"""The bundled reference: federal subjects and the municipalities of the bundled boundaries."""

from __future__ import annotations

import sqlalchemy as sa

from loaders.names import load_municipalities, load_regions
from store.db import write_transaction
from store.schema import TABLES

REGIONS_REF = "справочник регионов (data/reference/regions.csv)"
MUNICIPALITIES_REF = "справочник ОКТМО и границ OpenStreetMap (data/reference/municipalities.csv)"


def load_reference(engine: sa.Engine) -> int:
    """Insert reference rows that are missing; existing rows are left as they are. Returns rows added."""
    regions = TABLES["regions"]
    municipalities = TABLES["municipalities"]
    added = 0
    with write_transaction(engine) as conn:
        have = {r[0] for r in conn.execute(sa.select(regions.c.region_id))}
        rows = [
            {"region_id": r.region_id, "name": r.name, "document_id": None, "source_ref": REGIONS_REF}
            for r in load_regions()
            if r.region_id not in have
        ]
        if rows:
            conn.execute(regions.insert(), rows)
            added += len(rows)
        have = {r[0] for r in conn.execute(sa.select(municipalities.c.municipality_id))}
        rows = [
            {
                "municipality_id": m.municipality_id,
                "name": m.name,
                "type": m.type,
                "region_id": m.region_id,
                "parent_id": m.parent_id,
                "document_id": None,
                "source_ref": MUNICIPALITIES_REF,
            }
            for m in load_municipalities()
            if m.municipality_id not in have
        ]
        if rows:
            conn.execute(municipalities.insert(), rows)
            added += len(rows)
    return added
