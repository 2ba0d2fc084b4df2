"""What the document parsers share.

Municipality matching with its warnings, dates in running text, the demo marker, and joining
cell lines into prose.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from loaders.base import ParsedDocument, canonical_frame
from loaders.canonical import FACT_TABLES
from loaders.dates import MONTHS
from loaders.names import Match, MunicipalityMatcher, default_matcher, region_name

DEMO_RE = re.compile(r"демонстрационн\w*\s+данн|демо-данн|\(демо\)", re.IGNORECASE)
_DATE_WORDS_RE = re.compile(
    r"«?(?P<d>\d{1,2})»?\s+(?P<m>январ\w*|феврал\w*|март\w*|апрел\w*|ма[яй]|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*)\s+(?P<y>(?:19|20)\d{2})",
    re.IGNORECASE,
)
_DATE_NUM_RE = re.compile(r"«?(?P<d>\d{1,2})»?[\s.]+(?P<m>\d{1,2})[\s.]+(?P<y>(?:19|20)\d{2})(?!\d)")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s,;«»<>]+")


def typed_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical frame whose integer columns stay integers (nullable), so JSON says 3, not 3.0."""
    df = canonical_frame(table, rows)
    for col, kind in FACT_TABLES[table].items():
        if kind == "int":
            df[col] = pd.array([None if v is None or (isinstance(v, float) and v != v) else int(v) for v in df[col]], dtype="Int64")
        elif kind == "bool":
            df[col] = pd.array([None if v is None else bool(v) for v in df[col]], dtype="boolean")
    return df


def month_number(word: str) -> int | None:
    low = word.lower()
    for stem, n in MONTHS.items():
        if low.startswith(stem) and (stem != "ма" or low in ("май", "мая")):
            return n
    return None


def find_date(text: str) -> dt.date | None:
    """The first full date written in words («8 сентября 2020 года») or digits («17» 07 2020)."""
    best: tuple[int, dt.date] | None = None
    for rx in (_DATE_WORDS_RE, _DATE_NUM_RE):
        for m in rx.finditer(text):
            month = int(m.group("m")) if m.group("m").isdigit() else month_number(m.group("m"))
            if not month:
                continue
            try:
                d = dt.date(int(m.group("y")), month, int(m.group("d")))
            except ValueError:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), d)
            break
    return best[1] if best else None


def join_lines(lines: list[str], sep: str = "; ") -> str:
    """Cell lines into one text: a line that starts in lower case continues the one before."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and (line[:1].islower() or line[:1] in "«(\"-–—" or out[-1].endswith((",", "-", "(", "«"))):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return sep.join(out)


@dataclass
class Resolved:
    """A municipality found for a name, as stored."""

    municipality_id: str
    name: str
    region_id: str | None
    known: bool


class MunicipalityResolver:
    """Matches names to the reference, warns about what did not match, collects reference rows."""

    def __init__(self, doc: ParsedDocument, matcher: MunicipalityMatcher | None = None) -> None:
        self.doc = doc
        self.matcher = matcher or default_matcher()
        self.rows: dict[str, dict] = {}
        self._cache: dict[tuple[str, str | None], Match | None] = {}
        self._warned: set[str] = set()

    def match(self, text: str, region_hint: str | None = None) -> Match | None:
        key = (text, region_hint)
        if key not in self._cache:
            self._cache[key] = self.matcher.match(text, region_id=region_hint)
        return self._cache[key]

    def resolve(self, text: str, where: str, region_hint: str | None = None) -> Resolved | None:
        m = self.match(text, region_hint)
        if m is None:
            self.doc.warn(where, f"не удалось определить муниципальное образование в тексте «{text[:120]}»")
            return None
        region = m.region_id or region_hint
        if m.municipality_id in self._warned:
            return Resolved(m.municipality_id, m.name, region, m.known)
        self._warned.add(m.municipality_id)
        if m.note:
            self.doc.warn(where, m.note)
        if not m.known:
            tail = f" (регион — {region_name(region)})" if region else " без региона"
            self.doc.warn(where, f"муниципальное образование «{text[:120]}» не найдено в справочнике; сохранено как «{m.name}»{tail}")
        elif region_hint and m.region_id and m.region_id != region_hint:
            self.doc.warn(
                where,
                f"«{m.name}» по справочнику находится в регионе «{region_name(m.region_id)}», а в документе упомянут "
                f"регион «{region_name(region_hint)}» — проверьте",
            )
        self.rows.setdefault(
            m.municipality_id,
            {
                "municipality_id": m.municipality_id,
                "name": m.name,
                "type": m.type,
                "region_id": region,
                "parent_id": m.parent_id,
                "source_ref": where,
            },
        )
        return Resolved(m.municipality_id, m.name, region, m.known)
