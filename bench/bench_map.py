"""Map benchmark: HTML size and build time of the map, ours vs naive folium of the same features.

    python -m bench.bench_map [--runs 5] [--quick]

Prints a table (and writes bench/out/bench_map.json). Not part of the test suite. Scenarios:

* the demo data (built from scratch in a temporary folder): a region view (Kuzbass) and the view of all
  four demo regions;
* a national-size synthetic set (bench/geo_synthetic.py: ~18 000 municipal and 45 000 TOS polygons, run
  through the real boundary loader): the national view, one large region, and — to show why the national
  view draws regions — all 18 000 municipal polygons forced onto one map.

«Ours» is analytics.mapview.build_map (the spec, what the page sends to the browser) + render_html (the
page around it, Leaflet linked from the app's static files; inlining Leaflet adds ~0.17 MB). Its time is
the build after a filter change (the analytics memo on the dataset cleared before each run; a metric
switch reuses it and costs less); linking boundaries to the data happens once per store revision and is
shown apart. «Naive folium» is folium.GeoJson of the same features with their
geometry as stored, a style_function and a GeoJsonTooltip of the same fields, rendered to HTML.
Targets (issue 4): region view ≤ 4 MB and ≤ 1.5 s; national view ≤ 3 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REGION_MB, REGION_S, NATIONAL_MB = 4.0, 1.5, 3.0


def timed(fn, runs: int):
    """Median seconds of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


# --------------------------------------------------------------------------- data


def demo_data(folder: Path):
    from analytics.dataset import build_dataset
    from analytics.geolink import link_boundaries
    from scripts import build_demo
    from store import queries
    from store.accounts import Actor
    from store.boundaries import read_boundaries
    from store.db import get_engine, init_db
    from store.ingest import ingest_path

    files = build_demo.DemoBuilder().build(folder)
    for hook in build_demo.DEMO_HOOKS:
        hook(folder)
    eng = get_engine(f"sqlite:///{folder / 'demo.db'}")
    init_db(eng)
    for name in files + [str(p.relative_to(folder)) for p in sorted(folder.glob("docs/*")) if p.is_file()]:
        ingest_path(eng, folder / name, actor=Actor("замер", "admin"))
    ds = build_dataset(
        queries.read_table(eng, "tos"), queries.read_table(eng, "projects"), queries.municipalities(eng),
        queries.regions(eng), queries.documents_frame(eng), queries.data_as_of(eng),
    )  # fmt: skip
    t = time.perf_counter()
    boundaries = read_boundaries(eng)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    geo = link_boundaries(ds, boundaries)
    return ds, geo, {"read boundaries from the store": read_s, "link boundaries to data": time.perf_counter() - t}


def national_data(folder: Path):
    """Synthetic national geography through the real loader, as the store would hold it."""
    from analytics.dataset import build_dataset
    from analytics.geolink import link_boundaries
    from bench import geo_synthetic
    from loaders.api import parse_path
    from loaders.boundaries import BoundaryDocument

    notes: dict[str, float] = {}
    t = time.perf_counter()
    g = geo_synthetic.generate()
    notes["generate synthetic geography"] = time.perf_counter() - t
    files = geo_synthetic.write(g, folder)
    docs: list[BoundaryDocument] = []
    for key in ("municipalities", "tos"):
        t = time.perf_counter()
        docs.append(parse_path(files[key]))
        notes[f"load {files[key].name} ({files[key].stat().st_size / 1e6:.0f} MB): parse, repair, simplify"] = time.perf_counter() - t
    regions_doc = parse_path(ROOT / "data" / "boundaries" / "regions_ru.geojson")
    frames = []
    for i, doc in enumerate([regions_doc, *docs]):
        b = doc.tables["boundaries"].copy()
        b["document_id"] = f"doc{i}"
        b["file_name"] = doc.file_name
        b["is_demo"] = False
        b["meta"] = [doc.meta] * len(b)
        b["ingested_at"] = pd.Timestamp("2026-11-01", tz="UTC")
        frames.append(b)
    boundaries = pd.concat(frames, ignore_index=True)
    boundaries["row_id"] = range(len(boundaries))
    m = g.municipalities.drop(columns=["geometry"]).assign(parent_id=None, population_year=2025)
    m = m.merge(g.regions[["region_id", "name"]].rename(columns={"name": "region_name"}), on="region_id")
    tos = g.tos.drop(columns=["geometry", "region_id"]).assign(
        settlement=None, area_type="сельский", dissolved_on=None, status=None, legal_entity=False, members=None,
        registered_precision="day", document_id="synthetic", source_ref="синтетические данные",
    )  # fmt: skip
    projects = geo_synthetic.projects(g.tos)
    regions = g.regions[["region_id", "name"]]
    docs_frame = pd.DataFrame({"document_id": ["synthetic"], "file_name": ["synthetic"], "is_demo": [False]})
    ds = build_dataset(tos, projects, m, regions, docs_frame, "2026-11-01")
    t = time.perf_counter()
    geo = link_boundaries(ds, boundaries)
    notes["link boundaries to data"] = time.perf_counter() - t
    full = dict(zip(boundaries["ref_id"], boundaries["geometry"], strict=True))  # for the naive baseline
    return ds, geo, notes, full


