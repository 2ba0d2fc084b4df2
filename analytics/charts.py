"""Plotly figures with Russian labels and number formatting; readable on a screen and on a slide."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import strings as S
from analytics.formatting import PLOTLY_SEPARATORS, fmt_int, fmt_num

# Colour-blind-safe palette (Okabe–Ito), first colour for the main series.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999", "#000000"]
MAIN = PALETTE[0]
MUTED = "#B8C4D6"


def base_layout(fig: go.Figure, title: str, height: int = 380, large: bool = False) -> go.Figure:
    """Common look: Russian separators, title that says what and when, quiet grid."""
    size = 22 if large else 14
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": size + 4}},
        separators=PLOTLY_SEPARATORS,
        height=height,
        margin={"l": 10, "r": 10, "t": 60 if not large else 90, "b": 10},
        font={"family": "Inter, 'Segoe UI', Roboto, Arial, sans-serif", "size": size},
        plot_bgcolor="white",
        paper_bgcolor="white",
        # Horizontal legends go under the plot, where they never collide with the title.
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
        hoverlabel={"font_size": size},
    )
    # automargin: a rotated year label at the right end of a narrow chart was cut off, not drawn.
    fig.update_xaxes(showgrid=False, linecolor="#888", automargin=True, ticklabeloverflow="allow")
    fig.update_yaxes(gridcolor="#E5E8EE", zerolinecolor="#888", rangemode="tozero")
    return fig


def note_unfinished(fig: go.Figure, years, how: str) -> go.Figure:
    """Say under the title what the faint year is: a slide has no page notes around the chart.

    `years` are the unfinished years drawn; `how` names the way they are drawn («светлым»).
    """
    years = sorted({int(y) for y in years})
    if not years:
        return fig
    when = f"{years[0]} год" if len(years) == 1 else f"{years[0]}–{years[-1]} годы"
    size = fig.layout.title.font.size or 18
    fig.update_layout(
        title_subtitle={"text": f"{how.capitalize()} — {when}: он ещё не завершён", "font": {"size": round(size * 0.7), "color": "#666"}},
        margin_t=(fig.layout.margin.t or 60) + round(size * 1.1),
    )
    return fig


def tos_count_by_year(by_year: pd.DataFrame, title: str, large: bool = False) -> go.Figure:
    """Bars of TOS at each year's end; the unfinished current year drawn faint."""
    hover = [
        f"{y} год{' (не завершён)' if inc else ''}<br>{S.M_TOS_COUNT}: %{{y:,}}<extra></extra>"
        for y, inc in zip(by_year["year"], by_year["incomplete"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=by_year["year"],
            y=by_year["tos_count"],
            marker={"color": MAIN, "opacity": faint_opacity(by_year["incomplete"])},
            hovertemplate=hover,
            text=[fmt_int(v) for v in by_year["tos_count"]],  # «45 000», not «45000»
            textposition="outside",
            cliponaxis=False,
        )
    )
    base_layout(fig, title, large=large)
    note_unfinished(fig, by_year.loc[by_year["incomplete"], "year"], "светлым")
    fig.update_xaxes(title=None, dtick=1, tickformat="d")
    fig.update_yaxes(title=S.M_TOS_COUNT, tickformat=",d")
    return fig


FUNDING_COLORS = {
    "funding_local": "#0072B2",
    "funding_regional": "#56B4E9",
    "funding_federal": "#003F6B",
    "funding_grants": "#009E73",
    "funding_sponsors": "#E69F00",
    "funding_residents": "#D55E00",
}
METRIC_FORMATS = {
    # metric: (axis title, hover number format, unit)
    "tos_count": (S.M_TOS_COUNT, ",d", ""),
    "residents": (S.M_RESIDENTS, ",d", " чел."),
    "projects_completed": (S.M_PROJECTS_DONE, ",d", ""),
    "cost": (S.M_COST_SHORT, ",.0f", " ₽"),
    "coverage": (S.M_COVERAGE, ".1%", ""),
    "population": (S.M_POPULATION, ",d", " чел."),
    "tos_per_10k": (S.M_TOS_PER_10K, ",.2f", ""),
    "cost_total": (S.M_COST_SHORT, ",.0f", " ₽"),
    "cost_per_resident": (S.M_COST_PER_RESIDENT, ",.0f", " ₽"),
    "cofinancing_share": (S.M_COFINANCING, ".1%", ""),
}


CATEGORY_COLORS = {
    "благоустройство территории": "#0072B2",
    "детские и спортивные площадки": "#E69F00",
    "ремонт дорог и тротуаров": "#009E73",
    "решение проблем ЖКХ": "#D55E00",
    "обеспечение водоснабжением": "#56B4E9",
    "сохранение культурного наследия": "#CC79A7",
    "решение экологических задач": "#8DB600",
    "социальная помощь нуждающимся": "#F0E442",
    "иное": "#9AA5B1",
    "не указано": "#D5DAE1",
}


def category_colors() -> dict[str, str]:
    return CATEGORY_COLORS


def lines_by_group(long: pd.DataFrame, metric: str, title: str, large: bool = False) -> go.Figure:
    """One line per region/municipality (long frame: year, group, value)."""
    axis, number, unit = METRIC_FORMATS[metric]
    fig = go.Figure()
    for i, (group, part) in enumerate(long.groupby("group", sort=False)):
        color = "#9AA5B1" if group == "Остальные" else PALETTE[i % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["value"],
                name=group,
                mode="lines+markers",
                line={"color": color, "width": 3 if large else 2},
                hovertemplate=f"{group}<br>%{{x}}: %{{y:{number}}}{unit}<extra></extra>",
            )
        )
    base_layout(fig, title, height=440, large=large)
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(title=axis, tickformat=number if not number.endswith("%") else ".0%")
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02, "xanchor": "left", "yanchor": "top"})
    return fig


