"""Legal acts as passports list them: type, authority, date, number, title.

Two wordings cover almost every row:
  «Решение Десногорского городского Совета от 28.02.2008 № 591 «Об утверждении …»»
  «Положение о ТОС в … округе, утвержденное Решением Думы … от 29.08.2017 года № 321-39/01рд».
The authority is put into the nominative («Десногорского городского Совета» → «Десногорский
городской Совет»); an act number stays text («2423-па»), never a figure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from loaders.dates import MONTHS

_TYPES = [
    ("решение", r"решени"),
    ("постановление", r"постановлени"),
    ("распоряжение", r"распоряжени"),
    ("приказ", r"приказ"),
    ("закон", r"(?:федеральн\w*\s+|областн\w*\s+|краев\w*\s+)?закон"),
    ("указ", r"указ"),
    ("устав", r"устав"),
    ("положение", r"положени"),
    ("программа", r"(?:муниципальн\w*\s+|государственн\w*\s+)?программ"),
    ("регламент", r"(?:административн\w*\s+)?регламент"),
]
_NOMINATIVE_START = re.compile(r"^\s*(" + "|".join(rx for _, rx in _TYPES) + r")[а-яё]*", re.IGNORECASE)
_APPROVED_BY = re.compile(
    r"[,\s]+(?:утвержденн\w*|утверждённ\w*|принят\w*|введенн\w*|введённ\w*)\s+(?P<type>решени\w*|постановлени\w*|распоряжени\w*|приказ\w*|указ\w*)\s+",
    re.IGNORECASE,
)
_DATE_RE = re.compile(
    r"\bот\s+«?(?P<d>\d{1,2})»?[.\s/]*(?P<m>\d{1,2}|[а-яё]+)[.\s/]*(?P<y>\d{4})\s*(?:г\.|года|год)?",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"№\s*(?P<n>[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё\-/.]*)")

# Head nouns of authorities: genitive → (nominative, gender).
_HEADS = {
    "совета": ("Совет", "m"), "думы": ("Дума", "f"), "администрации": ("Администрация", "f"),
    "главы": ("Глава", "f"), "собрания": ("Собрание", "n"), "правительства": ("Правительство", "n"),
    "губернатора": ("Губернатор", "m"), "коллегии": ("Коллегия", "f"), "комитета": ("Комитет", "m"),
    "министерства": ("Министерство", "n"), "департамента": ("Департамент", "m"), "управления": ("Управление", "n"),
    "мэра": ("Мэр", "m"), "мэрии": ("Мэрия", "f"), "президиума": ("Президиум", "m"), "комиссии": ("Комиссия", "f"),
    "президента": ("Президент", "m"), "думой": ("Дума", "f"),
}  # fmt: skip
_STRESSED = ("городск", "окружн", "областн", "краев", "волостн")


@dataclass(frozen=True)
class Act:
    """One legal act as written."""

    act_type: str | None
    authority: str | None
    date: str | None
    number: str | None
    title: str | None


def _adjective_nominative(word: str, gender: str) -> str:
    low = word.lower()
    for ending in ("ого", "его"):
        if low.endswith(ending):
            stem = word[: -len(ending)]
            s = stem.lower()
            if gender == "f":
                return stem + ("яя" if ending == "его" else "ая")
            if gender == "n":
                return stem + ("ее" if ending == "его" else "ое")
            if ending == "его":
                return stem + "ий"
            if s.endswith(_STRESSED):
                return stem + "ой"
            return stem + ("ий" if s.endswith(("к", "г", "х", "ж", "ш", "ч", "щ")) else "ый")
    return word


def authority_nominative(text: str) -> str:
    """«Десногорского городского Совета» → «Десногорский городской Совет»; the rest stays as written."""
    words = text.split()
    for i, w in enumerate(words):
        head = _HEADS.get(w.lower().strip(",."))
        if head is None:
            continue
        nominative, gender = head
        out = [_adjective_nominative(a, gender) for a in words[:i]] + [nominative if w[:1].isupper() or i == 0 else nominative.lower()] + words[i + 1 :]
        result = " ".join(out)
        return result[:1].upper() + result[1:]
    return text[:1].upper() + text[1:]


def _date(m: re.Match[str]) -> str | None:
    month_text = m.group("m")
    if month_text.isdigit():
        month = int(month_text)
    else:
        month = next((n for stem, n in MONTHS.items() if month_text.lower().startswith(stem) and (stem != "ма" or month_text.lower() in ("май", "мая"))), None)
        if month is None:
            return None
    try:
        return dt.date(int(m.group("y")), month, int(m.group("d"))).isoformat()
    except ValueError:
        return None


def _unquote(title: str) -> str:
    t = title.strip().strip(",.;: ")
    if t.startswith(("«", '"', "“")):
        t = t[1:]
        if t.count("»") > t.count("«") or (t.endswith(('"', "”")) and t.count('"') % 2 == 1):
            t = t[:-1]
    return re.sub(r"\s+", " ", t).strip()


def _type_of(word: str) -> str | None:
    for name, rx in _TYPES:
        if re.match(rx, word, re.IGNORECASE):
            return name
    return None


def parse_act(text: str) -> Act | None:
    """One act from its wording; None for an empty or placeholder cell («-»)."""
    s = re.sub(r"\s+", " ", str(text)).strip()
    if len(re.sub(r"[^А-Яа-яЁёA-Za-z]", "", s)) < 4:
        return None
    date_m = _DATE_RE.search(s)
    number_m = _NUMBER_RE.search(s)
    date = _date(date_m) if date_m else None
    number = number_m.group("n").rstrip(".,;") if number_m else None
    approved = _APPROVED_BY.search(s)
    if approved:
        # «<title>, утвержденное постановлением <authority> от <date> № <number>»
        title = _unquote(s[: approved.start()])
        rest = s[approved.end() :]
        stop = min([x.start() for x in (_DATE_RE.search(rest), _NUMBER_RE.search(rest)) if x] or [len(rest)])
        authority = rest[:stop].strip(" ,")
        return Act(_type_of(approved.group("type")), authority_nominative(authority) if authority else None, date, number, title or None)
    start = _NOMINATIVE_START.match(s)
    act_type = _type_of(start.group(1)) if start else None
    if act_type in ("решение", "постановление", "распоряжение", "приказ", "указ", "закон") and (date_m or number_m):
        # «<Type> <authority> от <date> № <number> «<title>»»
        head_end = min(x.start() for x in (date_m, number_m) if x)
        authority = s[start.end() : head_end].strip(" ,")
        tail_start = max(x.end() for x in (date_m, number_m) if x)
        title = _unquote(s[tail_start:])
        return Act(act_type, authority_nominative(authority) if authority else None, date, number, title or None)
    # «Устав Ангарского городского округа»: the act named, without date or number.
    title = s
    if date_m or number_m:
        cut = min(x.start() for x in (date_m, number_m) if x)
        title = s[:cut].strip(" ,")
    return Act(act_type, None, date, number, _unquote(title) or None)
