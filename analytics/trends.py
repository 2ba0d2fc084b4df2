"""How TOS develop over the years, overall and per region or municipality (top N plus the rest)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analytics.dataset import Dataset, Filters, filter_projects, filter_tos, memoized
from analytics.formatting import fmt_date
from analytics.metrics import active_mask, completed, coverage_units, undated_count, year_range

REST = "Остальные"


def years_in_force(ds: Dataset, filters: Filters) -> list[int]:
    lo, hi = year_range(ds)
    lo = filters.year_from if filters.year_from is not None else lo
    hi = filters.year_to if filters.year_to is not None else hi
    return list(range(lo, min(hi, ds.today.year) + 1))


def _counts_at(ends: np.ndarray, start: np.ndarray, stop: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """For each date in `ends`: how many (or how much weight) of the intervals [start, stop) cover it.

    A TOS registered at `start` and dissolved at `stop` (NaT: still active) is active at E when
    start ≤ E < stop. Sorting once and counting with searchsorted costs O(n log n) for all years,
    instead of a full mask per year.
    """
    order = np.argsort(start)
    started = np.searchsorted(start[order], ends, side="right")
    has_stop = ~np.isnat(stop)
    # A dissolution before the registration (bad data) must not count twice: use the later date.
    stops = np.maximum(stop[has_stop], start[has_stop])
    stop_order = np.argsort(stops)
    stopped = np.searchsorted(stops[stop_order], ends, side="right")
    if weights is None:
        return (started - stopped).astype(float)
    w_started = np.concatenate([[0.0], np.cumsum(weights[order])])[started]
    w_stopped = np.concatenate([[0.0], np.cumsum(weights[has_stop][stop_order])])[stopped]
    return w_started - w_stopped


@memoized
def trend_table(ds: Dataset, filters: Filters, years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Per year: TOS at year end, new, dissolved, residents, coverage, projects completed, cost.

    Coverage divides by today's known population of the municipalities in force (populations by
    year are rarely complete); the page says so.
    """
    years = list(years) if years is not None else years_in_force(ds, filters)
    tos = filter_tos(ds, filters)
    # The trend counts dated registrations only, and never a TOS dissolved on an unknown date.
    dated = tos[tos["registered_ts"].notna() & ~tos["dissolved_undated"]]
    start = dated["registered_ts"].to_numpy(dtype="datetime64[ns]")
    stop = dated["dissolved_ts"].to_numpy(dtype="datetime64[ns]")
    residents = dated["residents"].astype("float64").to_numpy()
    known_residents = np.where(np.isnan(residents), 0.0, residents)
    has_residents = (~np.isnan(residents)).astype(float)
    units = coverage_units(ds, filters)
    population = pd.to_numeric(units["population"], errors="coerce")
    known_population = float(population[population > 0].sum()) if (population > 0).any() else None
    in_known = dated["municipality_id"].isin(_ids_with_known_population(ds, units)).to_numpy()
    ends = np.array([np.datetime64(min(dt.date(y, 12, 31), ds.today)) for y in years], dtype="datetime64[ns]")
    counts = _counts_at(ends, start, stop)
    resident_sums = _counts_at(ends, start, stop, known_residents)
    resident_known_n = _counts_at(ends, start, stop, has_residents)
    covered = _counts_at(ends, start, stop, np.where(in_known, known_residents, 0.0))
    # TOS in the known municipalities at each year end, and how many of them state their residents:
    # TOS there with none known leave the year's coverage unknown, not 0.
    tos_in_known = _counts_at(ends, start, stop, in_known.astype(float))
    known_in_known = _counts_at(ends, start, stop, (in_known & ~np.isnan(residents)).astype(float))
    covered = np.where((tos_in_known > 0) & (known_in_known == 0), np.nan, covered)
    registered_year = tos["registered_ts"].dt.year
    dissolved_year = tos["dissolved_ts"].dt.year
    new = registered_year.value_counts()
    gone = dissolved_year.value_counts()
    done = completed(filter_projects(ds, filters.with_(year_from=None, year_to=None)))
    by_year = done.groupby("year").agg(projects_completed=("project_id", "size"))
    by_year["cost"] = done.groupby("year")["cost_total"].sum(min_count=1)
    out = pd.DataFrame(
        {
            "year": years,
            "tos_count": counts.astype(int),
            "new": [int(new.get(y, 0)) for y in years],
            "dissolved": [int(gone.get(y, 0)) for y in years],
            "residents": np.where(resident_known_n > 0, resident_sums, np.nan),
            "coverage": covered / known_population if known_population else np.nan,
            "projects_completed": [int(by_year["projects_completed"].get(y, 0)) for y in years],
            # No completed projects: the cost is 0 ₽, as their count is 0 (NaN only for unknown costs).
            "cost": [float(by_year["cost"].get(y, np.nan)) if y in by_year.index else 0.0 for y in years],
            "incomplete": [y >= ds.first_unfinished_year for y in years],
        }
    )
    if len(out):
        out["tos_change"] = out["tos_count"].diff()
        out["tos_change_pct"] = out["tos_count"].pct_change().replace([np.inf, -np.inf], np.nan)
    return out


