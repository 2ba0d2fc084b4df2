"""Practice passports («Паспорт практики», 22 sections) into facts with their places.

Sections are found by the wording of their titles (see loaders.doc_headings), in order; a passport
laid out as one big two-column table (title | content) is unfolded first. Each section is then
read for what it holds:

  1, 2, 4, 11   the practice: title, territory, period, participants and beneficiaries;
  5, 9, 19      indicators: results tables (a cell holding «за весь период» and «за 2018 год»
                gives two rows), year grids, and the figures stated in the text;
  13 (any)      a list of TOS with residents; its «Всего» line is a check, not a TOS;
  15            legal acts; 18 costs; 20 the leader; 21 links; 22 contacts (personal data).

Places are written as a person would look for them: «раздел 18, строка 1», «раздел 19, абзац 5»,
«раздел 13, список ТОС, строка 3».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.acts import parse_act
from loaders.base import ParsedDocument
from loaders.doc_common import (
    DEMO_RE,
    URL_RE,
    MunicipalityResolver,
    join_lines,
    typed_frame,
)
from loaders.doc_headings import SECTION_TITLES, numbered_line, passport_section
from loaders.doc_model import Block, Cell, DocText, Paragraph, Table
from loaders.figures import Figure, find_figures
from loaders.names import MunicipalityMatcher, find_regions, slug
from loaders.numbers import has_own_unit, parse_number, ru_number
from loaders.privacy import EMAIL_RE, FIO_RE, PHONE_RE, cut_person, person_parts, redact_contacts
from loaders.registry import clean_tos_name, tos_key

_HEADER_WORDS = re.compile(
    r"^№|наименовани|показател|значени|стать\w* затрат|объем|источник|участник|описание|ответственн|телефон|ссылк|"
    r"ресурс|количеств|выгодополучател|изменени|результат|ед\.? ?изм|единиц|исполнител|фио|сумм",
    re.IGNORECASE,
)
_YEAR_LABEL_RE = re.compile(r"^(?:за\s+)?((?:19|20)\d{2})(?:\s*(?:год|г\.?))?$", re.IGNORECASE)
_PERIOD_RE = re.compile(
    r"(?:за|на)\s+весь\s+период(?:\s+реализации)?(?:\s+практики)?"
    r"|(?:за|на|в)\s+(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\s*(?:год\w*|гг?\.?)?"
    r"|(?:до|после)\s+(?:внедрения|реализации)(?:\s+практики)?"
    r"|на\s+(?:начало|конец)\s+(?:периода|(?:(?:19|20)\d{2}\s+)?года)",
    re.IGNORECASE,
)
_NAME_UNITS = r"чел\.?|человек|ед\.?|единиц\w*|шт\.?|штук\w*|%|руб\.?|тыс\.\s*руб\.?|млн\.?\s*руб\.?|кв\.\s*м\.?|м2|км"
_UNIT_WORDS = _NAME_UNITS + r"|дворов|домов"
_NAME_UNIT_RE = re.compile(rf"(?:,\s*|\s*\(|\s+)\(?\s*({_NAME_UNITS})\s*\)?\s*[.,]?\s*$", re.IGNORECASE)
_PER_RE = re.compile(r"\s+(на\s+\d[\d\s]*\s*[а-яё]+)\s*$", re.IGNORECASE)
_VALUE_TOKEN_RE = re.compile(
    r"(?:(?:более|около|свыше|порядка|не\s+менее|менее|до)\s+)?[-−]?(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?"
    rf"(?:\s*(?:тыс\.|млн\.?))?(?:\s*(?:{_UNIT_WORDS}))?",
    re.IGNORECASE,
)
_ROW_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*[.)]?\s*$")
_TOTAL_RE = re.compile(r"^\s*(всего|итого|итог)\b", re.IGNORECASE)
_BARE_TOTAL_RE = re.compile(r"\s*(всего|итого|итог)\s*[:.,]?\s*", re.IGNORECASE)


_NAMED_TOS_RE = re.compile(r"(?:\bТОС|территориальн\w*\s+общественн\w*\s+самоуправлени\w*)\s+«([^«»]{2,60})»", re.IGNORECASE)


def _n(value: float | int) -> str:
    """A figure for a message: «9 827»."""
    return f"{int(round(value)):,}".replace(",", "\u00a0")


def norm_unit(text: str | None) -> str | None:
    if not text:
        return None
    t = text.lower().strip(" .,()")
    if re.match(r"^(чел|человек)", t):
        return "чел."
    if re.match(r"^(ед|единиц|шт|штук)", t):
        return "ед."
    if t.startswith("%"):
        return "%"
    if re.match(r"^(тыс\.?\s*руб|млн\.?\s*руб|руб)", t):
        return "руб."
    if re.match(r"^(кв\.?\s*м|м2)", t):
        return "кв. м"
    return t


@dataclass
class Section:
    """One passport section: its blocks, and text written on the heading line after a colon."""

    number: int
    blocks: list[Block] = field(default_factory=list)
    inline: str = ""

    @property
    def ref(self) -> str:
        return f"раздел {self.number}"

    def lines(self) -> list[str]:
        out = [self.inline] if self.inline else []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                if b.text.strip():
                    out.append(b.text.strip())
            elif b.is_text_box():
                for row in b.rows:
                    for cell in row:
                        out.extend(cell.lines)
        return out

    def tables(self) -> list[Table]:
        out: list[Table] = []
        for b in self.blocks:
            if isinstance(b, Table):
                if not b.is_text_box():
                    out.append(b)
                for row in b.rows:
                    for cell in row:
                        out.extend(t for t in cell.tables if t.rows)
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

    def all_text(self) -> str:
        """Text lines and the cells of the tables."""
        parts = self.lines()
        for t in self.tables():
            parts.extend(line for row in t.rows for c in row for line in c.lines)
        return "\n".join(parts)

    def captions(self) -> dict[int, str]:
        """Short lines right above tables («Принятые НПА»), by table position in tables()."""
        out: dict[int, str] = {}
        last_para = None
        n = 0
        for b in self.blocks:
            if isinstance(b, Paragraph):
                last_para = b.text.strip()
                continue
            if isinstance(b, Table) and not b.is_text_box():
                n += 1
                if last_para and len(last_para) <= 60 and not last_para.endswith("."):
                    out[n] = last_para
            last_para = None
        return out

    def table_prefix(self, index: int, count: int) -> str:
        caption = self.captions().get(index)
        if caption:
            return f"{self.ref}, «{caption}»"
        return self.ref if count == 1 else f"{self.ref}, таблица {index}"


# --------------------------------------------------------------------------- sections


def _unfold_table_form(blocks: list[Block]) -> list[Block]:
    """A passport written as a table «section title | content» becomes headings and content."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table) and not b.is_text_box():
            heads = [row for row in b.rows if row and passport_section(row[0].text.split("\n")[0] if row[0].text else "")]
            if len(heads) >= 2 or (heads and len(b.rows) <= 3):
                for row in b.rows:
                    first = row[0] if row else None
                    if first is not None and passport_section(first.text.split("\n")[0] if first.text else ""):
                        out.append(Paragraph(first.text.replace("\n", " ")))
                        rest = row[1:]
                    else:
                        rest = row
                    for cell in rest:
                        out.extend(Paragraph(line) for line in cell.lines)
                        out.extend(cell.tables)
                continue
        out.append(b)
    return out


