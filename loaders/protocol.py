"""Contest commission protocols into contests, applications and the figures stated about each.

A protocol of the «Лучшая муниципальная практика» kind reads: an approval stamp with its date,
«Протокол №…», the commission and the stage (regional, federal), the nomination, the agenda,
«Доложили» (applications received by category, then a characteristic of each application),
«Решили» (places by category, the applications recommended to the next stage).

Places are named so a person can find them: «раздел «Решили», п. 1, I категория, строка 2»,
«раздел 4 протокола, Беловский городской округ, абзац 5».
"""

from __future__ import annotations

import re

from loaders.base import ParsedDocument
from loaders.doc_common import (
    DEMO_RE,
    MunicipalityResolver,
    Resolved,
    find_date,
    typed_frame,
)
from loaders.doc_model import DocText, Paragraph, Table
from loaders.figures import find_figures
from loaders.names import MunicipalityMatcher, find_regions, slug
from loaders.privacy import redact_contacts

_CATEGORY_RE = re.compile(
    r"^\s*(?:[а-яa-z]\)\s*)?(?:(?P<cat>II|I|2|1)\s*[-–]?\s*(?:я\s+)?категори|(?P<word>перв|втор)\w*\s+категори|категори\w*\s+(?P<after>II|I|2|1)\b)",
    re.IGNORECASE,
)
# An applicant line: «- Энгельсский район;», «1) город Саратов», «2. Балаковский район» (the bullet of a
# Word list does not reach the text, so none is required).
_ITEM_RE = re.compile(r"^\s*(?:[-–—•*]|\d{1,2}[.)])?\s*(?P<text>.+?)\s*[,.;]?\s*$")
# A place: «1», «I», «первое», with «-е»/«-ое»; a note in brackets may follow («3 место (87 баллов)»).
_PLACE_TOKEN = r"[1-9]|III|II|IV|I|перв\w*|втор\w*|трет\w*|четв[её]рт\w*"
_PLACE_RE = re.compile(
    rf"^\s*[-–—•*]?\s*(?:\d{{1,2}}[.)]\s+)?(?:(?P<name>.+?)\s*[-–—:]\s*(?P<place>{_PLACE_TOKEN})\s*(?:-?(?:е|ое))?\s*место"
    rf"|(?P<place2>{_PLACE_TOKEN})\s*(?:-?(?:е|ое))?\s*место\s*[-–—:]\s*(?P<name2>.+?))\s*(?:\([^()]*\))?\s*[,.;]?\s*$",
    re.IGNORECASE,
)
_PLACE_WORDS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "перв": 1, "втор": 2, "трет": 3, "четв": 4}


def _place_number(token: str) -> int | None:
    """«2», «II», «второе» → 2."""
    t = token.strip().lower()
    if t.isdigit():
        return int(t)
    return _PLACE_WORDS.get(t) or _PLACE_WORDS.get(t[:4].replace("ё", "е"))


def _category_of(m: re.Match) -> str:
    token = (m.group("cat") or m.group("after") or m.group("word") or "").lower()
    return "II" if token in ("ii", "2", "втор") else "I"


