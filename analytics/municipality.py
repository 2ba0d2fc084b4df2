"""A municipality card: who it is, its TOS, its projects and its trend."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.dataset import Dataset, Filters, in_years, memoized
from analytics.metrics import Kpis, kpis
from analytics.trends import trend_table


@dataclass
class MunicipalityCard:
    """One municipality (with its settlements) as the card shows it."""

    municipality_id: str
    name: str
    type: str | None
    region_name: str | None
    parent_name: str | None
    settlements: list[str]
    population: float | None
    population_year: int | None
    population_source: str | None
    kpis: Kpis
    tos: pd.DataFrame
    projects: pd.DataFrame
    trend: pd.DataFrame


def card(ds: Dataset, municipality_id: str, filters: Filters) -> MunicipalityCard:
    return _card(ds, filters, municipality_id)


@memoized
def _card(ds: Dataset, filters: Filters, municipality_id: str) -> MunicipalityCard:
    """Everything about one municipality (with its settlements) under the year filters in force."""
    m = ds.municipalities.set_index("municipality_id")
    row = m.loc[municipality_id]
    scoped = filters.with_(region_ids=(), municipality_ids=(municipality_id,))
    tree = set(m.index[(m.index == municipality_id) | (m["top_id"] == municipality_id)])
    tos = ds.tos[ds.tos["municipality_id"].isin(tree)].sort_values(["registered_on", "name"], na_position="last")
    projects = ds.projects[ds.projects["municipality_id"].isin(tree)]
    projects = projects[in_years(projects, filters)]
    projects = projects.sort_values(["year", "title"], ascending=[False, True])
    source = None
    if pd.notna(row.get("population_document_id")):
        source = f"{ds.document_name(row['population_document_id'])}, {row['population_source_ref']}"
    parent = row.get("parent_id")
    return MunicipalityCard(
        municipality_id=municipality_id,
        name=row["name"],
        type=row.get("type"),
        region_name=row.get("region_name"),
        parent_name=m.loc[parent, "name"] if isinstance(parent, str) and parent in m.index else None,
        settlements=sorted(m.loc[list(tree - {municipality_id}), "name"]) if len(tree) > 1 else [],
        population=row.get("population") if pd.notna(row.get("population")) else None,
        population_year=int(row["population_year"]) if pd.notna(row.get("population_year")) else None,
        population_source=source,
        kpis=kpis(ds, scoped),
        tos=tos,
        projects=projects,
        trend=trend_table(ds, scoped),
    )


def municipality_options(ds: Dataset, filters: Filters) -> dict[str, str]:
    """Municipalities that have TOS or projects (in the regions in force), id → name, by name."""
    m = ds.municipalities
    if filters.region_ids:
        m = m[m["region_id"].isin(filters.region_ids)]
    with_data = set(ds.tos["municipality_id"]) | set(ds.projects["municipality_id"])
    tops = set(m.loc[m["municipality_id"].isin(with_data), "top_id"]) | (with_data & set(m["municipality_id"]))
    m = m[m["municipality_id"].isin(tops)].sort_values("name")
    return dict(zip(m["municipality_id"], m["name"], strict=True))


@dataclass
class MunicipalityDocuments:
    """What the passports and protocols say about one municipality, with their sources."""

    practices: pd.DataFrame
    applications: pd.DataFrame
    conflicts: pd.DataFrame


def documents_for(ds: Dataset, dd, municipality_id: str, filters: Filters) -> MunicipalityDocuments:
    """Passports, contest results and source conflicts of a municipality (with its settlements)."""
    from analytics.conflicts import conflicts
    from analytics.documents import practices_view

    scoped = filters.with_(region_ids=(), municipality_ids=(municipality_id,), year_from=None, year_to=None)
    practices = practices_view(ds, dd, scoped)
    m = ds.municipalities
    tree = set(m.loc[(m["municipality_id"] == municipality_id) | (m["top_id"] == municipality_id), "municipality_id"])
    apps = dd["applications"]
    apps = apps[apps["municipality_id"].isin(tree)] if not apps.empty else apps
    contests = dd["contests"].set_index("contest_id") if not dd["contests"].empty else None
    names = ds.documents.set_index("document_id")["file_name"] if len(ds.documents) else pd.Series(dtype=object)
    demo = ds.demo_ids
    applications = pd.DataFrame(
        {
            "contest": apps["contest_id"].map(contests["name"]) if contests is not None else None,
            "year": apps["contest_id"].map(contests["year"]) if contests is not None else None,
            "category": apps["category"],
            "place": apps["place"],
            "recommended": apps["recommended"],
            "file_name": [f"{names.get(d, d)} (демо)" if d in demo else names.get(d, d) for d in apps["document_id"]],
            "source_ref": apps["source_ref"],
        }
    ) if len(apps) else pd.DataFrame(columns=["contest", "year", "category", "place", "recommended", "file_name", "source_ref"])
    found = conflicts(ds, Filters(), dd)
    return MunicipalityDocuments(practices, applications.sort_values("year", ascending=False), found[found["municipality_id"].isin(tree)])
