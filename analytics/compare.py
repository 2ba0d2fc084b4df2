"""Applicants side by side: one column per municipality, every figure with its source.

Facts come from three kinds of source (DESIGN.md §3):

* the registry (TOS, projects, population sheets) — the metrics of `analytics.metrics` and
  `analytics.trends`, computed for one municipality at a time;
* contest protocols — the figures stated in the characteristic of an application;
* practice passports — the practice, its participants and costs, its result indicators, its acts.

When sources give the same fact, the registry wins over a protocol and a protocol over a passport.
A protocol or passport figure is checked against the registry *at the date it speaks of* (a 2020
protocol against the registry on its decision day), so growth since then is not a conflict; a real
disagreement is listed, never hidden. A source that says nothing leaves the cell blank, not zero.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.dataset import Dataset, Filters, filter_projects, filter_tos
from analytics.documents import DocumentData, fmt_value
from analytics.formatting import NBSP, fmt_date, fmt_int, fmt_num, fmt_pct, fmt_rub
from analytics.metrics import (
    PER_INHABITANTS,
    active_mask,
    completed,
    counts_undated,
    kpis,
    municipality_table,
    reference_date,
    residents_sum,
)
from analytics.trends import trend_table

REGISTRY, PROTOCOL, PASSPORT, COMPUTED = "registry", "protocol", "passport", "computed"
SOURCE_NAMES = {REGISTRY: "реестр", PROTOCOL: "протокол", PASSPORT: "паспорт практики", COMPUTED: "расчёт"}
PRIORITY = {REGISTRY: 0, PROTOCOL: 1, PASSPORT: 2, COMPUTED: 3}

GROUP_TOS = "ТОС и жители"
GROUP_MONEY = "Проекты и деньги"
GROUP_PRACTICE = "Практика (паспорт)"
GROUP_RESULTS = "Результаты практики (паспорт, раздел 9)"
GROUP_APPLICATION = "Заявка (протокол)"

# fact key: (label, group, kind). Kind drives formatting: int, num, share, rub, text.
FACTS: dict[str, tuple[str, str, str]] = {
    "tos_count": ("Число ТОС", GROUP_TOS, "int"),
    "tos_growth": ("Прирост числа ТОС за период", GROUP_TOS, "int"),
    "residents": ("Жителей в границах ТОС", GROUP_TOS, "int"),
    "population": ("Население", GROUP_TOS, "int"),
    "coverage": ("Охват населения", GROUP_TOS, "share"),
    "tos_per_10k": ("ТОС на 10 тыс. жителей", GROUP_TOS, "num"),
    "residents_per_tos": ("Жителей на один ТОС", GROUP_TOS, "int"),
    "projects_completed": ("Реализовано проектов ТОС", GROUP_MONEY, "int"),
    "projects_per_tos": ("Проектов на один ТОС", GROUP_MONEY, "num"),
    "projects_per_10k": ("Проектов на 10 тыс. жителей", GROUP_MONEY, "num"),
    "cost_total": ("Стоимость реализованных проектов", GROUP_MONEY, "rub"),
    "cofinancing_share": ("Доля внебюджетных средств", GROUP_MONEY, "share"),
    "cost_per_resident": ("Стоимость на жителя ТОС", GROUP_MONEY, "rub"),
    "practice": ("Практика", GROUP_PRACTICE, "text"),
    "participants": ("Участников практики", GROUP_PRACTICE, "int"),
    "beneficiaries": ("Благополучателей практики", GROUP_PRACTICE, "int"),
    "practice_cost": ("Затраты на практику", GROUP_PRACTICE, "rub"),
    "practice_nonbudget_share": ("Доля внебюджетных средств в затратах практики", GROUP_PRACTICE, "share"),
    "legal_acts": ("Принято нормативных актов", GROUP_PRACTICE, "int"),
    "contest_result": ("Итог конкурса", GROUP_APPLICATION, "text"),
}
# Facts that figure-based criteria may use, in the order a person would pick them.
FIGURE_FACTS = (
    "tos_count", "tos_growth", "residents", "population", "coverage", "tos_per_10k", "residents_per_tos",
    "projects_completed", "projects_per_tos", "projects_per_10k", "cost_total", "cofinancing_share",
    "cost_per_resident", "participants", "beneficiaries", "practice_cost", "legal_acts",
)  # fmt: skip
# Normalised figures for the «at a glance» charts: per inhabitant and per TOS.
NORMALISED = ("tos_per_10k", "coverage", "residents_per_tos", "projects_per_10k", "projects_per_tos", "cost_per_resident", "cofinancing_share")

# Figures of protocols and passports that state a registry fact (normalised indicator names).
_STOCK_INDICATORS = {
    "тос": "tos_count",
    "количество тос": "tos_count",
    "количество зарегистрированных тос": "tos_count",
    "число тос": "tos_count",
    "жителей в границах тос": "residents",
    "численность населения": "population",
}
_FLOW_INDICATORS = {"реализовано проектов тос": "projects_completed", "реализованных проектов": "projects_completed"}
_NON_BUDGET_RE = re.compile(r"спонсор|жител|грант|внебюджет|пожертв|бизнес|предпринимат|собствен|благотвор", re.IGNORECASE)
_BUDGET_RE = re.compile(r"бюджет|муниципальн\w+\s+программ|субсиди", re.IGNORECASE)


@dataclass(frozen=True)
class Applicant:
    """One column of the comparison."""

    municipality_id: str
    name: str
    category: str | None = None
    place: int | None = None
    recommended: bool | None = None


@dataclass
class Comparison:
    """The facts of several applicants, long (one row per fact × applicant × source)."""

    applicants: list[Applicant]
    facts: pd.DataFrame  # every candidate value, with `shown` marking the one displayed
    conflicts: pd.DataFrame
    reference_date: dt.date
    year_from: int | None
    year_to: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> pd.DataFrame:
        return self.facts[self.facts["shown"]]

    def value(self, fact: str, municipality_id: str) -> float | None:
        """The displayed number of one fact for one applicant (None: unknown)."""
        rows = self.facts[(self.facts["fact"] == fact) & (self.facts["municipality_id"] == municipality_id) & self.facts["shown"]]
        if rows.empty:
            return None
        v = rows.iloc[0]["value"]
        return None if v is None or pd.isna(v) else float(v)

    def source(self, fact: str, municipality_id: str) -> dict | None:
        rows = self.facts[(self.facts["fact"] == fact) & (self.facts["municipality_id"] == municipality_id) & self.facts["shown"]]
        return None if rows.empty else rows.iloc[0].to_dict()


# --------------------------------------------------------------------------- helpers
def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "").lower().replace("ё", "е")).strip(" .,:")


_REF_RE = re.compile(r"^(?P<prefix>.*?)(?:,\s*)?строк[аи]\s+(?P<n>\d+)\s*$")


def condense_refs(refs: list[str] | pd.Series, limit: int = 6) -> str:
    """«лист «Реестр ТОС», строка 8» … «строка 16» → «лист «Реестр ТОС», строки 8–16»."""
    groups: dict[str, list[int]] = {}
    other: list[str] = []
    for ref in refs:
        if not isinstance(ref, str) or not ref:
            continue
        m = _REF_RE.match(ref)
        if m:
            groups.setdefault(m.group("prefix").strip().rstrip(","), []).append(int(m.group("n")))
        elif ref not in other:
            other.append(ref)
    parts = []
    for prefix, numbers in groups.items():
        numbers = sorted(set(numbers))
        runs: list[str] = []
        start = prev = numbers[0]
        for n in numbers[1:] + [None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            runs.append(str(start) if start == prev else f"{start}–{prev}")
            if n is not None:
                start = prev = n
        shown = ", ".join(runs[:limit]) + (f" и ещё {len(runs) - limit}" if len(runs) > limit else "")
        word = "строка" if len(numbers) == 1 else "строки"
        parts.append(f"{prefix}, {word} {shown}" if prefix else f"{word} {shown}")
    parts += other[:limit]
    return "; ".join(parts)


def _file_names(ds: Dataset) -> dict[str, str]:
    docs = ds.documents
    if docs.empty:
        return {}
    demo = ds.demo_ids
    return {d: (f"{n} (демо)" if d in demo else n) for d, n in zip(docs["document_id"], docs["file_name"], strict=True)}


def _rows_source(ds: Dataset, rows: pd.DataFrame) -> tuple[str | None, str | None]:
    """The documents and places a set of registry rows came from."""
    if rows is None or rows.empty:
        return None, None
    names = _file_names(ds)
    docs, places = [], []
    for doc_id, part in rows.groupby("document_id", sort=False):
        docs.append(names.get(doc_id, doc_id))
        places.append(condense_refs(part["source_ref"].tolist()))
    return "; ".join(docs), "; ".join(p for p in places if p)


def _year_of(text: object) -> int | None:
    m = re.search(r"(19|20)\d{2}", str(text or ""))
    return int(m.group(0)) if m else None


def period_date(period: object, start: int | None = None, end: int | None = None, fallback: dt.date | None = None) -> dt.date | None:
    """The day a stated figure speaks of: «на конец 2020 года» → 31.12.2020, «на 01.01.2019» → 01.01.2019."""
    text = _norm(period)
    if text:
        m = re.search(r"на\s+(\d{2})\.(\d{2})\.(\d{4})", text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.search(r"на\s+начало\s+((?:19|20)\d{2})", text)
        if m:
            return dt.date(int(m.group(1)), 1, 1)
        m = re.search(r"((?:19|20)\d{2})\D*$", text)
        if m:
            return dt.date(int(m.group(1)), 12, 31)
        if "начало периода" in text and start:
            return dt.date(int(start), 1, 1)
        if ("конец периода" in text or "весь период" in text) and end:
            return dt.date(int(end), 12, 31)
    return fallback


def agrees(registry: float, value: float, qualifier: object) -> bool:
    """A stated figure agrees with the reference, honouring «более», «не более», «около»."""
    if qualifier == ">=":
        return registry >= value
    if qualifier == "<=":
        return registry <= value
    if qualifier == "~":
        return abs(registry - value) <= max(1.0, 0.1 * abs(value))
    return abs(registry - value) < 0.5


def format_value(value: object, kind: str, qualifier: object = None, text: object = None) -> str:
    """A figure for a table cell: «9 827», «4,2 %», «9 770 500 ₽»; unknown is «—»."""
    if isinstance(text, str) and text and (value is None or pd.isna(value)):
        return text
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if kind == "share":
        base = fmt_pct(value)
    elif kind == "rub":
        base = fmt_rub(value, compact=False)
    elif kind == "num":
        base = fmt_num(value, 2)
    elif kind == "int":
        base = fmt_int(value)
    else:
        base = fmt_value(value)
    words = {">=": "более", "<=": "не более", "~": "около"}
    if isinstance(qualifier, str) and qualifier in words:
        base = f"{words[qualifier]} {base}"
    return base


# --------------------------------------------------------------------------- the comparison
class _Builder:
    def __init__(self, ds: Dataset, dd: DocumentData, year_from: int | None, year_to: int | None, contest_id: str | None):
        self.ds = ds
        self.dd = dd
        self.year_from = year_from
        self.year_to = year_to
        self.contest_id = contest_id
        self.rows: list[dict] = []
        self.conflicts: list[dict] = []
        self.notes: list[str] = []
        self.names = _file_names(ds)
        self.regions_with_tos = set(ds.tos["region_id"].dropna()) if len(ds.tos) else set()
        self.regions_with_projects = set(ds.projects["region_id"].dropna()) if len(ds.projects) else set()
        self.muni = ds.municipalities.set_index("municipality_id") if len(ds.municipalities) else pd.DataFrame()

    def filters(self, mid: str, year_from: int | None = None, year_to: int | None = None) -> Filters:
        return Filters(municipality_ids=(mid,), year_from=year_from, year_to=year_to)

    def add(self, mid: str, fact: str, value, source: str, *, label: str | None = None, group: str | None = None, kind: str | None = None,
            qualifier=None, text=None, document=None, place=None, when=None, quote=None, date: dt.date | None = None) -> dict:  # fmt: skip
        base_label, base_group, base_kind = FACTS.get(fact, (label, group, kind))
        kind = kind or base_kind
        row = {
            "fact": fact,
            "label": label or base_label,
            "group": group or base_group,
            "kind": kind,
            "municipality_id": mid,
            "value": None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value),
            "qualifier": qualifier if isinstance(qualifier, str) else None,
            "text": text,
            "source_kind": source,
            "source_name": SOURCE_NAMES[source],
            "document": document,
            "place": place,
            "when": when,
            "quote": quote,
            "date": date,
            "shown": False,
            "status": "",
        }
        row["display"] = format_value(row["value"], kind, row["qualifier"], text)
        self.rows.append(row)
        return row

    # -- registry -------------------------------------------------------------------
    def registry(self, mid: str) -> dict:
        """The registry's figures for one municipality (with its settlements) over the period."""
        region = self.muni.loc[mid, "region_id"] if mid in self.muni.index else None
        f = self.filters(mid, self.year_from, self.year_to)
        k = kpis(self.ds, f)
        table = municipality_table(self.ds, f)
        row = table.iloc[0] if len(table) else pd.Series(dtype=object)
        when_stock = f"на {fmt_date(k.reference_date)}"
        y0 = self.year_from if self.year_from is not None else None
        when_flow = f"{y0 if y0 is not None else '…'}–{k.reference_date.year} гг."
        covered = region in self.regions_with_tos
        out: dict = {"kpis": k}
        tos = filter_tos(self.ds, self.filters(mid))
        active = tos[active_mask(tos, k.reference_date, include_undated=counts_undated(self.ds, k.reference_date))]
        doc, place = _rows_source(self.ds, active)
        if covered:
            out["tos_count"] = self.add(mid, "tos_count", k.tos_now, REGISTRY, document=doc, place=place, when=when_stock, date=k.reference_date)
            residents = k.residents if k.tos_now else 0.0
            out["residents"] = self.add(mid, "residents", residents, REGISTRY, document=doc, place=place, when=when_stock, date=k.reference_date)
            if k.residents_unknown and k.tos_now:
                self.notes.append(f"{self._name(mid)}: у {k.residents_unknown} ТОС в реестре не указана численность жителей — сумма неполная.")
            # Growth: TOS at the end of the year before the period against the reference date.
            years = self._growth_years(k.reference_date)
            trend = trend_table(self.ds, self.filters(mid, None, k.reference_date.year), tuple(years))
            if len(trend) >= 2:
                first, last = int(trend["tos_count"].iloc[0]), int(trend["tos_count"].iloc[-1])
                change = last - first
                sign = "+" if change > 0 else ("−" if change < 0 else "")
                pct = f", {sign}{fmt_pct(abs(change) / first, 0)}" if first and change else ""
                text = f"{sign}{fmt_int(abs(change))} ({fmt_int(first)} → {fmt_int(last)}{pct})"
                out["tos_growth"] = self.add(
                    mid, "tos_growth", change, REGISTRY, text=text, document=doc, place=place,
                    when=f"конец {years[0]} г. → {fmt_date(min(dt.date(years[-1], 12, 31), self.ds.today))}",
                )  # fmt: skip
                out["tos_growth"]["display"] = text
        population = row.get("population") if len(row) else None
        if population is not None and not pd.isna(population) and float(population) > 0:
            pop_doc = self.muni.loc[mid].get("population_document_id") if mid in self.muni.index else None
            out["population"] = self.add(
                mid, "population", float(population), REGISTRY,
                document=self.names.get(pop_doc, pop_doc) if isinstance(pop_doc, str) else None,
                place=self.muni.loc[mid].get("population_source_ref") if mid in self.muni.index else None,
                when=f"{int(row['population_year'])} г." if not pd.isna(row.get("population_year")) else None,
                date=dt.date(int(row["population_year"]), 12, 31) if not pd.isna(row.get("population_year")) else None,
            )  # fmt: skip
        if region in self.regions_with_projects:
            done = completed(filter_projects(self.ds, f))
            pdoc, pplace = _rows_source(self.ds, done)
            out["projects_completed"] = self.add(mid, "projects_completed", k.projects_completed, REGISTRY, document=pdoc, place=pplace, when=when_flow)
            out["cost_total"] = self.add(mid, "cost_total", k.cost_total, REGISTRY, document=pdoc, place=pplace, when=when_flow)
            if k.cost_unknown and k.projects_completed:
                self.notes.append(f"{self._name(mid)}: у {k.cost_unknown} реализованных проектов не указана стоимость — она не учтена.")
            out["cofinancing_share"] = self.add(mid, "cofinancing_share", k.cofinancing_share, REGISTRY, document=pdoc, place=pplace, when=when_flow)
        return out

    def _growth_years(self, reference: dt.date) -> list[int]:
        last = reference.year
        first = (self.year_from - 1) if self.year_from is not None else last - 5
        first = min(first, last - 1)
        return list(range(first, last + 1))

    def registry_at(self, mid: str, fact: str, date: dt.date | None = None, years: tuple[int, int] | None = None) -> float | None:
        """The registry's value of a stated fact at the date (stocks) or over the years (flows) a document speaks of."""
        region = self.muni.loc[mid, "region_id"] if mid in self.muni.index else None
        if fact in ("tos_count", "residents"):
            if region not in self.regions_with_tos or date is None:
                return None
            tos = filter_tos(self.ds, self.filters(mid))
            # A past date: dated registrations only (DESIGN.md §3, as in the trend).
            active = tos[active_mask(tos, date, include_undated=counts_undated(self.ds, date))]
            if fact == "tos_count":
                return float(len(active))
            return residents_sum(active) if len(active) else 0.0
        if fact == "projects_completed" and years is not None:
            if region not in self.regions_with_projects:
                return None
            return float(kpis(self.ds, self.filters(mid, years[0], years[1])).projects_completed)
        return None

    # -- protocols ------------------------------------------------------------------
    def applications(self, mid: str) -> pd.DataFrame:
        apps = self.dd["applications"]
        if apps.empty:
            return apps
        apps = apps[apps["municipality_id"] == mid]
        contests = self.dd["contests"][["contest_id", "name", "year", "decided_on", "document_id"]].rename(columns={"document_id": "contest_document_id"})
        apps = apps.merge(contests, on="contest_id", how="left")
        if self.contest_id:
            apps = apps[apps["contest_id"] == self.contest_id]
        return apps.sort_values("year", ascending=False, na_position="last")

    def protocol(self, mid: str, registry: dict) -> None:
        apps = self.applications(mid)
        if apps.empty:
            return
        app = apps.iloc[0]
        parts = []
        if not pd.isna(app.get("place")):
            parts.append(f"{int(app['place'])} место")
        if isinstance(app.get("category"), str):
            parts.append(f"{app['category']} категория")
        if not pd.isna(app.get("recommended")):
            parts.append("рекомендована на следующий этап" if bool(app["recommended"]) else "не рекомендована на следующий этап")
        year = int(app["year"]) if not pd.isna(app.get("year")) else None
        when = f"{year} г." if year else None
        self.add(
            mid, "contest_result", None, PROTOCOL, text=", ".join(parts) or "участие", document=self.names.get(app["document_id"]),
            place=app.get("source_ref"), when=when,
        )  # fmt: skip
        ind = self.dd["application_indicators"]
        if ind.empty:
            return
        ind = ind[(ind["municipality_id"] == mid) & (ind["contest_id"] == app["contest_id"])]
        decided = dt.date.fromisoformat(app["decided_on"]) if isinstance(app.get("decided_on"), str) else (dt.date(year, 12, 31) if year else None)
        for _, r in ind.iterrows():
            date = period_date(r.get("period"), fallback=decided)
            label = r["indicator"] + (f" ({r['period']})" if isinstance(r.get("period"), str) and r["period"] else "")
            common = {"qualifier": r.get("qualifier"), "document": self.names.get(r["document_id"]), "place": r.get("source_ref"), "when": when, "quote": r.get("quote"), "date": date}
            fact = _STOCK_INDICATORS.get(_norm(r["indicator"]))
            if fact:
                # A figure the registry also knows goes into that fact's row (checked, shown if the registry is silent).
                self.add(mid, fact, r["value"], PROTOCOL, **common)
            else:
                kind = "int" if float(r["value"]).is_integer() else "num"
                self.add(mid, f"protocol:{label}", r["value"], PROTOCOL, label=label, group=GROUP_APPLICATION, kind=kind, **common)

    # -- passports ------------------------------------------------------------------
    def passport(self, mid: str) -> None:
        practices = self.dd["practices"]
        if practices.empty:
            return
        mine = practices[practices["municipality_id"] == mid].copy()
        if mine.empty:
            return
        mine["_end"] = pd.to_numeric(mine["period_end"], errors="coerce").fillna(self.ds.today.year)
        p = mine.sort_values(["_end", "period_start"], ascending=False).iloc[0]
        if len(mine) > 1:
            self.notes.append(f"{self._name(mid)}: паспортов практик {len(mine)} — показан последний по срокам («{p['title']}»).")
        doc = self.names.get(p["document_id"])
        start = int(p["period_start"]) if not pd.isna(p.get("period_start")) else None
        end = int(p["period_end"]) if not pd.isna(p.get("period_end")) else None
        when = (f"{start}–{end} гг." if end and end != start else f"{start} г.") if start and end else (f"с {start} г." if start else None)
        self.add(mid, "practice", None, PASSPORT, text=f"«{p['title']}»" + (f", {when}" if when else ""), document=doc, place=p.get("source_ref"), when=when)
        self.add(mid, "participants", p.get("participants"), PASSPORT, qualifier=p.get("participants_qualifier"), document=doc, place="раздел 11", when=when)
        ben_text = p.get("beneficiaries_text") if pd.isna(p.get("beneficiaries")) and isinstance(p.get("beneficiaries_text"), str) else None
        self.add(
            mid, "beneficiaries", p.get("beneficiaries"), PASSPORT, qualifier=p.get("beneficiaries_qualifier"),
            text=f"«{ben_text}»" if ben_text else None, document=doc, place="раздел 11", when=when,
        )  # fmt: skip
        costs = self.dd["practice_costs"]
        costs = costs[costs["practice_id"] == p["practice_id"]] if len(costs) else costs
        amounts = pd.to_numeric(costs["amount_rub"], errors="coerce") if len(costs) else pd.Series(dtype=float)
        if amounts.notna().any():
            total = float(amounts.sum())
            place = condense_refs(costs["source_ref"].tolist())
            self.add(mid, "practice_cost", total, PASSPORT, document=doc, place=place, when=when)
            sources = costs["funding_source"].fillna("").astype(str)
            non_budget = sources.str.contains(_NON_BUDGET_RE) & ~sources.str.contains(r"^\s*бюджет", case=False, regex=True)
            known = non_budget | sources.str.contains(_BUDGET_RE)
            if known[amounts.notna()].all() and total > 0:
                self.add(mid, "practice_nonbudget_share", float(amounts[non_budget].sum()) / total, PASSPORT, document=doc, place=place, when=when)
        acts = self.dd["legal_acts"]
        acts = acts[(acts["municipality_id"] == mid) | (acts["practice_id"] == p["practice_id"])] if len(acts) else acts
        if len(acts):
            adopted = acts[acts["action"].fillna("принят") != "изменён"]
            listed = [
                " ".join(x for x in (str(a.get("act_type") or "").strip(), f"от {fmt_date(a['date'])}" if isinstance(a.get("date"), str) else "", f"№ {a['number']}" if isinstance(a.get("number"), str) else "") if x)
                for _, a in adopted.iterrows()
            ]
            self.add(
                mid, "legal_acts", len(adopted), PASSPORT, document="; ".join(sorted({self.names.get(d, d) for d in adopted["document_id"]})),
                place=condense_refs(adopted["source_ref"].tolist()), when=when, quote="; ".join(listed),
            )  # fmt: skip
        ind = self.dd["practice_indicators"]
        ind = ind[ind["practice_id"] == p["practice_id"]] if len(ind) else ind
        for _, r in ind.iterrows():
            section = int(r["section"]) if not pd.isna(r.get("section")) else None
            period = r.get("period") if isinstance(r.get("period"), str) else None
            fallback = dt.date(end, 12, 31) if end else None
            common = {"qualifier": r.get("qualifier"), "document": doc, "place": r.get("source_ref"), "quote": r.get("quote")}
            if section == 9:
                label = r["indicator"] + (f" ({period})" if period else "")
                kind = "int" if not pd.isna(r["value"]) and float(r["value"]).is_integer() else "num"
                self.add(mid, f"passport:{label}", r["value"], PASSPORT, label=label, group=GROUP_RESULTS, kind=kind, when=when, **common)
            name = _norm(r["indicator"])
            if name in _STOCK_INDICATORS:
                date = period_date(period, start, end, fallback if section != 5 else (dt.date(start, 1, 1) if start else None))
                if section == 5 and period is None and _STOCK_INDICATORS[name] != "population":
                    date = dt.date(start, 1, 1) if start else None
                self.add(mid, _STOCK_INDICATORS[name], r["value"], PASSPORT, when=fmt_date(date) if date else when, date=date, **common)
                self.rows[-1]["section"] = section
            elif name in _FLOW_INDICATORS:
                y = _year_of(period)
                years = (y, y) if y else ((start, end) if start and end else None)
                row = self.add(mid, _FLOW_INDICATORS[name], r["value"], PASSPORT, when=(f"{years[0]}–{years[1]} гг." if years else when), **common)
                row["years"] = years
                row["section"] = section

    # -- derived figures ------------------------------------------------------------
    def derived(self, mid: str) -> None:
        def shown(fact: str) -> dict | None:
            cands = [r for r in self.rows if r["municipality_id"] == mid and r["fact"] == fact and r["shown"]]
            return cands[0] if cands else None

        def value(fact: str) -> float | None:
            r = shown(fact)
            return None if r is None else r["value"]

        tos, residents, population = value("tos_count"), value("residents"), value("population")
        projects, cost = value("projects_completed"), value("cost_total")
        rules = [
            ("coverage", residents / population if residents is not None and population else None, ("residents", "population"), "жители ТОС ÷ население"),
            ("tos_per_10k", tos / population * PER_INHABITANTS if tos is not None and population else None, ("tos_count", "population"), "ТОС ÷ население × 10 000"),
            ("residents_per_tos", residents / tos if residents is not None and tos else None, ("residents", "tos_count"), "жители ТОС ÷ число ТОС"),
            ("projects_per_tos", projects / tos if projects is not None and tos else None, ("projects_completed", "tos_count"), "проекты ÷ число ТОС"),
            ("projects_per_10k", projects / population * PER_INHABITANTS if projects is not None and population else None, ("projects_completed", "population"), "проекты ÷ население × 10 000"),
            ("cost_per_resident", cost / residents if cost is not None and residents else None, ("cost_total", "residents"), "стоимость проектов ÷ жители ТОС"),
        ]
        for fact, v, needs, how in rules:
            if v is None:
                continue
            # The parts are rows of their own with their sources; here only how the figure is made.
            row = self.add(mid, fact, v, COMPUTED, document=None, place=how, when=shown(needs[0])["when"])
            row["shown"] = True
            row["status"] = "показано"

    # -- priority and conflicts -----------------------------------------------------
    def resolve(self, mid: str) -> None:
        """Pick the shown value of each fact (registry > protocol > passport) and list disagreements."""
        mine = [r for r in self.rows if r["municipality_id"] == mid]
        for fact in dict.fromkeys(r["fact"] for r in mine):
            cands = [r for r in mine if r["fact"] == fact]
            if len(cands) == 1:
                cands[0]["shown"] = True
                cands[0]["status"] = "показано"
                continue

            def rank(r: dict) -> tuple:
                # Within a source: the figure about the end of the practice before one about its start.
                date = r.get("date") or dt.date(1900, 1, 1)
                section_rank = {19: 0, 9: 1}.get(r.get("section"), 2 if r.get("section") != 5 else 3)
                return (PRIORITY[r["source_kind"]], section_rank, -date.toordinal())

            ordered = sorted(cands, key=rank)
            winner = next((r for r in ordered if r["value"] is not None or r["text"]), ordered[0])
            winner["shown"] = True
            winner["status"] = "показано"
            for r in ordered:
                if r is winner:
                    continue
                self._check(mid, fact, r, winner)
            # Figures that agree with the registry at their own dates: one mention per source, dates listed.
            agreeing: dict[str, list[str]] = {}
            for r in ordered:
                if r["status"] == "совпадает":
                    whens = agreeing.setdefault(r["source_name"], [])
                    if r["when"] and r["when"] not in whens:
                        whens.append(r["when"])
            if agreeing:
                checked = ", ".join(f"{name} ({'; '.join(whens)})" if whens else name for name, whens in agreeing.items())
                note = f"сходится с реестром на свои даты: {checked}" if winner["source_kind"] == REGISTRY else f"подтверждают: {checked}"
                winner["place"] = f"{winner['place']}; {note}" if winner["place"] else note
            if any(r["status"].startswith("расходится") for r in ordered):
                winner["status"] = "показано; есть расхождение"

    def _check(self, mid: str, fact: str, r: dict, winner: dict) -> None:
        """Compare a figure that did not win with the registry at its own date (or the winner at the same date)."""
        if r["value"] is None:
            r["status"] = "нет значения"
            return
        reference, against = None, ""
        if fact == "population":
            # Populations by year are not kept: only the same year can be compared.
            if winner["source_kind"] == REGISTRY and r.get("date") and winner.get("date") and r["date"].year == winner["date"].year:
                reference, against = winner["value"], f"реестр ({winner['when']})"
        else:
            at = self.registry_at(mid, fact, r.get("date"), r.get("years"))
            if at is not None:
                when = fmt_date(r["date"]) if r.get("date") else f"за {r['years'][0]}–{r['years'][1]} гг."
                reference, against = at, f"реестр на {when}" if r.get("date") else f"реестр {when}"
            elif winner["source_kind"] != REGISTRY and r.get("date") and winner.get("date") == r["date"] and winner["value"] is not None:
                reference, against = winner["value"], f"{winner['source_name']} ({winner['when']})"
        if reference is None:
            r["status"] = "не сравнивается: нет данных реестра на ту же дату"
            return
        if agrees(reference, r["value"], r.get("qualifier")):
            r["status"] = "совпадает"
            return
        r["status"] = f"расходится: {against} — {format_value(reference, r['kind'])}"
        self.conflicts.append(
            {
                "municipality_id": mid,
                "applicant": self._name(mid),
                "fact": fact,
                "label": FACTS[fact][0],
                "other_source": f"{r['source_name']} ({r['when']})" if r.get("when") else r["source_name"],
                "other_value": r["display"],
                "other_document": r["document"],
                "other_place": r["place"],
                "reference_source": against,
                "reference_value": format_value(reference, r["kind"]),
                "shown_value": winner["display"],
                "shown_source": f"{winner['source_name']}, {winner['when']}" if winner.get("when") else winner["source_name"],
            }
        )

    def _name(self, mid: str) -> str:
        return self.muni.loc[mid, "name"] if mid in self.muni.index else mid


