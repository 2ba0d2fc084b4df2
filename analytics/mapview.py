"""The map of TOS: a choropleth of municipalities (or regions), TOS on top, as a compact spec and HTML.

Pure: no Streamlit, no files. Geometry comes in as the pre-rendered display GeoJSON text of the store
(loaders/boundaries.py simplified it once at load), and is spliced into the output as is — nothing is
parsed or re-serialised per map. The output is

* `MapView.spec` — the JSON text the browser renderer (static/tosmap/tosmap.js, Leaflet) draws;
* `render_html(spec, ...)` — a standalone page around it, with Leaflet from the app's own files (or
  inlined), never from a CDN.

Design choices, measured in bench/bench_map.py (see PERFORMANCE.md for the facts they follow):

* Style lives in each feature's properties (`c` = fill colour), and tooltips are pre-formatted Russian
  text, so the browser does no per-feature switch and no number formatting.
* One view level per map. Up to MAX_MUNICIPAL_FEATURES municipal polygons in scope: municipalities are
  the choropleth, with regions as outlines and TOS on top. More than that (all of Russia): the regions
  are the choropleth, and a click on a region narrows the map to it — 18 000 municipal polygons are
  unreadable at that scale and would cost tens of MB.
* TOS are drawn as points below TOS_MIN_ZOOM and as polygons from it (the browser switches on zoom);
  above MAX_TOS_POLYGONS in scope only the points are sent.
* TOS without a boundary still appear: one marker per municipality at its label point (its town centre
  for the bundled municipalities), with their count and names.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

import strings as S
from analytics.dataset import Dataset, Filters, filter_projects, filter_tos, year_span
from analytics.formatting import fmt_date, fmt_int, fmt_num, fmt_pct, fmt_rub
from analytics.geolink import Geography, member, tos_without_boundaries
from analytics.metrics import (
    Kpis,
    active_mask,
    completed,
    counts_undated,
    kpis,
    municipality_table,
    reference_date,
    region_table,
)

MAX_MUNICIPAL_FEATURES = 2500
MAX_TOS_POLYGONS = 6000
TOS_MIN_ZOOM = 11

# Sequential, colour-blind-safe (ColorBrewer YlGnBu without its palest step), light to dark.
CLASS_COLOURS = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]
ZERO_COLOUR = "#f3f1ec"
MISSING_COLOUR = "#d9d9d9"
TOS_FILL = "#e6550d"
TOS_STROKE = "#a63603"
BACKGROUND = "#fbfaf7"

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_TILES_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>, ODbL'


@dataclass(frozen=True)
class MapMetric:
    """A metric the choropleth can show: the column of municipality_table and how to write its values."""

    key: str
    label: str
    kind: str  # int, pct, rub, num
    per_years: bool = False  # depends on the year filter (projects and costs)
    zero: str = "0"  # legend label of the zero class


METRICS: dict[str, MapMetric] = {
    m.key: m
    for m in (
        MapMetric("tos_count", S.M_TOS_COUNT, "int", zero=S.MAP_ZERO_TOS),
        MapMetric("residents", S.M_RESIDENTS, "int", zero=S.MAP_ZERO_TOS),
        MapMetric("coverage", S.M_COVERAGE, "pct", zero=S.MAP_ZERO_TOS),
        MapMetric("tos_per_10k", S.M_TOS_PER_10K, "num", zero=S.MAP_ZERO_TOS),
        MapMetric("projects_completed", S.M_PROJECTS_DONE, "int", per_years=True, zero=S.MAP_ZERO_PROJECTS),
        MapMetric("cost_total", S.M_COST, "rub", per_years=True, zero=S.MAP_ZERO_PROJECTS),
        MapMetric("cost_per_resident", S.M_COST_PER_RESIDENT, "rub", per_years=True, zero=S.MAP_ZERO_PROJECTS),
    )
}


def fmt_value(value: Any, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return S.MAP_NO_DATA
    if kind == "int":
        return fmt_int(value)
    if kind == "pct":
        return fmt_pct(value)
    if kind == "rub":
        return fmt_rub(value)
    return fmt_num(value, 1)


# --------------------------------------------------------------------------- classes and colours


def _nice(x: float) -> float:
    """Round to two significant digits, so legend bounds read as «1 200», not «1 187,4»."""
    if x == 0 or not math.isfinite(x):
        return x
    digits = 1 - int(math.floor(math.log10(abs(x))))
    return round(x, digits)


@dataclass
class Classes:
    """Class bounds of a choropleth: class i holds lo[i] ≤ v < lo[i+1] (the last is open)."""

    lows: list[float]
    colours: list[str]
    labels: list[str]

    def colour(self, values: pd.Series) -> pd.Series:
        v = pd.to_numeric(values, errors="coerce")
        out = pd.Series(MISSING_COLOUR, index=values.index, dtype=object)
        out[v == 0] = ZERO_COLOUR
        if self.lows:
            idx = np.searchsorted(np.asarray(self.lows), v.fillna(-1).to_numpy(), side="right") - 1
            pos = (v > 0).to_numpy()
            out[pos] = [self.colours[max(0, i)] for i in idx[pos]]
        return out


def classify(values: pd.Series, kind: str, n: int = 5) -> Classes:
    """Up to `n` classes of the positive values by quantiles, with round bounds; 0 and unknown apart."""
    v = pd.to_numeric(values, errors="coerce")
    pos = v[v > 0].to_numpy(dtype=float)
    if not len(pos):
        return Classes([], [], [])
    qs = np.quantile(pos, np.linspace(0, 1, n + 1)[1:-1])
    lows = [float(pos.min())]
    for q in qs:
        b = float(math.ceil(q)) if kind == "int" else _nice(float(q))
        if b > lows[-1] and b <= pos.max():
            lows.append(b)
    if kind != "int":
        lows[0] = 0.0  # the first class starts at anything above zero
    else:
        lows[0] = float(math.floor(lows[0]))
    k = len(lows)
    step = (len(CLASS_COLOURS) - 1) / max(1, k - 1)
    colours = [CLASS_COLOURS[round(i * step)] for i in range(k)] if k > 1 else [CLASS_COLOURS[2]]
    labels = []
    for i, lo in enumerate(lows):
        hi = lows[i + 1] if i + 1 < k else None
        if kind == "int":
            if hi is None:
                labels.append(S.MAP_CLASS_FROM.format(value=fmt_int(lo)) if k > 1 else fmt_int(lo))
            elif hi - lo <= 1:
                labels.append(fmt_int(lo))
            else:
                labels.append(f"{fmt_int(lo)}–{fmt_int(hi - 1)}")
        else:
            if hi is None:
                labels.append(S.MAP_CLASS_FROM.format(value=fmt_value(lo, kind)))
            elif i == 0:
                labels.append(S.MAP_CLASS_UP_TO.format(value=fmt_value(hi, kind)))
            else:
                labels.append(f"{fmt_value(lo, kind)} – {fmt_value(hi, kind)}")
    return Classes(lows, colours, labels)


# --------------------------------------------------------------------------- the view


@dataclass
class MapView:
    """A built map: the spec for the renderer and what the page says around it."""

    spec: str
    level: str  # municipality or region
    metric: MapMetric
    legend: list[tuple[str, str]]
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    bounds: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    height: int = 620

    @property
    def size_bytes(self) -> int:
        return len(self.spec_bytes)

    @cached_property
    def spec_bytes(self) -> bytes:
        return self.spec.encode("utf-8")

    @cached_property
    def key(self) -> str:
        """Changes with the spec: the browser rebuilds the map only when it changes."""
        return hashlib.sha1(self.spec_bytes).hexdigest()[:16]


def _tooltip_head(row, metric: str, spec_metric, years: str) -> list[str]:
    """First lines of an area's tooltip: its name, the mapped figure, and the TOS count."""
    tip = [f"<b>{_esc(row.name)}</b>", f"{_esc(spec_metric.label)}{' (' + years + ')' if years else ''}: {fmt_value(getattr(row, metric), spec_metric.kind)}"]
    if metric != "tos_count":
        tip.append(f"{S.M_TOS_COUNT}: {fmt_int(row.tos_count)}")
    return tip


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _collection(geoms: list[str], props: list[dict[str, Any]]) -> str:
    """A FeatureCollection as text, splicing the stored geometry text without parsing it."""
    parts = [f'{{"type":"Feature","geometry":{g},"properties":{_dumps(p)}}}' for g, p in zip(geoms, props, strict=True)]
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def _points(lons, lats, props: list[dict[str, Any]]) -> str:
    geoms = [f'{{"type":"Point","coordinates":[{round(float(x), 5)},{round(float(y), 5)}]}}' for x, y in zip(lons, lats, strict=True)]
    return _collection(geoms, props)


