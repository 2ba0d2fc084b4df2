"""The metrics of DESIGN.md §3, each defined once.

* TOS count at a date D: registered_on ≤ D and (dissolved_on is null or > D). A TOS with no
  registration date counts in the current figure, not in the trend. A TOS marked «ликвидирован»
  without a date counts nowhere; both are reported.
* Residents covered: sum of `residents` of active TOS. Coverage = covered ÷ population, only
  where the population is known.
* Projects completed: status «реализован». Costs are those of completed projects.
* Co-financing share = non-budget (grants, sponsors, residents) ÷ total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

import strings as S
from analytics.dataset import (
    Dataset,
    Filters,
    filter_municipalities,
    filter_projects,
    filter_tos,
    memoized,
)
from loaders.canonical import FUNDING_COLUMNS, NON_BUDGET_FUNDING, PROJECT_DONE

PER_INHABITANTS = 10_000


def reference_date(ds: Dataset, filters: Filters) -> dt.date:
    """The date «now» means: today, or the end of the last selected year if that is earlier."""
    if filters.year_to is not None and filters.year_to < ds.today.year:
        return dt.date(filters.year_to, 12, 31)
    return ds.today


def active_mask(tos: pd.DataFrame, date: dt.date, include_undated: bool) -> pd.Series:
    """TOS active at `date`. Undated registrations count only when `include_undated`."""
    day = pd.Timestamp(date)
    registered = tos["registered_ts"]
    dissolved = tos["dissolved_ts"]
    dissolved_undated = tos["dissolved_undated"]
    was_registered = (registered <= day) | (registered.isna() & include_undated)
    not_dissolved = (dissolved.isna() | (dissolved > day)) & ~dissolved_undated
    return was_registered & not_dissolved


def undated_count(tos: pd.DataFrame) -> int:
    return int(tos["registered_ts"].isna().sum())


def residents_sum(tos: pd.DataFrame) -> float | None:
    """Sum of known residents; None when no TOS has a known figure (unknown is not zero)."""
    values = pd.to_numeric(tos["residents"], errors="coerce")
    return float(values.sum()) if values.notna().any() else None


def coverage(covered: float | None, population: float | None) -> float | None:
    if covered is None or population is None or pd.isna(population) or population <= 0:
        return None
    return covered / population


def completed(projects: pd.DataFrame) -> pd.DataFrame:
    done = projects["status"] == PROJECT_DONE
    return projects if done.all() else projects[done]


def cofinancing_share(projects: pd.DataFrame) -> float | None:
    """Non-budget share of the total cost of the projects that state their sources."""
    funding = projects[list(FUNDING_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    known = funding.notna().any(axis=1)
    total = funding[known].sum().sum()
    if not known.any() or total <= 0:
        return None
    return float(funding.loc[known, list(NON_BUDGET_FUNDING)].sum().sum() / total)


def coverage_units(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """The municipalities coverage is computed over: the selected ones, or the top-level ones in force."""
    m = filter_municipalities(ds, filters)
    if filters.municipality_ids:
        chosen = m[m["municipality_id"].isin(filters.municipality_ids)]
        # A settlement chosen together with its district is inside the district already.
        return chosen[~chosen["parent_id"].isin(set(chosen["municipality_id"]))]
    return m[m["municipality_id"] == m["top_id"]]


@dataclass
class Kpis:
    """The headline figures of a territory and period, with what the reader must know about them."""

    reference_date: dt.date
    tos_now: int
    tos_undated: int
    tos_dissolved_undated: int
    residents: float | None
    residents_unknown: int
    population: float | None
    population_units_known: int
    population_units: int
    coverage: float | None
    projects_completed: int
    projects_total: int
    cost_total: float | None
    cost_average: float | None  # of the completed projects whose cost is known
    cost_unknown: int
    cofinancing_share: float | None
    year_from: int | None
    year_to: int | None


@memoized
def kpis(ds: Dataset, filters: Filters) -> Kpis:
    date = reference_date(ds, filters)
    tos = filter_tos(ds, filters)
    active = tos[active_mask(tos, date, include_undated=True)]
    units = coverage_units(ds, filters)
    known_units = units[pd.to_numeric(units["population"], errors="coerce") > 0]
    population = float(pd.to_numeric(known_units["population"]).sum()) if len(known_units) else None
    # Residents of TOS inside the units whose population is known.
    unit_of = _unit_lookup(ds, known_units)
    in_known = active[active["municipality_id"].map(unit_of).notna()]
    covered_known = residents_sum(in_known)
    projects = filter_projects(ds, filters)
    done = completed(projects)
    cost = pd.to_numeric(done["cost_total"], errors="coerce")
    return Kpis(
        reference_date=date,
        tos_now=len(active),
        tos_undated=undated_count(active),
        tos_dissolved_undated=int(tos["dissolved_undated"].sum()),
        residents=residents_sum(active),
        residents_unknown=int(pd.to_numeric(active["residents"], errors="coerce").isna().sum()),
        population=population,
        population_units_known=len(known_units),
        population_units=len(units),
        coverage=coverage(covered_known if covered_known is not None else (0.0 if population else None), population),
        projects_completed=len(done),
        projects_total=len(projects),
        cost_total=float(cost.sum()) if cost.notna().any() else None,
        cost_average=float(cost.mean()) if cost.notna().any() else None,
        cost_unknown=int(cost.isna().sum()),
        cofinancing_share=cofinancing_share(done),
        year_from=filters.year_from,
        year_to=filters.year_to,
    )


def _unit_lookup(ds: Dataset, units: pd.DataFrame) -> pd.Series:
    """municipality_id → the unit it counts in (itself, or its district when that is the unit)."""
    m = ds.municipalities
    unit_ids = set(units["municipality_id"])
    own = m["municipality_id"].where(m["municipality_id"].isin(unit_ids))
    via_top = m["top_id"].where(m["top_id"].isin(unit_ids))
    lookup = own.fillna(via_top)
    return pd.Series(lookup.to_numpy(), index=m["municipality_id"]).dropna()


def year_range(ds: Dataset) -> tuple[int, int]:
    """The years the data covers (registrations and projects), for the year filter."""
    years = []
    reg = ds.tos["registered_ts"].dt.year.dropna() if len(ds.tos) else pd.Series(dtype=float)
    if len(reg):
        years += [int(reg.min()), int(reg.max())]
    if len(ds.projects):
        py = pd.to_numeric(ds.projects["year"], errors="coerce").dropna()
        if len(py):
            years += [int(py.min()), int(py.max())]
    if not years:
        return ds.today.year - 10, ds.today.year
    return min(years), max(max(years), ds.today.year)


@memoized
def municipality_table(ds: Dataset, filters: Filters, only_with_tos: bool = False) -> pd.DataFrame:
    """One row per municipality in force (settlements rolled up into their district).

    With `only_with_tos`, municipalities without active TOS are left out (unless none has any).
    """
    date = reference_date(ds, filters)
    units = coverage_units(ds, filters)
    unit_of = _unit_lookup(ds, units)
    tos = filter_tos(ds, filters)
    tos = tos[active_mask(tos, date, include_undated=True)].assign(unit=lambda d: d["municipality_id"].map(unit_of))
    projects = completed(filter_projects(ds, filters)).assign(unit=lambda d: d["municipality_id"].map(unit_of))
    # Built-in aggregations only: a Python lambda per group costs seconds over 18 000 municipalities.
    grouped = tos.groupby("unit")
    g_tos = pd.DataFrame({"tos_count": grouped.size(), "residents": grouped["residents"].sum(min_count=1).astype("float64")})
    grouped = projects.groupby("unit")
    g_proj = grouped[["cost_total", *FUNDING_COLUMNS]].sum(min_count=1)
    g_proj.insert(0, "projects_completed", grouped.size())
    table = units[["municipality_id", "name", "type", "region_id", "region_name", "population", "population_year"]].set_index(
        "municipality_id"
    )
    table = table.join(g_tos).join(g_proj)
    table["tos_count"] = table["tos_count"].fillna(0).astype(int)
    table["projects_completed"] = table["projects_completed"].fillna(0).astype(int)
    population = pd.to_numeric(table["population"], errors="coerce")
    residents = pd.to_numeric(table["residents"], errors="coerce")
    table["coverage"] = np.where(population > 0, residents.fillna(0) / population, np.nan)
    table.loc[table["tos_count"] == 0, "coverage"] = np.where(population[table["tos_count"] == 0] > 0, 0.0, np.nan)
    table["tos_per_10k"] = np.where(population > 0, table["tos_count"] / population * PER_INHABITANTS, np.nan)
    cost = pd.to_numeric(table["cost_total"], errors="coerce")
    table["cost_per_resident"] = np.where(residents > 0, cost / residents, np.nan)
    funding = table[list(FUNDING_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    funding_total = funding.sum(axis=1, min_count=1)
    non_budget = funding[list(NON_BUDGET_FUNDING)].sum(axis=1, min_count=1)
    table["cofinancing_share"] = np.where(funding_total > 0, non_budget / funding_total, np.nan)
    table = table.reset_index().sort_values(["tos_count", "name"], ascending=[False, True])
    if only_with_tos and (table["tos_count"] > 0).any():
        table = table[table["tos_count"] > 0]
    return table.reset_index(drop=True)


@memoized
def region_table(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """One row per region: the municipality table summed, coverage over known populations only."""
    m = municipality_table(ds, filters)
    if m.empty:
        return m
    population = pd.to_numeric(m["population"], errors="coerce")
    m = m.assign(
        population_known=population.where(population > 0),
        residents_in_known=pd.to_numeric(m["residents"], errors="coerce").where(population > 0),
    )
    grouped = m.groupby(["region_id", "region_name"], dropna=False)
    g = grouped[["population_known", "residents_in_known", "residents", "cost_total", *FUNDING_COLUMNS]].sum(min_count=1)
    g = g.rename(columns={"population_known": "population"})
    g.insert(0, "municipalities", grouped.size())
    g.insert(1, "tos_count", grouped["tos_count"].sum())
    g.insert(2, "projects_completed", grouped["projects_completed"].sum())
    g = g.reset_index()
    # Municipalities learned from files that named no region are a row of their own, with a name.
    g["region_name"] = g["region_name"].where(g["region_id"].notna() | g["region_name"].notna(), S.NO_REGION)
    g["coverage"] = np.where(g["population"] > 0, g["residents_in_known"].fillna(0) / g["population"], np.nan)
    g["tos_per_10k"] = np.where(g["population"] > 0, g["tos_count"] / g["population"] * PER_INHABITANTS, np.nan)
    g["cost_per_resident"] = np.where(g["residents"] > 0, g["cost_total"] / g["residents"], np.nan)
    funding = g[list(FUNDING_COLUMNS)]
    total = funding.sum(axis=1, min_count=1)
    g["cofinancing_share"] = np.where(total > 0, g[list(NON_BUDGET_FUNDING)].sum(axis=1, min_count=1) / total, np.nan)
    return g.drop(columns="residents_in_known").sort_values("tos_count", ascending=False).reset_index(drop=True)
