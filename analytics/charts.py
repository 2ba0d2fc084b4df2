"""Plotly figures with Russian labels and number formatting; readable on a screen and on a slide."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import strings as S
from analytics.formatting import PLOTLY_SEPARATORS

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
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        hoverlabel={"font_size": size},
    )
    fig.update_xaxes(showgrid=False, linecolor="#888")
    fig.update_yaxes(gridcolor="#E5E8EE", zerolinecolor="#888", rangemode="tozero")
    return fig


def tos_count_by_year(by_year: pd.DataFrame, title: str, large: bool = False) -> go.Figure:
    """Bars of TOS at each year's end; the unfinished current year drawn lighter."""
    colors = [MUTED if inc else MAIN for inc in by_year["incomplete"]]
    hover = [
        f"{y} год{' (не завершён)' if inc else ''}<br>{S.M_TOS_COUNT}: %{{y:,}}<extra></extra>"
        for y, inc in zip(by_year["year"], by_year["incomplete"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=by_year["year"],
            y=by_year["tos_count"],
            marker_color=colors,
            hovertemplate=hover,
            text=by_year["tos_count"],
            textposition="outside",
            cliponaxis=False,
        )
    )
    base_layout(fig, title, large=large)
    fig.update_xaxes(title=None, dtick=1, tickformat="d")
    fig.update_yaxes(title=S.M_TOS_COUNT, tickformat=",d")
    return fig