_NONE_RE = re.compile(r"заявок\s+не\s+поступил|не\s+распределял|ввиду\s+отсутствия\s+заявок|заявки\s+не\s+поступ", re.IGNORECASE)
_RECOMMEND_RE = re.compile(r"рекомендова\w*.{0,200}?(федеральн\w*\s+этап|следующ\w*\s+этап|федеральн\w*\s+конкурсн\w*\s+комисси)", re.IGNORECASE | re.DOTALL)
_MUNICIPALITY_RE = re.compile(
    r"(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*\s+(?:городск\w+|муниципальн\w+|сельск\w+)\s+(?:округ\w*|район\w*|поселени\w*)"
    r"(?:\s+[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*\s+муниципальн\w+\s+(?:район\w*|округ\w*))?"
    r"|(?:[Гг]ородск\w+\s+округ\w*|[Мм]униципальн\w+\s+(?:район\w*|округ\w*))\s+(?:город\s+)?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*"
    r"|(?:[Гг]ород\w*|г\.)\s*[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*)"
)
# What may stand before the name in a characteristic's heading: «2)», «Заявка», «Муниципальное
# образование «Город Саратов»».
_HEADING_PREFIX_RE = re.compile(r"^\s*(\d+[.)]\s*)?(заявка\s+)?(муниципальн\w+\s+образовани\w+|мо(?!\w))?\s*[«\"“]?", re.IGNORECASE)
_PROPER_WORD_RE = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*")  # «Саратова», «Ленинск-Кузнецкого»
_SECTION_RE = {
    "agenda": re.compile(r"^\s*повестк\w*", re.IGNORECASE),
    # Alone on its line, or followed by a colon and the section's first words («СЛУШАЛИ: Петрову А.А. …»).
    "reported": re.compile(r"^\s*(доложил\w*|слушали|выступил\w*)\s*(:|$)", re.IGNORECASE),
    "decided": re.compile(r"^\s*(решили|постановили|комиссия решила|решение)\s*(:|$)", re.IGNORECASE),
}


def _municipality_named(text: str) -> str | None:
    """The name, when a line (an applicant, a heading, part of a place line) is a municipality's name alone.

    What may stand around it is dropped first: «2)», «Заявка», «Муниципальное образование», quotes,
    end punctuation. One rule for the applicants list, the characteristics' headings and place lines.
    """
    if len(text) > 160:
        return None
    core = _HEADING_PREFIX_RE.sub("", text).strip(" ,.;:«»\"“”")
    return core if _MUNICIPALITY_RE.fullmatch(core) else None


def _tied_names(name: str) -> list[str]:
    """The names of a place line: several when each part between «,», «;» or «и» names a municipality."""
    text = name.strip(" ,.;:")
    if _municipality_named(text):
        return [text]
    parts = [_municipality_named(part) for part in re.split(r"\s*[,;]\s*|\s+и\s+", text)]
    if len(parts) > 1 and all(parts):
        return parts
    return [name]


