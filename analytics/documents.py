"""Facts from documents for the «Документы и практики» page: practices, contests, other documents.

Every row shown keeps its document (file name, «(демо)» when it is demo data) and its place in
it (`source_ref`). Personal data (leaders, contacts) never reaches this module: the store leaves
it out unless asked, and nothing here asks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analytics.dataset import Dataset, Filters, selected_municipality_ids
from analytics.formatting import NBSP, fmt_date, fmt_int, fmt_moments, fmt_num, moment_column
from loaders.doc_headings import SECTION_TITLES
from strings import KIND_NAMES, STATUS_NAMES

DOC_TABLES = (
    "practices",
    "practice_indicators",
    "practice_costs",
    "practice_tos",
    "legal_acts",
    "contests",
    "applications",
    "application_indicators",
)
QUALIFIER_WORDS = {">=": "более", "<=": "не более", "~": "около", "range": "от"}
CATEGORY_NAMES = {"I": "I — городские округа, муниципальные округа, городские поселения", "II": "II — сельские поселения"}


@dataclass(eq=False)  # hashed by identity: one object per store revision, a fine memo key
class DocumentData:
    """The document tables, read once per store revision."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())

    @property
    def empty(self) -> bool:
        return all(self[t].empty for t in ("practices", "contests"))