def applicants_of(ds: Dataset, dd: DocumentData, contest_id: str) -> list[Applicant]:
    """The applicants of a stored contest, by category and place."""
    apps = dd["applications"]
    apps = apps[apps["contest_id"] == contest_id] if len(apps) else apps
    if apps.empty:
        return []
    names = dict(zip(ds.municipalities["municipality_id"], ds.municipalities["name"], strict=True))
    apps = apps.assign(_cat=apps["category"].fillna("Я"), _place=pd.to_numeric(apps["place"], errors="coerce")).sort_values(["_cat", "_place"], na_position="last")
    return [
        Applicant(
            r["municipality_id"], names.get(r["municipality_id"], r["municipality_id"]),
            r["category"] if isinstance(r["category"], str) else None,
            int(r["place"]) if not pd.isna(r["place"]) else None,
            bool(r["recommended"]) if not pd.isna(r["recommended"]) else None,
        )
        for _, r in apps.iterrows()
    ]  # fmt: skip


def compare(
    ds: Dataset,
    dd: DocumentData,
    applicants: list[Applicant] | list[str],
    year_from: int | None = None,
    year_to: int | None = None,
    contest_id: str | None = None,
) -> Comparison:
    """Facts of the applicants from every source; stocks at the end of `year_to` (or today), flows over the years."""
    names = dict(zip(ds.municipalities["municipality_id"], ds.municipalities["name"], strict=True))
    applicants = [a if isinstance(a, Applicant) else Applicant(a, names.get(a, a)) for a in applicants]
    b = _Builder(ds, dd, year_from, year_to, contest_id)
    for a in applicants:
        registry = b.registry(a.municipality_id)
        b.protocol(a.municipality_id, registry)
        b.passport(a.municipality_id)
        b.resolve(a.municipality_id)
        b.derived(a.municipality_id)
    columns = [
        "fact", "label", "group", "kind", "municipality_id", "value", "qualifier", "text", "display", "source_kind", "source_name",
        "document", "place", "when", "quote", "shown", "status",
    ]  # fmt: skip
    facts = pd.DataFrame(b.rows, columns=columns + ["date"])[columns] if b.rows else pd.DataFrame(columns=columns)
    facts["shown"] = facts["shown"].astype(bool)
    conflicts = pd.DataFrame(b.conflicts)
    reference = reference_date(ds, Filters(year_from=year_from, year_to=year_to))
    notes = list(dict.fromkeys(b.notes))
    return Comparison(applicants, facts, conflicts, reference, year_from, year_to, notes)


