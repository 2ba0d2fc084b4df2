"""How TOS develop over the years, overall and per region or municipality (top N plus the rest)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analytics.dataset import Dataset, Filters, filter_projects, filter_tos
from analytics.metrics import active_mask, completed, coverage_units, iso_dates, undated_count, year_range

REST = "Остальные"


def years_in_force(ds: Dataset, filters: Filters) -> list[int]:
    lo, hi = year_range(ds)
    lo = filters.year_from if filters.year_from is not None else lo
    hi = filters.year_to if filters.year_to is not None else hi
    return list(range(lo, min(hi, ds.today.year) + 1))


def trend_table(ds: Dataset, filters: Filters, years: list[int] | None = None) -> pd.DataFrame:
    """Per year: TOS at year end, new, dissolved, residents, coverage, projects completed, cost.

    Coverage divides by today's known population of the municipalities in force (populations by
    year are rarely complete); the page says so.
    """
    years = years if years is not None else years_in_force(ds, filters)
    tos = filter_tos(ds, filters)
    registered = iso_dates(tos["registered_on"])
    dissolved = iso_dates(tos["dissolved_on"])
    residents = pd.to_numeric(tos["residents"], errors="coerce")
    units = coverage_units(ds, filters)
    population = pd.to_numeric(units["population"], errors="coerce")
    known_population = float(population[population > 0].sum()) if (population > 0).any() else None
    known_ids = _ids_with_known_population(ds, units)
    done = completed(filter_projects(ds, filters.with_(year_from=None, year_to=None)))
    done_year = pd.to_numeric(done["year"], errors="coerce")
    cost = pd.to_numeric(done["cost_total"], errors="coerce")
    rows = []
    for year in years:
        end = min(dt.date(year, 12, 31), ds.today)
        mask = active_mask(tos, end, include_undated=False)
        in_known = mask & tos["municipality_id"].isin(known_ids)
        covered_known = residents[in_known].sum() if residents[in_known].notna().any() else 0.0
        in_year = done_year == year
        rows.append(
            {
                "year": year,
                "tos_count": int(mask.sum()),
                "new": int((registered.dt.year == year).sum()),
                "dissolved": int((dissolved.dt.year == year).sum()),
                "residents": float(residents[mask].sum()) if residents[mask].notna().any() else np.nan,
                "coverage": covered_known / known_population if known_population else np.nan,
                "projects_completed": int(in_year.sum()),
                "cost": float(cost[in_year].sum()) if cost[in_year].notna().any() else np.nan,
                "incomplete": year >= ds.today.year,
            }
        )
    out = pd.DataFrame(rows)
    if len(out):
        out["tos_change"] = out["tos_count"].diff()
        out["tos_change_pct"] = out["tos_count"].pct_change().replace([np.inf, -np.inf], np.nan)
    return out


def _ids_with_known_population(ds: Dataset, units: pd.DataFrame) -> set[str]:
    known = units[pd.to_numeric(units["population"], errors="coerce") > 0]["municipality_id"]
    m = ds.municipalities
    return set(m.loc[m["municipality_id"].isin(known) | m["top_id"].isin(known), "municipality_id"])


GROUP_METRICS = ("tos_count", "residents", "projects_completed", "cost")


def trend_by_group(ds: Dataset, filters: Filters, by: str, metric: str, top_n: int = 7) -> pd.DataFrame:
    """Long frame (year, group, value): one line per region or municipality, top N plus «Остальные».

    `by` is "region" or "municipality" (municipalities roll up to their district).
    """
    if metric not in GROUP_METRICS:
        raise ValueError(metric)
    years = years_in_force(ds, filters)
    m = ds.municipalities.set_index("municipality_id")
    if by == "region":
        key = m["region_name"].fillna(m["region_id"])
    else:
        key = m["top_id"].map(m["name"])
    frames = []
    if metric in ("tos_count", "residents"):
        tos = filter_tos(ds, filters).assign(group=lambda d: d["municipality_id"].map(key))
        residents = pd.to_numeric(tos["residents"], errors="coerce")
        for year in years:
            mask = active_mask(tos, min(dt.date(year, 12, 31), ds.today), include_undated=False)
            values = tos[mask].groupby("group").size() if metric == "tos_count" else residents[mask].groupby(tos.loc[mask, "group"]).sum()
            frames.append(pd.DataFrame({"year": year, "group": values.index, "value": values.to_numpy(dtype=float)}))
    else:
        done = completed(filter_projects(ds, filters)).assign(group=lambda d: d["municipality_id"].map(key))
        done = done.assign(cost=pd.to_numeric(done["cost_total"], errors="coerce"))
        agg = done.groupby(["year", "group"]).agg(value=("project_id", "size") if metric == "projects_completed" else ("cost", "sum"))
        frames.append(agg.reset_index())
    long = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["year", "group", "value"])
    if long.empty:
        return long
    last_year = long["year"].max()
    ranking = long[long["year"] == last_year].groupby("group")["value"].sum().sort_values(ascending=False)
    if len(ranking) < long["group"].nunique():
        ranking = long.groupby("group")["value"].sum().sort_values(ascending=False)
    top = list(ranking.index[:top_n])
    long["group"] = long["group"].where(long["group"].isin(top), REST)
    long = long.groupby(["year", "group"], as_index=False)["value"].sum()
    order = {g: i for i, g in enumerate(top + [REST])}
    long["order"] = long["group"].map(order)
    return long.sort_values(["year", "order"]).drop(columns="order").reset_index(drop=True)


def trend_notes(ds: Dataset, filters: Filters, table: pd.DataFrame) -> list[str]:
    """Honest notes for the trend page: incomplete years, missing dates, coverage basis."""
    notes = []
    if len(table) and table["incomplete"].any():
        year = int(table.loc[table["incomplete"], "year"].iloc[0])
        notes.append(f"{year} год не завершён: данные на {ds.today.strftime('%d.%m.%Y')}.")
    tos = filter_tos(ds, filters)
    undated = undated_count(tos)
    if undated:
        notes.append(f"У {undated} ТОС нет даты регистрации — они учтены в текущем числе, но не в динамике.")
    precision = tos.get("registered_precision")
    if precision is not None:
        year_only = int((precision == "year").sum())
        if year_only:
            notes.append(f"У {year_only} ТОС известен только год регистрации — они считаются действующими с конца этого года.")
    dissolved_undated = int(((tos["status"] == "ликвидирован") & iso_dates(tos["dissolved_on"]).isna()).sum())
    if dissolved_undated:
        notes.append(f"{dissolved_undated} ТОС отмечены ликвидированными без даты и не учтены ни в одном году.")
    notes.append(
        "Численность жителей ТОС взята по последним реестрам и отнесена ко всем годам действия ТОС; "
        "охват — к последней известной численности населения."
    )
    projects = filter_projects(ds, filters)
    no_year = int(pd.to_numeric(projects["year"], errors="coerce").isna().sum())
    if no_year:
        notes.append(f"У {no_year} проектов не указан год — они не показаны по годам.")
    return notes