def _balanced_quote(text: str, start: int) -> str | None:
    """The text inside «…» starting at `start` (the opening quote), nested quotes kept."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "«":
            depth += 1
        elif text[i] == "»":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
    return None


def _place_cell(text: str) -> int | None:
    """A table cell holding a place: «1», «II», «1 место»; None for anything else."""
    m = re.fullmatch(rf"\s*({_PLACE_TOKEN})\s*(?:-?(?:е|ое))?\s*(?:место)?\s*", text or "", re.IGNORECASE)
    return _place_number(m.group(1)) if m else None


def _results_header(cells: list[str]) -> dict[str, int | None] | None:
    """Which cell of a results table is the place, the applicant, the category; None for a data row."""
    columns = {
        key: next((j for j, c in enumerate(cells) if re.search(rx, c, re.IGNORECASE)), None)
        for key, rx in (("place", r"^мест"), ("name", r"муниципальн|заявител|образовани|наименовани|участник"), ("category", r"категори"))
    }
    return columns if columns["place"] is not None and not any(_place_cell(c) for c in cells) else None


def _results_row(cells: list[str], columns: dict[str, int | None] | None) -> tuple[int | None, str | None, str]:
    """Place, applicant and category cell of a results row, by the header's columns when there is one."""

    def cell(key: str) -> str | None:
        j = columns.get(key)
        return cells[j] if j is not None and j < len(cells) else None

    if columns is not None:
        return _place_cell(cell("place") or ""), cell("name"), (cell("category") or "").upper()
    # No header: the place is the last small number («№» and scores come before it).
    place = next((n for n in (_place_cell(c) for c in reversed(cells)) if n), None)
    name = next((c for c in cells if _MUNICIPALITY_RE.search(c)), None)
    return place, name, next((c.upper() for c in cells if c.upper() in ("I", "II")), "")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class ProtocolParser:
    """Turns one protocol into canonical frames."""

    def __init__(self, text: DocText, doc: ParsedDocument, matcher: MunicipalityMatcher | None = None) -> None:
        self.text = text
        self.doc = doc
        self.resolver = MunicipalityResolver(doc, matcher)
        self.paras = self._paragraphs()

    def _paragraphs(self) -> list[str]:
        """Paragraphs in order (table rows joined by « | »), a paragraph broken by a page mended."""
        out: list[str] = []
        for b in self.text.blocks:
            if isinstance(b, Paragraph):
                text = b.text.strip()
                if not text:
                    continue
                # Not two place lines («…район – 1 место» / «город Саратов – 2 место» without punctuation).
                if (
                    out and out[-1] and not re.search(r"[.!?:;»)]\s*$", out[-1]) and text[:1].islower() and not re.match(r"^[а-яa-z]\)", text)
                    and not (_PLACE_RE.match(out[-1]) and _PLACE_RE.match(text))
                ):
                    out[-1] = out[-1] + " " + text
                else:
                    out.append(text)
            elif isinstance(b, Table):
                for row in b.rows:
                    cells = [c.text.replace("\n", " ").strip() for c in row]
                    if any(cells):
                        out.append(" | ".join(cells))
        return out

    # -------------------------------------------------------------------------------------
    def parse(self) -> ParsedDocument:
        doc = self.doc
        paras = self.paras
        head = "\n".join(paras[:25])
        reported = next((i for i, p in enumerate(paras) if _SECTION_RE["reported"].match(p)), None)
        decided = next((i for i, p in enumerate(paras) if _SECTION_RE["decided"].match(p)), None)
        if decided is None:
            decided = next((i for i, p in enumerate(paras) if re.match(r"^\s*\d\.\s*по результатам", p, re.IGNORECASE)), None)
            if decided is not None:
                decided -= 1
        region_id = self._region(head)
        contest = self._contest(head, region_id)
        contest_id = contest["contest_id"]
        applicants = self._applicants(reported, decided, region_id)
        places = self._places(decided, region_id)
        known = {mid: r for mid, (r, _) in applicants.items()} | {mid: v[0] for mid, v in places.items()}
        recommended, rec_ref = self._recommended(decided, region_id, known)
        characteristics = self._characteristics(reported, decided, known)
        rows = []
        ids = list(dict.fromkeys(list(applicants) + list(places)))
        for mid in ids:
            resolved, category = applicants.get(mid, (None, None)) if mid in applicants else (places[mid][0], None)
            place_info = places.get(mid)
            if place_info is not None:
                resolved = place_info[0]
                category = place_info[1] or category
            refs = []
            if place_info is not None:
                refs.append(place_info[3])
            elif mid in applicants:
                refs.append("раздел «Доложили», п. 1")
                if decided is not None:
                    self.doc.warn("раздел «Решили»", f"для заявки «{resolved.name}» место не указано")
            if rec_ref:
                refs.append(rec_ref)
            practice = characteristics.get(mid, {}).get("practice_title")
            rows.append(
                {
                    "contest_id": contest_id,
                    "municipality_id": mid,
                    "category": category,
                    "place": place_info[2] if place_info else None,
                    "recommended": (mid in recommended) if rec_ref else None,
                    "practice_title": practice,
                    "source_ref": "; ".join(refs),
                }
            )
        indicators = [row for c in characteristics.values() for row in c["indicators"]]
        for row in indicators:
            row["contest_id"] = contest_id
        if not rows:
            self.doc.warn("документ", "в протоколе не найдено ни одной заявки с местом или рекомендацией")
        tables = {
            "contests": typed_frame("contests", [contest]),
            "applications": typed_frame("applications", rows),
            "application_indicators": typed_frame("application_indicators", indicators),
        }
        if self.resolver.rows:
            tables["municipalities"] = typed_frame("municipalities", list(self.resolver.rows.values()))
        doc.tables = {k: v for k, v in tables.items() if len(v)}
        doc.meta.update(
            {
                "title": self._title(),
                "doc_date": contest["decided_on"],
                "region_id": region_id,
                "is_demo": bool(DEMO_RE.search(self.text.plain_text())),
                "contest_id": contest_id,
            }
        )
        number = re.search(r"протокол\s*№\s*([\w\-/]+)", head, re.IGNORECASE)
        if number:
            doc.meta["number"] = number.group(1)
        received = re.search(r"поступил[оаи]?\s+(\d+)\s+заяв", "\n".join(paras), re.IGNORECASE)
        if received:
            doc.meta["applications_received"] = int(received.group(1))
            listed = len(applicants)
            if int(received.group(1)) != listed:
                self.doc.warn(
                    "раздел «Доложили», п. 1",
                    f"сказано о {received.group(1)} заявках, а перечислено {listed}" if listed
                    else f"сказано о {received.group(1)} заявках, а их список не найден — заявки без места могут быть не учтены",
                )
        return doc

    def _title(self) -> str:
        for i, p in enumerate(self.paras[:30]):
            if re.match(r"^\s*протокол\b", p, re.IGNORECASE):
                parts = [p]
                for q in self.paras[i + 1 : i + 6]:
                    if _SECTION_RE["agenda"].match(q) or len(" ".join(parts)) > 300:
                        break
                    parts.append(q)
                return re.sub(r"\s+", " ", " ".join(parts))[:400]
        return self.paras[0][:200] if self.paras else self.doc.file_name

    def _region(self, head: str) -> str | None:
        regions = find_regions(head)
        if not regions:
            regions = find_regions("\n".join(self.paras))
        return regions[0] if regions else None

    def _contest(self, head: str, region_id: str | None) -> dict:
        m = re.search(r"(всероссийск\w+\s+)?конкурс\w*\s+«", head, re.IGNORECASE)
        name = None
        if m:
            inner = _balanced_quote(head, m.end() - 1)
            if inner:
                name = ("Всероссийский конкурс" if m.group(1) else "Конкурс") + f" «{inner}»"
        if name is None:
            self.doc.warn("шапка протокола", "название конкурса не найдено")
            name = "Конкурс"
        nomination = None
        nm = re.search(r"номинаци\w*\s+«", head, re.IGNORECASE)
        if nm:
            nomination = _balanced_quote(head, nm.end() - 1)
        low = head.lower()
        level = None
        if re.search(r"регионально\w*\s+(этап|комисси)|региональн\w*\s+конкурс", low):
            level = "региональный"
        elif re.search(r"федеральн\w*\s+(этап|конкурсн\w*\s+комисси)", low):
            level = "федеральный"
        elif re.search(r"муниципальн\w*\s+(этап|конкурс)", low):
            level = "муниципальный"
        decided_on = None
        approve = re.search(r"утверждаю", head, re.IGNORECASE)
        date = find_date(head[approve.start() :] if approve else head)
        if date is not None:
            decided_on = date.isoformat()
        else:
            self.doc.warn("шапка протокола", "дата утверждения протокола не найдена")
        year = None
        ym = re.search(r"в\s+((?:19|20)\d{2})\s+год", "\n".join(self.paras[:40]), re.IGNORECASE)
        if ym:
            year = int(ym.group(1))
        elif date is not None:
            year = date.year
        short = re.sub(r"^(Всероссийский конкурс|Конкурс)\s+", "", name).strip("«»")
        contest_id = f"{region_id or 'RU'}-{year or 'без-года'}-{slug(short)[:40]}" + (f"-{slug(nomination)[:24]}" if nomination else "")
        return {
            "contest_id": contest_id,
            "name": name,
            "year": year,
            "level": level,
            "region_id": region_id,
            "nomination": nomination,
            "decided_on": decided_on,
            "source_ref": "шапка протокола (гриф «Утверждаю», заголовок, номинация)",
        }

    def _resolve(self, text: str, where: str, region_id: str | None) -> Resolved | None:
        return self.resolver.resolve(text.strip(" ,.;:"), where, region_id)

    def _applicants(self, reported: int | None, decided: int | None, region_id: str | None) -> dict[str, tuple[Resolved, str | None]]:
        """Applications by category from «Доложили», п. 1 (before the characteristics)."""
        out: dict[str, tuple[Resolved, str | None]] = {}
        if reported is None:
            return out
        end = decided if decided is not None else len(self.paras)
        category = None
        for i in range(reported + 1, end):
            p = self.paras[i]
            im = _ITEM_RE.match(p)
            is_name = im is not None and _municipality_named(im.group("text")) is not None
            if re.match(r"^\s*[2-9]\.\s", p) and out and not is_name:
                break  # the next item of «Доложили»
            cm = _CATEGORY_RE.match(p)
            if cm:
                category = _category_of(cm)
                continue
            if is_name:
                resolved = self._resolve(im.group("text"), "раздел «Доложили», п. 1", region_id)
                if resolved is not None:
                    out.setdefault(resolved.municipality_id, (resolved, category))
        return out

    def _places(self, decided: int | None, region_id: str | None) -> dict[str, tuple[Resolved, str | None, int, str]]:
        out: dict[str, tuple[Resolved, str | None, int, str]] = {}
        if decided is None:
            return out
        category = None
        item = None
        line_in_category = 0
        columns: dict[str, int] | None = None  # a results table's header: which cell is what
        table_row = 0
        for p in self.paras[decided + 1 :]:
            im = re.match(r"^\s*(\d{1,2})\.\s", p)
            if im:
                item = im.group(1)
                if out and not _PLACE_RE.match(p):
                    break
            cm = _CATEGORY_RE.match(p)
            if cm:
                category = _category_of(cm)
                line_in_category = 0
                continue
            if "|" in p:  # a results table: «№ | Муниципальное образование | Категория | Место»
                cells = [c.strip() for c in p.split("|")]
                header = _results_header(cells)
                if header is not None:
                    columns, table_row = header, 0
                    continue
                table_row += 1
                place, name, cat_cell = _results_row(cells, columns)
                where = f"раздел «Решили», таблица, строка {table_row}"
                resolved = self._resolve(name, where, region_id) if name else None
                if place and resolved:
                    out[resolved.municipality_id] = (resolved, {"I": "I", "1": "I", "II": "II", "2": "II"}.get(cat_cell, category), place, where)
                elif any(cells):
                    self.doc.warn(where, f"строка «{' | '.join(cells)}» не прочитана: не найдены " + ("место" if not place else "муниципальное образование"))
                continue
            pm = _PLACE_RE.match(p)
            if pm:
                name = pm.group("name") or pm.group("name2")
                place = _place_number(pm.group("place") or pm.group("place2"))
                line_in_category += 1
                where = f"раздел «Решили», п. {item or 1}" + (f", {category} категория" if category else "") + f", строка {line_in_category}"
                # A tie on one line: «Энгельсский муниципальный район, город Саратов – 1 место».
                for one in _tied_names(name):
                    resolved = self._resolve(one, where, region_id)
                    if resolved is not None:
                        out[resolved.municipality_id] = (resolved, category, place, where)
        return out

    def _recommended(self, decided: int | None, region_id: str | None, known: dict) -> tuple[set[str], str | None]:
        """Applications recommended to the next stage: the «Рекомендовать…» item and the list under it.

        A sentence saying «не рекомендовать» recommends nobody it names.
        """
        if decided is None:
            return set(), None
        paras = self.paras[decided + 1 :]
        for k, p in enumerate(paras):
            if not _RECOMMEND_RE.search(p):
                continue
            item = re.match(r"^\s*(\d{1,2})\.", p)
            where = f"раздел «Решили», п. {item.group(1)}" if item else "раздел «Решили»"
            parts = [p]
            for q in paras[k + 1 :]:  # «заявки:» and then the list, one applicant a line
                if not re.match(r"^\s*(?:[-–—•*]|\d{1,2}\))", q) and not _MUNICIPALITY_RE.fullmatch(q.strip(" ;,.")):
                    break
                parts.append(q)
            ids: set[str] = set()
            # Sentences, not split after «г.», «с.», «п.» («заявку г. Саратов»).
            for sentence in re.split(r"(?<=[.!?;])(?<!\sг\.)(?<!\sс\.)(?<!\sп\.)\s+", " ".join(parts)):
                if re.search(r"не\s+рекомендова", sentence, re.IGNORECASE):
                    continue
                for m in _MUNICIPALITY_RE.finditer(sentence):
                    mid = self._applicant_named(m.group(0), region_id, known)
                    if mid is not None:
                        ids.add(mid)
            if not ids and known and not re.search(r"не\s+рекомендова", " ".join(parts), re.IGNORECASE):
                self.doc.warn(where, "в решении о рекомендации не узнана ни одна заявка протокола — проверьте этот пункт")
            return ids, where
        return set(), None

    def _applicant_named(self, text: str, region_id: str | None, known: dict) -> str | None:
        """The municipality a mention names: matched, or the one applicant whose name shares its stem.

        «города Саратова» is «город Саратов»: the matcher does not decline city names.
        """
        match = self.resolver.match(text, region_id)
        if match is not None and (match.municipality_id in known or match.known):
            return match.municipality_id
        words = [w.lower().replace("ё", "е") for w in _PROPER_WORD_RE.findall(text)]

        def same_stem(a: str, b: str) -> bool:
            n = max(4, min(len(a), len(b)) - 2)
            return len(a) >= 4 and len(b) >= 4 and a[:n] == b[:n]

        found = {
            mid
            for mid, resolved in known.items()
            for v in _PROPER_WORD_RE.findall(resolved.name)
            if any(same_stem(w, v.lower().replace("ё", "е")) for w in words)
        }
        return found.pop() if len(found) == 1 else None

    def _characteristics(self, reported: int | None, decided: int | None, known: dict) -> dict[str, dict]:
        """Per applicant: the practice title and the figures its characteristic states."""
        out: dict[str, dict] = {}
        if reported is None or not known:
            return out
        end = decided if decided is not None else len(self.paras)
        section_no = "4"
        for i in range(reported + 1, end):
            m = re.match(r"^\s*(\d{1,2})\.\s*характеристик\w*", self.paras[i], re.IGNORECASE)
            if m:
                section_no = m.group(1)
        current: str | None = None
        current_name = ""
        para_no = 0
        for i in range(reported + 1, end):
            p = self.paras[i]
            if not p.startswith(("-", "–", "—")) and _municipality_named(p):
                match = self.resolver.match(p, None)
                if match is not None and match.municipality_id in known:
                    current = match.municipality_id
                    current_name = known[current].name
                    para_no = 0
                    out.setdefault(current, {"practice_title": None, "indicators": []})
                    continue
            if current is None:
                continue
            para_no += 1
            entry = out[current]
            if entry["practice_title"] is None:
                pt = re.match(r"^\s*практика\s*(?::|–|—|-)?\s*(.+)$", p, re.IGNORECASE)
                if pt:
                    title = pt.group(1).strip().rstrip(".")
                    if not p.lower().lstrip().startswith(("практика:", "практика –", "практика —", "практика -")):
                        title = p.strip().rstrip(".")
                    entry["practice_title"] = _capitalise(title)
            where = f"раздел {section_no} протокола, {current_name}, абзац {para_no}"
            # Blanked before the figures are cut into sentences: «тел. 261600: …» would split at «тел.».
            for f in find_figures(redact_contacts(p)):
                entry["indicators"].append(
                    {
                        "municipality_id": current,
                        "indicator": f.indicator,
                        "unit": f.unit,
                        "value": f.value,
                        "qualifier": f.qualifier,
                        "period": f.period,
                        "quote": redact_contacts(re.sub(r"\s+", " ", f.quote))[:300],
                        "source_ref": where,
                    }
                )
        for mid in known:
            if mid not in out:
                self.doc.warn("раздел «Доложили»", f"характеристика заявки «{known[mid].name}» не найдена — показатели по ней не извлечены")
        return out


def parse_protocol(text: DocText, doc: ParsedDocument, matcher: MunicipalityMatcher | None = None) -> ParsedDocument:
    return ProtocolParser(text, doc, matcher).parse()
