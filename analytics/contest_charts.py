"""Charts of the commission workspace: applicants side by side, totals, where members disagree."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.charts import PALETTE, base_layout
from analytics.compare import FACTS, NORMALISED, format_value
from analytics.formatting import PLOTLY_SEPARATORS
from analytics.scoring import Results, fmt_points

NO_DATA = "нет данных"


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def normalised_bars(norm: pd.DataFrame, title: str, metrics: tuple[str, ...] = NORMALISED) -> go.Figure:
    """One small bar chart per figure (per inhabitant, per TOS), one coloured bar per applicant.

    Each panel has its own scale, so figures in roubles and in shares never squash each other;
    every bar carries its value, and a missing figure says «нет данных» instead of a zero bar.
    """
    metrics = tuple(m for m in metrics if m in norm.columns)
    cols = 4 if len(metrics) > 4 else max(1, len(metrics))
    rows = math.ceil(len(metrics) / cols)
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=[FACTS[m][0] for m in metrics], horizontal_spacing=0.06, vertical_spacing=0.22 if rows > 1 else 0.1
    )  # fmt: skip
    names = list(norm["name"])
    colors = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    for k, metric in enumerate(metrics):
        r, c = k // cols + 1, k % cols + 1
        kind = FACTS[metric][2]
        values = pd.to_numeric(norm[metric], errors="coerce")
        scale = 100 if kind == "share" else 1
        for name, value in zip(names, values, strict=True):
            known = not pd.isna(value)
            fig.add_trace(
                go.Bar(
                    x=[_short(name, 14)],
                    y=[value * scale if known else 0],
                    name=name,
                    legendgroup=name,
                    showlegend=k == 0,
                    marker_color=colors[name] if known else "rgba(0,0,0,0)",
                    text=[format_value(value, kind) if known else NO_DATA],
                    textposition="outside" if known else "inside",
                    cliponaxis=False,
                    hovertemplate=f"{name}<br>{FACTS[metric][0]}: {format_value(value, kind) if known else NO_DATA}<extra></extra>",
                ),
                row=r,
                col=c,
            )
        top = values.max() * scale if values.notna().any() else 1
        fig.update_yaxes(range=[0, (top or 1) * 1.3], showticklabels=False, gridcolor="#EEF1F5", row=r, col=c)
        fig.update_xaxes(showticklabels=False, row=r, col=c)
    base_layout(fig, title, height=300 * rows + 110)
    fig.update_layout(barmode="group", bargap=0.25, legend={"orientation": "h", "y": -0.06, "yanchor": "top", "x": 0})
    fig.update_annotations(font_size=13)
    return fig


def radar(norm: pd.DataFrame, title: str, metrics: tuple[str, ...] = NORMALISED) -> go.Figure:
    """Each figure as a share of the best applicant's (100 % = the best); hover shows the real value.

    For «стоимость на жителя ТОС» more is not better or worse in itself, so it is left out here.
    """
    metrics = tuple(m for m in metrics if m in norm.columns and m != "cost_per_resident")
    labels = [FACTS[m][0] for m in metrics]
    fig = go.Figure()
    for i, row in norm.reset_index(drop=True).iterrows():
        r, text = [], []
        for m in metrics:
            values = pd.to_numeric(norm[m], errors="coerce")
            best = values.max()
            v = row[m]
            known = v is not None and not pd.isna(v) and best and best > 0
            r.append(float(v) / float(best) * 100 if known else None)
            text.append(format_value(v, FACTS[m][2]) if v is not None and not pd.isna(v) else NO_DATA)
        fig.add_trace(
            go.Scatterpolar(
                r=r + r[:1],
                theta=labels + labels[:1],
                name=row["name"],
                fill="toself",
                opacity=0.55,
                line={"color": PALETTE[i % len(PALETTE)], "width": 2},
                customdata=text + text[:1],
                connectgaps=False,
                hovertemplate=f"{row['name']}<br>%{{theta}}: %{{customdata}}<br>%{{r:.0f}} % от лучшего<extra></extra>",
            )
        )
    base_layout(fig, title, height=520)
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 105], "ticksuffix": " %", "tickfont": {"size": 11}, "angle": 90}, "angularaxis": {"tickfont": {"size": 13}}},
        separators=PLOTLY_SEPARATORS,
    )
    return fig


def totals_chart(results: Results, title: str) -> go.Figure:
    """Stacked bars: each applicant's total, criterion by criterion (average × weight), best at the top."""
    cs = results.criteria
    table = results.table
    ordered = table.assign(_t=pd.to_numeric(table["total"], errors="coerce").fillna(pd.to_numeric(table.get("partial_total"), errors="coerce"))).sort_values("_t", ascending=True)
    names = [
        f"{_short(n, 34)}" + (f" — {int(p)} место" if p is not None and not pd.isna(p) else " — без места")
        for n, p in zip(ordered["name"], ordered["place"], strict=True)
    ]
    fig = go.Figure()
    for i, c in enumerate(cs.criteria):
        values = [None if v is None or pd.isna(v) else float(v) * c.weight for v in ordered[c.key]]
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                orientation="h",
                name=c.name,
                marker_color=PALETTE[i % len(PALETTE)],
                customdata=[fmt_points(v) for v in ordered[c.key]],
                hovertemplate=f"%{{y}}<br>{c.name}: %{{customdata}}" + (f" × {fmt_points(c.weight)}" if c.weight != 1 else "") + "<extra></extra>",
            )
        )
    totals = ordered["total"].tolist()
    fig.add_trace(
        go.Scatter(
            y=names,
            x=[t if t is not None and not pd.isna(t) else 0 for t in totals],
            mode="text",
            text=[f"  {fmt_points(t)}" if t is not None and not pd.isna(t) else "  итог неполный" for t in totals],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    base_layout(fig, title, height=max(320, 64 * len(ordered) + 40 * len(cs.criteria) // 2 + 120))
    fig.update_layout(barmode="stack", legend={"orientation": "v", "y": 1, "yanchor": "top", "x": 1.02, "xanchor": "left", "traceorder": "normal"})
    fig.update_xaxes(title=f"Баллы (наибольший возможный итог — {fmt_points(cs.max_total)})", range=[0, cs.max_total * 1.12], showgrid=True, gridcolor="#E5E8EE")
    fig.update_yaxes(title=None)
    return fig


def disagreement_heatmap(results: Results, title: str) -> go.Figure:
    """Applicants × criteria: how far apart the members' scores are (max − min, share of the scale)."""
    cs = results.criteria
    manual = cs.manual
    cells = results.cells
    names = [e.name for e in results.entrants]
    z, text = [], []
    for e in results.entrants:
        zr, tr = [], []
        for c in manual:
            hit = cells[(cells["municipality_id"] == e.municipality_id) & (cells["criterion"] == c.key)]
            if hit.empty or pd.isna(hit.iloc[0]["spread"]):
                zr.append(None)
                tr.append("")
                continue
            h = hit.iloc[0]
            scale = c.max_points - c.min_points
            zr.append(float(h["spread"]) / scale if scale else 0.0)
            tr.append(f"{fmt_points(h['min'])}–{fmt_points(h['max'])}")
        z.append(zr)
        text.append(tr)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_wrap(c.name, 16) for c in manual],
            y=[_short(n, 30) for n in names],
            text=text,
            texttemplate="%{text}",
            colorscale=[[0, "#F4F7FB"], [0.3, "#FDE3B8"], [1, "#D55E00"]],
            zmin=0,
            zmax=1,
            colorbar={"title": "разброс", "tickformat": ".0%"},
            hovertemplate="%{y}<br>%{x}<br>оценки от %{text}<br>разброс %{z:.0%} шкалы<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    base_layout(fig, title, height=max(260, 60 * len(names) + 160))
    fig.update_yaxes(autorange="reversed", rangemode="normal", gridcolor="rgba(0,0,0,0)")
    fig.update_xaxes(tickangle=0)
    return fig


def _wrap(text: str, width: int) -> str:
    """Break a long axis label into lines at spaces (plotly does not wrap by itself)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)