# --------------------------------------------------------------------------- the two builders


def ours(ds, geo, filters, metric="tos_count"):
    from analytics.mapview import build_map, render_html

    view = build_map(ds, geo, filters, metric)
    return view, render_html(view, asset_base="static/tosmap")


def naive_folium(ds, geo, filters, view) -> str:
    """What a first folium version would do: the same features, geometry as stored, style_function, tooltips."""
    import folium

    from analytics.formatting import fmt_int, fmt_rub
    from analytics.mapview import classify, municipality_table, tos_figures

    stored = {}  # full geometry per (level, ref) — what the store holds
    for level, frame, key in (("municipality", geo.municipalities, "municipality_id"), ("tos", geo.tos, "tos_id")):
        stored[level] = dict(zip(frame[key], frame["_full"], strict=True)) if "_full" in frame else {}
    table = municipality_table(ds, filters.with_(municipality_ids=()))
    table = table[table["municipality_id"].isin(stored["municipality"])]
    classes = classify(table["tos_count"], "int")
    colour = dict(zip(table["municipality_id"], classes.colour(table["tos_count"]), strict=True))
    b = view.bounds or (19, 41, 180, 82)
    fmap = folium.Map(location=[(b[1] + b[3]) / 2, (b[0] + b[2]) / 2], zoom_start=6, tiles=None)
    fmap.fit_bounds([[b[1], b[0]], [b[3], b[2]]])
    munis = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(stored["municipality"][r.municipality_id]),
             "properties": {"id": r.municipality_id, "name": r.name, "tos": int(r.tos_count)}}
            for r in table.itertuples()
        ],
    }  # fmt: skip
    folium.GeoJson(
        munis,
        name="municipalities",
        style_function=lambda f: {"fillColor": colour.get(f["properties"]["id"], "#ccc"), "color": "#fff", "weight": 0.8, "fillOpacity": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=["name", "tos"], aliases=["Муниципалитет", "ТОС"]),
    ).add_to(fmap)
    if view.level == "municipality":
        tos = tos_figures(ds, filters)
        tos = tos[tos["tos_id"].isin(stored["tos"])]
        tfc = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": json.loads(stored["tos"][r.tos_id]),
                 "properties": {"name": r.name, "residents": fmt_int(r.residents), "year": str(r.registered_on)[:4],
                                "projects": int(r.projects), "cost": fmt_rub(r.cost)}}
                for r in tos.itertuples()
            ],
        }  # fmt: skip
        folium.GeoJson(
            tfc,
            name="tos",
            style_function=lambda f: {"fillColor": "#e6550d", "color": "#a63603", "weight": 1.5, "fillOpacity": 0.45},
            tooltip=folium.GeoJsonTooltip(fields=["name", "residents", "year", "projects", "cost"]),
        ).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap.get_root().render()


def attach_full_geometry(geo, engine):
    """Give the linked rows their stored full geometry (for the naive baseline only)."""
    import sqlalchemy as sa

    from store.schema import TABLES

    t = TABLES["boundaries"]
    with engine.connect() as conn:
        full = dict(conn.execute(sa.select(t.c.row_id, t.c.geometry)).all())
    for frame in (geo.municipalities, geo.tos):
        frame["_full"] = frame["row_id"].map(full)


