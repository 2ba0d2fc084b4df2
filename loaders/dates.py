"""Dates as registries write them: Excel dates, «dd.mm.yyyy», «2019 г.», a year alone, «май 2019».

A date keeps its precision: a year alone is stored as 1 January of that year with precision
"year", so a TOS registered «в 2019 г.» counts at the end of 2019 and the page can say that only
the year is known.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_DMY = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\s*(?:г\.?|года)?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_YEAR = re.compile(r"^\s*(?:с\s+|в\s+)?((?:19|20)\d{2})\s*(?:г\.?|год[а-я]*)?\s*$")
_MONTH_YEAR = re.compile(r"^\s*([а-я]+)\s+((?:19|20)\d{2})\s*(?:г\.?|года)?\s*$")
_WORD_DATE = re.compile(r"^\s*«?(\d{1,2})»?\s+([а-я]+)\s+((?:19|20)\d{2})\s*(?:г\.?|года)?\s*$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _month(word: str) -> int | None:
    word = word.lower()
    for stem, number in MONTHS.items():
        if word.startswith(stem) and (stem != "ма" or word in ("май", "мая", "мае")):
            return number
    return None


def parse_date(value: object, allow_serial: bool = False) -> tuple[dt.date | None, str | None]:
    """Return (date, precision) where precision is "day", "month" or "year"; (None, None) if none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None, None
        return value.date(), "day"
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2100:
            return dt.date(int(number), 1, 1), "year"
        if allow_serial and 20000 <= number <= 80000:
            return EXCEL_EPOCH + dt.timedelta(days=int(number)), "day"
        return None, None
    s = str(value).strip().lower().replace("\u00a0", " ")
    if not s:
        return None, None
    m = _DMY.match(s)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2000 if y < 50 else 1900
        try:
            return dt.date(y, mo, d), "day"
        except ValueError:
            return None, None
    m = _ISO.match(s)
    if m:
        try:
            return dt.date(*(int(g) for g in m.groups())), "day"
        except ValueError:
            return None, None
    m = _YEAR.match(s)
    if m:
        return dt.date(int(m.group(1)), 1, 1), "year"
    m = _WORD_DATE.match(s)
    if m and _month(m.group(2)):
        try:
            return dt.date(int(m.group(3)), _month(m.group(2)), int(m.group(1))), "day"
        except ValueError:
            return None, None
    m = _MONTH_YEAR.match(s)
    if m and _month(m.group(1)):
        return dt.date(int(m.group(2)), _month(m.group(1)), 1), "month"
    if allow_serial and re.fullmatch(r"\d{5}", s):
        return EXCEL_EPOCH + dt.timedelta(days=int(s)), "day"
    return None, None


def parse_date_series(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised: (ISO date text or None, precision or None, unparsed mask)."""
    n = len(series)
    iso = pd.Series([None] * n, index=series.index, dtype=object)
    precision = pd.Series([None] * n, index=series.index, dtype=object)
    unparsed = pd.Series(False, index=series.index)
    if n == 0:
        return iso, precision, unparsed
    if pd.api.types.is_datetime64_any_dtype(series):
        ok = series.notna()
        iso[ok] = series[ok].dt.strftime("%Y-%m-%d")
        precision[ok] = "day"
        return iso, precision, unparsed
    # Fast path for the common «dd.mm.yyyy» text.
    text = series.astype("string").str.strip()
    fast = pd.to_datetime(text, format="%d.%m.%Y", errors="coerce")
    ok = fast.notna()
    iso[ok] = fast[ok].dt.strftime("%Y-%m-%d")
    precision[ok] = "day"
    rest = ~ok & series.notna() & (text.fillna("") != "")
    for idx in series.index[rest.to_numpy()]:
        d, p = parse_date(series.at[idx])
        if d is None:
            unparsed.at[idx] = True
        else:
            iso.at[idx] = d.isoformat()
            precision.at[idx] = p
    return iso, precision, unparsed