def _increasing(cands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (position, section) with sections strictly increasing."""
    if not cands:
        return []
    best = [1] * len(cands)
    prev = [-1] * len(cands)
    for i in range(len(cands)):
        for j in range(i):
            if cands[j][1] < cands[i][1] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(len(cands)), key=lambda k: (best[k], -k))
    chain = []
    while i >= 0:
        chain.append(cands[i])
        i = prev[i]
    return chain[::-1]


def find_sections(blocks: list[Block]) -> tuple[dict[int, Section], list[Block]]:
    """Sections by number, and the blocks before the first one (title, «Приложение №…»)."""
    blocks = _unfold_table_form(blocks)
    strong: list[tuple[int, int]] = []
    inline: dict[int, str] = {}
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            hit = passport_section(b.text)
            if hit:
                strong.append((i, hit[0]))
                inline[i] = hit[1]
    chain = _increasing(strong)
    found = dict((k, i) for i, k in chain)
    # Sections whose titles were reworded beyond recognition: a numbered short line in the gap.
    positions = sorted((i, k) for k, i in found.items())
    for k in range(1, 23):
        if k in found:
            continue
        lo = max((i for i, kk in positions if kk < k), default=-1)
        hi = min((i for i, kk in positions if kk > k), default=len(blocks))
        for i in range(lo + 1, hi):
            b = blocks[i]
            if isinstance(b, Paragraph) and numbered_line(b.text) == k and (b.bold or b.heading or len(b.text) < 120):
                found[k] = i
                inline[i] = ""
                positions = sorted((ii, kk) for kk, ii in found.items())
                break
    order = sorted((i, k) for k, i in found.items())
    sections: dict[int, Section] = {}
    for n, (i, k) in enumerate(order):
        end = order[n + 1][0] if n + 1 < len(order) else len(blocks)
        sections[k] = Section(k, blocks[i + 1 : end], inline.get(i, ""))
    preamble = blocks[: order[0][0]] if order else blocks
    return sections, preamble


def count_headings(blocks: list[Block]) -> int:
    return len({hit[0] for b in blocks if isinstance(b, Paragraph) for hit in [passport_section(b.text)] if hit})


# --------------------------------------------------------------------------- small readers


def _is_header(row: list[Cell]) -> bool:
    texts = [c.text.strip() for c in row if c.text.strip()]
    if not texts:
        return False
    if sum(bool(_YEAR_LABEL_RE.match(t)) for t in texts) >= 2:
        return True
    # A figure in a short cell makes a data row; a year label («2021 год») in a header does not.
    if any(parse_number(t) is not None and _ROW_NUMBER_RE.match(t) is None and len(t) < 25 and not _YEAR_LABEL_RE.match(t) for t in texts):
        return False
    return any(_HEADER_WORDS.search(t) for t in texts)


def _split_header(table: Table) -> tuple[list[Cell] | None, list[list[Cell]]]:
    if table.rows and _is_header(table.rows[0]):
        return table.rows[0], table.rows[1:]
    return None, table.rows


def _cell_at(row: list[Cell], col: int | None) -> Cell | None:
    if col is None:
        return None
    for c in row:
        if c.col <= col < c.col + c.span:
            return c
    return None


def _find_col(header: list[Cell] | None, *patterns: str, exclude: tuple[int | None, ...] = ()) -> int | None:
    """The first header column matching the first pattern that matches any (columns in `exclude` skipped)."""
    if not header:
        return None
    for pattern in patterns:
        for c in header:
            if c.col not in exclude and re.search(pattern, c.text, re.IGNORECASE):
                return c.col
    return None


def _value_tokens(text: str) -> list[str]:
    out: list[str] = []
    for line in [ln.strip() for ln in text.split("\n") if ln.strip()]:
        tokens = [m.group(0) for m in _VALUE_TOKEN_RE.finditer(line)]
        covered = re.sub(r"[\s.,;]", "", "".join(tokens)) == re.sub(r"[\s.,;]", "", line)
        out.extend(tokens if tokens and covered and len(tokens) > 1 else [line])
    return out


def _split_name_unit(name: str) -> tuple[str, str | None]:
    name = re.sub(r"\s+", " ", name).strip(" ,;:")
    unit = None
    m = _NAME_UNIT_RE.search(name)
    if m and m.start() > 3:
        unit = norm_unit(m.group(1))
        name = name[: m.start()].strip(" ,;:")
    else:
        per = _PER_RE.search(name)
        if per:
            unit = per.group(1)
            name = name[: per.start()].strip(" ,;:")
    return name, unit


def _clean_period(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip().lower()
    m = re.search(r"((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?", t)
    if m and "весь" not in t:
        return f"{m.group(1)}–{m.group(2)}" if m.group(2) else m.group(1)
    t = re.sub(r"\s+(реализации|практики).*$", "", t) if "весь период" in t else t
    return t


# --------------------------------------------------------------------------- the parser


class PassportParser:
    """Turns the blocks of one passport into canonical frames."""

    def __init__(self, text: DocText, doc: ParsedDocument, matcher: MunicipalityMatcher | None = None) -> None:
        self.text = text
        self.doc = doc
        self.resolver = MunicipalityResolver(doc, matcher)
        self.sections, self.preamble = find_sections(text.blocks)
        self.full_text = text.plain_text()
        self.indicators: list[dict] = []
        self.tos_rows: list[dict] = []
        self.tos_contacts: list[dict] = []  # chairs written into the TOS list: personal, never in the TOS name
        self.tos_check: dict[str, object] = {}

    def section(self, k: int) -> Section:
        return self.sections.get(k) or Section(k)

    # -- the practice ---------------------------------------------------------------------
    def parse(self) -> ParsedDocument:
        doc = self.doc
        missing = [k for k in range(1, 23) if k not in self.sections]
        if missing:
            names = ", ".join(f"{k} «{SECTION_TITLES[k]}»" for k in missing[:8]) + (" и др." if len(missing) > 8 else "")
            doc.warn("документ", f"не найдены разделы паспорта: {names}")
        title = self._title()
        territory = self._territory()
        municipality_id = territory.municipality_id if territory else None
        self.municipality_id = municipality_id
        region_id = territory.region_id if territory else self._region_hint()
        self.practice_id = f"{municipality_id or 'без-мо'}:{slug(title)[:48] or 'praktika'}"
        start, end, period_text = self._period()
        participants, beneficiaries = self._stakeholders()
        links = URL_RE.findall(self.section(21).all_text())
        leader = self._leader()
        practice = {
            "practice_id": self.practice_id,
            "title": title,
            "municipality_id": municipality_id,
            "region_id": region_id,
            "period_start": start,
            "period_end": end,
            "period_text": period_text,
            **participants,
            **beneficiaries,
            "leader": leader,
            "url": links[0].rstrip(".") if links else None,
            "source_ref": "разделы 1, 2, 4, 11, 20, 21",
        }
        self._tos_list()
        self._indicators()
        self._check_tos_figures()
        tables = {
            "practices": typed_frame("practices", [practice]),
            "practice_indicators": typed_frame("practice_indicators", self.indicators),
            "practice_costs": typed_frame("practice_costs", self._costs()),
            "practice_tos": typed_frame("practice_tos", self.tos_rows),
            "legal_acts": typed_frame("legal_acts", self._acts(municipality_id)),
            "contacts": typed_frame("contacts", self._contacts(municipality_id) + self.tos_contacts),
        }
        if self.resolver.rows:
            tables["municipalities"] = typed_frame("municipalities", list(self.resolver.rows.values()))
        doc.tables = {k: v for k, v in tables.items() if len(v)}
        doc.meta.update(
            {
                "title": title,
                "municipality_id": municipality_id,
                "region_id": region_id,
                "is_demo": bool(DEMO_RE.search(self.full_text)),
                "sections_found": sorted(self.sections),
                "links": [u.rstrip(".") for u in links],
                "practice_id": self.practice_id,
            }
        )
        return doc

    def _title(self) -> str:
        lines = self.section(1).lines()
        if not lines:
            self.doc.warn("раздел 1", "название практики не указано; взято имя файла")
            return re.sub(r"\.\w+$", "", self.doc.file_name)
        title = re.sub(r"\s+", " ", " ".join(lines[:2] if len(lines[0]) < 40 and len(lines) > 1 and lines[1][:1].islower() else lines[:1])).strip()
        if title.startswith("«") and title.endswith("»") and title.count("«") == 1:
            title = title[1:-1]
        return title.rstrip(" .").strip()

    def _region_hint(self) -> str | None:
        territory_regions = find_regions(self.section(2).text())
        if territory_regions:
            return territory_regions[0]
        regions = find_regions(self.full_text)
        return regions[0] if regions else None

    def _territory(self):
        text = re.sub(r"\s+", " ", " ".join(self.section(2).lines())).strip(" .")
        if not text:
            self.doc.warn("раздел 2", "территория реализации практики не указана")
            return None
        hint = self._region_hint()
        resolved = self.resolver.resolve(text, "раздел 2", hint)
        if resolved is not None and resolved.region_id is None:
            self.doc.warn("раздел 2", "регион не указан и не найден в тексте паспорта")
        return resolved

    def _period(self) -> tuple[int | None, int | None, str | None]:
        text = re.sub(r"\s+", " ", " ".join(self.section(4).lines())).strip(" .")
        if not text:
            self.doc.warn("раздел 4", "сроки реализации практики не указаны")
            return None, None, None
        years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)]
        # «по н.в» loses its last dot to the strip above; «реализуется ежегодно» has no end either.
        ongoing = bool(re.search(r"настоящ\w* врем|н\.\s*в\b|по сей день|бессрочн|постоянн|продолжа|ежегодн|реализуетс", text, re.IGNORECASE))
        if not years:
            self.doc.warn("раздел 4", f"сроки «{text}» не распознаны: годы начала и окончания не сохранены")
            return None, None, text
        start = min(years)
        if ongoing:
            return start, None, text
        if len(years) == 1:
            if re.search(r"(?:^|\s)с\s+(?:\d{1,2}\.\d{1,2}\.)?(?:19|20)\d{2}", text, re.IGNORECASE):
                self.doc.warn("раздел 4", f"в сроках «{text}» нет года окончания — практика считается продолжающейся")
                return start, None, text
            return start, start, text
        return start, max(years), text

    def _stakeholders(self) -> tuple[dict, dict]:
        sec = self.section(11)
        pairs: list[tuple[str, str, str]] = []
        for table in sec.tables():
            header, rows = _split_header(table)
            if header and rows:
                for cell in header:
                    value = _cell_at(rows[0], cell.col)
                    if value is not None:
                        pairs.append((cell.text, value.text, f"{sec.ref}, строка 1"))
            for r, row in enumerate(table.rows if not header else [], start=1):
                if len(row) >= 2:
                    pairs.append((row[0].text, row[-1].text, f"{sec.ref}, строка {r}"))
        for line in sec.lines():
            m = re.match(r"^(?P<label>[^:–—]{10,200}?)\s*[:–—]\s*(?P<value>.+)$", line)
            if m:
                pairs.append((m.group("label"), m.group("value"), sec.ref))
        participants = {"participants": None, "participants_qualifier": None}
        beneficiaries = {"beneficiaries": None, "beneficiaries_qualifier": None, "beneficiaries_text": None}
        for label, value, where in pairs:
            value = re.sub(r"\s+", " ", value).strip(" .")
            if not value:
                continue
            # «120 человек (члены ТОС)»: the bracket explains the figure.
            figure = re.sub(r"\s*\([^()]*\)\s*$", "", value)
            number = parse_number(figure) if re.fullmatch(r"(?:(?:более|около|свыше|порядка|не менее|до)\s+)?[\d\s,]+(?:\s*(?:тыс\.|тысяч\w*|млн))?\s*(?:чел\.?|человек|жител\w*|граждан)?", figure, re.IGNORECASE) else None
            # The template's beneficiaries label («…эффект от реализации практики») also says «реализации»:
            # it is recognised first, and each label fills only its own figure.
            if re.search(r"эффект|рассчитан|благополучател|направлен", label, re.IGNORECASE):
                if beneficiaries["beneficiaries"] is None and beneficiaries["beneficiaries_text"] is None:
                    beneficiaries = (
                        {"beneficiaries": number.as_int, "beneficiaries_qualifier": number.qualifier, "beneficiaries_text": None}
                        if number is not None
                        else {"beneficiaries": None, "beneficiaries_qualifier": None, "beneficiaries_text": value}
                    )
            elif re.search(r"участву|участник|реализаци", label, re.IGNORECASE) and participants["participants"] is None:
                if number is not None:
                    participants = {"participants": number.as_int, "participants_qualifier": number.qualifier}
                else:
                    self.doc.warn(where, f"число участников записано не числом («{value}») — не сохранено как число")
        return participants, beneficiaries

    def _leader(self) -> str | None:
        text = " ".join(self.section(20).lines())
        for rx in (
            rf"лидер\w*\s+практики\s*[–—:-]\s*{FIO_RE.pattern}",
            rf"(?:директор|руководител\w*|глава|начальник|председател\w*)\s*[–—:-]?\s*{FIO_RE.pattern}",
        ):
            m = re.search(rx, text, re.IGNORECASE)
            if m:
                return m.group(1)
        m = FIO_RE.search(text)
        if m:
            return m.group(1)
        contacts = self._contacts(None)
        return contacts[0]["contact_name"] if contacts else None

    # -- TOS list -------------------------------------------------------------------------
    def _tos_list(self) -> None:
        for k in sorted(self.sections):
            sec = self.sections[k]
            for table in sec.tables():
                if self._tos_from_table(sec, table):
                    return
            if self._tos_from_lines(sec):
                return
        # No list: TOS the passport names («Устава ТОС «5 квартал»») are still TOS of the practice.
        seen: set[str] = set()
        for k in sorted(self.sections):
            sec = self.sections[k]
            for m in _NAMED_TOS_RE.finditer(sec.all_text()):
                name = clean_tos_name(m.group(1))
                if not name or name.lower() in seen:
                    continue
                seen.add(name.lower())
                self.tos_rows.append(
                    {
                        "practice_id": self.practice_id,
                        "municipality_id": self.municipality_id,
                        "tos_id": tos_key(self.municipality_id or "", name),
                        "name": name,
                        "residents": None,
                        "source_ref": f"{sec.ref} (упоминание в тексте)",
                    }
                )
                self.doc.warn(
                    f"{sec.ref}",
                    f"списка ТОС в паспорте нет; ТОС «{name}» назван в тексте и сохранён без численности жителей",
                )

    def _add_tos(self, sec: Section, name: str, count_text: str, row: int) -> None:
        where = f"{sec.ref}, список ТОС, строка {row}"
        clean = clean_tos_name(name)
        person = cut_person(name)[1]
        if person:
            self._tos_chair(clean, person, where)
        number = parse_number(count_text)
        if number is not None and number.qualifier:
            self.doc.warn(where, f"численность жителей ТОС «{clean}» указана приблизительно («{count_text.strip()}») — сохранено {number.as_int}")
        if number is None and count_text.strip():
            self.doc.warn(where, f"численность жителей ТОС «{clean}» не распознана: «{count_text.strip()}»")
        municipality_id = self.municipality_id
        self.tos_rows.append(
            {
                "practice_id": self.practice_id,
                "municipality_id": municipality_id,
                "tos_id": tos_key(municipality_id, clean),
                "name": clean,
                "residents": number.as_int if number is not None else None,
                "source_ref": where,
            }
        )

    def _tos_chair(self, tos_name: str, person: str, where: str) -> None:
        """«ТОС «Рассвет» (председатель …, тел. …)»: the chair is kept with the contacts (staff only), not in the TOS name."""
        contact_name, phone, email = person_parts(person)
        if contact_name or phone or email:
            role = next((r for r in ("председатель", "руководитель") if person.lower().startswith(r[:-1])), "контакт")
            self.tos_contacts.append(
                {
                    "practice_id": self.practice_id,
                    "municipality_id": self.municipality_id,
                    "contact_name": contact_name,
                    "contact_position": f"{role} ТОС «{tos_name}»",
                    "phone": phone,
                    "email": email,
                    "source_ref": where,
                }
            )
        kept = "; сохранены среди контактов (видны только сотрудникам)" if contact_name or phone or email else ""
        self.doc.warn(where, f"при ТОС «{tos_name}» указаны председатель или его контакты — в название ТОС не вошли{kept}")

    def _finish_tos(self, sec: Section, total: tuple[str, int] | None, intro: str) -> None:
        listed = [r["residents"] for r in self.tos_rows]
        count = len(self.tos_rows)
        s = sum(v for v in listed if v is not None)
        self.tos_check = {"count": count, "sum": s, "ref": f"{sec.ref}, список ТОС", "complete": all(v is not None for v in listed)}
        if total is not None:
            where, value = total
            if value != s:
                self.doc.warn(where, f"строка «Всего» ({_n(value)}) не равна сумме по списку ТОС ({_n(s)}); сохранены строки списка")
            self.tos_check["total"] = value
        for f in find_figures(intro):
            if f.indicator == "ТОС" and int(f.value) != count:
                self.doc.warn(f"{sec.ref}, список ТОС", f"в тексте перед списком — {int(f.value)} ТОС, а в списке {count}")
            if f.indicator == "жителей в границах ТОС" and int(f.value) != s and f.qualifier is None:
                self.doc.warn(f"{sec.ref}, список ТОС", f"в тексте перед списком — {_n(f.value)} жителей, а по списку {_n(s)}")

    def _tos_from_table(self, sec: Section, table: Table) -> bool:
        header, rows = _split_header(table)
        name_col = _find_col(header, r"(наименовани|названи)\w*.*(тос|территориальн)|^тос$")
        # Residents first: «Количество домов» or «членов ТОС» may stand before «Количество жителей».
        count_col = _find_col(
            header, r"жител|населени|проживающ|граждан|\bчел\b", r"численност", r"^(?!.*(дом|член|двор|улиц|подъезд)).*(количеств|числ)"
        )
        if name_col is None or count_col is None or name_col == count_col:
            return False
        total = None
        n = 0
        for row in rows:
            name_cell, count_cell = _cell_at(row, name_col), _cell_at(row, count_col)
            first = row[0].text if row else ""
            name = name_cell.text if name_cell else ""
            if _TOTAL_RE.match(first) or _TOTAL_RE.match(name):
                number = parse_number(count_cell.text if count_cell else "")
                if number is not None:
                    total = (f"{sec.ref}, список ТОС, строка «{(first or name).strip()}»", number.as_int)
                continue
            if not name.strip():
                continue
            n += 1
            self._add_tos(sec, name, count_cell.text if count_cell else "", n)
        if n:
            self._finish_tos(sec, total, "")
        return n > 0

    def _tos_from_lines(self, sec: Section) -> bool:
        lines = sec.lines()
        for i, line in enumerate(lines):
            if not re.match(r"^(наименование|название)\s+(тос|территориальн)", line, re.IGNORECASE):
                continue
            j = i + 1
            if j < len(lines) and re.search(r"количеств|числ|жител|чел", lines[j], re.IGNORECASE) and parse_number(lines[j]) is None:
                j += 1
            total = None
            n = 0
            while j < len(lines):
                line_j = lines[j]
                if _TOTAL_RE.match(line_j):
                    rest = re.sub(_TOTAL_RE, "", line_j).strip(" :–—-")
                    number = parse_number(rest) if rest else (parse_number(lines[j + 1]) if j + 1 < len(lines) else None)
                    if number is not None:
                        total = (f"{sec.ref}, список ТОС, строка «Всего»", number.as_int)
                    break
                inline = re.match(
                    r"^(?:\d{1,3}[.)]\s*)?(?P<name>.+?)\s*[–—:-]\s*(?P<n>(?:около|более|свыше|не менее|порядка)?\s*\d[\d\s]*(?:,\d+)?\s*(?:тыс\.?)?)"
                    r"\s*(?:чел\.?|человек|жител\w*)?\s*[.;,]?\s*$",
                    line_j,
                )
                if _ROW_NUMBER_RE.match(line_j):
                    j += 1
                    continue
                if inline and not _ROW_NUMBER_RE.match(inline.group("name")):
                    n += 1
                    self._add_tos(sec, inline.group("name"), inline.group("n"), n)
                    j += 1
                    continue
                if j + 1 < len(lines) and re.fullmatch(r"(?:около|более)?\s*\d[\d\s]*", lines[j + 1].strip()) and not re.fullmatch(r"[\d\s.,]+", line_j):
                    n += 1
                    self._add_tos(sec, line_j, lines[j + 1], n)
                    j += 2
                    continue
                if re.match(r"^\d{1,3}[.)]\s*\S", line_j):  # a numbered line that ends the list: say so
                    self.doc.warn(f"{sec.ref}, список ТОС", f"строка «{line_j}» не распознана как ТОС с численностью жителей; список прочитан до неё")
                break
            if n:
                intro = lines[i - 1] if i > 0 and not re.match(r"^№", lines[i - 1]) else (lines[i - 2] if i > 1 else "")
                self._finish_tos(sec, total, intro)
                return True
        return False

    # -- indicators -----------------------------------------------------------------------
    def _indicator(self, sec: Section, indicator: str, unit: str | None, value: float | None, qualifier: str | None, period: str | None, quote: str, where: str) -> None:
        self.indicators.append(
            {
                "practice_id": self.practice_id,
                "section": sec.number,
                "indicator": indicator,
                "unit": unit,
                "value": value,
                "qualifier": qualifier,
                "period": period,
                "quote": redact_contacts(re.sub(r"\s+", " ", quote).strip())[:300],
                "source_ref": where,
            }
        )

    def _indicators(self) -> None:
        for k in (5, 9, 19):
            sec = self.sections.get(k)
            if sec is None:
                continue
            tables = sec.tables()
            grid_lines: set[int] = set()
            lines = sec.lines()
            grid = _year_grid(lines)
            if grid is not None:
                table, used = grid
                grid_lines |= used
                tables = tables + [table]
            for t_index, table in enumerate(tables, start=1):
                self._indicator_table(sec, table, sec.table_prefix(t_index, len(tables)))
            if k == 9 and not tables:
                self._indicator_lines(sec, lines)
                continue
            for i, line in enumerate(lines, start=1):
                if i - 1 in grid_lines:
                    continue
                # Blanked before the line is cut into sentences: «(тел. 261600) сообщила…» would leave «261600)».
                for f in find_figures(redact_contacts(line)):
                    self._figure(sec, f, f"{sec.ref}, абзац {i}")

    def _figure(self, sec: Section, f: Figure, where: str) -> None:
        self._indicator(sec, f.indicator, f.unit, f.value, f.qualifier, f.period, f.quote, where)

    def _indicator_lines(self, sec: Section, lines: list[str]) -> None:
        """Results written as a list: «1. Создано ТОС – 8 ед.»."""
        for i, line in enumerate(lines, start=1):
            m = re.match(r"^(?:\d{1,2}[.)]\s*)?(?P<name>[^–—:]{3,200}?)(?:\s*[–—:]\s*|\s+-\s+)(?P<value>(?:более|около|свыше|порядка|не менее)?\s*\d[\d\s]*(?:,\d+)?\s*(?:тыс\.|млн\.?)?\s*(?:[а-яё.%]+)?)\s*[.;,]?\s*$", line, re.IGNORECASE)
            if not m:
                for f in find_figures(redact_contacts(line)):
                    self._figure(sec, f, f"{sec.ref}, абзац {i}")
                continue
            name, unit = _split_name_unit(m.group("name"))
            number = parse_number(m.group("value"))
            if number is None:
                continue
            self._indicator(sec, name, norm_unit(number.unit) or unit, number.value, number.qualifier, None, line, f"{sec.ref}, абзац {i}")

    def _indicator_table(self, sec: Section, table: Table, prefix: str) -> None:
        header, rows = _split_header(table)
        width = table.width
        num_col = _find_col(header, r"^№|^n$|^номер")
        name_col = _find_col(header, r"показател|наименовани|индикатор")
        unit_col = _find_col(header, r"единиц\w* измерени|ед\.? ?изм")
        if unit_col == name_col:
            unit_col = None  # «Показатель, единица измерения»: the unit is written inside the name
        period_cols: list[tuple[int, str]] = []
        if header:
            for c in header:
                label = c.text.strip()
                if c.col in (num_col, name_col, unit_col):
                    continue
                if _YEAR_LABEL_RE.match(label) or re.match(r"^(до|после)\s+(внедрения|реализации)|^(план|факт)", label, re.IGNORECASE):
                    period_cols.append((c.col, _clean_period(label)))
        value_col = _find_col(header, r"значени|факт|результат|количеств|величин") if not period_cols else None
        if name_col is None:
            name_col = 1 if width >= 3 or (num_col == 0 and width >= 2) else 0
            if header and period_cols:
                name_col = min(c for c in range(width) if c not in [p for p, _ in period_cols] and c != num_col)
        if value_col is None and not period_cols:
            value_col = width - 1
        header_unit = None
        if header and value_col is not None:
            vc = _cell_at(header, value_col)
            if vc is not None:
                header_unit = _split_name_unit(vc.text)[1]
        for r, row in enumerate(rows, start=1):
            name_cell = _cell_at(row, name_col)
            # A bare «Итого» row is a sum; «Всего создано ТОС, ед.» is an indicator of its own.
            if name_cell is None or not name_cell.text.strip() or _BARE_TOTAL_RE.fullmatch(name_cell.text):
                continue
            where = f"{prefix}, строка {r}"
            name_text = name_cell.text
            unit = norm_unit(_cell_at(row, unit_col).text) if unit_col is not None and _cell_at(row, unit_col) else None
            if period_cols:
                name, name_unit = _split_name_unit(name_text.replace("\n", " "))
                for col, label in period_cols:
                    cell = _cell_at(row, col)
                    if cell is None or not cell.text.strip():
                        continue
                    self._store_value(sec, name, unit or name_unit, cell.text, label, name_text, where)
                continue
            value_cell = _cell_at(row, value_col)
            value_text = value_cell.text if value_cell else ""
            if not value_text.strip():
                continue
            periods = list(_PERIOD_RE.finditer(name_text))
            head = name_text[: periods[0].start()] if periods else name_text
            name, name_unit = _split_name_unit(head.replace("\n", " "))
            tail_units = []
            for i, p in enumerate(periods):
                tail = name_text[p.end() : periods[i + 1].start() if i + 1 < len(periods) else len(name_text)]
                tail_unit = tail.strip(" ,;\n")
                if tail_unit and len(tail_unit) < 20:
                    tail_units.append(norm_unit(tail_unit))
            row_unit = unit or (tail_units[0] if tail_units else None) or name_unit or header_unit
            values = _value_tokens(value_text)
            labels = [_clean_period(p.group(0)) for p in periods]
            if len(labels) == len(values):
                pairs = list(zip(values, labels, strict=True))
            elif len(values) == 1:
                pairs = [(values[0], labels[0] if len(labels) == 1 else None)]
                if len(labels) > 1:
                    self.doc.warn(where, f"периодов {len(labels)}, а значение одно — сохранено без периода")
                    pairs = [(values[0], None)]
            else:
                self.doc.warn(where, f"значений {len(values)}, периодов {len(labels)} — значения сохранены без периода, проверьте")
                pairs = [(v, None) for v in values]
            for value, label in pairs:
                self._store_value(sec, name, row_unit, value, label, name_text, where)

    def _store_value(self, sec: Section, name: str, unit: str | None, value_text: str, period: str | None, quote: str, where: str) -> None:
        text = re.sub(r"\s+", " ", value_text).strip()
        number = parse_number(text)
        rest = ""
        if number is not None:
            rest = re.sub(_VALUE_TOKEN_RE, "", text, count=1).strip(" .,;")
        if number is None or (rest and len(rest) > 2):
            self.doc.warn(where, f"значение показателя «{name}» записано не числом («{text[:80]}») — сохранено без числа")
            self._indicator(sec, name, unit, None, None, period, f"{quote} — {text}", where)
            return
        self._indicator(sec, name, norm_unit(number.unit) if number.unit and not unit else unit, number.value, number.qualifier, period, f"{quote} — {text}", where)

    def _check_tos_figures(self) -> None:
        """The TOS list against the TOS counts and residents stated in sections 9 and 19."""
        if not self.tos_check:
            return
        count, total, ref = self.tos_check["count"], self.tos_check["sum"], self.tos_check["ref"]
        for row in self.indicators:
            if row["section"] == 5 or row["value"] is None:
                continue
            if row["indicator"] == "жителей в границах ТОС" and self.tos_check["complete"] and int(row["value"]) != total:
                written = {"~": "около ", ">=": "более ", "<=": "не более "}.get(row["qualifier"], "") + _n(row["value"])
                if row["qualifier"] in ("~", ">=", "<=") and abs(row["value"] - total) <= 0.2 * total:
                    self.doc.warn(
                        row["source_ref"],
                        f"в тексте — «{written}» жителей в ТОС, а по списку ТОС ({ref}) — {_n(total)}; сохранено точное значение {_n(total)}",
                    )
                    row["value"], row["qualifier"] = float(total), None
                    row["source_ref"] = f"{row['source_ref']} (уточнено по списку ТОС, {ref})"
                else:
                    self.doc.warn(
                        row["source_ref"],
                        f"в тексте — {written} жителей в ТОС, а по списку ТОС ({ref}) — {_n(total)}; значения не совпадают, "
                        "сохранены оба — проверьте документ",
                    )
            if row["indicator"] == "ТОС" and row["section"] == 19 and int(row["value"]) != count:
                self.doc.warn(row["source_ref"], f"в тексте — {int(row['value'])} ТОС, а в списке ТОС ({ref}) — {count}")

    # -- costs, acts, contacts --------------------------------------------------------------
    def _costs(self) -> list[dict]:
        sec = self.section(18)
        rows_out: list[dict] = []
        tables = sec.tables()
        for t_index, table in enumerate(tables, start=1):
            prefix = sec.table_prefix(t_index, len(tables))
            header, rows = _split_header(table)
            source_col = _find_col(header, r"источник")
            item_col = _find_col(header, r"стать|наименовани|направлени|вид|мероприяти", exclude=(source_col,))
            amount_col = _find_col(header, r"объ[её]м|сумм|стоимост|руб", r"затрат", exclude=(item_col, source_col))
            width = table.width
            if item_col is None:
                item_col = 1 if width >= 3 else 0
            if amount_col is None or amount_col == item_col:
                amount_col = 2 if width >= 4 else width - 1
            if source_col is None and width >= 4:
                source_col = 3
            multiplier = 1.0
            if header:
                from loaders.numbers import money_multiplier

                cell = _cell_at(header, amount_col)
                multiplier = (money_multiplier(cell.text) or 1.0) if cell else 1.0
            for r, row in enumerate(rows, start=1):
                where = f"{prefix}, строка {r}"
                item_cell, amount_cell, source_cell = _cell_at(row, item_col), _cell_at(row, amount_col), _cell_at(row, source_col)
                item = join_lines(item_cell.lines, " ") if item_cell else ""
                amount_text = re.sub(r"\s+", " ", amount_cell.text).strip() if amount_cell else ""
                source = join_lines(source_cell.lines) if source_cell else ""
                letters = len(re.findall(r"[А-Яа-яЁёA-Za-z]", item))
                number = parse_number(amount_text) if amount_text else None
                if _TOTAL_RE.match(item) or (row and _TOTAL_RE.match(row[0].text)):
                    continue
                if number is None and letters < 3 and len(re.findall(r"[А-Яа-яЁёA-Za-z]", source)) < 3:
                    continue  # an empty or junk-filled row («й»)
                amount = None
                if number is not None:
                    amount = number.value
                    if multiplier != 1.0:
                        if has_own_unit(amount_text):  # «350 000 руб.» under «тыс. руб.»: the cell's unit
                            self.doc.warn(where, f"«{amount_text}» — единица указана в ячейке; единица заголовка не применена")
                        else:
                            amount *= multiplier
                    if number.qualifier:
                        self.doc.warn(where, f"сумма указана приблизительно («{amount_text}»)")
                    if number.another_sum:
                        self.doc.warn(
                            where,
                            f"«{amount_text}» — в ячейке несколько сумм; сохранена первая ({ru_number(amount)} ₽), "
                            "разнесите суммы по отдельным строкам",
                        )
                elif amount_text:
                    self.doc.warn(where, f"сумма «{amount_text}» не распознана — статья сохранена без суммы")
                else:
                    self.doc.warn(where, "сумма не указана — статья сохранена без суммы")
                rows_out.append(
                    {
                        "practice_id": self.practice_id,
                        "item": item or None,
                        "amount_rub": round(amount, 2) if amount is not None else None,
                        "funding_source": source or None,
                        "source_ref": where,
                    }
                )
        if not tables and sec.lines() and re.search(r"\d.*руб", sec.text(), re.IGNORECASE):
            self.doc.warn(sec.ref, "затраты описаны текстом, без таблицы — суммы не извлечены, проверьте раздел")
        return rows_out

    def _acts(self, municipality_id: str | None) -> list[dict]:
        sec = self.section(15)
        out: list[dict] = []
        tables = sec.tables()
        for t_index, table in enumerate(tables, start=1):
            prefix = sec.table_prefix(t_index, len(tables))
            header, rows = _split_header(table)
            changed = _find_col(header, r"изменени") is not None
            name_col = _find_col(header, r"наименовани|название|акт|нпа|реквизит")
            if name_col is None:
                name_col = 1 if table.width >= 2 else 0
            for r, row in enumerate(rows, start=1):
                cell = _cell_at(row, name_col)
                if cell is None:
                    continue
                act = parse_act(join_lines(cell.lines, " "))
                if act is None:
                    continue
                where = f"{prefix}, строка {r}"
                if act.date is None and act.number is None:
                    self.doc.warn(where, f"у акта «{(act.title or '')[:80]}» не указаны дата и номер")
                out.append(self._act_row(act, municipality_id, "изменён" if changed else "принят", where))
        if not tables:
            for i, line in enumerate(sec.lines(), start=1):
                if not re.match(r"^\s*(?:\d{1,2}[.)]\s*)?(решени|постановлени|распоряжени|приказ|закон|устав|положени|программ)", line, re.IGNORECASE):
                    continue
                act = parse_act(re.sub(r"^\s*\d{1,2}[.)]\s*", "", line))
                if act is not None:
                    out.append(self._act_row(act, municipality_id, "принят", f"{sec.ref}, абзац {i}"))
        return out

    def _act_row(self, act, municipality_id: str | None, action: str, where: str) -> dict:
        """One `legal_acts` row: the act as parsed, whether adopted or changed, and its place."""
        return {
            "practice_id": self.practice_id,
            "municipality_id": municipality_id,
            "act_type": act.act_type,
            "authority": act.authority,
            "date": act.date,
            "number": act.number,
            "title": act.title,
            "action": action,
            "source_ref": where,
        }

    def _contacts(self, municipality_id: str | None) -> list[dict]:
        sec = self.section(22)
        out: list[dict] = []
        entries: list[tuple[str, str, str]] = []
        for table in sec.tables():
            header, rows = _split_header(table)
            name_col = _find_col(header, r"фио|ответственн|контактн|наименовани")
            if name_col is None:
                name_col = 1 if table.width >= 3 else 0
            for r, row in enumerate(rows, start=1):
                cell = _cell_at(row, name_col)
                others = " ".join(c.text for c in row if c is not cell)
                if cell is not None and cell.text.strip():
                    entries.append((join_lines(cell.lines, " "), others, f"{sec.ref}, строка {r}"))
        if not entries:
            for i, line in enumerate(sec.lines(), start=1):
                if FIO_RE.search(line):
                    entries.append((line, line, f"{sec.ref}, абзац {i}"))
        for person, contact_text, where in entries:
            m = FIO_RE.search(person)
            name = m.group(1) if m else person.split(",")[0].strip()
            position = person[m.end() :].strip(" ,–—-:") if m else ""
            if position:
                position = PHONE_RE.sub("", EMAIL_RE.sub("", position))
                position = re.sub(r"\b(?:тел|телефон|моб|e-?mail|эл\.?\s*почта|email)\b\.?:?", "", position, flags=re.IGNORECASE)
                position = re.sub(r"[\s,;]+$", "", re.sub(r"\s{2,}", " ", position)).strip(" ,;–—-")
            phones = [p.strip() for p in PHONE_RE.findall(contact_text) if len(re.sub(r"\D", "", p)) >= 7]
            emails = EMAIL_RE.findall(contact_text + " " + person)
            out.append(
                {
                    "practice_id": self.practice_id,
                    "municipality_id": municipality_id,
                    "contact_name": name,
                    "contact_position": position or None,
                    "phone": ", ".join(dict.fromkeys(phones)) or None,
                    "email": ", ".join(dict.fromkeys(emails)) or None,
                    "source_ref": where,
                }
            )
        return out


def _year_grid(lines: list[str]) -> tuple[Table, set[int]] | None:
    """A year-by-indicator table flattened into lines (years, then a label and one value per year)."""
    i = 0
    while i < len(lines):
        years = []
        j = i
        while j < len(lines) and _YEAR_LABEL_RE.match(lines[j]):
            years.append(lines[j])
            j += 1
        if len(years) >= 2:
            rows = [[Cell("", col=0)] + [Cell(y, col=c + 1) for c, y in enumerate(years)]]
            used = set(range(i, j))
            while j < len(lines) and not re.fullmatch(r"[-−+]?\d[\d\s]*(?:[.,]\d+)?\s*%?", lines[j]) and j + len(years) < len(lines):
                values = lines[j + 1 : j + 1 + len(years)]
                if not all(re.fullmatch(r"[-−+]?\d[\d\s]*(?:[.,]\d+)?\s*%?", v) for v in values):
                    break
                rows.append([Cell(lines[j], col=0)] + [Cell(v, col=c + 1) for c, v in enumerate(values)])
                used |= set(range(j, j + 1 + len(years)))
                j += 1 + len(years)
            if len(rows) > 1:
                return Table(rows), used
        i = max(j, i + 1)
    return None


def parse_passport(text: DocText, doc: ParsedDocument, matcher: MunicipalityMatcher | None = None) -> ParsedDocument:
    return PassportParser(text, doc, matcher).parse()