# --------------------------------------------------------------------------- run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="skip the naive folium baseline of the whole country")
    args = parser.parse_args(argv)

    from analytics import mapview
    from analytics.dataset import Filters
    from store.db import get_engine

    rows: list[dict] = []
    notes: dict[str, float] = {}
    years = Filters(year_from=2016, year_to=2026)

    def cold(ds, geo, filters):
        ds.memo.clear()  # analytics memoises per filters on the dataset: measure a filter change, not a repeat
        return ours(ds, geo, filters)

    def measure(name: str, ds, geo, filters, runs_naive: int, naive: bool = True, target_mb=None, target_s=None):
        build_s, (view, html) = timed(lambda: cold(ds, geo, filters), args.runs)
        row = {
            "scenario": name, "level": view.level, "polygons": view.counts.get("municipalities", view.counts.get("regions", 0)),
            "tos": view.counts.get("tos_with_boundary", 0), "ours_mb": len(html.encode()) / 1e6, "ours_s": build_s,
            "target_mb": target_mb, "target_s": target_s,
        }  # fmt: skip
        if naive:
            naive_s, naive_html = timed(lambda: naive_folium(ds, geo, filters, view), runs_naive)
            row.update({"naive_mb": len(naive_html.encode()) / 1e6, "naive_s": naive_s})
        rows.append(row)
        print(f"  … {name}: {row['ours_mb']:.2f} MB in {row['ours_s']:.2f} s", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        tmp = Path(tmp)
        print("[bench] demo data…", file=sys.stderr, flush=True)
        ds, geo, n = demo_data(tmp / "demo")
        notes.update({f"demo: {k}": v for k, v in n.items()})
        attach_full_geometry(geo, get_engine(f"sqlite:///{tmp / 'demo' / 'demo.db'}"))
        measure("demo: region view (Кузбасс)", ds, geo, years.with_(region_ids=("RU-KEM",)), 3, target_mb=REGION_MB, target_s=REGION_S)
        measure("demo: municipality view (Ангарский ГО)", ds, geo, years.with_(municipality_ids=("25703000",)), 3)
        measure("demo: all four regions", ds, geo, years, 3)

        print("[bench] national synthetic data (generate + load ~1 min)…", file=sys.stderr, flush=True)
        ds, geo, n, full = national_data(tmp / "national")
        notes.update({f"national: {k}": v for k, v in n.items()})
        for frame, col in ((geo.municipalities, "municipality_id"), (geo.tos, "tos_id")):
            frame["_full"] = frame[col].map(full)
        biggest = ds.tos.groupby("region_id").size().idxmax()
        measure("national: whole country", ds, geo, years, 1, naive=False, target_mb=NATIONAL_MB)
        measure(f"national: one region ({biggest}, most TOS)", ds, geo, years.with_(region_ids=(biggest,)), 3, target_mb=REGION_MB, target_s=REGION_S)
        old = mapview.MAX_MUNICIPAL_FEATURES
        mapview.MAX_MUNICIPAL_FEATURES = 10**9
        try:
            measure("national: all 18 000 municipalities forced", ds, geo, years, 1, naive=False)
        finally:
            mapview.MAX_MUNICIPAL_FEATURES = old
        if not args.quick:
            print("[bench] naive folium of all TOS and municipalities (slow)…", file=sys.stderr, flush=True)
            from analytics.mapview import MapView

            fake = MapView(spec="", level="municipality", metric=mapview.METRICS["tos_count"], legend=[], bounds=(19, 41, 191, 82))
            t = time.perf_counter()
            html = naive_folium(ds, geo, years, fake)
            rows.append({"scenario": "national: naive folium, all polygons (baseline)", "level": "—", "polygons": len(geo.municipalities),
                         "tos": len(geo.tos), "naive_mb": len(html.encode()) / 1e6, "naive_s": time.perf_counter() - t})  # fmt: skip

    # ------------------------------------------------------------------ print
    print()
    print(f"Map benchmark, {dt.date.today():%d.%m.%Y}, {platform.node()}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}; medians of {args.runs} runs (ours), 1–3 runs (folium)")  # fmt: skip
    header = f"{'scenario':48} {'level':12} {'polys':>6} {'TOS':>6} {'ours MB':>8} {'ours s':>7} {'folium MB':>10} {'folium s':>9} {'size ×':>7} {'target':>14}"
    print(header)
    print("-" * len(header))
    for r in rows:
        target = ""
        if r.get("target_mb") is not None and "ours_mb" in r:
            ok_mb = r["ours_mb"] <= r["target_mb"]
            ok_s = r.get("target_s") is None or r["ours_s"] <= r["target_s"]
            target = ("ok" if ok_mb and ok_s else "MISSED") + f" (≤{r['target_mb']:.0f} MB" + (f", ≤{r['target_s']} s)" if r.get("target_s") else ")")
        ratio = f"{r['naive_mb'] / r['ours_mb']:.1f}" if r.get("naive_mb") and r.get("ours_mb") else ""
        fmt = lambda v, p: f"{v:.{p}f}" if isinstance(v, float) else ""  # noqa: E731
        print(f"{r['scenario'][:48]:48} {r['level']:12} {r['polygons']:>6} {r['tos']:>6} {fmt(r.get('ours_mb'), 2):>8} {fmt(r.get('ours_s'), 2):>7} "
              f"{fmt(r.get('naive_mb'), 1):>10} {fmt(r.get('naive_s'), 2):>9} {ratio:>7} {target:>14}")  # fmt: skip
    print()
    for k, v in notes.items():
        print(f"  {k}: {v:.2f} s")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_map.json").write_text(json.dumps({"rows": rows, "notes": notes}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
