"""Numbers and dates the Russian way: «9 827», «12,5 %», «9,8 млн ₽», «22.11.2026».

Thousands are separated by a no-break space so a figure never wraps across lines.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NBSP = "\u00a0"
# Plotly's `separators`: decimal mark, then the thousands separator.
PLOTLY_SEPARATORS = ", "


def _is_missing(value: object) -> bool:
    if value is None or type(value).__name__ in ("NAType", "NaTType"):  # pandas' NA of Int64 columns, NaT
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_int(value: object, missing: str = "—") -> str:
    if _is_missing(value):
        return missing
    return f"{round(float(value)):,}".replace(",", NBSP)


def fmt_signed(value: object, missing: str = "—") -> str:
    """A change with its sign: «+2 204», «-15», «0». The ASCII minus: Streamlit's metric reads it."""
    if _is_missing(value):
        return missing
    n = round(float(value))
    return f"+{fmt_int(n)}" if n > 0 else (f"-{fmt_int(-n)}" if n < 0 else "0")


def fmt_num(value: object, decimals: int = 1, missing: str = "—") -> str:
    if _is_missing(value):
        return missing
    text = f"{float(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return text


def fmt_pct(share: object, decimals: int = 1, missing: str = "—") -> str:
    """A share (0.042) as «4,2 %»."""
    if _is_missing(share):
        return missing
    return f"{fmt_num(float(share) * 100, decimals)}{NBSP}%"


def fmt_rub(value: object, missing: str = "—", compact: bool = True) -> str:
    """Roubles: compact «9,8 млн ₽» for cards, exact «9 770 500 ₽» otherwise."""
    if _is_missing(value):
        return missing
    v = float(value)
    if not compact:
        return f"{fmt_int(v)}{NBSP}₽"
    for limit, word in ((1e9, "млрд"), (1e6, "млн"), (1e3, "тыс.")):
        if abs(v) >= limit:
            return f"{fmt_num(v / limit, 1)}{NBSP}{word}{NBSP}₽"
    return f"{fmt_int(v)}{NBSP}₽"


def fmt_date(value: object, missing: str = "—") -> str:
    if _is_missing(value) or value == "":
        return missing
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y")  # type: ignore[union-attr]


# Moments (uploads, sign-ins, scores) are stored in UTC and shown in the department's time zone.
TIMEZONE_ENV = "TOS_TIMEZONE"
DEFAULT_TIMEZONE = "Europe/Moscow"
_ZONE_LABELS = {"Europe/Moscow": "МСК", "UTC": "UTC", "Etc/UTC": "UTC"}


@lru_cache(maxsize=8)
def _zone(name: str) -> tuple[ZoneInfo, str]:
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Часовой пояс «{name}» (переменная {TIMEZONE_ENV}) неизвестен; пример: Asia/Irkutsk.") from exc
    if name in _ZONE_LABELS:
        return zone, _ZONE_LABELS[name]
    # «МСК+5» is how Russian offices name their zones; elsewhere the UTC offset.
    offset = dt.datetime.now(zone).utcoffset() or dt.timedelta(0)
    hours = offset.total_seconds() / 3600
    moscow = hours - 3
    if name.startswith(("Europe/", "Asia/")) and moscow == int(moscow):
        return zone, f"МСК{int(moscow):+d}" if moscow else "МСК"
    return zone, f"UTC{hours:+g}" if hours else "UTC"


def display_zone() -> tuple[ZoneInfo, str]:
    """The zone moments are shown in ($TOS_TIMEZONE, Moscow by default) and its short label («МСК»)."""
    return _zone(os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE)


def local_moments(values):
    """Stored moments (UTC; naive ones from SQLite are UTC too) as pandas times in the display zone."""
    import pandas as pd

    return pd.to_datetime(values, utc=True, errors="coerce", format="mixed").dt.tz_convert(display_zone()[0])


def fmt_moments(values, seconds: bool = False):
    """«22.11.2026 13:50» in the display zone for a column of stored moments; None where unknown."""
    local = local_moments(values)
    text = local.dt.strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")
    return text.astype(object).where(local.notna(), None)


def fmt_moment(value: object, missing: str = "—") -> str:
    """One stored moment with its zone: «22.11.2026 13:50 МСК»."""
    import pandas as pd

    if _is_missing(value):
        return missing
    text = fmt_moments(pd.Series([value])).iloc[0]
    return f"{text}{NBSP}{display_zone()[1]}" if text else missing


def moment_column(title: str) -> str:
    """A table column of moments names its zone: «Загружен (МСК)»."""
    return f"{title} ({display_zone()[1]})"


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: 1 ТОС-форма «один», 2–4 «few», 5+ «many»."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