def _ids_with_known_population(ds: Dataset, units: pd.DataFrame) -> set[str]:
    known = units[pd.to_numeric(units["population"], errors="coerce") > 0]["municipality_id"]
    m = ds.municipalities
    return set(m.loc[m["municipality_id"].isin(known) | m["top_id"].isin(known), "municipality_id"])


GROUP_METRICS = ("tos_count", "residents", "projects_completed", "cost")


@memoized
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
        residents = tos["residents"].astype("float64")
        for year in years:
            mask = active_mask(tos, min(dt.date(year, 12, 31), ds.today), include_undated=False)
            values = tos[mask].groupby("group").size() if metric == "tos_count" else residents[mask].groupby(tos.loc[mask, "group"]).sum(min_count=1)
            frames.append(pd.DataFrame({"year": year, "group": values.index, "value": values.to_numpy(dtype=float)}))
    else:
        done = completed(filter_projects(ds, filters)).assign(group=lambda d: d["municipality_id"].map(key))
        if metric == "projects_completed":
            agg = done.groupby(["year", "group"]).agg(value=("project_id", "size"))
        else:  # unknown costs only: unknown, not 0
            agg = done.groupby(["year", "group"])["cost_total"].sum(min_count=1).rename("value").to_frame()
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
    long = long.groupby(["year", "group"], as_index=False)["value"].sum(min_count=1)
    order = {g: i for i, g in enumerate(top + [REST])}
    long["order"] = long["group"].map(order)
    return long.sort_values(["year", "order"]).drop(columns="order").reset_index(drop=True)


@memoized
def trend_notes(ds: Dataset, filters: Filters) -> list[str]:
    """Honest notes for the trend page: incomplete years, missing dates, coverage basis."""
    table = trend_table(ds, filters)
    notes = []
    if len(table) and table["incomplete"].any():
        year = int(table.loc[table["incomplete"], "year"].iloc[0])
        # The column counts TOS in force today, from documents dated as of ds.as_of: say both.
        as_of = f" по документам на {fmt_date(ds.as_of)}" if ds.as_of else ""
        notes.append(f"{year} год не завершён: его столбец — ТОС, действующие на {ds.today.strftime('%d.%m.%Y')}{as_of}.")
    tos = filter_tos(ds, filters)
    undated = undated_count(tos)
    if undated:
        notes.append(f"У {undated} ТОС нет даты регистрации — они учтены в текущем числе, но не в динамике.")
    precision = tos.get("registered_precision")
    if precision is not None:
        year_only = int((precision == "year").sum())
        if year_only:
            notes.append(f"У {year_only} ТОС известен только год регистрации — они считаются действующими с 1 января этого года и в динамике учтены в нём.")
    dissolved_undated = int(tos["dissolved_undated"].sum())
    if dissolved_undated:
        notes.append(f"{dissolved_undated} ТОС отмечены ликвидированными без даты и не учтены ни в одном году.")
    notes.append(
        "Численность жителей ТОС взята по последним реестрам и отнесена ко всем годам действия ТОС; "
        "охват — к последней известной численности населения."
    )
    projects = filter_projects(ds, filters)
    no_year = int(projects["year"].isna().sum())
    if no_year:
        notes.append(f"У {no_year} проектов не указан год — они не показаны по годам.")
    return notes


@memoized
def trend_figures(ds: Dataset, filters: Filters) -> dict:
    """The trend page's figures, built once per filter combination (plotly validation is slow)."""
    from analytics import charts
    from strings import M_COST, M_COVERAGE, M_PROJECTS_DONE, M_RESIDENTS, M_TOS_COUNT

    table = trend_table(ds, filters)
    if table.empty:
        return {}
    span = f"{table['year'].min()}–{table['year'].max()}"
    return {
        "count": charts.tos_count_by_year(table, f"{M_TOS_COUNT} на конец года, {span}"),
        "flow": charts.new_and_dissolved(table, f"Создано и ликвидировано ТОС, {span}"),
        "residents": charts.line(table, "residents", f"{M_RESIDENTS}, {span}"),
        "coverage": charts.line(table, "coverage", f"{M_COVERAGE}, {span}"),
        "projects": charts.line(table, "projects_completed", f"{M_PROJECTS_DONE} за год, {span}"),
        "cost": charts.line(table, "cost", f"{M_COST} за год, {span}"),
    }


@memoized
def group_figure(ds: Dataset, filters: Filters, by: str, metric: str, top_n: int):
    from analytics import charts

    long = trend_by_group(ds, filters, by=by, metric=metric, top_n=top_n)
    if long.empty:
        return None
    table = trend_table(ds, filters)
    span = f"{table['year'].min()}–{table['year'].max()}"
    title = f"{charts.METRIC_FORMATS[metric][0]} {'по регионам' if by == 'region' else 'по муниципалитетам'}, {span}"
    return charts.lines_by_group(long, metric, title)
