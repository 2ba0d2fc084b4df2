"""Contests and their results from stored protocols, and the commission's workspace.

* Results: contest, year, nomination, level, category, applicants with places and who went on to
  the next stage — each row with its protocol and place in it.
* A region's history: every contest of the region across the years, one row per application, and
  a table municipality × year of places.
* The workspace: a contest being scored (stored by store.scoring) read into plain objects, with
  its comparison (analytics.compare) and its results (analytics.scoring).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analytics.compare import FACTS, Applicant, Comparison, compare
from analytics.dataset import Dataset, Filters
from analytics.documents import CATEGORY_NAMES, DocumentData, contest_detail, contests_view
from analytics.formatting import fmt_date
from analytics.scoring import (
    CriteriaSet,
    Criterion,
    Entrant,
    Results,
    TieRule,
    figure_scores,
    score_results,
)

CATEGORY_SHORT = {"I": "I категория", "II": "II категория"}


def contests_table(ds: Dataset, dd: DocumentData, filters: Filters) -> pd.DataFrame:
    """Stored contests in the regions and years of the filters, newest first."""
    return contests_view(ds, dd, filters)


def results_table(ds: Dataset, dd: DocumentData, contest_id: str) -> pd.DataFrame:
    """One row per application: municipality, category, place, next stage, practice, source."""
    apps = contest_detail(ds, dd, contest_id)["applications"]
    if apps is None or len(apps) == 0:
        return pd.DataFrame(columns=["municipality_id", "municipality", "category_text", "place", "place_text", "recommended_text", "practice_title", "file_name", "source_ref"])
    return apps[["municipality_id", "municipality", "category", "category_text", "place", "place_text", "recommended", "recommended_text", "practice_title", "file_name", "source_ref"]].reset_index(drop=True)


def contest_info(ds: Dataset, dd: DocumentData, contest_id: str) -> dict | None:
    c = dd["contests"]
    row = c[c["contest_id"] == contest_id] if len(c) else c
    if row.empty:
        return None
    r = row.iloc[0]
    regions = dict(zip(ds.regions["region_id"], ds.regions["name"], strict=True)) if len(ds.regions) else {}
    return {
        "contest_id": contest_id,
        "name": r["name"],
        "year": int(r["year"]) if not pd.isna(r["year"]) else None,
        "level": r["level"] if isinstance(r["level"], str) else None,
        "region_id": r["region_id"] if isinstance(r["region_id"], str) else None,
        "region": regions.get(r["region_id"]),
        "nomination": r["nomination"] if isinstance(r["nomination"], str) else None,
        "decided_on": fmt_date(r["decided_on"]) if isinstance(r["decided_on"], str) else None,
        "file_name": (f"{ds.document_name(r['document_id'])} (демо)" if r["document_id"] in ds.demo_ids else ds.document_name(r["document_id"])),
    }


def region_history(ds: Dataset, dd: DocumentData, region_id: str) -> pd.DataFrame:
    """Every application in the region's contests, by year: who took which place and went on."""
    c = dd["contests"]
    apps = dd["applications"]
    if c.empty or apps.empty:
        return pd.DataFrame(columns=["year", "contest", "nomination", "level", "municipality", "category", "place", "recommended", "file_name", "source_ref"])
    c = c[c["region_id"] == region_id]
    merged = apps.merge(c[["contest_id", "name", "year", "nomination", "level"]], on="contest_id", how="inner")
    names = dict(zip(ds.municipalities["municipality_id"], ds.municipalities["name"], strict=True))
    files = {d: n for d, n in zip(ds.documents["document_id"], ds.documents["file_name"], strict=True)} if len(ds.documents) else {}
    demo = ds.demo_ids
    out = pd.DataFrame(
        {
            "year": pd.to_numeric(merged["year"], errors="coerce").astype("Int64"),
            "contest": merged["name"],
            "nomination": merged["nomination"],
            "level": merged["level"],
            "municipality_id": merged["municipality_id"],
            "municipality": merged["municipality_id"].map(names).fillna(merged["municipality_id"]),
            "category": merged["category"],
            "place": pd.to_numeric(merged["place"], errors="coerce").astype("Int64"),
            "recommended": merged["recommended"],
            "file_name": [f"{files.get(d, d)} (демо)" if d in demo else files.get(d, d) for d in merged["document_id"]],
            "source_ref": merged["source_ref"],
        }
    )
    return out.sort_values(["year", "category", "place"], ascending=[False, True, True], na_position="last").reset_index(drop=True)


def place_text(place: object, recommended: object) -> str:
    if place is None or pd.isna(place):
        text = "участие"
    else:
        text = f"{int(place)} место"
    if recommended is not None and not pd.isna(recommended) and bool(recommended):
        text += " → след. этап"
    return text


def history_pivot(history: pd.DataFrame) -> pd.DataFrame:
    """Municipality × year: «1 место → след. этап», «участие»; blank where it did not apply."""
    if history.empty:
        return pd.DataFrame()
    h = history.assign(cell=[place_text(p, r) for p, r in zip(history["place"], history["recommended"], strict=True)])
    h = h.assign(year_text=h["year"].map(lambda y: "без года" if pd.isna(y) else str(int(y))))
    pivot = h.pivot_table(index="municipality", columns="year_text", values="cell", aggfunc=lambda s: "; ".join(s))
    pivot = pivot[sorted(pivot.columns, reverse=True)]
    best = h.groupby("municipality")["place"].min()
    pivot = pivot.assign(_best=pivot.index.map(best)).sort_values(["_best"], na_position="last").drop(columns="_best")
    return pivot.fillna("").reset_index().rename(columns={"municipality": "Муниципалитет"})


