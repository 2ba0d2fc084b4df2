"""Boundaries in the store: the bundled municipal and regional polygons, and reads for maps.

The bundled files (data/boundaries/, OpenStreetMap-derived municipal polygons of the four demo regions,
Natural Earth regions of Russia) are ingested like any uploaded file, as `boundaries` documents whose
meta carries the attribution. `load_bundled_boundaries` is idempotent (documents are keyed by sha256), so
the app calls it once per database: a fresh database of a real department gets the municipal map too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from store.schema import TABLES, documents

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DIR = ROOT / "data" / "boundaries"

# Read for maps: everything except the full geometry and the raw attributes.
MAP_COLUMNS = (
    "row_id", "document_id", "source_ref", "feature_id", "level", "ref_id", "name", "region_id", "municipality_id",
    "layer", "geometry_display", "min_lon", "min_lat", "max_lon", "max_lat", "label_lon", "label_lat", "area_km2",
)  # fmt: skip


def bundled_files() -> list[Path]:
    """The bundled boundary files, regions first (coarse before detailed), then municipalities."""
    order = {"regions_ru.geojson": 0, "regions_demo_osm.geojson": 1}
    return sorted(BUNDLED_DIR.glob("*.geojson"), key=lambda p: (order.get(p.name, 2), p.name))


def load_bundled_boundaries(engine: sa.Engine) -> list:
    """Ingest the bundled boundary files that the database does not hold yet; returns the ingest results.

    Part of setting up a database, like the bundled reference: done by the system, whoever opened the map.
    """
    from store.accounts import Actor
    from store.ingest import ingest_bytes, sha256

    system = Actor("встроенные границы", "admin")
    files = bundled_files()
    with engine.connect() as conn:
        have = {r[0] for r in conn.execute(sa.select(documents.c.document_id).where(documents.c.kind == "boundaries"))}
    results = []
    for path in files:
        data = path.read_bytes()
        if sha256(data) in have:
            continue
        results.append(ingest_bytes(engine, data, path.name, kind="boundaries", actor=system))
    return results


def read_boundaries(
    engine: sa.Engine, levels: tuple[str, ...] | None = None, region_ids: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Boundary rows for maps (no full geometry), with their document's date, demo flag and meta."""
    t = TABLES["boundaries"]
    cols = [t.c[c] for c in MAP_COLUMNS]
    query = (
        sa.select(*cols, documents.c.ingested_at, documents.c.is_demo, documents.c.file_name, documents.c.meta)
        .join(documents, documents.c.document_id == t.c.document_id)
        .where(t.c.superseded_by.is_(None), documents.c.status != "rejected")
    )
    if levels:
        query = query.where(t.c.level.in_(levels))
    if region_ids:
        query = query.where(t.c.region_id.in_(region_ids))
    with engine.connect() as conn:
        result = conn.execute(query)
        df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return df