def _years_text(filters: Filters) -> str:
    return year_span(filters) or ""


def _context(ds: Dataset, filters: Filters) -> Filters:
    """The filters of what the choropleth shows: the whole region(s) in force.

    A chosen municipality is zoomed to and outlined on its region's map, so the table is the region's.
    """
    context = filters.with_(municipality_ids=())
    if filters.municipality_ids and not filters.region_ids:
        chosen = ds.municipalities[ds.municipalities["municipality_id"].isin(filters.municipality_ids)]
        context = context.with_(region_ids=tuple(sorted(set(chosen["region_id"].dropna()))))
    return context


def map_table(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """analytics.metrics.municipality_table of the region(s) the choropleth shows, with map values."""
    return _map_values(municipality_table(ds, _context(ds, filters)))


def _map_values(table: pd.DataFrame) -> pd.DataFrame:
    """Map values: no completed projects means nothing was spent (0), not an unknown cost."""
    t = table.copy()  # the metrics are memoised on the dataset: never change what they return
    none = t["projects_completed"] == 0
    t.loc[none & t["cost_total"].isna(), "cost_total"] = 0.0
    t.loc[none & t["cost_per_resident"].isna() & (pd.to_numeric(t["residents"], errors="coerce") > 0), "cost_per_resident"] = 0.0
    return t


def registered_text(tos: pd.DataFrame) -> pd.Series:
    """Registration date as the source gave it: «30.05.2019», or only the year when only the year is known."""
    precision = tos["registered_precision"] if "registered_precision" in tos.columns else pd.Series(None, index=tos.index)
    out = []
    for value, prec in zip(tos["registered_on"], precision, strict=True):
        if not isinstance(value, str) or not value:
            out.append(S.MAP_NO_DATA)
        elif prec == "year":
            out.append(value[:4])
        elif prec == "month":
            out.append(f"{value[5:7]}.{value[:4]}")
        else:
            out.append(fmt_date(value))
    return pd.Series(out, index=tos.index, dtype=object)


def tos_figures(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """The TOS in force (active at the reference date), with their completed projects and cost in the years in force."""
    date = reference_date(ds, filters)
    tos = filter_tos(ds, filters)
    tos = tos[active_mask(tos, date, include_undated=counts_undated(ds, date))]
    done = completed(filter_projects(ds, filters))
    cost = pd.to_numeric(done["cost_total"], errors="coerce")
    per_tos = pd.DataFrame({"projects": done.groupby("tos_id").size(), "cost": cost.groupby(done["tos_id"]).sum(min_count=1)})
    tos = tos.join(per_tos, on="tos_id")
    tos["projects"] = tos["projects"].fillna(0).astype(int)
    return tos


@dataclass
class MunicipalityCard:
    """What the page shows under the map for a municipality picked on it."""

    municipality_id: str
    name: str
    region_name: str | None
    kpis: Kpis
    tos: pd.DataFrame  # name, settlement, registered_on, residents, projects, cost, has_boundary


def municipality_card(ds: Dataset, geo: Geography, filters: Filters, municipality_id: str) -> MunicipalityCard | None:
    """Figures and TOS list of one municipality (with its settlements), under the filters in force."""
    m = ds.municipalities.set_index("municipality_id")
    if municipality_id not in m.index:
        return None
    f = filters.with_(municipality_ids=(municipality_id,), region_ids=())
    tos = tos_figures(ds, f)
    tos = tos.assign(has_boundary=member(tos["tos_id"], geo.tos["tos_id"]), registered_on=registered_text(tos))
    tos = tos.sort_values(["has_boundary", "name"], ascending=[True, True])
    row = m.loc[municipality_id]
    return MunicipalityCard(
        municipality_id=municipality_id,
        name=str(row["name"]),
        region_name=row.get("region_name") if isinstance(row.get("region_name"), str) else None,
        kpis=kpis(ds, f),
        tos=tos[["name", "municipality_name", "settlement", "registered_on", "residents", "projects", "cost", "has_boundary"]].reset_index(drop=True),
    )


def without_boundaries_table(ds: Dataset, geo: Geography, filters: Filters) -> pd.DataFrame:
    """The «без границ» list: TOS in force without a linked boundary, and where the map shows them instead."""
    nob = tos_without_boundaries(ds, tos_figures(ds, filters), geo)
    names = ds.municipalities.set_index("municipality_id")["name"]
    shown = nob["shown_at"].map(names)
    nob = nob.assign(
        shown_at=[f"{S.MAP_SHOWN_AT_CENTRE} «{n}»" if isinstance(n, str) else S.MAP_NOT_SHOWN for n in shown],
        registered_on=registered_text(nob),
    )
    return nob[["name", "municipality_name", "settlement", "registered_on", "residents", "shown_at", "document_id", "source_ref"]].sort_values(
        ["municipality_name", "name"]
    ).reset_index(drop=True)


def _tos_tooltip(r, years: str) -> str:
    place = ", ".join(_esc(x) for x in (r.municipality_name, r.settlement) if isinstance(x, str) and x)
    lines = [f"<b>ТОС «{_esc(r.name)}»</b>"]
    if place:
        lines.append(place)
    lines.append(f"{S.MAP_TT_RESIDENTS}: {fmt_int(r.residents, missing=S.MAP_NO_DATA)}")
    year = str(r.registered_on)[:4] if isinstance(r.registered_on, str) and r.registered_on else S.MAP_NO_DATA
    lines.append(f"{S.MAP_TT_REGISTERED}: {year}")
    suffix = f" ({years})" if years else ""
    lines.append(f"{S.MAP_TT_PROJECTS}{suffix}: {fmt_int(r.projects)}")
    lines.append(f"{S.MAP_TT_COST}{suffix}: {fmt_rub(r.cost, missing='—')}")
    if r.demo_geometry:
        lines.append(f"<i>{S.MAP_DEMO_GEOMETRY}</i>")
    return "<br>".join(lines)


def build_map(
    ds: Dataset,
    geo: Geography,
    filters: Filters,
    metric: str = "tos_count",
    *,
    height: int = 620,
    table: pd.DataFrame | None = None,
) -> MapView:
    """The map for the filters in force: choropleth by `metric`, TOS on top, zoomed to the selection.

    `table` is `map_table(ds, filters)` when the caller has it cached (it does not depend on the metric).
    """
    spec_metric = METRICS[metric]
    years = _years_text(filters) if spec_metric.per_years else ""
    notes: list[str] = []
    if table is None:
        table = map_table(ds, filters)
    polys = geo.municipalities.set_index("municipality_id") if len(geo.municipalities) else pd.DataFrame()
    in_scope = table[member(table["municipality_id"], polys.index)] if len(polys) else table.iloc[0:0]
    level = "municipality" if len(in_scope) <= MAX_MUNICIPAL_FEATURES or filters.region_ids or filters.municipality_ids else "region"
    if len(table) and len(in_scope) < len(table):
        missing = len(table) - len(in_scope)
        notes.append(S.MAP_NOTE_NO_POLYGONS.format(n=fmt_int(missing)))

    layers: list[str] = []
    legend_title = spec_metric.label + (f", {years}" if years else "")
    bounds_rows: list[pd.DataFrame] = []
    counts: dict[str, int] = {}
    top = ds.municipalities.set_index("municipality_id")["top_id"]
    selected_units = {top.get(m, m) for m in filters.municipality_ids}

    regions_geo = geo.regions.set_index("region_id") if len(geo.regions) else pd.DataFrame()
    drawn_docs: set[str] = set()
    region_ids = sorted(set(table["region_id"].dropna()))
    if level == "municipality":
        rows = in_scope.join(polys[["geometry_display", "min_lon", "min_lat", "max_lon", "max_lat", "label_lon", "label_lat", "document_id"]], on="municipality_id")
        drawn_docs |= set(rows["document_id"])
        classes = classify(rows[metric], spec_metric.kind)
        rows = rows.assign(colour=classes.colour(rows[metric]).to_numpy())
        props = []
        for r in rows.itertuples():
            tip = _tooltip_head(r, metric, spec_metric, years)
            if metric not in ("coverage",) and not (isinstance(r.coverage, float) and math.isnan(r.coverage)):
                tip.append(f"{S.M_COVERAGE}: {fmt_pct(r.coverage)}")
            tip.append(f"<span class='hint'>{S.MAP_CLICK_HINT}</span>")
            props.append({"id": r.municipality_id, "c": r.colour, "t": "<br>".join(tip)})
        layers.append(
            _dumps({"id": "units", "name": S.MAP_LAYER_MUNICIPALITIES.format(metric=spec_metric.label), "kind": "choropleth", "show": True, "click": "municipality"})[:-1]
            + ',"data":' + _collection(list(rows["geometry_display"]), props) + "}"
        )
        counts["municipalities"] = len(rows)
        if len(regions_geo):
            reg = regions_geo.loc[[r for r in region_ids if r in regions_geo.index]]
            if len(reg):
                drawn_docs |= set(reg["document_id"])
                layers.append(
                    _dumps({"id": "regions", "name": S.MAP_LAYER_REGIONS, "kind": "outline", "show": True})[:-1]
                    + ',"data":' + _collection(list(reg["geometry_display"]), [{"id": i} for i in reg.index]) + "}"
                )
        if filters.municipality_ids:
            bounds_rows.append(rows[rows["municipality_id"].isin(selected_units)])
        bounds_rows.append(rows)
    else:
        rt = _map_values(region_table(ds, _context(ds, filters))).rename(columns={"region_name": "name"})
        rows = rt.join(regions_geo[["geometry_display", "min_lon", "min_lat", "max_lon", "max_lat", "document_id"]], on="region_id", how="inner")
        drawn_docs |= set(rows["document_id"])
        classes = classify(rows[metric], spec_metric.kind)
        rows = rows.assign(colour=classes.colour(rows[metric]).to_numpy())
        props = []
        for r in rows.itertuples():
            tip = _tooltip_head(r, metric, spec_metric, years)
            tip.append(f"{S.MAP_TT_MUNICIPALITIES}: {fmt_int(r.municipalities)}")
            tip.append(f"<span class='hint'>{S.MAP_CLICK_REGION_HINT}</span>")
            props.append({"id": r.region_id, "c": r.colour, "t": "<br>".join(tip)})
        layers.append(
            _dumps({"id": "units", "name": S.MAP_LAYER_REGIONS_CHOROPLETH.format(metric=spec_metric.label), "kind": "choropleth", "show": True, "click": "region"})[:-1]
            + ',"data":' + _collection(list(rows["geometry_display"]), props) + "}"
        )
        counts["regions"] = len(rows)
        bounds_rows.append(rows)
        notes.append(S.MAP_NOTE_REGION_VIEW.format(n=fmt_int(len(in_scope))))

    # TOS in force, with their completed projects and cost in the years in force.
    demo_geometry = False
    if level == "municipality":
        tos = tos_figures(ds, filters)
        tgeo = geo.tos.set_index("tos_id") if len(geo.tos) else pd.DataFrame()
        geo_cols = ["geometry_display", "label_lon", "label_lat", "is_demo", "min_lon", "min_lat", "max_lon", "max_lat", "document_id"]
        with_geo = tos[member(tos["tos_id"], tgeo.index)].join(
            tgeo.reindex(columns=geo_cols).rename(columns={"document_id": "geo_document_id"}), on="tos_id"
        )
        with_geo = with_geo.assign(demo_geometry=with_geo["is_demo"].fillna(False).astype(bool))
        drawn_docs |= set(with_geo["geo_document_id"])
        demo_geometry = bool(with_geo["demo_geometry"].any())
        tyears = _years_text(filters)
        props = [{"id": r.tos_id, "n": r.name, "t": _tos_tooltip(r, tyears)} for r in with_geo.itertuples()]
        counts["tos"] = len(tos)
        counts["tos_with_boundary"] = len(with_geo)
        polygons = len(with_geo) <= MAX_TOS_POLYGONS
        if not polygons:
            notes.append(S.MAP_NOTE_TOS_POINTS.format(n=fmt_int(len(with_geo)), max=fmt_int(MAX_TOS_POLYGONS)))
        layer = {"id": "tos", "name": S.MAP_LAYER_TOS, "kind": "tos", "show": True, "minZoom": TOS_MIN_ZOOM}
        text = _dumps(layer)[:-1] + ',"points":' + _points(with_geo["label_lon"], with_geo["label_lat"], props)
        if polygons:
            text += ',"data":' + _collection(list(with_geo["geometry_display"]), [{"id": p["id"]} for p in props])
        layers.append(text + "}")
        # TOS without a boundary: one marker per municipality.
        nob = tos_without_boundaries(ds, tos, geo)
        counts["tos_without_boundary"] = len(nob)
        shown = nob[nob["shown_at"].notna()]
        if len(shown) and len(polys):
            groups = shown.groupby("shown_at")
            lons, lats, mprops = [], [], []
            for mid, g in groups:
                p = polys.loc[mid]
                names = [f"«{_esc(n)}»" for n in g["name"].head(12)]
                more = S.MAP_AND_MORE.format(n=len(g) - 12) if len(g) > 12 else ""
                tip = f"<b>{S.MAP_NO_BOUNDARY_TITLE}: {len(g)}</b><br>{_esc(p['name'] if 'name' in p else mid)}<div class='names'>" + ", ".join(names) + more + "</div>"
                lons.append(p["label_lon"])
                lats.append(p["label_lat"])
                mprops.append({"id": mid, "k": len(g), "t": tip})
            layers.append(
                _dumps({"id": "nobound", "name": S.MAP_LAYER_NO_BOUNDARY, "kind": "badges", "show": True})[:-1]
                + ',"data":' + _points(lons, lats, mprops) + "}"
            )
        if filters.municipality_ids and len(with_geo):
            bounds_rows.insert(1, with_geo)

    # Neighbouring regions as quiet context, so the territory is seen in its place.
    bounds = _bounds(bounds_rows)
    if len(regions_geo) and bounds is not None:
        shown = set(region_ids) if level == "municipality" else set(rows["region_id"])
        pad_x, pad_y = (bounds[2] - bounds[0]) * 0.6 + 1, (bounds[3] - bounds[1]) * 0.6 + 1
        ctx = regions_geo[
            ~member(regions_geo.index.to_series(), shown).to_numpy()
            & (regions_geo["max_lon"] >= bounds[0] - pad_x) & (regions_geo["min_lon"] <= bounds[2] + pad_x)
            & (regions_geo["max_lat"] >= bounds[1] - pad_y) & (regions_geo["min_lat"] <= bounds[3] + pad_y)
        ]
        if len(ctx):
            layers.insert(
                0,
                _dumps({"id": "context", "name": S.MAP_LAYER_CONTEXT, "kind": "context", "show": True})[:-1]
                + ',"data":' + _collection(list(ctx["geometry_display"]), [{"id": i} for i in ctx.index]) + "}",
            )
            drawn_docs |= set(ctx["document_id"])
    legend = [(c, lbl) for c, lbl in zip(classes.colours, classes.labels, strict=True)]
    values = pd.to_numeric(rows[metric], errors="coerce")
    if (values == 0).any():
        legend.insert(0, (ZERO_COLOUR, spec_metric.zero))
    if values.isna().any():
        legend.append((MISSING_COLOUR, S.MAP_NO_DATA))
    attribution = _attribution(geo, drawn_docs, demo_geometry)
    spec = (
        "{"
        + f'"v":1,"height":{int(height)},"background":{_dumps(BACKGROUND)},"bounds":{_dumps(_leaflet_bounds(bounds))},'
        + f'"tosMinZoom":{TOS_MIN_ZOOM},"level":{_dumps(level)},"focus":{_dumps(sorted(selected_units))},'
        + f'"legend":{_dumps({"title": legend_title, "items": [{"c": c, "l": lbl} for c, lbl in legend], "tos": S.MAP_LEGEND_TOS, "nob": S.MAP_LEGEND_NO_BOUNDARY if counts.get("tos_without_boundary") else None, "demo": S.MAP_DEMO_GEOMETRY if demo_geometry else None})},'
        + f'"attribution":{_dumps(attribution)},'
        + f'"base":{_dumps([{"name": S.MAP_BASE_PLAIN, "type": "none"}, {"name": S.MAP_BASE_OSM, "type": "tiles", "url": OSM_TILES, "attribution": OSM_TILES_ATTRIBUTION, "maxZoom": 19}])},'
        + f'"text":{_dumps({"layers": S.MAP_LAYERS_TITLE, "reset": S.MAP_RESET_VIEW})},'
        + '"layers":[' + ",".join(layers) + "]}"
    )
    return MapView(spec=spec, level=level, metric=spec_metric, legend=legend, counts=counts, notes=notes, bounds=bounds, height=int(height))


def _bounds(frames: list[pd.DataFrame]) -> tuple[float, float, float, float] | None:
    for f in frames:
        if f is not None and len(f) and {"min_lon", "max_lon"} <= set(f.columns):
            vals = f[["min_lon", "min_lat", "max_lon", "max_lat"]].apply(pd.to_numeric, errors="coerce").dropna()
            if len(vals):
                return (float(vals["min_lon"].min()), float(vals["min_lat"].min()), float(vals["max_lon"].max()), float(vals["max_lat"].max()))
    return None


def _leaflet_bounds(b: tuple[float, float, float, float] | None) -> list[list[float]]:
    if b is None:
        return [[41.0, 19.0], [82.0, 180.0]]  # Russia
    return [[round(b[1], 4), round(b[0], 4)], [round(b[3], 4), round(b[2], 4)]]


def _attribution(geo: Geography, documents: set[str], demo_geometry: bool) -> str:
    """Credits of the boundary documents actually drawn (ODbL asks for it on the map), and the demo note."""
    parts = []
    for text in sorted({geo.attributions[d] for d in documents if d in geo.attributions}):
        label, _, url = text.partition("\t")
        parts.append(f'<a href="{_esc(url)}" target="_blank" rel="noopener">{_esc(label)}</a>' if url else _esc(label))
    if demo_geometry:
        parts.append(_esc(S.MAP_DEMO_ATTRIBUTION))
    return " · ".join(parts)


# --------------------------------------------------------------------------- HTML

_PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
<style>html,body{{margin:0;padding:0;height:100%}}#map{{height:100%;min-height:{height}px}}</style>
</head><body><div id="map"></div>
<script>var SPEC = {spec};
TosMap.render(document.getElementById("map"), SPEC, {{}});</script>
</body></html>
"""
CDN_HOSTS = re.compile(r"unpkg\.com|jsdelivr|cdnjs|googleapis|gstatic|bootstrapcdn|code\.jquery|cloudflare|leafletjs\.com/dist", re.IGNORECASE)


def render_html(
    view: MapView | str,
    title: str = S.PAGE_MAP,
    asset_base: str = "",
    inline: dict[str, str] | None = None,
) -> str:
    """A standalone HTML page of the map.

    With `inline` ({"leaflet.js", "leaflet.css", "tosmap.js", "tosmap.css": text}) everything is inside
    the page (a file to keep or send); otherwise scripts and styles are linked relative to `asset_base`
    (the app's own static files). No address of a CDN is ever written.
    """
    spec = view.spec if isinstance(view, MapView) else view
    height = view.height if isinstance(view, MapView) else 620
    if inline:
        head = (
            f"<style>{inline['leaflet.css']}</style>\n<style>{inline['tosmap.css']}</style>\n"
            f"<script>{inline['leaflet.js']}</script>\n<script>{inline['tosmap.js']}</script>"
        )
    else:
        base = asset_base.rstrip("/") + "/" if asset_base else ""
        head = (
            f'<link rel="stylesheet" href="{base}leaflet/leaflet.css">\n<link rel="stylesheet" href="{base}tosmap.css">\n'
            f'<script src="{base}leaflet/leaflet.js"></script>\n<script src="{base}tosmap.js"></script>'
        )
    # A "</script>" inside a name must not end the script element.
    safe_spec = spec.replace("</", "<\\/")
    return _PAGE.format(title=_esc(title), head=head, spec=safe_spec, height=int(height))