def new_and_dissolved(table: pd.DataFrame, title: str, large: bool = False) -> go.Figure:
    """TOS created (up) and dissolved (down) each year; the year not yet over faint."""
    opacity = faint_opacity(table["incomplete"])
    fig = go.Figure()
    fig.add_trace(go.Bar(x=table["year"], y=table["new"], name=S.M_NEW, marker={"color": PALETTE[2], "opacity": opacity}, hovertemplate="%{x}: создано %{y:,d}<extra></extra>"))
    fig.add_trace(go.Bar(x=table["year"], y=-table["dissolved"], name=S.M_DISSOLVED, marker={"color": PALETTE[3], "opacity": opacity}, customdata=table["dissolved"], hovertemplate="%{x}: ликвидировано %{customdata:,d}<extra></extra>"))
    base_layout(fig, title, large=large)
    note_unfinished(fig, table.loc[table["incomplete"], "year"], "светлым")
    fig.update_layout(barmode="relative")
    fig.update_yaxes(rangemode="normal", title="ТОС", tickformat=",d")
    fig.update_xaxes(dtick=1, tickformat="d")
    return fig


def line(table: pd.DataFrame, column: str, title: str, large: bool = False) -> go.Figure:
    """A yearly line; the unfinished current year hangs off it dotted and lighter.

    A year that is not over has fewer projects and less money so far: drawn like the others, it
    looks like a collapse on a slide.
    """
    axis, number, unit = METRIC_FORMATS[column]
    width, size = (4, 10) if large else (3, 7)
    done = table[~table["incomplete"]]
    current = table[table["incomplete"]]
    fig = go.Figure()
    for part, color, note, mode in ((done, MAIN, "", "lines+markers"), (current, MUTED, " (год не завершён)", "markers")):
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part[column],
                mode=mode + ("+text" if large else ""),
                line={"color": color, "width": width},
                marker={"size": size, "color": color},
                text=[_short(v, number) for v in part[column]] if large else None,
                textposition="top center",
                hovertemplate=f"%{{x}}{note}: %{{y:{number}}}{unit}<extra></extra>",
                showlegend=False,
            )
        )
    if len(done) and len(current):
        joint = pd.concat([done.tail(1), current.head(1)])
        fig.add_trace(
            go.Scatter(x=joint["year"], y=joint[column], mode="lines", line={"color": MUTED, "width": width, "dash": "dot"}, hoverinfo="skip", showlegend=False)
        )
    base_layout(fig, title, large=large)
    note_unfinished(fig, current["year"], "пунктиром")
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(title=axis, tickformat=number if not number.endswith("%") else ".1%")
    if column == "cost":
        rouble_axis(fig, table[column].max())
    return fig


