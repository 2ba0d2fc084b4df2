"""Slides for a speaker at a TOS congress: one idea per screen, big numbers, big charts.

Each slide carries its figure (plotly, for the screen, PNG and HTML) and the plain series behind
it (for native, editable PowerPoint charts), plus a source line.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

import strings as S
from analytics import charts, metrics, projects, trends
from analytics.dataset import Dataset, Filters, describe_filters, memoized
from analytics.formatting import fmt_date, fmt_int, fmt_pct, fmt_rub, plural

SLIDE_WIDTH, SLIDE_HEIGHT = 1600, 900
INK = "#111111"
HIGH_CONTRAST = ["#0057B8", "#E8A000", "#00875A", "#C8102E", "#6F2DA8", "#00A3E0", "#6B6B6B"]


@dataclass
class Slide:
    """One screen: a headline, a big number with its label, a chart, and where it came from."""

    key: str
    title: str
    kpi: str
    kpi_label: str
    figure: go.Figure
    chart_type: str  # column, line, stacked_column, bar
    categories: list
    series: dict[str, list] = field(default_factory=dict)
    number_format: str = "#,##0"
    source: str = ""
    # The editable PowerPoint chart's title, with the unit of its series (the money series are in
    # millions there); the figure's own title when empty.
    chart_title: str = ""
    colors: dict[str, str] = field(default_factory=dict)  # series name → colour, as on the screen
    faint: list[bool] = field(default_factory=list)  # per category: a year not over yet, drawn faint

    @property
    def note(self) -> str:
        """What the chart says under its title (the unfinished year), for exports without the figure."""
        return self.figure.layout.title.subtitle.text or ""


def _style(fig: go.Figure, title: str) -> go.Figure:
    """High contrast for projectors: black ink on white, thick marks, large type."""
    charts.base_layout(fig, title, height=SLIDE_HEIGHT - 180, large=True)
    fig.update_layout(font={"color": INK, "size": 22}, title_font={"size": 30, "color": INK}, margin={"l": 90, "r": 40, "t": 100, "b": 40}, title_x=0.01)
    # «45 000» and «0,5», never plotly's English «45k»; year axes set «d» after this.
    fig.update_xaxes(linecolor=INK, tickfont={"size": 20, "color": INK}, tickformat=",.1~f")
    # Explicit room for the large tick labels: in the browser automargin alone left «800» clipped to «00».
    fig.update_yaxes(gridcolor="#D0D0D0", tickfont={"size": 20, "color": INK}, title_font={"size": 20}, automargin=True, tickformat=",.1~f")
    return fig


def source_line(ds: Dataset, filters: Filters) -> str:
    docs = ds.documents
    used = int((docs["status"] != "rejected").sum()) if len(docs) else 0
    documents_word = plural(used, "документ", "документа", "документов")
    text = f"Источник: {used} {documents_word} — реестры, паспорта практик, протоколы; данные на {fmt_date(ds.as_of)}. {describe_filters(ds, filters).rstrip('.')}."
    if ds.demo_ids:
        text += " Демонстрационные данные."
    return text


@memoized
def build_slides(ds: Dataset, filters: Filters) -> list[Slide]:
    """The congress set: TOS growth, residents covered, projects by direction, money by source."""
    source = source_line(ds, filters)
    k = metrics.kpis(ds, filters)
    table = trends.trend_table(ds, filters)
    slides: list[Slide] = []
    if len(table):
        span = f"{table['year'].min()}–{table['year'].max()}"
        title = f"Число ТОС на конец года, {span}"
        # The page's chart in the slide's ink: one definition of the TOS bars, faint year included.
        fig = _style(charts.tos_count_by_year(table, title, large=True), title)
        fig.update_traces(marker_color=HIGH_CONTRAST[0], textfont={"size": 20, "color": INK})
        fig.update_yaxes(title=None)
        # Again after _style: its margins leave no room for the note under the title.
        charts.note_unfinished(fig, table.loc[table["incomplete"], "year"], "светлым")
        fig.update_xaxes(dtick=1, tickformat="d")
        slides.append(
            Slide("growth", "ТОС становится больше", fmt_int(k.tos_now), f"ТОС действует на {fmt_date(k.reference_date)}", fig, "column",
                  [int(y) for y in table["year"]], {S.M_TOS_COUNT: [int(v) for v in table["tos_count"]]}, source=source,
                  faint=[bool(v) for v in table["incomplete"]])
        )  # fmt: skip
        fig = go.Figure(
            go.Scatter(
                x=table["year"],
                y=table["residents"],
                mode="lines+markers+text",
                line={"color": HIGH_CONTRAST[2], "width": 6},
                marker={"size": 14},
                text=[fmt_int(v) if i % 2 == len(table) % 2 else "" for i, v in enumerate(table["residents"])],
                textposition="top center",
                textfont={"size": 18, "color": INK},
                hovertemplate="%{x}: %{y:,d} чел.<extra></extra>",
            )
        )
        _style(fig, f"{S.M_RESIDENTS}, {span}")
        fig.update_xaxes(dtick=1, tickformat="d")
        fig.update_yaxes(tickformat=",d")
        coverage = f"{fmt_pct(k.coverage)} населения" if k.coverage is not None else "доля населения неизвестна"
        slides.append(
            Slide("residents", "Жители в границах ТОС", fmt_int(k.residents), f"жителей в границах ТОС — {coverage}", fig, "line",
                  [int(y) for y in table["year"]], {S.M_RESIDENTS: [None if pd.isna(v) else float(v) for v in table["residents"]]}, source=source,
                  colors={S.M_RESIDENTS: HIGH_CONTRAST[2]})
        )  # fmt: skip
    summary = projects.category_summary(ds, filters)
    if len(summary):
        data = summary.sort_values("projects")
        colors = charts.category_colors()
        fig = go.Figure(
            go.Bar(
                x=data["projects"],
                y=data["category"],
                orientation="h",
                marker_color=[colors.get(c, "#777") for c in data["category"]],
                text=[fmt_int(v) for v in data["projects"]],
                textposition="outside",
                textfont={"size": 20, "color": INK},
                cliponaxis=False,
                hovertemplate="%{y}: %{x:,d} проектов<extra></extra>",
            )
        )
        years = f"{filters.year_from}–{filters.year_to}" if filters.year_from is not None else "все годы"
        _style(fig, f"Реализованные проекты по направлениям, {years}")
        fig.update_yaxes(gridcolor="rgba(0,0,0,0)")
        slides.append(
            Slide("projects", "На что ТОС направляют силы", fmt_int(k.projects_completed), f"проектов реализовано ({years})", fig, "bar",
                  list(data["category"]), {"Проектов": [int(v) for v in data["projects"]]}, source=source)
        )  # fmt: skip
    funding = projects.funding_by_year(ds, filters)
    if len(funding):
        wide = funding.pivot_table(index="year", columns="source", values="amount", aggfunc="sum").fillna(0)
        wide = wide[list(dict.fromkeys(funding["source"]))]  # the sources in the chart's (legend's) order
        late = charts.unfinished_mask(wide.index, ds.first_unfinished_year)
        title = "Кто платит: источники финансирования проектов"
        # The projects page's chart in the slide's type: one definition of the stacked bars, their
        # colours, the faint unfinished year and the «500 млн» rouble ticks.
        fig = _style(charts.funding_stacked(funding, title, large=True, unfinished_year=ds.first_unfinished_year), title)
        charts.note_unfinished(fig, charts.unfinished_years(wide.index, ds.first_unfinished_year), "светлым")
        fig.update_layout(legend={"font": {"size": 20}})
        fig.update_yaxes(title=None)
        fig.update_xaxes(dtick=1, tickformat="d")
        if wide.sum(axis=1).max() < 1e7:  # rouble_axis leaves small sums to plotly's ticks: say the unit
            fig.update_yaxes(ticksuffix="\u00a0₽")
        slides.append(
            Slide("money", "Деньги на проекты ТОС", fmt_rub(k.cost_total), f"стоимость реализованных проектов; внебюджетных средств — {fmt_pct(k.cofinancing_share)}",
                  fig, "stacked_column", [int(y) for y in wide.index],
                  {S.FUNDING_LABELS[src]: [round(float(v) / 1e6, 3) for v in wide[src]] for src in wide.columns},
                  number_format="#,##0.0", source=source,
                  colors={S.FUNDING_LABELS[src]: charts.FUNDING_COLORS[src] for src in wide.columns},
                  faint=late, chart_title=f"{title}, млн ₽")
        )  # fmt: skip
    return slides


# --------------------------------------------------------------------------- the map slide

MAP_SLIDE_TOS_POINTS = 6000


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in degrees-like units; Chukotka east of 180° continues the map instead of wrapping."""
    lon = lon + 360 if lon < -30 else lon
    lat = max(min(lat, 85.0), -85.0)
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _svg_path(geometry_text: str) -> tuple[str, list[tuple[float, float]]]:
    """A (Multi)Polygon as one SVG path, each ring a closed subpath (holes cut by the even-odd rule), and its points."""
    geometry = json.loads(geometry_text)
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]] if geometry["type"] == "Polygon" else []
    parts, every = [], []
    for polygon in polygons:
        for ring in polygon:
            points = [_mercator(x, y) for x, y, *_ in ring]
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x:.4f},{y:.4f}" for x, y in points) + "Z")
                every += points
    return "".join(parts), every


