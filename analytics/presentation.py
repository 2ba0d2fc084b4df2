"""Slides for a speaker at a TOS congress: one idea per screen, big numbers, big charts.

Each slide carries its figure (plotly, for the screen, PNG and HTML) and the plain series behind
it (for native, editable PowerPoint charts), plus a source line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

import strings as S
from analytics import charts, metrics, projects, trends
from analytics.dataset import Dataset, Filters, describe_filters, memoized
from analytics.formatting import fmt_date, fmt_int, fmt_pct, fmt_rub

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
    colors: dict[str, str] = field(default_factory=dict)  # series name → colour, as on the screen


def _style(fig: go.Figure, title: str) -> go.Figure:
    """High contrast for projectors: black ink on white, thick marks, large type."""
    charts.base_layout(fig, title, height=SLIDE_HEIGHT - 180, large=True)
    fig.update_layout(font={"color": INK, "size": 22}, title_font={"size": 30, "color": INK}, margin={"l": 30, "r": 30, "t": 90, "b": 30})
    fig.update_xaxes(linecolor=INK, tickfont={"size": 20, "color": INK})
    fig.update_yaxes(gridcolor="#D0D0D0", tickfont={"size": 20, "color": INK}, title_font={"size": 20})
    return fig


def source_line(ds: Dataset, filters: Filters) -> str:
    docs = ds.documents
    used = int((docs["status"] != "rejected").sum()) if len(docs) else 0
    text = f"Источник: {used} документ(ов) — реестры, паспорта практик, протоколы; данные на {fmt_date(ds.as_of)}. {describe_filters(ds, filters).rstrip('.')}."
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
        fig = go.Figure(
            go.Bar(
                x=table["year"],
                y=table["tos_count"],
                marker_color=[charts.MUTED if inc else HIGH_CONTRAST[0] for inc in table["incomplete"]],
                text=table["tos_count"],
                textposition="outside",
                textfont={"size": 20, "color": INK},
                cliponaxis=False,
                hovertemplate="%{x}: %{y:,d} ТОС<extra></extra>",
            )
        )
        _style(fig, f"Число ТОС на конец года, {span}")
        fig.update_xaxes(dtick=1, tickformat="d")
        slides.append(
            Slide("growth", "ТОС становится больше", fmt_int(k.tos_now), f"ТОС действует на {fmt_date(k.reference_date)}", fig, "column",
                  [int(y) for y in table["year"]], {S.M_TOS_COUNT: [int(v) for v in table["tos_count"]]}, source=source)
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
                text=data["projects"],
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
        fig = go.Figure()
        for src in wide.columns:
            fig.add_trace(
                go.Bar(x=wide.index, y=wide[src] / 1e6, name=S.FUNDING_LABELS[src], marker_color=charts.FUNDING_COLORS[src],
                       hovertemplate=f"{S.FUNDING_LABELS[src]}: %{{y:,.1f}} млн ₽<extra></extra>")
            )  # fmt: skip
        _style(fig, "Кто платит: источники финансирования проектов, млн ₽")
        fig.update_layout(barmode="stack", legend={"font": {"size": 20}})
        fig.update_xaxes(dtick=1, tickformat="d")
        slides.append(
            Slide("money", "Деньги на проекты ТОС", fmt_rub(k.cost_total), f"стоимость реализованных проектов; внебюджетных средств — {fmt_pct(k.cofinancing_share)}",
                  fig, "stacked_column", [int(y) for y in wide.index],
                  {S.FUNDING_LABELS[src]: [round(float(v) / 1e6, 3) for v in wide[src]] for src in wide.columns},
                  number_format="#,##0.0", source=source,
                  colors={S.FUNDING_LABELS[src]: charts.FUNDING_COLORS[src] for src in wide.columns})
        )  # fmt: skip
    return slides