def _nice_step(rough: float) -> float:
    """The round step (1, 2, 2.5 or 5 × 10ⁿ) nearest above `rough`."""
    power = 10 ** np.floor(np.log10(rough))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough))


def rouble_axis(fig: go.Figure, top: float, axis: str = "y") -> go.Figure:
    """Rouble ticks as people say them («2 млрд», «500 млн»), not «2 000 000 000».

    Below ten million the plain figures are short enough and plotly's own ticks stay. Hover
    texts keep the exact roubles.
    """
    if not top or top != top or top < 1e7:
        return fig
    step = _nice_step(top / 5)
    ticks = np.arange(0, top + step, step)
    unit, word = (1e9, "млрд") if top >= 1e9 else (1e6, "млн")
    text = []
    for v in ticks / unit:
        digits = 0 if float(v).is_integer() else (1 if float(v * 10).is_integer() else 2)
        text.append("0" if v == 0 else f"{fmt_num(v, digits)}\u00a0{word}")
    fig.update_layout({f"{axis}axis": {"tickmode": "array", "tickvals": ticks.tolist(), "ticktext": text}})
    return fig


def _short(value, number: str) -> str:
    from analytics.formatting import fmt_int, fmt_pct

    if value is None or pd.isna(value):
        return ""
    return fmt_pct(value) if number.endswith("%") else fmt_int(value)


UNFINISHED_OPACITY = 0.4


def unfinished_mask(years, unfinished_year: int | None) -> list[bool]:
    """Per year: True when it is not over yet (`unfinished_year` or later)."""
    return [unfinished_year is not None and y >= unfinished_year for y in years]


def unfinished_years(years, unfinished_year: int | None) -> list:
    """The years among `years` that are not over yet."""
    return [y for y, late in zip(years, unfinished_mask(years, unfinished_year), strict=True) if late]


def faint_opacity(late) -> list[float]:
    """Per bar: a year not yet over (True) is drawn faint, on screen, on slides and in the deck."""
    return [UNFINISHED_OPACITY if u else 1.0 for u in late]


def _unfinished(years: pd.Series, unfinished_year: int | None) -> tuple[list[float], list[str]]:
    """Per bar: its opacity and a hover note."""
    late = unfinished_mask(years, unfinished_year)
    return faint_opacity(late), [" (год не завершён)" if u else "" for u in late]


def projects_by_category(
    long: pd.DataFrame, title: str, value: str = "projects", large: bool = False, unfinished_year: int | None = None
) -> go.Figure:
    """Stacked bars: completed projects (or cost) per year, one colour per category."""
    colors = category_colors()
    fig = go.Figure()
    unit = " ₽" if value == "cost" else ""
    number = ",.0f" if value == "cost" else ",d"
    for category, part in long.groupby("category", sort=False):
        opacity, note = _unfinished(part["year"], unfinished_year)
        fig.add_trace(
            go.Bar(
                x=part["year"],
                y=part[value],
                name=category,
                marker={"color": colors.get(category, "#999"), "opacity": opacity},
                customdata=note,
                hovertemplate=f"{category}<br>%{{x}}%{{customdata}}: %{{y:{number}}}{unit}<extra></extra>",
            )
        )
    base_layout(fig, title, height=460, large=large)
    note_unfinished(fig, unfinished_years(long["year"], unfinished_year), "светлым")
    fig.update_layout(barmode="stack", legend={"orientation": "v", "y": 1, "x": 1.02, "xanchor": "left", "yanchor": "top"})
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(title="Проектов" if value == "projects" else S.M_COST_SHORT, tickformat=number)
    if value == "cost" and len(long):
        rouble_axis(fig, long.groupby("year")[value].sum().max())
    return fig