def map_slide(ds: Dataset, geo, filters: Filters) -> Slide | None:
    """Where the TOS are: municipalities coloured by their number of TOS, TOS as dots; None without boundaries.

    Drawn as SVG paths on plain axes, not plotly's geo subplot: that one fetches a world outline from
    cdn.plot.ly, and the slide must render offline (screen, PNG through kaleido, the HTML copy).
    `geo` is analytics.geolink.Geography. The same classes and colours as the «Карта» page.
    """
    from analytics import mapview
    from analytics.geolink import member

    if geo is None or geo.empty:
        return None
    table = mapview.map_table(ds, filters)
    polys = geo.municipalities.set_index("municipality_id") if len(geo.municipalities) else pd.DataFrame()
    in_scope = table[member(table["municipality_id"], polys.index)] if len(polys) else table.iloc[0:0]
    by_region = len(in_scope) > mapview.MAX_MUNICIPAL_FEATURES and not (filters.region_ids or filters.municipality_ids)
    if by_region:
        regions = geo.regions.set_index("region_id") if len(geo.regions) else pd.DataFrame()
        rt = metrics.region_table(ds, filters)
        rows = rt[member(rt["region_id"], regions.index)].join(regions[["geometry_display", "document_id"]], on="region_id")
    else:
        rows = in_scope.join(polys[["geometry_display", "document_id"]], on="municipality_id")
    if rows.empty:
        return None
    classes = mapview.classify(rows["tos_count"], "int")
    colours = classes.colour(rows["tos_count"])
    shapes, xs, ys = [], [], []
    for g, c in zip(rows["geometry_display"], colours, strict=True):
        path, points = _svg_path(g)
        if path:
            shapes.append({"type": "path", "path": path, "fillcolor": c, "line": {"color": "#ffffff", "width": 0.8}, "fillrule": "evenodd", "layer": "below"})
            xs += [p[0] for p in points]
            ys += [p[1] for p in points]
    if not shapes:
        return None
    fig = go.Figure()
    legend = [(mapview.ZERO_COLOUR, S.MAP_ZERO_TOS)] if (pd.to_numeric(rows["tos_count"], errors="coerce") == 0).any() else []
    legend += list(zip(classes.colours, classes.labels, strict=True))
    for colour, label in legend:  # legend entries only: the areas themselves are shapes
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label, marker={"symbol": "square", "size": 22, "color": colour, "line": {"color": "#999", "width": 1}}))
    docs = set(rows["document_id"].dropna())
    tos_count = 0
    if not by_region and len(geo.tos):
        tos = mapview.tos_figures(ds, filters)
        points = geo.tos.set_index("tos_id")[["label_lon", "label_lat", "document_id"]].rename(columns={"document_id": "geo_document_id"})
        with_geo = tos[member(tos["tos_id"], points.index)].join(points, on="tos_id")
        tos_count = len(with_geo)
        # Across several regions a slide-sized dot covers the municipality it sits in and hides the
        # colours, which are the slide's point: dots only when one region (or less) is in view.
        region_of = ds.municipalities.set_index("municipality_id")["region_id"] if len(ds.municipalities) else pd.Series(dtype=object)
        regions_in_view = set(region_of.reindex(rows["municipality_id"].drop_duplicates()).dropna())
        if 0 < tos_count <= MAP_SLIDE_TOS_POINTS and len(regions_in_view) <= 1:
            xy = [_mercator(float(x), float(y)) for x, y in zip(with_geo["label_lon"], with_geo["label_lat"], strict=True)]
            fig.add_trace(
                go.Scatter(
                    x=[p[0] for p in xy], y=[p[1] for p in xy], mode="markers", name=f"{S.MAP_LAYER_TOS} (по границам)",
                    marker={"size": 9, "color": mapview.TOS_FILL, "line": {"color": "#ffffff", "width": 1}},
                    text=list(with_geo["name"]), hovertemplate="%{text}<extra></extra>",
                )
            )  # fmt: skip
            docs |= set(with_geo["geo_document_id"].dropna())
    level = "регионам" if by_region else "муниципалитетам"
    _style(fig, f"{S.M_TOS_COUNT} по {level}")
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    pad_x, pad_y = (x1 - x0) * 0.02, (y1 - y0) * 0.02
    fig.update_layout(
        shapes=shapes,
        plot_bgcolor="white",
        legend={"orientation": "v", "yanchor": "top", "y": 1, "xanchor": "left", "x": 1.01, "font": {"size": 20}, "title": {"text": S.M_TOS_COUNT}},
        margin={"l": 20, "r": 20, "t": 100, "b": 20},
        hovermode="closest",
    )
    fig.update_xaxes(visible=False, range=[x0 - pad_x, x1 + pad_x])
    fig.update_yaxes(visible=False, range=[y0 - pad_y, y1 + pad_y], scaleanchor="x", scaleratio=1)
    with_tos = int((pd.to_numeric(rows["tos_count"], errors="coerce") > 0).sum())
    credits = sorted({geo.attributions[d].partition("\t")[0] for d in docs if d in geo.attributions})
    if not by_region and len(geo.tos) and bool(geo.tos["is_demo"].fillna(False).astype(bool).any()):
        credits.append(S.MAP_DEMO_ATTRIBUTION)
    source = source_line(ds, filters) + (" Границы: " + "; ".join(credits) + "." if credits else "")
    unit = "регионов" if by_region else "муниципалитетов"
    return Slide(
        "map", "ТОС на карте", fmt_int(with_tos), f"{unit} с ТОС из {fmt_int(len(rows))} на карте" + (f"; ТОС с границами — {fmt_int(tos_count)}" if tos_count else ""),
        fig, "map", [], {}, source=source,
    )  # fmt: skip