# --------------------------------------------------------------------------- views
def _column_name(a: Applicant) -> str:
    return a.name


def side_by_side(cmp: Comparison, sources: bool = True) -> pd.DataFrame:
    """One row per fact, one column per applicant (and, with `sources`, its source next to it).

    Rows follow FACTS, then the passport's result indicators, then the protocol's figures.
    A fact no source states for an applicant is «—».
    """
    shown = cmp.shown
    groups = [GROUP_TOS, GROUP_MONEY, GROUP_PRACTICE, GROUP_RESULTS, GROUP_APPLICATION]
    known = list(FACTS)
    first_group = shown.drop_duplicates("fact").set_index("fact")["group"]
    facts = sorted(
        first_group.index,
        key=lambda f: (groups.index(first_group[f]) if first_group[f] in groups else len(groups), known.index(f) if f in known else len(known)),
    )
    out = []
    for fact in facts:
        rows = shown[shown["fact"] == fact]
        first = rows.iloc[0]
        record = {"Раздел": first["group"], "Показатель": first["label"][:1].upper() + first["label"][1:]}
        for a in cmp.applicants:
            hit = rows[rows["municipality_id"] == a.municipality_id]
            col = _column_name(a)
            if hit.empty:
                record[col] = "—"
                if sources:
                    record[f"{col}: источник"] = ""
                continue
            h = hit.iloc[0]
            record[col] = h["display"] + (" ⚠" if "расхождение" in h["status"] else "")
            if sources:
                record[f"{col}: источник"] = source_text(h)
        out.append(record)
    return pd.DataFrame(out)


