"""Scoring applicants the way a contest commission does: criteria, members' scores, averages, places.

* A criteria set lists criteria with minimum and maximum points and a weight; a criterion is scored
  by the members (`manual`) or computed from a figure with threshold bands (`figure`):
  «жителей в границах ТОС < 1 000 → 1, 1 000–4 000 → 2, > 4 000 → 3».
* The average per criterion is the arithmetic mean of the scores the members gave, rounded half up
  to two decimals (7,125 → 7,13). A missing score is missing, not zero: the mean is taken over the
  members who scored; if nobody scored a criterion for an applicant, the applicant's total is
  incomplete and they get no place until the score is entered.
* Total = Σ (rounded average × weight), rounded to two decimals. With all weights 1 it is the plain
  sum (the 45-point set); with weights it is Karelia's Σ score × weight.
* Places are given within each category (I, II), highest total first. Equal totals are settled by
  the commission's tie rule: the higher average on chosen criteria, in order; if still equal (or the
  rule is «equal place»), the applicants share the place and the next place is skipped (1, 1, 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analytics.formatting import NBSP, fmt_num

MANUAL, FIGURE = "manual", "figure"
KIND_NAMES = {MANUAL: "оценка членов комиссии", FIGURE: "по цифрам"}
TIE_CRITERIA, TIE_SHARED = "criteria", "shared"
CENT = Decimal("0.01")


class ScoringError(ValueError):
    """A Russian message about a criteria set or a score the commission must fix."""


def round2(value: Decimal | float) -> Decimal:
    """Half up to two decimals, as a person rounds: 7,125 → 7,13 (Python's round() would give 7,12)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_points(value: object, missing: str = "—") -> str:
    """«7,67»; integers without decimals («8»)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return missing
    v = float(value)
    return fmt_num(v, 0) if v.is_integer() else fmt_num(v, 2)


# --------------------------------------------------------------------------- threshold bands
_NUM = r"-?\d[\d\s\u00a0\u202f]*(?:[.,]\d+)?\s*%?"
_BAND_RE = re.compile(
    rf"^\s*(?:(?P<op>[<>]=?|≤|≥|до|от|менее|более|свыше|не\s+менее|не\s+более)\s*(?P<a>{_NUM})"
    rf"|(?P<lo>{_NUM})\s*(?:[-–—]|\.\.)\s*(?P<hi>{_NUM})|=?\s*(?P<eq>{_NUM}))\s*(?::|→|->|=>|=)\s*(?P<points>-?\d+(?:[.,]\d+)?)\s*(?:балл\w*)?\s*$",
    re.IGNORECASE,
)


def _number(text: str) -> float:
    text = text.strip()
    percent = text.endswith("%")
    value = float(re.sub(r"[\s\u00a0\u202f%]", "", text).replace(",", "."))
    return value / 100 if percent else value


@dataclass(frozen=True)
class Band:
    """Points for values in [lo, hi] (each end open or closed; None: unbounded)."""

    points: float
    lo: float | None = None
    hi: float | None = None
    lo_inclusive: bool = True
    hi_inclusive: bool = True

    def contains(self, value: float) -> bool:
        if self.lo is not None and (value < self.lo or (value == self.lo and not self.lo_inclusive)):
            return False
        if self.hi is not None and (value > self.hi or (value == self.hi and not self.hi_inclusive)):
            return False
        return True

    def text(self, percent: bool = False) -> str:
        def n(v: float) -> str:
            if percent:
                return f"{fmt_num(v * 100, 0 if float(v * 100).is_integer() else 1)}{NBSP}%"
            return fmt_num(v, 0) if float(v).is_integer() else fmt_num(v, 2)

        if self.lo is None and self.hi is None:
            rng = "любое значение"
        elif self.lo is None:
            rng = f"{'≤' if self.hi_inclusive else '<'} {n(self.hi)}"
        elif self.hi is None:
            rng = f"{'≥' if self.lo_inclusive else '>'} {n(self.lo)}"
        elif self.lo == self.hi:
            rng = n(self.lo)
        else:
            rng = f"{n(self.lo)}–{n(self.hi)}"
        return f"{rng} → {fmt_points(self.points)}"

    def as_record(self) -> dict:
        return {"points": self.points, "lo": self.lo, "hi": self.hi, "lo_inclusive": self.lo_inclusive, "hi_inclusive": self.hi_inclusive}

    @classmethod
    def from_record(cls, r: dict) -> Band:
        return cls(float(r["points"]), r.get("lo"), r.get("hi"), bool(r.get("lo_inclusive", True)), bool(r.get("hi_inclusive", True)))


def parse_bands(text: str) -> tuple[Band, ...]:
    """«< 1 000: 1; 1 000–4 000: 2; > 4 000: 3» into bands (also one band per line; «→» instead of «:»)."""
    bands = []
    for part in re.split(r"[;\n]+", text or ""):
        if not part.strip():
            continue
        m = _BAND_RE.match(part)
        if not m:
            raise ScoringError(
                f"Диапазон «{part.strip()}» не понят. Пишите так: «< 1000: 1; 1000–4000: 2; > 4000: 3» "
                "(знаки <, ≤, >, ≥ или диапазон «от–до», двоеточие и баллы)."
            )
        points = float(m.group("points").replace(",", "."))
        if m.group("op"):
            op = re.sub(r"\s+", " ", m.group("op").lower())
            a = _number(m.group("a"))
            if op in ("<", "до", "менее"):
                bands.append(Band(points, hi=a, hi_inclusive=False))
            elif op in ("<=", "≤", "не более"):
                bands.append(Band(points, hi=a))
            elif op in (">", "более", "свыше"):
                bands.append(Band(points, lo=a, lo_inclusive=False))
            else:  # >=, ≥, от, не менее
                bands.append(Band(points, lo=a))
        elif m.group("lo") is not None:
            lo, hi = _number(m.group("lo")), _number(m.group("hi"))
            if lo > hi:
                raise ScoringError(f"Диапазон «{part.strip()}»: начало больше конца.")
            bands.append(Band(points, lo=lo, hi=hi))
        else:
            v = _number(m.group("eq"))
            bands.append(Band(points, lo=v, hi=v))
    return tuple(bands)


def bands_text(bands: tuple[Band, ...], percent: bool = False) -> str:
    return "; ".join(b.text(percent) for b in bands)


def _overlap(a: Band, b: Band) -> bool:
    """Whether some value lies in both bands."""
    lo, lo_inc = (a.lo, a.lo_inclusive) if b.lo is None or (a.lo is not None and (a.lo, not a.lo_inclusive) > (b.lo, not b.lo_inclusive)) else (b.lo, b.lo_inclusive)
    hi, hi_inc = (a.hi, a.hi_inclusive) if b.hi is None or (a.hi is not None and (a.hi, a.hi_inclusive) < (b.hi, b.hi_inclusive)) else (b.hi, b.hi_inclusive)
    if lo is None or hi is None:
        return True
    return lo < hi or (lo == hi and lo_inc and hi_inc)


# --------------------------------------------------------------------------- criteria
@dataclass(frozen=True)
class Criterion:
    """One criterion: points from min to max, a weight, scored by members or computed from a figure."""

    key: str
    name: str
    min_points: float
    max_points: float
    weight: float = 1.0
    kind: str = MANUAL
    figure: str | None = None  # a fact of analytics.compare (FIGURE_FACTS)
    bands: tuple[Band, ...] = ()

    @property
    def is_figure(self) -> bool:
        return self.kind == FIGURE

    def range_text(self) -> str:
        return f"{fmt_points(self.min_points)}–{fmt_points(self.max_points)}"

    def points_for(self, value: float | None) -> tuple[float | None, str]:
        """Points of a figure-based criterion for a value, and a note when none apply."""
        if value is None or pd.isna(value):
            return None, "значение неизвестно — баллы не начислены"
        for band in self.bands:
            if band.contains(float(value)):
                return band.points, ""
        return None, "значение не попадает ни в один диапазон"

    def as_record(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "min_points": self.min_points,
            "max_points": self.max_points,
            "weight": self.weight,
            "kind": self.kind,
            "figure": self.figure,
            "bands": [b.as_record() for b in self.bands],
        }

    @classmethod
    def from_record(cls, r: dict) -> Criterion:
        bands = r.get("bands") or []
        return cls(
            key=str(r["key"]),
            name=str(r["name"]),
            min_points=float(r["min_points"]),
            max_points=float(r["max_points"]),
            weight=float(r.get("weight") if r.get("weight") is not None else 1.0),
            kind=r.get("kind") or MANUAL,
            figure=r.get("figure") or None,
            bands=tuple(Band.from_record(b) for b in bands),
        )


@dataclass(frozen=True)
class TieRule:
    """How equal totals are settled: higher averages on chosen criteria, in order; else a shared place."""

    kind: str = TIE_SHARED
    criteria: tuple[str, ...] = ()

    def describe(self, criteria: tuple[Criterion, ...]) -> str:
        names = {c.key: c.name for c in criteria}
        if self.kind == TIE_CRITERIA and self.criteria:
            chain = ", затем ".join(f"«{names.get(k, k)}»" for k in self.criteria)
            return f"при равенстве итоговых баллов выше место у заявителя с более высоким средним баллом по критерию {chain}; если и они равны — место делится"
        return "при равенстве итоговых баллов заявители делят место, следующее место пропускается (1, 1, 3)"

    def as_record(self) -> dict:
        return {"kind": self.kind, "criteria": list(self.criteria)}

    @classmethod
    def from_record(cls, r: dict | None) -> TieRule:
        if not r:
            return cls()
        return cls(r.get("kind") or TIE_SHARED, tuple(r.get("criteria") or ()))


@dataclass(frozen=True)
class CriteriaSet:
    """The criteria a commission scores by, and its tie rule."""

    name: str
    criteria: tuple[Criterion, ...]
    tie_rule: TieRule = field(default_factory=TieRule)

    @property
    def manual(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.is_figure)

    @property
    def figure(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.is_figure)

    @property
    def weighted(self) -> bool:
        return any(c.weight != 1 for c in self.criteria)

    @property
    def max_total(self) -> float:
        return float(round2(sum(Decimal(str(c.max_points)) * Decimal(str(c.weight)) for c in self.criteria)))

    @property
    def min_total(self) -> float:
        return float(round2(sum(Decimal(str(c.min_points)) * Decimal(str(c.weight)) for c in self.criteria)))

    def by_key(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)

    def total_rule_text(self) -> str:
        if self.weighted:
            return "итог = Σ (средний балл по критерию × вес), округлённая до сотых"
        return "итог = сумма средних баллов по критериям"


def validate(cs: CriteriaSet, figure_facts: tuple[str, ...] | None = None) -> list[str]:
    """What is wrong with a criteria set, in Russian (empty: nothing)."""
    errors = []
    if not cs.criteria:
        return ["В наборе нет ни одного критерия."]
    keys = [c.key for c in cs.criteria]
    if len(set(keys)) != len(keys):
        errors.append("Коды критериев повторяются.")
    names = [c.name.strip().lower() for c in cs.criteria]
    for i, c in enumerate(cs.criteria, start=1):
        label = f"Критерий {i} («{c.name}»)" if c.name.strip() else f"Критерий {i}"
        if not c.name.strip():
            errors.append(f"{label}: нет названия.")
        elif names.count(c.name.strip().lower()) > 1:
            errors.append(f"{label}: такое название уже есть в наборе.")
        if pd.isna(c.min_points) or pd.isna(c.max_points):
            errors.append(f"{label}: укажите минимальный и максимальный балл.")
            continue
        if c.min_points < 0:
            errors.append(f"{label}: минимальный балл не может быть отрицательным.")
        if c.max_points <= c.min_points:
            errors.append(f"{label}: максимальный балл ({fmt_points(c.max_points)}) должен быть больше минимального ({fmt_points(c.min_points)}).")
        if pd.isna(c.weight) or c.weight <= 0:
            errors.append(f"{label}: вес должен быть больше нуля.")
        if c.kind not in (MANUAL, FIGURE):
            errors.append(f"{label}: вид критерия «{c.kind}» неизвестен.")
        if c.is_figure:
            if not c.figure or (figure_facts is not None and c.figure not in figure_facts):
                errors.append(f"{label}: выберите показатель, из которого считаются баллы.")
            if not c.bands:
                errors.append(f"{label}: задайте диапазоны значений и баллы, например «< 1000: 1; 1000–4000: 2; > 4000: 3».")
            for b in c.bands:
                if not c.min_points <= b.points <= c.max_points:
                    errors.append(f"{label}: диапазон «{b.text()}» даёт баллы вне пределов {c.range_text()}.")
            for j, a in enumerate(c.bands):
                for b in c.bands[j + 1 :]:
                    if _overlap(a, b):
                        errors.append(f"{label}: диапазоны «{a.text()}» и «{b.text()}» пересекаются.")
    if cs.tie_rule.kind == TIE_CRITERIA:
        if not cs.tie_rule.criteria:
            errors.append("Правило равенства баллов: выберите критерий, по которому решается равенство.")
        for k in cs.tie_rule.criteria:
            if k not in keys:
                errors.append("Правило равенства баллов ссылается на критерий, которого нет в наборе.")
    return errors


def new_key(name: str, taken: set[str]) -> str:
    """A short stable code for a criterion the commission adds (k1, k2, …)."""
    i = 1
    while f"k{i}" in taken:
        i += 1
    return f"k{i}"


# --------------------------------------------------------------------------- presets
def _c(key, name, lo, hi, weight=1.0, kind=MANUAL, figure=None, bands=""):
    return Criterion(key, name, float(lo), float(hi), float(weight), kind, figure, parse_bands(bands) if bands else ())


def preset_volgograd() -> CriteriaSet:
    """45 points: six criteria scored by the members, as in Volgograd oblast's contest of TOS projects."""
    return CriteriaSet(
        "45 баллов (как в Волгоградской области)",
        (
            _c("relevance", "Актуальность и социальная значимость", 1, 10),
            _c("elaboration", "Проработанность проекта", 1, 10),
            _c("budget", "Обоснованность бюджета", 1, 10),
            _c("realism", "Реалистичность", 1, 5),
            _c("participation", "Участие жителей", 1, 5),
            _c("partners", "Партнёры проекта", 1, 5),
        ),
        TieRule(TIE_CRITERIA, ("relevance",)),
    )


def preset_weighted() -> CriteriaSet:
    """Scores 0–10 times weights (total = Σ score × weight, at most 10), as in Karelia's selection."""
    return CriteriaSet(
        "Взвешенная сумма (как в Карелии)",
        (
            _c("significance", "Социальная значимость", 0, 10, 0.3),
            _c("participation", "Участие жителей", 0, 10, 0.2),
            _c("cofinancing", "Софинансирование", 0, 10, 0.2),
            _c("realism", "Реалистичность", 0, 10, 0.15),
            _c("sustainability", "Устойчивость результатов", 0, 10, 0.15),
        ),
        TieRule(TIE_CRITERIA, ("significance", "participation")),
    )


def preset_thresholds() -> CriteriaSet:
    """Points from the figures, by thresholds (residents in TOS < 1 000 → 1, 1 000–4 000 → 2, > 4 000 → 3)."""
    return CriteriaSet(
        "Пороговый: баллы по цифрам",
        (
            _c("residents", "Жителей в границах ТОС", 1, 3, kind=FIGURE, figure="residents", bands="< 1000: 1; 1000–4000: 2; > 4000: 3"),
            _c("density", "ТОС на 10 тыс. жителей", 1, 3, kind=FIGURE, figure="tos_per_10k", bands="< 1: 1; 1–2: 2; > 2: 3"),
            _c("cofinancing", "Доля внебюджетных средств", 1, 3, kind=FIGURE, figure="cofinancing_share", bands="< 10 %: 1; 10 %–20 %: 2; > 20 %: 3"),
            _c("growth", "Прирост числа ТОС за период", 0, 3, kind=FIGURE, figure="tos_growth", bands="< 1: 0; 1–2: 1; 3–5: 2; > 5: 3"),
        ),
        TieRule(TIE_SHARED),
    )


PRESETS = {"volgograd": preset_volgograd, "weighted": preset_weighted, "thresholds": preset_thresholds}
PRESET_NAMES = {k: f().name for k, f in PRESETS.items()}


def criteria_frame(cs: CriteriaSet, percent_facts: tuple[str, ...] = ()) -> pd.DataFrame:
    """The set as an editable table: one row per criterion, bands as text."""
    return pd.DataFrame(
        [
            {
                "key": c.key,
                "name": c.name,
                "min_points": c.min_points,
                "max_points": c.max_points,
                "weight": c.weight,
                "kind": c.kind,
                "figure": c.figure,
                "bands": bands_text(c.bands, c.figure in percent_facts) if c.bands else "",
            }
            for c in cs.criteria
        ],
        columns=["key", "name", "min_points", "max_points", "weight", "kind", "figure", "bands"],
    )


def criteria_from_frame(frame: pd.DataFrame, name: str, tie_rule: TieRule) -> CriteriaSet:
    """An edited table back into a set; raises ScoringError for bands that do not parse."""
    criteria = []
    taken = {str(k) for k in frame.get("key", pd.Series(dtype=object)).dropna()}
    for i, r in enumerate(frame.to_dict("records"), start=1):
        if all((v is None or (isinstance(v, float) and pd.isna(v)) or v == "") for k, v in r.items() if k != "key"):
            continue  # an empty row the editor added
        key = r.get("key") if isinstance(r.get("key"), str) and r.get("key") else new_key(str(r.get("name") or ""), taken)
        taken.add(key)
        kind = r.get("kind") if r.get("kind") in (MANUAL, FIGURE) else MANUAL
        try:
            bands = parse_bands(r.get("bands") or "") if kind == FIGURE else ()
        except ScoringError as exc:
            raise ScoringError(f"Критерий {i} («{r.get('name') or ''}»): {exc}") from exc

        def num(v, default=float("nan")):
            try:
                return float(v) if v is not None and not (isinstance(v, float) and pd.isna(v)) else default
            except (TypeError, ValueError):
                return default

        criteria.append(
            Criterion(
                key=key,
                name=str(r.get("name") or "").strip(),
                min_points=num(r.get("min_points")),
                max_points=num(r.get("max_points")),
                weight=num(r.get("weight"), 1.0),
                kind=kind,
                figure=r.get("figure") if kind == FIGURE and isinstance(r.get("figure"), str) else None,
                bands=bands,
            )
        )
    keys = {c.key for c in criteria}
    tie = replace(tie_rule, criteria=tuple(k for k in tie_rule.criteria if k in keys))
    return CriteriaSet(name, tuple(criteria), tie)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Entrant:
    """An applicant as the scoring sees it: id, name, category (places are given within it)."""

    municipality_id: str
    name: str
    category: str | None = None


@dataclass
class FigureScore:
    """Points of a figure-based criterion for one applicant, with the figure and its source."""

    points: float | None
    value_text: str
    source: str
    note: str = ""


@dataclass
class Results:
    """Everything the final sheet shows."""

    criteria: CriteriaSet
    entrants: list[Entrant]
    members: list[str]
    table: pd.DataFrame  # one row per entrant: averages per criterion, total, place
    cells: pd.DataFrame  # entrant × criterion: n, mean, weighted, min, max, spread
    member_scores: pd.DataFrame  # member × entrant: each criterion's points and the member's total
    missing: pd.DataFrame  # member × entrant × criterion not scored
    disagreements: pd.DataFrame  # entrant × criterion with members' spread, largest first
    figures: dict[tuple[str, str], FigureScore]
    notes: list[str] = field(default_factory=list)

    def place(self, municipality_id: str) -> int | None:
        row = self.table[self.table["municipality_id"] == municipality_id]
        if row.empty or pd.isna(row.iloc[0]["place"]):
            return None
        return int(row.iloc[0]["place"])


def _mean(values: list[float]) -> Decimal:
    total = sum((Decimal(str(v)) for v in values), Decimal(0))
    return total / Decimal(len(values))


def score_results(
    cs: CriteriaSet,
    entrants: list[Entrant],
    members: list[str],
    scores: pd.DataFrame,
    figures: dict[tuple[str, str], FigureScore] | None = None,
) -> Results:
    """Averages, totals and places from the members' scores (member, municipality_id, criterion, points).

    `figures` holds the computed points of figure-based criteria per (municipality_id, criterion).
    Scores outside the set (unknown criterion, entrant or member) are ignored with a note.
    """
    figures = figures or {}
    notes: list[str] = []
    keys = [c.key for c in cs.criteria]
    entrant_ids = [e.municipality_id for e in entrants]
    s = scores.copy() if scores is not None else pd.DataFrame(columns=["member", "municipality_id", "criterion", "points"])
    s = s[["member", "municipality_id", "criterion", "points"]] if len(s) else pd.DataFrame(columns=["member", "municipality_id", "criterion", "points"])
    s["points"] = pd.to_numeric(s["points"], errors="coerce")
    s = s.dropna(subset=["points"])
    outside = ~(s["criterion"].isin([c.key for c in cs.manual]) & s["municipality_id"].isin(entrant_ids) & s["member"].isin(members))
    if outside.any():
        notes.append(f"Не учтено оценок: {int(outside.sum())} (критерий, заявитель или член комиссии не входят в текущий состав).")
        s = s[~outside]
    cell_rows, missing_rows = [], []
    averages: dict[tuple[str, str], Decimal | None] = {}
    for e in entrants:
        for c in cs.criteria:
            if c.is_figure:
                fs = figures.get((e.municipality_id, c.key))
                pts = None if fs is None or fs.points is None else round2(fs.points)
                averages[(e.municipality_id, c.key)] = pts
                cell_rows.append(
                    {"municipality_id": e.municipality_id, "criterion": c.key, "n": None, "mean": None if pts is None else float(pts),
                     "weighted": None if pts is None else float(pts * Decimal(str(c.weight))), "min": None, "max": None, "spread": None}
                )  # fmt: skip
                continue
            given = s[(s["municipality_id"] == e.municipality_id) & (s["criterion"] == c.key)]
            values = given["points"].tolist()
            for m in members:
                if m not in set(given["member"]):
                    missing_rows.append({"member": m, "municipality_id": e.municipality_id, "name": e.name, "criterion": c.key, "criterion_name": c.name})
            mean = round2(_mean(values)) if values else None
            averages[(e.municipality_id, c.key)] = mean
            cell_rows.append(
                {
                    "municipality_id": e.municipality_id,
                    "criterion": c.key,
                    "n": len(values),
                    "mean": None if mean is None else float(mean),
                    "weighted": None if mean is None else float(mean * Decimal(str(c.weight))),
                    "min": min(values) if values else None,
                    "max": max(values) if values else None,
                    "spread": (max(values) - min(values)) if len(values) >= 2 else None,
                }
            )
    cells = pd.DataFrame(cell_rows, columns=["municipality_id", "criterion", "n", "mean", "weighted", "min", "max", "spread"])
    table_rows = []
    for e in entrants:
        rec: dict = {"municipality_id": e.municipality_id, "name": e.name, "category": e.category}
        total = Decimal(0)
        unscored = []
        for c in cs.criteria:
            avg = averages[(e.municipality_id, c.key)]
            rec[c.key] = None if avg is None else float(avg)
            if avg is None:
                unscored.append(c.name)
            else:
                total += avg * Decimal(str(c.weight))
        # An incomplete total would treat a missing score as zero: it is kept apart, never ranked.
        rec["total"] = None if unscored else float(round2(total))
        rec["partial_total"] = float(round2(total)) if unscored and len(unscored) < len(cs.criteria) else None
        rec["complete"] = not unscored
        rec["unscored"] = unscored
        table_rows.append(rec)
    table = pd.DataFrame(table_rows)
    if table.empty:
        table = pd.DataFrame(columns=["municipality_id", "name", "category", *keys, "total", "partial_total", "complete", "unscored"])
    table = _rank(table, cs)
    member_scores = _member_scores(cs, entrants, members, s, averages)
    missing = pd.DataFrame(missing_rows, columns=["member", "municipality_id", "name", "criterion", "criterion_name"])
    disagreements = _disagreements(cs, entrants, cells)
    for e_row in table.itertuples():
        if not e_row.complete and e_row.unscored:
            notes.append(f"{e_row.name}: нет ни одной оценки по критериям {', '.join('«' + n + '»' for n in e_row.unscored)} — итог неполный, место не присвоено.")
    return Results(cs, entrants, members, table, cells, member_scores, missing, disagreements, figures, notes)


def _rank(table: pd.DataFrame, cs: CriteriaSet) -> pd.DataFrame:
    """Places within each category: total first, then the tie rule; still equal → a shared place."""
    table = table.copy()
    table["place"] = None
    table["tie_note"] = ""
    tie_keys = list(cs.tie_rule.criteria) if cs.tie_rule.kind == TIE_CRITERIA else []
    names = {c.key: c.name for c in cs.criteria}
    table["_group"] = table["category"].fillna("")
    for _, part in table.groupby("_group", sort=False):
        ranked = part[part["complete"]]
        if ranked.empty:
            continue

        def sort_key(idx: int) -> tuple:
            row = table.loc[idx]
            return (-row["total"], *[-(row[k] if row[k] is not None and not pd.isna(row[k]) else float("-inf")) for k in tie_keys])

        order = sorted(ranked.index, key=sort_key)
        keys = {i: sort_key(i) for i in order}
        for i in order:
            ahead = sum(1 for j in order if keys[j] < keys[i])
            table.at[i, "place"] = ahead + 1
            same_total = [j for j in order if j != i and table.at[j, "total"] == table.at[i, "total"]]
            if not same_total:
                continue
            shared = [j for j in same_total if keys[j] == keys[i]]
            decided = [j for j in same_total if keys[j] != keys[i]]
            bits = []
            if decided and tie_keys:
                others = ", ".join(table.at[j, "name"] for j in decided)
                deciding = next(k for k in tie_keys if any(table.at[j, k] != table.at[i, k] for j in decided))
                bits.append(
                    f"итог равен с: {others}; решил критерий «{names[deciding]}» "
                    f"({fmt_points(table.at[i, deciding])} против {', '.join(fmt_points(table.at[j, deciding]) for j in decided)})"
                )
            if shared:
                bits.append(f"делит {ahead + 1} место с: {', '.join(table.at[j, 'name'] for j in shared)}")
            table.at[i, "tie_note"] = "; ".join(bits)
    table = table.drop(columns="_group")
    table["_p"] = pd.to_numeric(table["place"], errors="coerce")
    table["_t"] = pd.to_numeric(table["total"], errors="coerce")
    table["_c"] = table["category"].fillna("")
    return table.sort_values(["_c", "_p", "_t"], ascending=[True, True, False], na_position="last").drop(columns=["_p", "_t", "_c"]).reset_index(drop=True)


def _member_scores(cs: CriteriaSet, entrants: list[Entrant], members: list[str], s: pd.DataFrame, averages: dict) -> pd.DataFrame:
    rows = []
    manual = cs.manual
    for m in members:
        mine = s[s["member"] == m]
        for e in entrants:
            rec: dict = {"member": m, "municipality_id": e.municipality_id, "name": e.name}
            total = Decimal(0)
            scored = 0
            for c in manual:
                hit = mine[(mine["municipality_id"] == e.municipality_id) & (mine["criterion"] == c.key)]
                v = float(hit["points"].iloc[-1]) if len(hit) else None
                rec[c.key] = v
                if v is not None:
                    scored += 1
                    total += Decimal(str(v)) * Decimal(str(c.weight))
            rec["scored"] = scored
            rec["complete"] = scored == len(manual)
            # A member's own sum only when they scored every criterion (a gap is not a zero).
            rec["total"] = float(round2(total)) if rec["complete"] and scored else None
            rows.append(rec)
    return pd.DataFrame(rows, columns=["member", "municipality_id", "name", *[c.key for c in manual], "scored", "total", "complete"])


def _disagreements(cs: CriteriaSet, entrants: list[Entrant], cells: pd.DataFrame) -> pd.DataFrame:
    """Where members differ most: the spread (max − min) of their scores, relative to the criterion's scale."""
    names = {e.municipality_id: e.name for e in entrants}
    scale = {c.key: (c.max_points - c.min_points) for c in cs.manual}
    crit_names = {c.key: c.name for c in cs.criteria}
    spread = pd.to_numeric(cells["spread"], errors="coerce")
    d = cells[cells["criterion"].isin(list(scale)) & (spread > 0)].copy()
    if d.empty:
        return pd.DataFrame(columns=["municipality_id", "name", "criterion", "criterion_name", "n", "min", "max", "spread", "relative"])
    d["name"] = d["municipality_id"].map(names)
    d["criterion_name"] = d["criterion"].map(crit_names)
    d["relative"] = d["spread"] / d["criterion"].map(scale)
    d = d.sort_values(["relative", "spread"], ascending=False)
    return d[["municipality_id", "name", "criterion", "criterion_name", "n", "min", "max", "spread", "relative"]].reset_index(drop=True)


def figure_scores(cs: CriteriaSet, cmp, fact_kinds: dict[str, str] | None = None) -> dict[tuple[str, str], FigureScore]:
    """Points of the figure-based criteria from a comparison (analytics.compare.Comparison), with sources."""
    from analytics.compare import source_text

    out = {}
    for a in cmp.applicants:
        for c in cs.figure:
            row = cmp.source(c.figure, a.municipality_id)
            value = None if row is None or row["value"] is None or pd.isna(row["value"]) else float(row["value"])
            points, note = c.points_for(value)
            out[(a.municipality_id, c.key)] = FigureScore(
                points, row["display"] if row is not None else "—", source_text(row) if row is not None else "источники молчат", note
            )
    return out


def missing_summary(results: Results) -> list[str]:
    """Per member: how many scores are entered of how many are expected, and which are missing."""
    out = []
    expected = len(results.entrants) * len(results.criteria.manual)
    if not expected:
        return out
    for m in results.members:
        miss = results.missing[results.missing["member"] == m]
        done = expected - len(miss)
        if miss.empty:
            continue
        listed = "; ".join(f"{r.name} — «{r.criterion_name}»" for r in miss.head(6).itertuples())
        more = f" и ещё {len(miss) - 6}" if len(miss) > 6 else ""
        out.append(f"{m}: выставлено {done} из {expected}; нет оценок: {listed}{more}.")
    return out


def upload_summary(entries: list[dict], current: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """Per member: scores found in a file, and how many are new, changed or the same as stored."""
    stored = {(r.member, r.municipality_id, r.criterion): float(r.points) for r in current.itertuples()} if len(current) else {}
    rows = {m: {"member": m, "found": 0, "new": 0, "changed": 0, "same": 0} for m in members}
    for e in entries:
        row = rows.setdefault(e["member"], {"member": e["member"], "found": 0, "new": 0, "changed": 0, "same": 0})
        row["found"] += 1
        old = stored.get((e["member"], e["municipality_id"], e["criterion"]))
        if old is None:
            row["new"] += 1
        elif abs(old - float(e["points"])) < 1e-9:
            row["same"] += 1
        else:
            row["changed"] += 1
    return pd.DataFrame([r for r in rows.values() if r["found"]], columns=["member", "found", "new", "changed", "same"])
