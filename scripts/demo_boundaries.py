"""Demo boundaries: the bundled real municipal/regional polygons, and conditional TOS polygons.

Registered in scripts.build_demo.DEMO_HOOKS; writes into `folder / "docs"`:

* the bundled boundary files (data/boundaries/*.geojson), copied as they are — real OpenStreetMap and
  Natural Earth geography, ingested like any uploaded file;
* one GeoJSON per demo region with a polygon for most active demo TOS: plausible shapes generated
  deterministically inside the real municipality (urban TOS near the town centre, rural ones anywhere
  in the district), never overlapping, every feature labelled «условные границы (демо)». About one TOS
  in eight is left without a boundary, as in real registries, so the map's «без границ» list has content.
"""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "boundaries"
SEED = 20261001 + 4
NOTE = "условные границы (демо)"
WITHOUT_BOUNDARY_SHARE = 0.12
REGION_FILES = {
    "RU-KEM": "Границы_ТОС_Кузбасс_демо.geojson",
    "RU-IRK": "Границы_ТОС_Иркутская_область_демо.geojson",
    "RU-SMO": "Границы_ТОС_Смоленская_область_демо.geojson",
    "RU-SAR": "Границы_ТОС_Саратовская_область_демо.geojson",
}


def _municipal_polygons():
    import shapely

    polys = {}
    for path in sorted(BUNDLED.glob("municipalities_*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            polys[f["properties"]["oktmo"]] = shapely.from_geojson(json.dumps(f["geometry"]))
    return polys


def _centres() -> dict[str, tuple[float, float]]:
    import csv

    with open(BUNDLED / "municipality_centres.csv", encoding="utf-8") as fh:
        return {r["oktmo_municipality"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(fh)}


def _blob(rng: random.Random, lon: float, lat: float, radius_m: float):
    """An irregular, convex-ish polygon of about `radius_m` around a point."""
    import shapely

    n = rng.randint(6, 10)
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
    k_lat = radius_m / 111_320
    k_lon = radius_m / (111_320 * math.cos(math.radians(lat)))
    pts = [(lon + k_lon * rng.uniform(0.65, 1.3) * math.cos(a), lat + k_lat * rng.uniform(0.65, 1.3) * math.sin(a)) for a in angles]
    poly = shapely.Polygon(pts)
    return poly if poly.is_valid else poly.convex_hull


def _place(rng, muni, centre, urban: bool, placed):
    """A TOS polygon inside `muni`, not overlapping what is placed; None when no room was found."""
    import shapely

    minx, miny, maxx, maxy = muni.bounds
    for attempt in range(60):
        if urban and centre is not None:
            spread = 0.02 + 0.0006 * attempt  # degrees around the centre, widening when crowded
            lon = rng.gauss(centre[0], spread * 1.6)
            lat = rng.gauss(centre[1], spread)
            radius = rng.uniform(140, 380)
        else:
            lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            radius = rng.uniform(250, 800) if not urban else rng.uniform(150, 400)
        poly = shapely.set_precision(_blob(rng, lon, lat, radius), 1e-5)
        if poly.is_empty or not poly.is_valid or not muni.contains(poly):
            continue
        if any(poly.distance(other) < 0.0008 for other in placed if other.bounds[0] - 0.01 < lon < other.bounds[2] + 0.01):
            continue
        return poly
    return None


def write_demo_boundaries(folder: Path) -> list[str]:
    """The DEMO_HOOK: copy the bundled boundaries and write the demo TOS boundaries into folder/docs."""
    import shapely

    from scripts.build_demo import REGION_GENITIVE, DemoBuilder

    docs = Path(folder) / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(BUNDLED.glob("*.geojson")):
        shutil.copyfile(path, docs / path.name)
        written.append(path.name)

    builder = DemoBuilder()
    builder.real_facts()
    builder.synthetic_tos()
    rng = random.Random(SEED)
    polys = _municipal_polygons()
    centres = _centres()
    by_region: dict[str, list[dict]] = {rid: [] for rid in REGION_FILES}
    placed: list = []
    for t in builder.tos:
        if t["dissolved_on"]:
            continue
        if not t["real"] and rng.random() < WITHOUT_BOUNDARY_SHARE:
            continue
        mid = t["municipality_id"]
        owner = mid if mid in polys else next((m.parent_id for m in builder.municipalities if m.municipality_id == mid), None)
        if owner not in polys:
            continue
        urban = t["area_type"] == "городской"
        poly = _place(rng, polys[owner], centres.get(owner), urban, placed)
        if poly is None:
            continue
        placed.append(poly)
        by_region[t["region_id"]].append(
            {
                "type": "Feature",
                "properties": {
                    "name": f"ТОС «{t['name']}»",
                    "municipality": t["municipality"],
                    "oktmo": mid,
                    "settlement": t["settlement"],
                    "note": NOTE,
                },
                "geometry": json.loads(shapely.to_geojson(poly)),
            }
        )
    for rid, features in by_region.items():
        doc = {
            "type": "FeatureCollection",
            "name": f"Границы ТОС {REGION_GENITIVE[rid]} — {NOTE}, демонстрационные данные",
            "description": "Полигоны сгенерированы scripts/demo_boundaries.py внутри настоящих границ муниципалитетов; "
            "это не настоящие границы ТОС.",
            "features": features,
        }
        (docs / REGION_FILES[rid]).write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written.append(REGION_FILES[rid])
    return written