def source_text(row: pd.Series | dict) -> str:
    """«реестр, на 22.11.2026 · Реестр_ТОС_Кузбасс_демо.xlsx, лист «Реестр ТОС», строки 8–16»."""
    head = row["source_name"] + (f", {row['when']}" if row.get("when") else "")
    tail = " · ".join(str(x) for x in (row.get("document"), row.get("place")) if isinstance(x, str) and x)
    return f"{head} · {tail}" if tail else head


def sources_table(cmp: Comparison) -> pd.DataFrame:
    """Every value any source gives, the shown one first, with document, place, date and status."""
    f = cmp.facts
    if f.empty:
        return f
    names = {a.municipality_id: a.name for a in cmp.applicants}
    order = {fact: i for i, fact in enumerate(list(FACTS) + list(dict.fromkeys(f["fact"])))}
    view = f.assign(
        applicant=f["municipality_id"].map(names),
        _o=f["fact"].map(order),
        _a=f["municipality_id"].map({a.municipality_id: i for i, a in enumerate(cmp.applicants)}),
        _s=~f["shown"],
    ).sort_values(["_o", "_a", "_s"])
    return view[["label", "applicant", "display", "source_name", "when", "document", "place", "status", "quote"]].reset_index(drop=True)


def normalised(cmp: Comparison) -> pd.DataFrame:
    """The per-inhabitant and per-TOS figures of each applicant (NaN: unknown)."""
    rows = []
    for a in cmp.applicants:
        rec = {"municipality_id": a.municipality_id, "name": a.name}
        for fact in NORMALISED:
            v = cmp.value(fact, a.municipality_id)
            rec[fact] = np.nan if v is None else v
        rows.append(rec)
    return pd.DataFrame(rows, columns=["municipality_id", "name", *NORMALISED])


def conflicts_text(cmp: Comparison) -> list[str]:
    """The disagreements in words, one line each."""
    out = []
    for _, c in cmp.conflicts.iterrows():
        label = c["label"][:1].lower() + c["label"][1:]
        out.append(
            f"{c['applicant']} — {label}: {c['other_source']} — {c['other_value']}, "
            f"а {c['reference_source']} — {c['reference_value']}. Показано: {c['shown_value']}, {c['shown_source']}."
        )
    return out


def describe_period(cmp: Comparison) -> str:
    """«ТОС и жители — на 31.12.2020; проекты и затраты — за 2018–2020 гг.»."""
    y0 = cmp.year_from
    return (
        f"ТОС и жители — на {fmt_date(cmp.reference_date)}; проекты и их стоимость — "
        + (f"за {y0}–{cmp.reference_date.year}{NBSP}гг." if y0 is not None else f"за все годы по {cmp.reference_date.year}{NBSP}г.")
    )
