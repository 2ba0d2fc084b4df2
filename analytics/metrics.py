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
from analytics.formatting import fmt_date, fmt_int, plural
from loaders.canonical import FUNDING_COLUMNS, NON_BUDGET_FUNDING, PROJECT_DONE

PER_INHABITANTS = 10_000


def reference_date(ds: Dataset, filters: Filters) -> dt.date:
    """The date «now» means: today, or the end of the last selected year if that is earlier."""
    if filters.year_to is not None and filters.year_to < ds.today.year:
        return dt.date(filters.year_to, 12, 31)
    return ds.today


def counts_undated(ds: Dataset, date: dt.date) -> bool:
    """Whether TOS without a registration date count at `date`: in the current figure only.

    At the end of a past year they may not have existed yet, and the trend leaves them out too.
    """
    return date >= ds.today


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


def cofinancing_parts(projects: pd.DataFrame) -> pd.DataFrame:
    """Per project, the two sums of the co-financing share: non-budget money and the total cost.

    Only projects with a known total cost and at least one stated source take part (others are NaN);
    the share is non-budget ÷ total cost (DESIGN §3), not ÷ the sum of the stated sources: one
    stated residents' contribution would otherwise make a project «100 % внебюджетный».
    """
    funding = projects[list(FUNDING_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    cost = pd.to_numeric(projects["cost_total"], errors="coerce")
    takes_part = funding.notna().any(axis=1) & (cost > 0)
    return pd.DataFrame(
        {
            "cofinancing_base": cost.where(takes_part),
            "cofinancing_non_budget": funding[list(NON_BUDGET_FUNDING)].sum(axis=1).where(takes_part),
        },
        index=projects.index,
    )


def cofinancing_share(projects: pd.DataFrame) -> float | None:
    """Non-budget share of the total cost of the projects that state their sources and their cost."""
    parts = cofinancing_parts(projects)
    total = parts["cofinancing_base"].sum()
    if not parts["cofinancing_base"].notna().any() or total <= 0:
        return None
    return float(parts["cofinancing_non_budget"].sum() / total)


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
    tos_undated: int  # counted in tos_now without a registration date (current figure only)
    tos_undated_left_out: int  # not counted: the date is a past year's end and theirs is unknown
    tos_dissolved_undated: int
    residents: float | None
    residents_unknown: int
    residents_approximate: int  # «около 300», «более 2000»: in the sum as written
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
    with_undated = counts_undated(ds, date)
    active = tos[active_mask(tos, date, include_undated=with_undated)]
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
        tos_undated_left_out=0 if with_undated else undated_count(tos[~tos["dissolved_undated"]]),
        tos_dissolved_undated=int(tos["dissolved_undated"].sum()),
        residents=residents_sum(active),
        residents_unknown=int(pd.to_numeric(active["residents"], errors="coerce").isna().sum()),
        residents_approximate=int((active["residents_qualifier"].notna() & pd.to_numeric(active["residents"], errors="coerce").notna()).sum()),
        population=population,
        population_units_known=len(known_units),
        population_units=len(units),
        # No TOS in the known municipalities is a true 0; TOS there with unknown residents leave it unknown.
        coverage=coverage(covered_known if covered_known is not None else (0.0 if population and in_known.empty else None), population),
        projects_completed=len(done),
        projects_total=len(projects),
        cost_total=float(cost.sum()) if cost.notna().any() else None,
        cost_average=float(cost.mean()) if cost.notna().any() else None,
        cost_unknown=int(cost.isna().sum()),
        cofinancing_share=cofinancing_share(done),
        year_from=filters.year_from,
        year_to=filters.year_to,
    )


def kpi_notes(k: Kpis) -> dict[str, str]:
    """What the reader must know about each headline figure, in the words of the page and the workbook.

    Keys: tos, residents, coverage, projects, cost. A figure without a caveat has no key.
    """
    notes: dict[str, list[str]] = {}
    if k.tos_undated:
        notes.setdefault("tos", []).append(f"в т. ч. {fmt_int(k.tos_undated)} без даты регистрации")
    if k.tos_undated_left_out:
        notes.setdefault("tos", []).append(
            f"{fmt_int(k.tos_undated_left_out)} ТОС без даты регистрации не учтены: неизвестно, действовали ли они на {fmt_date(k.reference_date)}"
        )
    if k.tos_dissolved_undated:
        notes.setdefault("tos", []).append(f"{fmt_int(k.tos_dissolved_undated)} ТОС отмечены ликвидированными без даты и не учтены")
    if k.residents_unknown:
        notes.setdefault("residents", []).append(f"численность жителей неизвестна у {fmt_int(k.residents_unknown)} ТОС — сумма неполная")
    if k.residents_approximate:
        notes.setdefault("residents", []).append(
            f"у {fmt_int(k.residents_approximate)} ТОС численность приблизительная («около», «более») и учтена как указана"
        )
    if k.population_units and k.population_units_known < k.population_units:
        notes.setdefault("coverage", []).append(
            f"по {fmt_int(k.population_units_known)} из {fmt_int(k.population_units)} "
            f"{plural(k.population_units, 'муниципалитета', 'муниципалитетов', 'муниципалитетов')} с известной численностью населения"
        )
    if k.coverage is not None and k.coverage > 1:
        notes.setdefault("coverage", []).append("жителей в границах ТОС больше населения — проверьте численность населения и её год")
    if k.cost_unknown:
        notes.setdefault("cost", []).append(
            f"у {fmt_int(k.cost_unknown)} {plural(k.cost_unknown, 'реализованного проекта', 'реализованных проектов', 'реализованных проектов')} "
            "стоимость неизвестна — сумма неполная"
        )
    return {key: "; ".join(parts) for key, parts in notes.items()}


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
    tos = tos[active_mask(tos, date, include_undated=counts_undated(ds, date))].assign(unit=lambda d: d["municipality_id"].map(unit_of))
    projects = completed(filter_projects(ds, filters)).assign(unit=lambda d: d["municipality_id"].map(unit_of))
    projects = projects.join(cofinancing_parts(projects))
    # Built-in aggregations only: a Python lambda per group costs seconds over 18 000 municipalities.
    grouped = tos.groupby("unit")
    g_tos = pd.DataFrame({"tos_count": grouped.size(), "residents": grouped["residents"].sum(min_count=1).astype("float64")})
    grouped = projects.groupby("unit")
    g_proj = grouped[["cost_total", *FUNDING_COLUMNS, "cofinancing_base", "cofinancing_non_budget"]].sum(min_count=1)
    g_proj.insert(0, "projects_completed", grouped.size())
    # The population keeps its source: the document and the place in it.
    source = [c for c in ("population_document_id", "population_source_ref") if c in units.columns]
    table = units[["municipality_id", "name", "type", "region_id", "region_name", "population", "population_year", *source]].set_index(
        "municipality_id"
    )
    table = table.join(g_tos).join(g_proj)
    table["tos_count"] = table["tos_count"].fillna(0).astype(int)
    table["projects_completed"] = table["projects_completed"].fillna(0).astype(int)
    population = pd.to_numeric(table["population"], errors="coerce")
    residents = pd.to_numeric(table["residents"], errors="coerce")
    # Unknown residents of existing TOS leave coverage unknown; no TOS at all is a true 0.
    table["coverage"] = np.where(population > 0, residents / population, np.nan)
    table.loc[table["tos_count"] == 0, "coverage"] = np.where(population[table["tos_count"] == 0] > 0, 0.0, np.nan)
    table["tos_per_10k"] = np.where(population > 0, table["tos_count"] / population * PER_INHABITANTS, np.nan)
    cost = pd.to_numeric(table["cost_total"], errors="coerce")
    table["cost_per_resident"] = np.where(residents > 0, cost / residents, np.nan)
    base = pd.to_numeric(table["cofinancing_base"], errors="coerce")
    table["cofinancing_share"] = np.where(base > 0, pd.to_numeric(table["cofinancing_non_budget"], errors="coerce") / base, np.nan)
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
    known = population > 0
    residents = pd.to_numeric(m["residents"], errors="coerce")
    cost = pd.to_numeric(m["cost_total"], errors="coerce")
    # Ratios divide sums over the same municipalities: those where both parts are known.
    m = m.assign(
        population_known=population.where(known),
        residents_in_known=residents.where(known),
        tos_in_known=m["tos_count"].where(known),
        # Municipalities with TOS whose residents are all unknown: the region's coverage is partial.
        covered_unknown=(known & (m["tos_count"] > 0) & residents.isna()).astype(int),
        cost_with_residents=cost.where(residents > 0),
        residents_with_cost=residents.where(cost.notna() & (residents > 0)),
    )
    grouped = m.groupby(["region_id", "region_name"], dropna=False)
    sums = ["population_known", "residents_in_known", "tos_in_known", "residents", "cost_total", *FUNDING_COLUMNS]
    sums += ["cofinancing_base", "cofinancing_non_budget", "cost_with_residents", "residents_with_cost"]
    g = grouped[sums].sum(min_count=1)
    g["covered_unknown"] = grouped["covered_unknown"].sum()
    g = g.rename(columns={"population_known": "population"})
    g.insert(0, "municipalities", grouped.size())
    g.insert(1, "tos_count", grouped["tos_count"].sum())
    g.insert(2, "projects_completed", grouped["projects_completed"].sum())
    g = g.reset_index()
    # Municipalities learned from files that named no region are a row of their own, with a name.
    g["region_name"] = g["region_name"].where(g["region_id"].notna() | g["region_name"].notna(), S.NO_REGION)
    has_population = g["population"] > 0
    # Coverage: unknown when TOS with unknown residents sit in the known municipalities and no resident is known.
    covered = g["residents_in_known"].where(g["residents_in_known"].notna() | (g["covered_unknown"] > 0), 0.0)
    g["coverage"] = np.where(has_population, covered / g["population"], np.nan)
    g["tos_per_10k"] = np.where(has_population, g["tos_in_known"].fillna(0) / g["population"] * PER_INHABITANTS, np.nan)
    g["cost_per_resident"] = np.where(g["residents_with_cost"] > 0, g["cost_with_residents"] / g["residents_with_cost"], np.nan)
    g["cofinancing_share"] = np.where(g["cofinancing_base"] > 0, g["cofinancing_non_budget"] / g["cofinancing_base"], np.nan)
    helpers = ["residents_in_known", "tos_in_known", "covered_unknown", "cost_with_residents", "residents_with_cost"]
    return g.drop(columns=helpers).sort_values("tos_count", ascending=False).reset_index(drop=True)