def fmt_value(value: object, qualifier: object = None, unit: object = None) -> str:
    """«более 2 000 ед.», «около 9 000 чел.», «−6,5 на 1000 населения»; unknown is «—»."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    v = float(value)
    text = fmt_int(v) if v.is_integer() else fmt_num(v, 1 if abs(v) >= 10 else 2).rstrip("0").rstrip(",")
    text = text.replace("-", "−")
    word = QUALIFIER_WORDS.get(qualifier) if isinstance(qualifier, str) else None
    if word:
        text = f"{word} {text}"
    if isinstance(unit, str) and unit:
        text = f"{text}{NBSP}{unit}"
    return text


def _names(ds: Dataset) -> tuple[dict, dict, dict]:
    m = ds.municipalities
    muni = dict(zip(m["municipality_id"], m["name"], strict=True)) if len(m) else {}
    regions = dict(zip(ds.regions["region_id"], ds.regions["name"], strict=True)) if len(ds.regions) else {}
    files = dict(zip(ds.documents["document_id"], ds.documents["file_name"], strict=True)) if len(ds.documents) else {}
    demo = ds.demo_ids
    files = {k: f"{v} (демо)" if k in demo else v for k, v in files.items()}
    return muni, regions, files


def _in_scope(ds: Dataset, filters: Filters, frame: pd.DataFrame, region_col: str = "region_id") -> pd.Series:
    """Rows of the chosen regions and municipalities (settlements of a chosen district included)."""
    mask = pd.Series(True, index=frame.index)
    chosen = selected_municipality_ids(ds, filters)
    if filters.municipality_ids and "municipality_id" in frame:
        mask &= frame["municipality_id"].isin(chosen or set())
    elif filters.region_ids:
        regions = frame[region_col] if region_col in frame else pd.Series(None, index=frame.index)
        if "municipality_id" in frame:
            m = ds.municipalities.set_index("municipality_id")["region_id"] if len(ds.municipalities) else pd.Series(dtype=object)
            regions = regions.fillna(frame["municipality_id"].map(m))
        mask &= regions.isin(filters.region_ids)
    return mask


def _years_overlap(start: pd.Series, end: pd.Series, filters: Filters, today: dt.date) -> pd.Series:
    if filters.year_from is None:
        return pd.Series(True, index=start.index)
    s = pd.to_numeric(start, errors="coerce")
    e = pd.to_numeric(end, errors="coerce").fillna(today.year)
    known = s.notna()
    return ~known | ((s <= filters.year_to) & (e >= filters.year_from))


def period_text(start: object, end: object) -> str:
    if start is None or pd.isna(start):
        return "—"
    if end is None or pd.isna(end):
        return f"с {int(start)} по наст. время"
    return str(int(start)) if int(start) == int(end) else f"{int(start)}–{int(end)}"


def practices_view(ds: Dataset, dd: DocumentData, filters: Filters) -> pd.DataFrame:
    """One row per practice in scope, newest first, with its document and place."""
    p = dd["practices"]
    if p.empty:
        return p
    p = p[_in_scope(ds, filters, p) & _years_overlap(p["period_start"], p["period_end"], filters, ds.today)]
    muni, regions, files = _names(ds)
    tos = dd["practice_tos"]
    tos_count = tos.groupby("practice_id").size() if len(tos) else pd.Series(dtype=int)
    costs = dd["practice_costs"]
    cost_sum = costs.groupby("practice_id")["amount_rub"].sum(min_count=1) if len(costs) else pd.Series(dtype=float)
    out = pd.DataFrame(
        {
            "practice_id": p["practice_id"],
            "document_id": p["document_id"],
            "title": p["title"],
            "municipality": p["municipality_id"].map(muni).fillna(p["municipality_id"]),
            "region": p["region_id"].map(regions),
            "period": [period_text(s, e) for s, e in zip(p["period_start"], p["period_end"], strict=True)],
            "period_start": p["period_start"],
            "participants": [fmt_value(v, q) for v, q in zip(p["participants"], p["participants_qualifier"], strict=True)],
            "beneficiaries": [
                fmt_value(v, q) if v is not None and not pd.isna(v) else (t if isinstance(t, str) else "—")
                for v, q, t in zip(p["beneficiaries"], p["beneficiaries_qualifier"], p["beneficiaries_text"], strict=True)
            ],
            # «на всех жителей округа»: a statement, shown as written, never as a number.
            "beneficiaries_statement": [
                t if (v is None or pd.isna(v)) and isinstance(t, str) else None
                for v, t in zip(p["beneficiaries"], p["beneficiaries_text"], strict=True)
            ],
            "tos_count": p["practice_id"].map(tos_count),
            "cost": p["practice_id"].map(cost_sum),
            "cost_text": p["practice_id"].map(cost_sum).map(lambda v: fmt_int(v) if v == v and v is not None else "—"),
            "file_name": p["document_id"].map(files),
            "source_ref": p["source_ref"],
        }
    )
    return out.sort_values(["period_start", "title"], ascending=[False, True], na_position="last").reset_index(drop=True)


def _with_doc(frame: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    _, _, files = _names(ds)
    frame = frame.copy()
    frame["file_name"] = frame["document_id"].map(files)
    return frame


def practice_detail(ds: Dataset, dd: DocumentData, practice_id: str) -> dict[str, pd.DataFrame | list]:
    """Indicators, costs, TOS and legal acts of one practice, each row with its document and place."""
    out: dict[str, pd.DataFrame | list] = {}
    ind = dd["practice_indicators"]
    ind = ind[ind["practice_id"] == practice_id] if len(ind) else ind
    if len(ind):
        ind = _with_doc(ind, ds)
        ind = ind.assign(
            value_text=[fmt_value(v, q) for v, q in zip(ind["value"], ind["qualifier"], strict=True)],
            section_name=ind["section"].map(_section_name),
        )
    out["indicators"] = ind
    costs = dd["practice_costs"]
    costs = costs[costs["practice_id"] == practice_id] if len(costs) else costs
    if len(costs):
        costs = _with_doc(costs, ds).assign(amount_text=lambda f: f["amount_rub"].map(lambda v: fmt_int(v) if v == v and v is not None else "—"))
    out["costs"] = costs
    tos = dd["practice_tos"]
    tos = tos[tos["practice_id"] == practice_id] if len(tos) else tos
    if len(tos):
        tos = _with_doc(tos, ds)
        registry = ds.tos
        known = set(registry["tos_id"]) if len(registry) else set()
        tos = tos.assign(
            in_registry=tos["tos_id"].isin(known),
            residents_text=tos["residents"].map(lambda v: "—" if v is None or pd.isna(v) else fmt_int(v)),
        )
    out["tos"] = tos
    acts = dd["legal_acts"]
    acts = acts[acts["practice_id"] == practice_id] if len(acts) else acts
    if len(acts):
        acts = _with_doc(acts, ds).assign(date_text=lambda f: f["date"].map(lambda d: fmt_date(d) if isinstance(d, str) else "—"))
    out["acts"] = acts
    p = dd["practices"]
    doc_id = p.loc[p["practice_id"] == practice_id, "document_id"]
    out["warnings"] = document_warnings(ds, doc_id.iloc[0]) if len(doc_id) else []
    return out


def _section_name(section: object) -> str:
    try:
        k = int(section)
    except (TypeError, ValueError):
        return "—"
    return f"{k}. {SECTION_TITLES.get(k, '')}".strip()


def document_warnings(ds: Dataset, document_id: str) -> list[dict]:
    docs = ds.documents
    hit = docs.loc[docs["document_id"] == document_id, "warnings"] if len(docs) else []
    if len(hit) == 0 or not isinstance(hit.iloc[0], list):
        return []
    return hit.iloc[0]


def contests_view(ds: Dataset, dd: DocumentData, filters: Filters) -> pd.DataFrame:
    c = dd["contests"]
    if c.empty:
        return c
    apps = dd["applications"]
    if filters.municipality_ids and len(apps):
        keep = set(apps.loc[_in_scope(ds, filters, apps), "contest_id"])
        c = c[c["contest_id"].isin(keep)]
    elif filters.region_ids:
        c = c[c["region_id"].isin(filters.region_ids)]
    if filters.year_from is not None:
        year = pd.to_numeric(c["year"], errors="coerce")
        c = c[year.isna() | year.between(filters.year_from, filters.year_to)]
    _, regions, files = _names(ds)
    counts = apps.groupby("contest_id").size() if len(apps) else pd.Series(dtype=int)
    out = pd.DataFrame(
        {
            "contest_id": c["contest_id"],
            "document_id": c["document_id"],
            "name": c["name"],
            "year": c["year"],
            "level": c["level"].fillna("—"),
            "region": c["region_id"].map(regions),
            "nomination": c["nomination"],
            "decided_on": c["decided_on"].map(lambda d: fmt_date(d) if isinstance(d, str) else "—"),
            "applications": c["contest_id"].map(counts).fillna(0).astype(int),
            "file_name": c["document_id"].map(files),
            "source_ref": c["source_ref"],
        }
    )
    return out.sort_values(["year", "region"], ascending=[False, True]).reset_index(drop=True)


def contest_detail(ds: Dataset, dd: DocumentData, contest_id: str) -> dict[str, pd.DataFrame | list]:
    muni, _, _ = _names(ds)
    apps = dd["applications"]
    apps = apps[apps["contest_id"] == contest_id] if len(apps) else apps
    if len(apps):
        apps = _with_doc(apps, ds)
        apps = apps.assign(
            municipality=apps["municipality_id"].map(muni).fillna(apps["municipality_id"]),
            category_text=apps["category"].map(lambda c: CATEGORY_NAMES.get(c, "—") if isinstance(c, str) else "—"),
            place_text=apps["place"].map(lambda v: "—" if v is None or pd.isna(v) else f"{int(v)} место"),
            recommended_text=apps["recommended"].map(lambda v: "—" if v is None or pd.isna(v) else ("да" if bool(v) else "нет")),
        ).sort_values(["category", "place"], na_position="last")
    ind = dd["application_indicators"]
    ind = ind[ind["contest_id"] == contest_id] if len(ind) else ind
    if len(ind):
        ind = _with_doc(ind, ds)
        ind = ind.assign(
            municipality=ind["municipality_id"].map(muni).fillna(ind["municipality_id"]),
            value_text=[fmt_value(v, q) for v, q in zip(ind["value"], ind["qualifier"], strict=True)],
        )
    c = dd["contests"]
    doc_id = c.loc[c["contest_id"] == contest_id, "document_id"]
    return {"applications": apps, "indicators": ind, "warnings": document_warnings(ds, doc_id.iloc[0]) if len(doc_id) else []}


def other_documents_view(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """Resolutions and other TOS documents: date, place, region, participants."""
    docs = ds.documents
    if docs.empty:
        return docs
    d = docs[docs["kind"].isin(["resolution", "other"]) & (docs["status"] != "rejected")]
    if filters.region_ids:
        d = d[d["region_id"].isin(filters.region_ids)]
    _, regions, files = _names(ds)

    def date_text(row) -> str:
        meta = row["meta"] if isinstance(row["meta"], dict) else {}
        if not isinstance(row["doc_date"], str):
            return "—"
        return row["doc_date"][:4] if meta.get("doc_date_precision") == "year" else fmt_date(row["doc_date"])

    def participants(row) -> str:
        meta = row["meta"] if isinstance(row["meta"], dict) else {}
        value = row["participants"]
        return fmt_value(value, meta.get("participants_qualifier"), "чел.") if value is not None and not pd.isna(value) else "—"

    return pd.DataFrame(
        {
            "file_name": d["document_id"].map(files),
            "kind": d["kind"].map(KIND_NAMES),
            "date": [date_text(r) for _, r in d.iterrows()],
            "place": d["place"].fillna("—"),
            "region": d["region_id"].map(regions).fillna("—"),
            "participants": [participants(r) for _, r in d.iterrows()],
            "title": d["title"].fillna("—"),
        }
    ).reset_index(drop=True)


def summary(practices: pd.DataFrame, contests: pd.DataFrame, others: pd.DataFrame) -> dict[str, int]:
    return {
        "practices": len(practices),
        "contests": len(contests),
        "applications": int(contests["applications"].sum()) if len(contests) else 0,
        "others": len(others),
    }


def uploaded_documents_view(ds: Dataset) -> pd.DataFrame:
    """Every stored document for the staff list: kind, state, when loaded (local time), rows, warnings."""
    docs = ds.documents
    return pd.DataFrame(
        {
            "Документ": docs["file_name"],
            "Вид": docs["kind"].map(KIND_NAMES).fillna("—"),
            "Состояние": docs["status"].map(STATUS_NAMES),
            moment_column("Загружен"): fmt_moments(docs["ingested_at"]),
            "По состоянию на": docs["as_of"].map(fmt_date),
            "Строк": docs["rows"],
            "Из них заменено": docs["superseded"],
            "Замечаний": docs["warnings"].map(len),
            "Демо": docs["is_demo"].fillna(False).astype(bool),
            "Кто загрузил": docs["uploaded_by"],
        }
    )
