"""A deterministic national-size synthetic geography: ~18 000 municipalities and ~45 000 TOS in Russia's regions.

    python -m bench.geo_synthetic OUT_DIR [--municipalities 18000] [--tos 45000] [--gpkg]

* Municipalities tile each real region (the bundled Natural Earth outlines): Voronoi cells of seeded random
  points, clipped to the region, so each region is a valid coverage. Borders are densified (equal parts per
  segment, so a shared edge gets the same vertices from both sides) and bent by one smooth displacement
  field, which keeps neighbours matching: realistic vertex counts for the simplification to work on.
* TOS are small irregular polygons (150–600 m) inside the municipalities, more where municipalities are
  small (denser areas), with registry-like attributes (name, OKTMO-like code, residents).
* Codes are synthetic but shaped like OKTMO (8 digits, the region's 2-digit prefix). Same seed → same bytes.

Used by bench/bench_map.py; the files (GeoJSON, optionally GeoPackage) are in the real input formats, so the
scale benchmarks (issue 9) can ingest them as any user file.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "data" / "boundaries" / "regions_ru.geojson"
SEED = 20261122
DENSIFY_DEG = 0.02
WIGGLE_DEG = 0.012
TOS_NAMES = (
    "Рассвет Солнечный Берёзка Надежда Дружба Радуга Заречье Ромашка Родник Лесной Садовый Мечта Юбилейный Светлый Исток "
    "Союз Восход Звёздный Луч Колос Ивушка Калинка Рябинушка Семейный Содружество Гармония Единство Перспектива Берег Очаг"
).split()


_ROOTS = "Бел Берёз Камен Сосн Лес Озёр Луг Ключ Бор Яр Горн Долин Полян Рудн Слав Тих Ясн Ольх Кедр Лип".split()
_MIDS = ["", "ов", "ин", "ец", "ян", "ор", "ал", "ич", "ар", "ух", "ем", "ол", "ав", "ун", "ыш", "ер", "ад", "ос", "уб", "ищ",
         "ан", "ет", "ок", "ир", "эл", "юг", "ав", "ял", "оз", "ик", "ем", "ыр", "ам", "ев", "ох", "ус", "ер", "аг", "ид", "он",
         "ут", "ез", "ым", "ах", "иц", "ор", "ул", "ев", "еш", "ят"]  # fmt: skip


def _name(i: int) -> str:
    """A plausible, unique-per-region district adjective: «Берёзовский», «Каменинский», …"""
    return f"{_ROOTS[i % len(_ROOTS)]}{_MIDS[(i // len(_ROOTS)) % len(_MIDS)]}ский" + ("" if i < 1000 else f"-{i // 1000 + 1}")


@dataclass
class Geography:
    """The generated tables: GeoDataFrame-like frames with a shapely `geometry` column."""

    regions: pd.DataFrame  # region_id, name, geometry
    municipalities: pd.DataFrame  # municipality_id, name, type, region_id, population, geometry
    tos: pd.DataFrame  # tos_id, name, municipality_id, region_id, residents, registered_on, geometry


def _regions() -> pd.DataFrame:
    from loaders.boundaries import _shift_east
    from loaders.names import find_regions, load_regions

    prefix = {r.region_id: r.oktmo_prefix for r in load_regions()}
    rows = []
    for f in json.loads(REGIONS.read_text(encoding="utf-8"))["features"]:
        p = f["properties"]
        rid = p["iso_3166_2"] if p["iso_3166_2"] in prefix else (find_regions(p["name_ru"]) or [None])[0]
        if rid is None:
            continue
        g = shapely.make_valid(_shift_east(shapely.from_geojson(json.dumps(f["geometry"]))))
        rows.append({"region_id": rid, "name": p["name_ru"], "prefix": prefix[rid], "geometry": g})
    return pd.DataFrame(rows).sort_values("region_id").reset_index(drop=True)


def _wiggle(coords: np.ndarray) -> np.ndarray:
    """One smooth displacement field for every vertex: shared vertices move together."""
    x, y = coords[:, 0], coords[:, 1]
    dx = WIGGLE_DEG * (np.sin(x * 9.1 + y * 3.7) + 0.6 * np.sin(x * 23.3 - y * 17.9))
    dy = WIGGLE_DEG * (np.cos(x * 7.3 - y * 11.1) + 0.6 * np.cos(x * 19.7 + y * 29.3))
    return np.column_stack([x + dx, y + dy])


def _cells(region, n: int, rng: np.random.Generator) -> list:
    minx, miny, maxx, maxy = region.bounds
    shapely.prepare(region)
    pts = []
    while len(pts) < n:
        cand = np.column_stack([rng.uniform(minx, maxx, 4 * n), rng.uniform(miny, maxy, 4 * n)])
        inside = shapely.contains_xy(region, cand[:, 0], cand[:, 1])
        pts.extend(cand[inside][: n - len(pts)].tolist())
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=shapely.box(minx - 1, miny - 1, maxx + 1, maxy + 1)))
    out = []
    for c in cells:
        g = shapely.intersection(c, region)
        polys = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 0]
        if polys:
            out.append(shapely.union_all(polys) if len(polys) > 1 else polys[0])
    return out


def generate(n_municipalities: int = 18_000, n_tos: int = 45_000, seed: int = SEED) -> Geography:
    rng = np.random.default_rng(seed)
    regions = _regions()
    weights = np.sqrt(shapely.area(np.array(regions["geometry"], dtype=object)))
    counts = np.maximum(8, np.round(n_municipalities * weights / weights.sum()).astype(int))
    munis = []
    used: dict[str, int] = {}
    for (_, r), k in zip(regions.iterrows(), counts, strict=True):
        base = used.get(r["prefix"], 0)  # regions sharing an OKTMO prefix (autonomous okrugs) get other numbers
        used[r["prefix"]] = base + 100_000
        cells = _cells(r["geometry"], int(k), rng)
        dense = shapely.segmentize(np.array(cells, dtype=object), DENSIFY_DEG)
        bent = shapely.make_valid(shapely.transform(dense, _wiggle))
        for i, g in enumerate(bent):
            polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
            if not polys:
                continue
            mid = f"{r['prefix']}{base + i:06d}"  # 8 digits, shaped like OKTMO, unique
            munis.append(
                {
                    "municipality_id": mid,
                    "name": f"{_name(i)} муниципальный район",
                    "type": "муниципальный район",
                    "region_id": r["region_id"],
                    "population": int(rng.integers(8_000, 160_000)),
                    "geometry": shapely.union_all(polys) if len(polys) > 1 else polys[0],
                }
            )
    m = pd.DataFrame(munis)
    # TOS: more where municipalities are small (dense areas).
    area = shapely.area(np.array(m["geometry"], dtype=object))
    w = 1 / np.sqrt(area)
    owners = rng.choice(len(m), size=n_tos, p=w / w.sum())
    tos = []
    by_owner: dict[int, int] = {}
    for k, o in enumerate(owners):
        g = m.at[o, "geometry"]
        minx, miny, maxx, maxy = g.bounds
        for _ in range(200):
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if shapely.contains_xy(g, x, y):
                break
        else:
            p = shapely.point_on_surface(g)
            x, y = p.x, p.y
        n = int(rng.integers(7, 13))
        ang = np.sort(rng.uniform(0, 2 * math.pi, n))
        rad = rng.uniform(150, 600) * rng.uniform(0.7, 1.3, n)
        px = x + rad * np.cos(ang) / (111_320 * math.cos(math.radians(y)))
        py = y + rad * np.sin(ang) / 111_320
        poly = shapely.Polygon(np.column_stack([px, py]))
        if not poly.is_valid:
            poly = poly.convex_hull
        j = by_owner.get(o, 0)
        by_owner[o] = j + 1
        name = f"{TOS_NAMES[j % len(TOS_NAMES)]}{'' if j < len(TOS_NAMES) else '-' + str(j // len(TOS_NAMES) + 1)}"
        mid = m.at[o, "municipality_id"]
        tos.append(
            {
                "tos_id": f"{mid}:{k}",
                "name": name,
                "municipality_id": mid,
                "region_id": m.at[o, "region_id"],
                "residents": int(rng.integers(40, 3500)),
                "registered_on": f"{int(rng.integers(2005, 2026))}-{int(rng.integers(1, 13)):02d}-15",
                "geometry": poly,
            }
        )
    return Geography(regions.drop(columns=["prefix"]), m, pd.DataFrame(tos))


def projects(tos: pd.DataFrame, per_tos: float = 4.4, seed: int = SEED) -> pd.DataFrame:
    """~200 000 projects for 45 000 TOS: completed mostly, costs log-normal, years 2015–2026."""
    rng = np.random.default_rng(seed + 1)
    n = int(len(tos) * per_tos)
    owner = rng.integers(0, len(tos), n)
    cost = np.round(rng.lognormal(12.6, 0.7, n), -2)
    return pd.DataFrame(
        {
            "project_id": [f"p{i}" for i in range(n)],
            "tos_id": tos["tos_id"].to_numpy()[owner],
            "tos_name": tos["name"].to_numpy()[owner],
            "municipality_id": tos["municipality_id"].to_numpy()[owner],
            "year": rng.integers(2015, 2027, n),
            "title": "Благоустройство",
            "category": "благоустройство территории",
            "status": np.where(rng.random(n) < 0.9, "реализован", "в работе"),
            "cost_total": cost,
            **{c: np.round(cost * s, 2) for c, s in (("funding_local", 0.1), ("funding_regional", 0.75), ("funding_federal", 0.0),
                                                        ("funding_grants", 0.05), ("funding_sponsors", 0.04), ("funding_residents", 0.06))},
            "beneficiaries": rng.integers(30, 2000, n),
            "document_id": "synthetic",
            "source_ref": "синтетические данные",
        }
    )


def feature_collection(frame: pd.DataFrame, props: list[str], name: str) -> bytes:
    geoms = shapely.to_geojson(shapely.transform(np.array(frame["geometry"], dtype=object), lambda c: np.round(c, 6)))
    parts = []
    for g, rec in zip(geoms, frame[props].to_dict(orient="records"), strict=True):
        parts.append(f'{{"type":"Feature","properties":{json.dumps(rec, ensure_ascii=False)},"geometry":{g}}}')
    head = json.dumps({"type": "FeatureCollection", "name": name}, ensure_ascii=False)[:-1]
    return (head + ',"features":[' + ",".join(parts) + "]}").encode("utf-8")


def write(geo: Geography, out: Path, gpkg: bool = False) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "municipalities": out / "synthetic_municipalities.geojson",
        "tos": out / "synthetic_tos.geojson",
    }
    m = geo.municipalities.rename(columns={"municipality_id": "oktmo"})
    files["municipalities"].write_bytes(feature_collection(m, ["name", "oktmo", "region_id"], "municipalities (synthetic)"))
    t = geo.tos.rename(columns={"municipality_id": "oktmo"})
    files["tos"].write_bytes(feature_collection(t, ["name", "oktmo", "tos_id"], "tos (synthetic)"))
    if gpkg:
        import geopandas as gpd

        files["gpkg"] = out / "synthetic_boundaries.gpkg"
        files["gpkg"].unlink(missing_ok=True)
        gpd.GeoDataFrame(m[["name", "oktmo", "region_id", "geometry"]], crs=4326).to_file(files["gpkg"], layer="municipalities", engine="pyogrio")
        gpd.GeoDataFrame(t[["name", "oktmo", "tos_id", "geometry"]], crs=4326).to_file(files["gpkg"], layer="tos", engine="pyogrio")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--municipalities", type=int, default=18_000)
    parser.add_argument("--tos", type=int, default=45_000)
    parser.add_argument("--gpkg", action="store_true")
    args = parser.parse_args()
    geo = generate(args.municipalities, args.tos)
    for name, path in write(geo, args.out, args.gpkg).items():
        print(f"{name}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