def funding_stacked(long: pd.DataFrame, title: str, large: bool = False, unfinished_year: int | None = None) -> go.Figure:
    fig = go.Figure()
    for source, part in long.groupby("source", sort=False):
        label = S.FUNDING_LABELS[source]
        opacity, note = _unfinished(part["year"], unfinished_year)
        fig.add_trace(
            go.Bar(
                x=part["year"],
                y=part["amount"],
                name=label,
                marker={"color": FUNDING_COLORS[source], "opacity": opacity},
                customdata=note,
                hovertemplate=f"{label}<br>%{{x}}%{{customdata}}: %{{y:,.0f}} ₽<extra></extra>",
            )
        )
    base_layout(fig, title, height=440, large=large)
    note_unfinished(fig, unfinished_years(long["year"], unfinished_year), "светлым")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_yaxes(title="₽", tickformat=",.0f")
    if len(long):
        rouble_axis(fig, long.groupby("year")["amount"].sum().max())
    return fig


def funding_treemap(long: pd.DataFrame, title: str) -> go.Figure:
    """Region → municipality → source, sized by roubles."""
    ids, labels, parents, values, colors = [], [], [], [], []
    for region, r_part in long.groupby("region"):
        ids.append(region)
        labels.append(region)
        parents.append("")
        values.append(r_part["amount"].sum())
        colors.append("#FFFFFF")
        for municipality, m_part in r_part.groupby("municipality"):
            mid = f"{region}/{municipality}"
            ids.append(mid)
            labels.append(municipality)
            parents.append(region)
            values.append(m_part["amount"].sum())
            colors.append("#EEF2F7")
            for _, row in m_part.iterrows():
                ids.append(f"{mid}/{row['source']}")
                labels.append(row["label"])
                parents.append(mid)
                values.append(row["amount"])
                colors.append(FUNDING_COLORS[row["source"]])
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colors},
            hovertemplate="%{label}<br>%{value:,.0f} ₽<br>%{percentParent:.1%} от уровня выше<extra></extra>",
            texttemplate="%{label}<br>%{value:,.0f} ₽",
        )
    )
    base_layout(fig, title, height=560)
    return fig


def bar_by_municipality(table: pd.DataFrame, metric: str, title: str, top_n: int = 25, large: bool = False) -> go.Figure:
    """Horizontal bars of one metric, the top N municipalities (a long list is a table's job)."""
    axis, number, unit = METRIC_FORMATS[metric]
    data = table.dropna(subset=[metric]).sort_values(metric, ascending=False).head(top_n).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data[metric],
            y=data["name"],
            orientation="h",
            marker_color=MAIN,
            text=[_short(v, number) for v in data[metric]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}<br>{axis}: %{{x:{number}}}{unit}<extra></extra>",
        )
    )
    base_layout(fig, title, height=max(320, 28 * len(data) + 120), large=large)
    fig.update_xaxes(title=axis, tickformat=number if not number.endswith("%") else ".0%", showgrid=True, gridcolor="#E5E8EE")
    fig.update_yaxes(title=None, gridcolor="rgba(0,0,0,0)")
    return fig


def category_average(summary: pd.DataFrame, title: str) -> go.Figure:
    colors = category_colors()
    data = summary.dropna(subset=["average_cost"]).sort_values("average_cost")
    fig = go.Figure(
        go.Bar(
            x=data["average_cost"],
            y=data["category"],
            orientation="h",
            marker_color=[colors.get(c, "#999") for c in data["category"]],
            customdata=data["projects"],
            hovertemplate="%{y}<br>в среднем %{x:,.0f} ₽<br>проектов: %{customdata:,d}<extra></extra>",
            text=[f"{v / 1000:,.0f} тыс. ₽".replace(",", " ") for v in data["average_cost"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    base_layout(fig, title, height=max(320, 40 * len(data) + 120))
    # Room on the right for the «381 тыс. ₽» labels outside the longest bar.
    top = float(data["average_cost"].max()) if len(data) else 0.0
    fig.update_xaxes(title="Средняя стоимость, ₽", tickformat=",.0f", showgrid=True, gridcolor="#E5E8EE", range=[0, top * 1.2] if top else None)
    fig.update_yaxes(title=None)
    return fig
