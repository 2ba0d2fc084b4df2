"""Numbers written the Russian way, with their qualifiers.

«9 770,5 тыс. руб.» → 9 770 500 ₽; «более 2000» → 2000 with qualifier ">="; «около 9 тыс.» → 9000 "~";
«от 10 до 20» → 10 with qualifier "range" and max 20. Phone numbers, dates and legal-act numbers
are refused: they are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SPACES = "\u00a0\u202f\u2009\u2007\u200a "
_SPACE_CLASS = "[\u00a0\u202f\u2009\u2007\u200a ]"


@dataclass(frozen=True)
class Number:
    """A parsed figure: value in base units (roubles, people), its qualifier and unit."""

    value: float
    qualifier: str | None = None  # ">=", "<=", "~", "range"
    unit: str | None = None
    max_value: float | None = None
    # What follows the figure and its unit, lower-cased: a second sum in a cost cell shows here.
    tail: str = field(default="", compare=False)

    @property
    def another_sum(self) -> bool:
        """The text goes on with another amount of money («…, 30 000 (средства ТОС)»), not a year."""
        tail = _YEAR_RE.sub("", self.tail)
        return _AMOUNT_RE.search(tail) is not None

    @property
    def as_int(self) -> int:
        return int(round(self.value))


_QUALIFIERS = [
    (re.compile(r"^(не\s+менее|более|свыше|больше|выше|от|св\.)\s*"), ">="),
    (re.compile(r"^(не\s+более|менее|меньше|до|ниже)\s*"), "<="),
    (re.compile(r"^(около|порядка|примерно|приблизительно|почти|ок\.|~|≈|±)\s*"), "~"),
]
_MULT = [
    (re.compile(r"^млрд\.?"), 1e9),
    (re.compile(r"^млн\.?"), 1e6),
    (re.compile(r"^тыс\.?|^тысяч\w*"), 1e3),
]
_UNITS = [
    (re.compile(r"^(руб\w*\.?|₽|р\.)"), "руб."),
    (re.compile(r"^(чел\w*\.?|жител\w*|граждан\w*)"), "чел."),
    (re.compile(r"^%|^процент\w*"), "%"),
    (re.compile(r"^(ед\w*\.?|шт\.?|штук\w*)"), "ед."),
    (re.compile(r"^(кв\.?\s*м\w*\.?|м2|м²)"), "кв. м"),
    (re.compile(r"^(км)"), "км"),
]
_NUM_RE = re.compile(rf"[-−]?\d{{1,3}}(?:{_SPACE_CLASS}\d{{3}})+(?:[.,]\d+)?|[-−]?\d+(?:[.,]\d+)?")
# Foreign grouping, never a Russian decimal: «1.250.000», «450.000,50», «1,250,000.00». A lone
# «1.200» or «1,200» stays a decimal fraction (the Russian reading of the comma).
_GROUPED_RE = re.compile(
    r"[-−]?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?(?![\d.])|[-−]?\d{1,3}(?:\.\d{3})+,\d+(?![\d.,])"
    r"|[-−]?\d{1,3}(?:,\d{3})+\.\d+(?![\d.,])|[-−]?\d{1,3}(?:,\d{3}){2,}(?![\d.,])"
)
_AMOUNT_RE = re.compile(rf"\d{{1,3}}(?:{_SPACE_CLASS}\d{{3}})+|\d{{4,}}|\d+(?:[.,]\d+)?\s*(?:тыс|млн|млрд|руб|₽)")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}\s*(?:г\.|год\w*|г\b)|(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}")
_PHONE_RE = re.compile(
    r"^\s*(\+7|8)[\s\-(]*\d{3,5}[\s\-)]*\d{1,3}[\s\-]*\d{2}[\s\-]*\d{2}\s*$|^\s*\(\d{3,5}\)\s*[\d\-\s]{5,}$"
)
_DATE_RE = re.compile(r"^\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}\s*(г\.?|года)?\s*$")
_ACT_RE = re.compile(r"№|\d+\s*[-/]\s*\d+\s*/?\s*\d*\s*[а-яa-z]{1,4}\b", re.IGNORECASE)


def _multiplier(text: str) -> tuple[float, int] | None:
    """The multiplier a text starts with («тыс.», «млн», «млрд») and where it ends; None without one."""
    for rx, k in _MULT:
        m = rx.match(text)
        if m:
            return k, m.end()
    return None


def ru_number(value: float, decimals: int = 0) -> str:
    """A figure in a message, the Russian way: «9 827», «1 250,50»."""
    return f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


def _clean(text: str) -> str:
    text = str(text).strip().lower().replace("ё", "е")
    return re.sub(rf"{_SPACE_CLASS}+", " ", text)


def _to_float(token: str) -> float:
    token = re.sub(_SPACE_CLASS, "", token).replace("−", "-").replace(",", ".")
    return float(token)


def _grouped_float(token: str) -> float:
    """«1.250.000» / «450.000,50» / «1,250,000.00»: the last separator of two kinds is the decimal one."""
    token = token.replace("−", "-")
    if "." in token and "," in token:
        decimal = "." if token.rfind(".") > token.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        return float(token.replace(thousands, "").replace(decimal, "."))
    return float(token.replace(".", "").replace(",", ""))


def is_not_a_figure(text: str) -> bool:
    """A phone number, a date or a legal act number: never turned into a figure."""
    s = str(text).strip()
    return bool(_PHONE_RE.match(s) or _DATE_RE.match(s) or ("№" in s) or re.match(r"^\d+-\d+/\d+", s))


def parse_number(text: object, default_unit: str | None = None, *, cell: bool = False) -> Number | None:
    """Parse one written figure; None when the text holds no figure (or is not a figure).

    `cell`: the text is a whole table cell that should hold the figure alone: it must start with
    it (after «около», «более»…), hold no other number after it («12/15», «300 (по данным 2020 г.)»)
    and not be a percentage. «нет данных на 01.01.2021» is then no figure rather than 1.
    A trailing «+» («300+») reads as «не менее».
    """
    if text is None:
        return None
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float, np.integer, np.floating)):
        if isinstance(text, float) and np.isnan(text):
            return None
        return Number(float(text), unit=default_unit)
    s = _clean(text)
    if not s or s in {"-", "—", "–", "нет", "н/д", "нд", "x", "х"}:
        return None
    if is_not_a_figure(s):
        return None
    qualifier = None
    for rx, q in _QUALIFIERS:
        m = rx.match(s)
        if m:
            qualifier = q
            s = s[m.end() :]
            break
    m = _NUM_RE.search(s)
    if not m or (cell and m.start() > 0):
        return None
    # Passports pass prose; callers there decide whether the number is the figure.
    grouped = _GROUPED_RE.match(s, m.start())
    if grouped:
        value, end = _grouped_float(grouped.group()), grouped.end()
    else:
        value, end = _to_float(m.group()), m.end()
    rest = s[end:].strip()
    if cell and rest.startswith("+"):
        qualifier = qualifier or ">="
        rest = rest[1:].strip()
    max_value = None
    # Ranges: «10–20», «от 10 до 20».
    rng = re.match(rf"^(?:-|–|—|до)\s*({_NUM_RE.pattern})", rest)
    if rng:
        max_value = _to_float(rng.group(1))
        rest = rest[rng.end() :].strip()
        qualifier = "range"
    mult = 1.0
    if (found := _multiplier(rest)) is not None:
        mult, end = found
        rest = rest[end:].strip()
        # «1 млн 200 тыс. руб.», «2 млн 500 000 руб.»: a smaller part after a larger unit adds to it.
        while max_value is None and (part := _NUM_RE.match(rest)) is not None:
            after = rest[part.end() :].strip()
            smaller = _multiplier(after)
            part_value = _to_float(part.group())
            if smaller is not None and smaller[0] < mult:
                value, mult = value * mult / smaller[0] + part_value, smaller[0]
                rest = after[smaller[1] :].strip()
            elif smaller is None and part_value < mult and re.match(r"руб|₽|р\.", after):
                value, mult = value * mult + part_value, 1.0
                rest = after
            else:
                break
    unit = default_unit
    for rx, u in _UNITS:
        mm = rx.match(rest)
        if mm:
            unit = u
            rest = rest[mm.end() :]
            break
    if cell and (unit == "%" or re.search(r"\d", rest)):
        return None
    value *= mult
    if max_value is not None:
        max_value *= mult
    return Number(value, qualifier, unit, max_value, rest.strip())


def parse_number_series(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised parse of a column: (values as float, qualifiers, unparsed-mask).

    The fast path handles plain numbers («1 200», «1200,5»); only the rest go through
    `parse_number` one by one. The mask marks non-empty cells that held no figure.
    """
    s = series
    if s.dtype.kind in "if":
        values = s.astype("float64")
        return values, pd.Series([None] * len(s), index=s.index, dtype=object), pd.Series(False, index=s.index)
    text = s.astype("string")
    empty = text.isna() | (text.str.strip().fillna("") == "")
    cleaned = text.str.replace(f"[{SPACES}]", "", regex=True).str.replace(",", ".", regex=False)
    values = pd.to_numeric(cleaned.where(~empty), errors="coerce").astype("float64")
    qualifiers = pd.Series([None] * len(s), index=s.index, dtype=object)
    slow = values.isna() & ~empty
    unparsed = pd.Series(False, index=s.index)
    if slow.any():
        for idx in s.index[slow.to_numpy()]:
            n = parse_number(s.at[idx], cell=True)
            if n is None:
                unparsed.at[idx] = True
            else:
                values.at[idx] = n.value
                qualifiers.at[idx] = n.qualifier
    return values, qualifiers, unparsed


