"""Projects and their money: by category and year, by funding source, by municipality, the largest.

Costs are those of completed projects (status «реализован»), as everywhere in the dashboard.
"""

from __future__ import annotations

import pandas as pd

import strings as S
from analytics.dataset import Dataset, Filters, filter_projects, memoized
from analytics.metrics import completed
from loaders.canonical import FUNDING_COLUMNS, PROJECT_CATEGORIES

NO_CATEGORY = "не указано"


def _money(df: pd.DataFrame) -> pd.DataFrame:
    # Money columns are numeric already (analytics.dataset.build_dataset).
    return df.assign(category=df["category"].fillna(NO_CATEGORY))


@memoized
def completed_projects(ds: Dataset, filters: Filters) -> pd.DataFrame:
    return _money(completed(filter_projects(ds, filters)))


@memoized
def by_category_year(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """Completed projects per category and year (long frame: year, category, projects, cost)."""
    p = completed_projects(ds, filters)
    if p.empty:
        return pd.DataFrame(columns=["year", "category", "projects", "cost"])
    out = p.groupby(["year", "category"], dropna=True).agg(projects=("project_id", "size"), cost=("cost_total", lambda s: s.sum(min_count=1)))
    out = out.reset_index()
    order = {c: i for i, c in enumerate((*PROJECT_CATEGORIES, NO_CATEGORY))}
    return out.sort_values(["year", "category"], key=lambda s: s.map(order) if s.name == "category" else s).reset_index(drop=True)


@memoized
def category_summary(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """Per category: completed projects, total cost, average cost (of projects with a known cost)."""
    p = completed_projects(ds, filters)
    out = p.groupby("category").agg(
        projects=("project_id", "size"),
        cost=("cost_total", lambda s: s.sum(min_count=1)),
        average_cost=("cost_total", "mean"),
        cost_unknown=("cost_total", lambda s: int(s.isna().sum())),
    )
    order = {c: i for i, c in enumerate((*PROJECT_CATEGORIES, NO_CATEGORY))}
    return out.reset_index().sort_values("category", key=lambda s: s.map(order)).reset_index(drop=True)


@memoized
def funding_by_year(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """Per year and funding source: roubles (long frame: year, source, label, amount)."""
    p = completed_projects(ds, filters)
    if p.empty:
        return pd.DataFrame(columns=["year", "source", "label", "amount"])
    wide = p.groupby("year")[list(FUNDING_COLUMNS)].sum(min_count=1)
    long = wide.reset_index().melt(id_vars="year", var_name="source", value_name="amount").dropna(subset=["amount"])
    long["label"] = long["source"].map(S.FUNDING_LABELS)
    return long[long["amount"] > 0].reset_index(drop=True)


@memoized
def funding_by_municipality(ds: Dataset, filters: Filters, top_n: int = 30) -> pd.DataFrame:
    """Per municipality (rolled up to its district) and source, for the treemap; top N by total."""
    p = completed_projects(ds, filters).copy()
    if p.empty:
        return pd.DataFrame(columns=["municipality", "region", "source", "label", "amount"])
    m = ds.municipalities.set_index("municipality_id")
    p["municipality"] = p["municipality_id"].map(m["top_id"]).map(m["name"]).fillna(S.UNKNOWN)
    # A municipality learned from a file that named no region still counts (groupby drops NaN keys).
    p["region"] = p["municipality_id"].map(m["region_name"]).fillna(S.NO_REGION)
    wide = p.groupby(["region", "municipality"])[list(FUNDING_COLUMNS)].sum(min_count=1)
    top = wide.sum(axis=1).sort_values(ascending=False).head(top_n).index
    long = wide.loc[top].reset_index().melt(id_vars=["region", "municipality"], var_name="source", value_name="amount")
    long = long[long["amount"] > 0]
    long["label"] = long["source"].map(S.FUNDING_LABELS)
    return long.reset_index(drop=True)


@memoized
def funding_totals(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """Total roubles per source with shares; projects without a breakdown are counted apart."""
    p = completed_projects(ds, filters)
    sums = p[list(FUNDING_COLUMNS)].sum(min_count=1)
    total = sums.sum()
    out = pd.DataFrame({"source": sums.index, "label": sums.index.map(S.FUNDING_LABELS), "amount": sums.to_numpy()})
    out["share"] = out["amount"] / total if total else None
    return out


@memoized
def without_breakdown(ds: Dataset, filters: Filters) -> int:
    p = completed_projects(ds, filters)
    return int(p[list(FUNDING_COLUMNS)].isna().all(axis=1).sum())


@memoized
def largest(ds: Dataset, filters: Filters, n: int = 15) -> pd.DataFrame:
    p = completed_projects(ds, filters).dropna(subset=["cost_total"])
    return p.sort_values("cost_total", ascending=False).head(n).reset_index(drop=True)


@memoized
def project_figures(ds: Dataset, filters: Filters, value: str) -> dict:
    """The projects page's figures, built once per filter combination (plotly validation is slow)."""
    from analytics import charts

    span = f"{filters.year_from}–{filters.year_to}" if filters.year_from is not None else "все годы"
    what = "Реализованные проекты" if value == "projects" else "Стоимость реализованных проектов"
    funding = funding_by_year(ds, filters)
    treemap = funding_by_municipality(ds, filters)
    return {
        "categories": charts.projects_by_category(
            by_category_year(ds, filters), f"{what} по направлениям, {span}", value=value, unfinished_year=ds.first_unfinished_year
        ),
        "funding": charts.funding_stacked(funding, f"Источники финансирования по годам, {span}", unfinished_year=ds.first_unfinished_year)
        if len(funding)
        else None,
        "treemap": charts.funding_treemap(treemap, f"Источники финансирования по муниципалитетам (30 крупнейших), {span}") if len(treemap) else None,
        "average": charts.category_average(category_summary(ds, filters), f"Средняя стоимость реализованного проекта по направлениям, {span}"),
    }