# --------------------------------------------------------------------------- workspace
@dataclass
class Workspace:
    """A contest being scored, as read from the store (store.scoring.load_workspace)."""

    contest_id: str
    name: str
    year: int | None
    region_id: str | None
    region_name: str | None
    nomination: str | None
    level: str | None
    commission: str | None
    source_contest_id: str | None
    period_from: int | None
    period_to: int | None
    entrants: list[Entrant]
    members: list[tuple[str, str | None]]
    criteria: CriteriaSet
    scores: pd.DataFrame
    updated_by: str | None = None
    updated_at: dt.datetime | None = None
    extras: dict = field(default_factory=dict)

    @property
    def member_names(self) -> list[str]:
        return [m for m, _ in self.members]

    @property
    def has_criteria(self) -> bool:
        return bool(self.criteria.criteria)

    def entrant_name(self, municipality_id: str) -> str:
        return next((e.name for e in self.entrants if e.municipality_id == municipality_id), municipality_id)

    def title_lines(self) -> list[str]:
        lines = [f"{self.name}" + (f", {self.year} год" if self.year else "")]
        if self.nomination:
            lines.append(f"Номинация: «{self.nomination}»")
        if self.region_name or self.level:
            lines.append(", ".join(x for x in (f"{self.level} этап" if self.level else None, self.region_name) if x))
        return lines


def workspace_from_store(ds: Dataset, record: dict) -> Workspace:
    """Plain objects from the store's rows: names for ids, a CriteriaSet for the criteria rows."""
    c = record["contest"]
    names = dict(zip(ds.municipalities["municipality_id"], ds.municipalities["name"], strict=True)) if len(ds.municipalities) else {}
    regions = dict(zip(ds.regions["region_id"], ds.regions["name"], strict=True)) if len(ds.regions) else {}
    apps = record["applicants"]
    entrants = [
        Entrant(r.municipality_id, names.get(r.municipality_id, r.municipality_id), r.category if isinstance(r.category, str) else None)
        for r in apps.itertuples()
    ]
    criteria = CriteriaSet(
        c.get("criteria_name") or "Свой набор критериев",
        tuple(Criterion.from_record(r) for r in record["criteria"]),
        TieRule.from_record(c.get("tie_rule")),
    )
    return Workspace(
        contest_id=c["contest_id"],
        name=c["name"],
        year=c.get("year"),
        region_id=c.get("region_id"),
        region_name=regions.get(c.get("region_id")),
        nomination=c.get("nomination"),
        level=c.get("level"),
        commission=c.get("commission"),
        source_contest_id=c.get("source_contest_id"),
        period_from=c.get("period_from"),
        period_to=c.get("period_to"),
        entrants=entrants,
        members=list(record["members"]),
        criteria=criteria,
        scores=record["scores"],
        updated_by=c.get("updated_by"),
        updated_at=c.get("updated_at"),
    )


def workspace_comparison(ds: Dataset, dd: DocumentData, ws: Workspace) -> Comparison:
    """The applicants' facts for the workspace's period (figure-based criteria read these)."""
    applicants = [Applicant(e.municipality_id, e.name, e.category) for e in ws.entrants]
    return compare(ds, dd, applicants, ws.period_from, ws.period_to, ws.source_contest_id)


def evaluate(ds: Dataset, dd: DocumentData, ws: Workspace, cmp: Comparison | None = None) -> tuple[Comparison, Results]:
    """The comparison and the scoring results of a workspace."""
    cmp = cmp or workspace_comparison(ds, dd, ws)
    figures = figure_scores(ws.criteria, cmp) if ws.criteria.figure else {}
    results = score_results(ws.criteria, ws.entrants, ws.member_names, ws.scores, figures)
    return cmp, results


def figure_fact_options() -> dict[str, str]:
    """Facts a figure-based criterion can use: key → Russian label."""
    from analytics.compare import FIGURE_FACTS

    return {k: FACTS[k][0] for k in FIGURE_FACTS}


def percent_facts() -> tuple[str, ...]:
    """Facts that are shares (their bands are written in %)."""
    return tuple(k for k, (_, _, kind) in FACTS.items() if kind == "share")


def category_label(category: str | None) -> str:
    return CATEGORY_NAMES.get(category, "без категории") if category else "без категории"


def comparable_municipalities(ds: Dataset, dd: DocumentData, filters: Filters) -> dict[str, str]:
    """Municipalities worth comparing (with TOS, projects, a passport or an application), id → name, by name."""
    from analytics.municipality import municipality_options

    options = dict(municipality_options(ds, filters))
    m = ds.municipalities
    if filters.region_ids:
        m = m[m["region_id"].isin(filters.region_ids)]
    documented = set(dd["applications"]["municipality_id"]) if len(dd["applications"]) else set()
    documented |= set(dd["practices"]["municipality_id"].dropna()) if len(dd["practices"]) else set()
    extra = m[m["municipality_id"].isin(documented)]
    options.update(dict(zip(extra["municipality_id"], extra["name"], strict=True)))
    return dict(sorted(options.items(), key=lambda kv: kv[1]))