def money_multiplier(header: str, *, currency_required: bool = False) -> float | None:
    """Roubles per unit written in a column header: «тыс. руб.» → 1000, «руб.» → 1, None for none.

    None when no unit is written: a column can tell «roubles, said so» from «nothing said» and inherit.

    `currency_required`: a sheet title, where «тыс.» alone may be people («городов свыше 100 тыс.
    жителей»): only a unit followed by roubles counts there.
    """
    h = _clean(header)
    if re.search(r"(?<!\w)(т\.\s?р\.|тр\b)", h):  # «т.р.»: thousands of roubles in two letters
        return 1e3
    roubles = r"(?<!\w)(руб|р\.|р\b)|₽"
    for rx, k in ((r"млрд|миллиард", 1e9), (r"млн|миллион", 1e6), (r"тыс", 1e3)):
        tail = rf"\w*\.?\s*({roubles})" if currency_required else ""
        if re.search(rf"(?<!\w)({rx}){tail}", h):
            return k
    return 1.0 if re.search(roubles, h) else None


def has_own_unit(value: object) -> bool:
    """A cell that writes its own unit of money («450 тыс.», «1,2 млн», «350 000 руб.»).

    It is already in roubles and not to be scaled again by its header's «тыс. руб.».
    """
    return isinstance(value, str) and re.search(r"\d\s*(тыс|млн|млрд|руб|₽|р\.)", _clean(value)) is not None
