"""Where the sources disagree about the same fact (DESIGN.md §3).

The same two facts appear in registries, protocols and passports: how many TOS a municipality
has, and how many residents live inside their boundaries. A protocol or a passport speaks as of
its own date, so it is compared with the registry as it stood then. The registry wins over a
protocol, a protocol over a passport; every disagreement is listed, never hidden.

The date a figure speaks of and when two figures agree are the rules of analytics.compare (the
commission's side-by-side view), so both views report the same conflicts: «на конец 2023 года» is
31.12.2023; a passport's TOS list speaks as of the passport's date, else the end of its practice
period; a figure with no date at all is not compared (nothing is invented).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.compare import agrees, period_date
from analytics.dataset import Dataset, Filters, memoized, selected_municipality_ids
from analytics.documents import DocumentData
from analytics.metrics import active_mask, counts_undated

FACTS = {"tos": "Число ТОС", "residents": "Жителей в границах ТОС"}
SOURCES = {"registry": "реестр", "protocol": "протокол комиссии", "passport": "паспорт практики"}
PRIORITY = ("registry", "protocol", "passport")
PROTOCOL_INDICATORS = {"ТОС": "tos", "жителей в границах ТОС": "residents"}
FACT_COLUMNS = ["municipality_id", "fact", "source", "value", "qualifier", "date", "document_id", "source_ref"]
COLUMNS = [
    "municipality_id", "municipality", "fact", "fact_name", "date", "chosen_source", "chosen_value",
    "other_source", "other_value", "document_id", "document", "source_ref",
]  # fmt: skip


def _doc_dates(ds: Dataset) -> dict[str, dt.date]:
    out = {}
    for _, d in ds.documents.iterrows():
        for key in ("doc_date", "as_of"):
            value = d.get(key)
            if isinstance(value, str) and value:
                out[d["document_id"]] = dt.date.fromisoformat(value[:10])
                break
    return out


def document_facts(ds: Dataset, dd: DocumentData) -> pd.DataFrame:
    """TOS counts and residents stated by protocols and passports, with their date and place."""
    rows = []
    contests = dd["contests"].set_index("contest_id") if not dd["contests"].empty else pd.DataFrame()
    ai = dd["application_indicators"]
    for _, r in ai[ai["indicator"].isin(PROTOCOL_INDICATORS)].iterrows() if not ai.empty else []:
        decided = contests["decided_on"].get(r["contest_id"]) if len(contests) else None
        year = contests["year"].get(r["contest_id"]) if len(contests) else None
        decided_on = dt.date.fromisoformat(decided[:10]) if isinstance(decided, str) else (dt.date(int(year), 12, 31) if year else None)
        date = period_date(r.get("period"), fallback=decided_on)  # «на конец 2023 года» in a 2024 protocol
        qualifier = r.get("qualifier") if isinstance(r.get("qualifier"), str) else None
        rows.append({"municipality_id": r["municipality_id"], "fact": PROTOCOL_INDICATORS[r["indicator"]], "source": "protocol",
                     "value": r["value"], "qualifier": qualifier, "date": date, "document_id": r["document_id"], "source_ref": r["source_ref"]})  # fmt: skip
    pt, practices = dd["practice_tos"], dd["practices"]
    if not pt.empty and not practices.empty:
        dates = _doc_dates(ds)
        by_id = practices.set_index("practice_id")
        for practice_id, group in pt.groupby("practice_id"):
            if practice_id not in by_id.index:
                continue
            municipality_id = by_id.at[practice_id, "municipality_id"]
            document_id = group["document_id"].iloc[0]
            end = pd.to_numeric(pd.Series([by_id["period_end"].get(practice_id) if "period_end" in by_id else None]), errors="coerce").iloc[0]
            # The passport's own date, else the end of its practice period; «по настоящее время» without a date: none.
            date = dates.get(document_id) or (dt.date(int(end), 12, 31) if not pd.isna(end) else None)
            base = {"municipality_id": municipality_id, "source": "passport", "qualifier": None, "date": date, "document_id": document_id,
                    "source_ref": group["source_ref"].iloc[0]}  # fmt: skip
            rows.append({**base, "fact": "tos", "value": float(len(group))})
            residents = pd.to_numeric(group["residents"], errors="coerce")
            if residents.notna().all() and len(residents):
                rows.append({**base, "fact": "residents", "value": float(residents.sum())})
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def _registry_value(ds: Dataset, municipality_id: str, fact: str, date: dt.date) -> tuple[float | None, str | None, str | None]:
    """The registry's figure for a municipality (with its settlements) at a date, and its source."""
    m = ds.municipalities
    tree = set(m.loc[(m["municipality_id"] == municipality_id) | (m["top_id"] == municipality_id), "municipality_id"])
    tos = ds.tos[ds.tos["municipality_id"].isin(tree)]
    if tos.empty:
        return None, None, None
    # A past date counts dated registrations only (DESIGN.md §3, as in the trend).
    active = tos[active_mask(tos, date, include_undated=counts_undated(ds, date))]
    document_id = tos["document_id"].mode().iloc[0]
    place = f"{len(active)} строк(и) реестра, действующих на {date:%d.%m.%Y}"
    if fact == "tos":
        return float(len(active)), document_id, place
    residents = active["residents"].astype("float64")
    if active.empty or residents.isna().any():
        return None, document_id, place  # unknown residents: no figure to compare
    return float(residents.sum()), document_id, place


@memoized
def conflicts(ds: Dataset, filters: Filters, dd: DocumentData) -> pd.DataFrame:
    """Every disagreement between sources about TOS counts and residents, with the figure in force."""
    facts = document_facts(ds, dd)
    ids = selected_municipality_ids(ds, filters)
    if ids is not None:
        facts = facts[facts["municipality_id"].isin(ids)]
    names = ds.municipalities.set_index("municipality_id")["name"]
    doc_names = ds.documents.set_index("document_id")["file_name"] if len(ds.documents) else pd.Series(dtype=object)
    demo = ds.demo_ids
    rows = []
    facts = facts[facts["date"].notna()]  # a figure with no date cannot be checked against anything
    for (municipality_id, fact, date), group in facts.groupby(["municipality_id", "fact", "date"], sort=False):
        value, reg_doc, reg_place = _registry_value(ds, municipality_id, fact, date)
        candidates = []
        if value is not None:
            candidates.append(("registry", value, None, reg_doc, reg_place))
        for _, r in group.iterrows():
            candidates.append((r["source"], float(r["value"]), r["qualifier"], r["document_id"], r["source_ref"]))
        candidates.sort(key=lambda c: PRIORITY.index(c[0]))
        chosen = candidates[0]
        for other in candidates[1:]:
            if agrees(chosen[1], other[1], other[2]):
                continue
            document = doc_names.get(other[3], other[3])
            rows.append(
                {
                    "municipality_id": municipality_id,
                    "municipality": names.get(municipality_id, municipality_id),
                    "fact": fact,
                    "fact_name": FACTS[fact],
                    "date": date,
                    "chosen_source": SOURCES[chosen[0]],
                    "chosen_value": chosen[1],
                    "other_source": SOURCES[other[0]],
                    "other_value": other[1],
                    "document_id": other[3],
                    "document": f"{document} (демо)" if other[3] in demo else document,
                    "source_ref": other[4],
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)
