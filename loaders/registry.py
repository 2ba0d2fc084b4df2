"""Registry spreadsheets (реестр ТОС): TOS, their projects with financing, municipal population.

Real registries differ from municipality to municipality: title rows above the table, two-level
merged headers, one sheet per settlement, section rows naming the municipality, «Итого» rows,
notes under the table. This module finds the table on every sheet, maps each column wording to
the canonical column, and reads the rows column by column (vectorised: a 45 000-row registry must
parse in about the time it takes to read it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.base import ParsedDocument, ParseError, canonical_frame
from loaders.canonical import FUNDING_COLUMNS, PROJECT_CATEGORIES, PROJECT_DONE
from loaders.dates import parse_date, parse_date_series
from loaders.names import (
    MunicipalityMatcher,
    by_distinct,
    default_matcher,
    find_regions,
    has_type_word,
    norm_text,
    slug,
    slug_series,
)
from loaders.numbers import has_own_unit, money_multiplier, parse_number_series
from loaders.numbers import ru_number as _n
from loaders.privacy import cut_person, has_contacts, person_parts
from loaders.tabular import Sheet, Workbook, cell_text

HEADER_SCAN_ROWS = 40
MAX_WARNINGS_PER_KIND = 15

# Column wordings → canonical columns. Order matters: the first pattern that matches wins, so the
# specific wordings come before the general ones («численность жителей в границах» is residents,
# not boundaries; «средства жителей» is financing, not residents).
COLUMN_PATTERNS: list[tuple[str, str]] = [
    ("_number", r"^(№|n|no|номер)( п/п| пп)?$|^№ ?п/?п$|^п/п$"),
    # The chair's own phone, e-mail, address and the council's names are personal, whatever else the
    # header says: «Место нахождения (адрес председателя)» is no settlement, «Члены совета ТОС» no count.
    ("email", r"^(e-?mail|электронн\w* почт|эл\.? ?почт|адрес электронн)\w*.*(председател|руководител)"),
    ("phone", r"^(контактн\w* )?(телефон|тел\b|моб)\w*.*(председател|руководител)"),
    ("_personal", r"(адрес|мест\w* (нахождени|жительств|проживани)|местонахождени|паспорт|дат\w* рождени)\w*.*(председател|руководител|контактн\w* лиц)"
     r"|^(член|состав|список)\w* (совета|правления|актива|ревизионн)|^список член"),
    ("funding_residents", r"(средств|вклад|софинансир|взнос)\w*.*(жител|населен|граждан|тос\b)|(жител|населен|граждан)\w*.*(средств|вклад|софинансир)|собственн\w* средств"),
    ("funding_local", r"местн\w* бюджет|бюджет\w* (муниципальн|мо\b|поселени|район|округ|город)|муниципальн\w* бюджет"),
    ("funding_regional", r"(областн|региональн|краев|республиканск)\w* бюджет|бюджет\w* (субъект|област|регион)"),
    ("funding_federal", r"федеральн\w* бюджет"),
    ("funding_grants", r"грант"),
    ("funding_sponsors", r"спонсор|внебюджетн|бизнес|предприят|партнер|благотворит|иные источник|прочие источник"),
    ("cost_total", r"(общ\w*|полн\w*|всего|итого|сметн\w*)\s*(стоимост|сумм|объем|бюджет)|стоимост\w*.*проект|^стоимост|сумма.*всего|^всего.*(руб|₽)|объем финансирования"),
    ("members", r"(количеств|числ|кол-?во|численност)\w*.*член|член\w* тос|^члены"),
    ("population", r"численност\w* (постоянн\w* )?населени(?!\w* (тос|в границах))|^население( мо| муниципальн\w*)?(,.*)?(на .*)?$|постоянн\w* населени|число жителей мо"),
    ("residents", r"(количеств|числ|кол-?во|численност)\w*.*(жител|граждан|населени\w* (тос|в границах)|проживающ|человек)|жител\w*.*в границах|проживающ\w* в границах|население тос|^жители$"),
    ("beneficiaries", r"благополучател|выгодополучател|охват\w* (населени|жител)|количеств\w* (получател|участник)"),
    ("project_title", r"(наименовани|названи)\w*.*(проект|мероприяти|объект|инициатив)|^проект$|суть проекта|^мероприятие$"),
    ("name", r"(наименовани|названи)\w*.*(тос|территориальн\w* общественн)|^тос$|^наименование$|^название$|^наименование органа тос"),
    # A national or inter-regional registry names each row's region: the hint that tells apart
    # «Октябрьский муниципальный район» of one region from that of another.
    ("region", r"^(регион|субъект)\b|^наименование (региона|субъекта)|^(область|край|республика|область, край)$"),
    ("municipality", r"муниципальн\w* (образовани|район|округ)|^мо$|^муниципалитет|городск\w* округ|сельск\w* поселени|городск\w* поселени|^район$|^территория$|^поселение$"),
    ("settlement", r"населенн\w* пункт|^нп$|^н\.п\.?$|место нахождения|местонахождени"),
    ("area_type", r"^тип$|тип (тос|территори|поселени|населенн)|городск\w* ?/ ?сельск|сельск\w* ?/ ?городск|^городской или сельский|^вид тос"),
    ("dissolved_on", r"(дат|год)\w*\W+(ликвидац|прекращ|упразднен|исключен)|ликвидирован|прекращ\w* деятельност"),
    ("registered_on", r"(дат|год)\w*.*(регистрац|создан|образован|учрежден)|регистрац\w*.*устав|устав\w*.*регистр|^дата регистрации|год основания|^год создания"),
    ("year", r"^год$|год реализац|год проведени|^год проекта|^год конкурса|период реализац"),
    ("category", r"направлени|категори|^вид проекта|тип проекта|сфера"),
    ("legal_entity", r"юридическ\w* лиц|юр\.? ?лиц|^юл$|статус юл"),
    ("status", r"^статус|состояни|^действует|реализован\w*\?|отметка о реализац"),
    ("ogrn", r"огрн"),
    ("inn", r"^инн"),
    ("boundary_text", r"границ|описание территори|улиц\w*, дом"),
    ("chair", r"председател|руководител|^ф\.?и\.?о|^фио|контактн\w* лиц"),
    ("phone", r"телефон|^тел\.?"),
    ("email", r"e-?mail|электронн\w* почт|эл\.? ?почт|^почта"),
    ("population_year", r"^год переписи|^год оценки|^на дату|^дата оценки"),
    ("note", r"примечани|комментари"),
]
_COMPILED = [(name, re.compile(rx)) for name, rx in COLUMN_PATTERNS]

# Words that make a row a total, a note, or a column-number row rather than data.
TOTAL_RE = re.compile(r"^(итого|всего|итог|в т\.? ?ч\.?|в том числе)\b", re.IGNORECASE)
NOTE_RE = re.compile(
    r"^(примечани|\*|источник|исполнител|составил|подготовил|подпись|руководител|глава|начальник|специалист|м\.п\.|"
    r"справочно|данные (приведены|указаны)|дата составления|ответственн|исп\.|исп\b|отв\.|контактн|тел\.|тел\b|"
    r"телефон|факс|e-?mail|эл\.\s?почт)",
    re.IGNORECASE,
)
# Unmistakable notes: «Примечание», «*», «М.П.», a clerk's «Исп.», «Тел.», «e-mail», or any note word
# followed by a colon («Исполнитель: …»).
NOTE_MARK_RE = re.compile(
    r"^(примечани|\*|справочно|м\.п\.|данные (приведены|указаны)|дата составления|исп\.|отв\.\s*исп|контактн\w*\s+лиц|"
    r"тел\.|e-?mail|[^:\d]{0,40}:)",
    re.IGNORECASE,
)
AS_OF_RE = re.compile(r"(?:по состоянию|по сост\.?|состояние)\s+на\s+(\d{1,2}[./]\d{1,2}[./]\d{2,4}|«?\d{1,2}»?\s+[а-я]+\s+\d{4}|\d{4})", re.IGNORECASE)
CODE_NAMES = {"ogrn": "ОГРН", "inn": "ИНН"}
_NAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*"
MUNICIPALITY_IN_TEXT = re.compile(
    rf"({_NAME}\s+(?:городск\w+|муниципальн\w+|сельск\w+)\s+(?:округ\w*|район\w*|поселени\w*)"
    rf"(?:\s+{_NAME}\s+муниципальн\w+\s+район\w*)?|(?:город\w*|г\.)\s*{_NAME}|ЗАТО\s+{_NAME})"
)
DEMO_RE = re.compile(r"демонстрац|демо-данн|\(демо\)|условн\w* данн", re.IGNORECASE)

# First match wins. A waste-container site is not a playground; «газон» is a lawn, not gas;
# «Дворец культуры» is not a courtyard.
CATEGORY_KEYWORDS: list[tuple[str, str]] = [
    ("решение экологических задач", r"контейнерн\w* площадк|площадк\w* (для|под) (мусор|тко|контейнер)|мусорн\w* площадк"),
    ("детские и спортивные площадки", r"детск|спортивн|площадк|игров|воркаут|корт|стадион|хоккей|футбол"),
    ("ремонт дорог и тротуаров", r"дорог|тротуар|проезд|асфальт|отсыпк|мост|пешеход"),
    ("обеспечение водоснабжением", r"водоснаб|водопровод|колод|скважин|водовод|водоразбор|питьев"),
    ("решение проблем ЖКХ", r"жкх|освещени|фонар|светильник|канализац|теплоснаб|газ(?!он)|коммунальн|подъезд|кровл"),
    ("сохранение культурного наследия", r"памятник|мемориал|культурн\w* наслед|обелиск|истори|музей|храм|часовн|воинск"),
    ("решение экологических задач", r"эколог|озеленен|сквер|деревь|посадк|мусор|свалк|уборк|родник|пруд|берег|контейнер"),
    ("социальная помощь нуждающимся", r"социальн|помощ|пожил|ветеран|инвалид|многодетн|малоимущ|нуждающ|волонт"),
    ("благоустройство территории", r"благоустр|двор(?!ц)|территори|ограждени|забор|скамей|клумб|цветник|лавоч|парк|зон\w* отдых"),
]
_CATEGORY_RES = [(cat, re.compile(rx)) for cat, rx in CATEGORY_KEYWORDS]

# Status words as whole words where a longer word means something else: «выполнение работ» and
# «завершение в 2025 году» are under way, «готовится» is planned, «данные уточняются» is not «да».
STATUS_WORDS = [
    (PROJECT_DONE, r"^(реализован|выполнен(?!и)|завершен(?!и)|исполнен(?!и)|да\b|готов[оыа]?\b|сдан)"),
    ("в работе", r"^(в работе|реализуетс|в процессе|выполняетс|выполнени|завершени|исполнени|начат|идет|ведутс|ведетс)"),
    ("не реализован", r"^(не реализован|не выполнен|отменен|отказ|нет\b|снят)"),
    ("запланирован", r"^(запланирован|план|готовитс|подготовк)"),
]
TOS_STATUS_WORDS = [
    ("ликвидирован", r"ликвидир|прекрат|прекращ|упразд|исключ|не действ|не работа|распущ"),
    ("действует", r"^(действ|активн|работа|да$)"),
]
YES = {"да", "+", "1", "yes", "y", "является", "юл", "юр. лицо", "юридическое лицо", "true", "истина", "д"}
NO = {"нет", "нету", "-", "0", "no", "n", "не является", "не юл", "false", "ложь", "н", "—", "–"}
# The settlement's type word, as a whole word: «Городище» and «Хуторок» are village names, not types.
URBAN_PREFIX = re.compile(r"^\s*(г\.|г\s|(город|пгт|рп|мкр|микрорайон)(?!\w)|п\.г\.т|р\.п\.|ул\.)", re.IGNORECASE)
RURAL_PREFIX = re.compile(
    r"^\s*(с\.|с\s|д\.|д\s|дер\.|п\.|п\s|пос\.|х\.|ст-ца|сл\.|ст\.|(село|деревня|поселок|посёлок|хутор|станица|аул|слобода)(?!\w))",
    re.IGNORECASE,
)


@dataclass
class Header:
    """The table found on a sheet: where its header is and what each column means."""

    first_row: int  # first header row (0-based)
    last_row: int  # last header row
    columns: dict[str, int]  # canonical name → column index
    labels: dict[str, str]  # canonical name → header text as written
    duplicates: list[str] = field(default_factory=list)
    personal: list[str] = field(default_factory=list)  # columns about people that are not kept (`_personal`)

    def score(self) -> int:
        return len([c for c in self.columns if not c.startswith("_")])


class WarningSink:
    """Collects row warnings, folding repeats of one kind into a count."""

    def __init__(self, doc: ParsedDocument):
        self.doc = doc
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.first_where: dict[tuple[str, str], str] = {}

    def add(self, kind: tuple[str, str], where: str, message: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= MAX_WARNINGS_PER_KIND:
            self.doc.warn(where, message)
        else:
            self.first_where.setdefault(kind, where)

    def flush(self) -> None:
        for kind, count in self.counts.items():
            extra = count - MAX_WARNINGS_PER_KIND
            if extra > 0:
                self.doc.warn(
                    kind[0], f"ещё {extra} строк(и) с тем же замечанием: {kind[1]} (первая из них — {self.first_where[kind]})"
                )


def classify_header(text: str) -> str | None:
    """The canonical column for one header text, or None."""
    h = norm_text(text)
    h = re.sub(r"\s*/\s*", " / ", h)
    if not h:
        return None
    # Two-level headers read «parent / child»; the child decides, the parent breaks ties.
    parts = [p for p in h.split(" / ") if p]
    candidates = [parts[-1], h] if len(parts) > 1 else [h]
    for text_part in candidates:
        for name, rx in _COMPILED:
            if rx.search(text_part):
                if name.startswith("funding") or name == "cost_total":
                    return name
                if len(parts) > 1 and re.search(r"финансир|источник|руб|₽|средств", parts[0]) and name in ("residents", "population"):
                    return "funding_residents"
                return name
    return None


def _text_cells(row: list[object]) -> list[tuple[int, str]]:
    return [(j, v) for j, v in enumerate(row) if isinstance(v, str) and v.strip()]


def _merged_parent(sheet: Sheet, r: int, c: int) -> object:
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return sheet.rows[r0][c0] if r0 < len(sheet.rows) and c0 < len(sheet.rows[r0]) else None
    return None


def _header_labels(sheet: Sheet, top: int, bottom: int) -> list[str]:
    """Flatten header rows top..bottom into one label per column («parent / child»)."""
    width = max(len(sheet.rows[r]) for r in range(top, bottom + 1))
    labels = []
    for c in range(width):
        pieces: list[str] = []
        for r in range(top, bottom + 1):
            row = sheet.rows[r]
            v = row[c] if c < len(row) else None
            if v is None and sheet.merged:
                v = _merged_parent(sheet, r, c)
            if v is None and r < bottom and not sheet.merged:
                # No merge information (CSV): a blank over a filled sub-header belongs to the group on its left.
                below = sheet.rows[bottom][c] if c < len(sheet.rows[bottom]) else None
                if below is not None:
                    k = c - 1
                    while k >= 0 and (row[k] if k < len(row) else None) is None:
                        k -= 1
                    if k >= 0:
                        v = row[k]
            if v is not None:
                text = str(v).strip()
                if text and (not pieces or pieces[-1] != text):
                    pieces.append(text)
        labels.append(" / ".join(pieces))
    return labels


def _map_labels(labels: list[str]) -> tuple[dict[str, int], dict[str, str], list[str], list[str]]:
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    duplicates = []
    personal = []
    for c, label in enumerate(labels):
        if not label:
            continue
        canon = classify_header(label)
        if canon is None:
            continue
        if canon == "_personal":
            personal.append(label)
            continue
        if canon in columns:
            duplicates.append(label)
            continue
        columns[canon] = c
        names[canon] = label
    return columns, names, duplicates, personal


def find_header(sheet: Sheet) -> Header | None:
    """Find the header row(s) of the table on a sheet; None for a sheet without a table."""
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS)
    best: Header | None = None
    for r in range(limit):
        cells = _text_cells(sheet.rows[r])
        if len(cells) < 2:
            continue
        for top, bottom in ((r, r), (r, r + 1)):
            if bottom >= len(sheet.rows):
                continue
            # A sub-header has several labels; a lone text under the header is a section row.
            if bottom > top and len(_text_cells(sheet.rows[bottom])) < 2:
                continue
            if bottom > top and _looks_like_data(sheet.rows[bottom]):
                continue
            labels = _header_labels(sheet, top, bottom)
            columns, names, dups, personal = _map_labels(labels)
            header = Header(top, bottom, columns, names, dups, personal)
            if header.score() >= 2 and (best is None or header.score() > best.score()):
                best = header
    return best


def _looks_like_data(row: list[object]) -> bool:
    numbers = sum(1 for v in row if isinstance(v, (int, float)) and not isinstance(v, bool))
    filled = sum(1 for v in row if v is not None)
    return filled > 0 and numbers >= max(2, filled // 2) and not _is_column_numbers(row)


def _is_column_numbers(row: list[object]) -> bool:
    """The «1 2 3 4 …» row some registries put under the header."""
    values = [v for v in row if v is not None]
    if len(values) < 3:
        return False
    try:
        numbers = [int(float(str(v).strip().rstrip("."))) for v in values]
    except ValueError:
        return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (0, 1)


def sheet_kind(header: Header) -> str | None:
    cols = header.columns
    has_money = "cost_total" in cols or any(c in cols for c in FUNDING_COLUMNS)
    if "project_title" in cols and (has_money or "year" in cols or "category" in cols):
        return "projects"
    if "name" in cols and ("project_title" not in cols) and has_money and "year" in cols:
        # «Наименование ТОС | Год | Стоимость»: a projects sheet whose project column is missing.
        return "projects"
    if "name" in cols:
        if "population" in cols and "residents" not in cols:
            # In a TOS registry, «Население» is the TOS's own residents.
            cols["residents"] = cols.pop("population")
            header.labels["residents"] = header.labels.pop("population")
        return "tos"
    if "population" in cols and "municipality" in cols:
        return "population"
    return None


# «ТОС» and its long form are a prefix only as whole words: «Тосненский» is a name, not «ТОС ненский».
_NAME_NUMBER = re.compile(r"^\s*\d+[.)]\s*")
_NAME_PREFIX = re.compile(
    r"^(территориальное общественное самоуправление(?!\w)|тос(?!\w)|т\.о\.с\.)\s*[-–—:]?\s*", re.IGNORECASE
)


# Where `cut_person` looks: a bracket or a separator. Most names have neither and are not looked at.
_MAY_NAME_PERSON = "[(,;]|[ \u00a0][–—-][ \u00a0]"  # no \s: Arrow's regex is 6× slower with it
_MAY_NAME_PERSON_RE = re.compile(_MAY_NAME_PERSON)


def _without_person(name: str) -> str:
    return cut_person(name)[0] if _MAY_NAME_PERSON_RE.search(name) else name


def _may_name_person(names: pd.Series) -> np.ndarray:
    """`_MAY_NAME_PERSON` over a string column in one vectorised pass (45 000 names)."""
    return names.str.contains(_MAY_NAME_PERSON, regex=True).fillna(False).to_numpy(dtype=bool)


def clean_tos_name(name: str) -> str:
    """«ТОС «Перекрёсток»» → «Перекрёсток»: as in the charter, without quotes or the ТОС prefix.

    A chair or a phone written into the name («Берёзка (председатель …)») is no part of it: TOS names are public.
    """
    s = _without_person(str(name).strip())
    s = _NAME_PREFIX.sub("", _NAME_NUMBER.sub("", s))
    s = s.strip().strip("«»\"“”„'").strip()
    s = re.sub(r"[«»\"“”„]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def tos_key(municipality_id: str, name: str) -> str:
    return f"{municipality_id}:{slug(clean_tos_name(name)) or 'tos'}"


def _starts_with(values: np.ndarray, pattern: re.Pattern[str]) -> np.ndarray:
    """`pattern.match` on the text cells of a raw object column (leading spaces skipped); others False.

    A plain loop: converting 45 000 mixed cells to a string column first costs several times more.
    """
    return np.fromiter((type(v) is str and pattern.match(v.lstrip()) is not None for v in values), dtype=bool, count=len(values))


def clean_tos_names(names: pd.Series) -> pd.Series:
    """`clean_tos_name` for a whole column at once (each distinct name once)."""
    return by_distinct(names, _clean_tos_names)


def _clean_tos_names(names: pd.Series) -> pd.Series:
    s = names.astype("string").str.strip()
    # The Python-only regex steps in one pass over the values.
    values = s.to_numpy(dtype=object, na_value=None)
    for i in np.flatnonzero(_may_name_person(s)):
        values[i] = cut_person(values[i])[0]
    values = [None if v is None else _NAME_PREFIX.sub("", _NAME_NUMBER.sub("", v)) for v in values]
    s = pd.Series(values, index=names.index, dtype="string", name=names.name)
    s = s.str.strip().str.strip("«»\"“”„'").str.strip()
    s = s.str.replace(r"[«»\"“”„]", "", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    return s.astype(object).where(s.notna(), None)


def tos_keys(municipality_ids: pd.Series, clean_names: pd.Series) -> pd.Series:
    """`tos_key` for whole columns of already cleaned names."""
    slugs = slug_series(clean_names).fillna("")
    slugs = slugs.where(slugs != "", "tos")
    return (municipality_ids.astype("string") + ":" + slugs).astype(object)


def classify_category(text: str | None, from_title: bool = False) -> str | None:
    """The direction of a project from a «Направление» cell, or (`from_title`) from its title.

    A cell may shorten a direction («Благоустройство»); a title starting with the same word
    («Благоустройство детской площадки») is decided by what it is about.
    """
    if text is None:
        return None
    t = norm_text(text)
    for cat in PROJECT_CATEGORIES:
        if norm_text(cat) == t or (not from_title and t.startswith(norm_text(cat)[:14])):
            return cat
    for cat, rx in _CATEGORY_RES:
        if rx.search(t):
            return cat
    return None


def _normalise_status(text: object, table: list[tuple[str, str]]) -> str | None:
    if text is None:
        return None
    t = norm_text(str(text))
    for value, rx in table:
        if re.search(rx, t):
            return value
    return str(text).strip()


def _yes_no(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return bool(value) if value in (0, 1) else None
    t = norm_text(str(value)).strip(". ")
    if t in YES:
        return True
    if t in NO:
        return False
    # «Да, с 2019 года» is yes; «данные отсутствуют» is not («да» as a word, not a prefix).
    if re.match(r"да\b", t):
        return True
    if re.match(r"(нет|не)\b", t):
        return False
    return None


def _text(values: pd.Series) -> pd.Series:
    """A text column as stripped strings, None where empty.

    A number is written as text, a whole one without «.0» (Excel stores a phone typed as
    89031234567 as a float). A loop over the raw cells: a round trip through a string column
    costs 2–3× more.
    """
    out = [(v.strip() if type(v) is str else cell_text(v)) or None for v in values.tolist()]
    return pd.Series(out, index=values.index, dtype=object, name=values.name)


def _area_of_settlement(text: object) -> str | None:
    """«Воронежская обл., … , с. Чигорак» → сельский: the type of the settlement, the last part."""
    last = str(text).split(",")[-1]
    if URBAN_PREFIX.match(last):
        return "городской"
    if RURAL_PREFIX.match(last):
        return "сельский"
    return None


def _map_distinct(values: pd.Series, fn) -> pd.Series:
    """Apply `fn` once per distinct value: categories and statuses repeat thousands of times."""
    distinct = {v: fn(v) for v in pd.unique(values.dropna())}
    # An object column with None for unknown: Series.map would infer a string column with NaN.
    out = [distinct.get(v) if v is not None and v == v else None for v in values.tolist()]
    return pd.Series(out, index=values.index, dtype=object, name=values.name)


def _code_text(value: object) -> str | None:
    """ОГРН/ИНН as digits: a float from Excel loses nothing up to 15 digits."""
    if value is None:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value)
    return re.sub(r"[\s\u00a0]", "", str(value)) or None


@dataclass
class SheetContext:
    """What a sheet says about itself above and around its table."""

    title: str
    municipality_text: str | None
    year: int | None
    as_of: str | None


class RegistryParser:
    """Parses one workbook into canonical frames."""

    def __init__(self, file_name: str, matcher: MunicipalityMatcher | None = None):
        self.file_name = file_name
        self.matcher = matcher or default_matcher()
        self.doc = ParsedDocument(file_name=file_name, kind="registry")
        self.sink = WarningSink(self.doc)
        self._match_cache: dict[tuple[str, str | None], object] = {}
        self.area_derived: dict[str, int] = {}
        self.region_hint: str | None = None
        self.municipalities: dict[str, dict] = {}

    # -- municipalities ------------------------------------------------------------------
    def match_municipality(self, text: str, where: str, region_id: str | None = None):
        """`region_id`: the row's own region (a «Регион» column); else the one named above the table."""
        key = (text, region_id or self.region_hint)
        if key not in self._match_cache:
            m = self.matcher.match(text, region_id=key[1], region_stated=region_id is not None)
            if m is not None and not m.known and not m.type and has_contacts(text):
                # A person typed into the municipality column: municipality names are public, none is made of it.
                m = None
            self._match_cache[key] = m
            if m is not None:
                if m.note:
                    self.sink.add(("файл", "название муниципалитета сопоставлено неточно"), where, m.note)
                if not m.known:
                    self.sink.add(
                        ("файл", "муниципалитет не найден в справочнике"),
                        where,
                        f"муниципальное образование «{text}» не найдено в справочнике; сохранено как «{m.name}»"
                        + ("" if m.region_id else " без региона"),
                    )
                if m.municipality_id not in self.municipalities:
                    self.municipalities[m.municipality_id] = {
                        "municipality_id": m.municipality_id,
                        "name": m.name,
                        "type": m.type,
                        "region_id": m.region_id,
                        "parent_id": m.parent_id,
                        "source_ref": where,
                    }
        return self._match_cache[key]

    # -- the file ------------------------------------------------------------------------
    def parse(self, book: Workbook) -> ParsedDocument:
        doc = self.doc
        for w in book.warnings:
            doc.warn("файл", w)
        notes: list[str] = list(book.notes)
        frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
        titles: list[str] = []
        found_any = False
        for sheet in book.sheets:
            header = find_header(sheet)
            if header is None:
                if any(any(v is not None for v in row) for row in sheet.rows):
                    notes.append(f"лист «{sheet.name}» пропущен: на нём нет таблицы реестра")
                continue
            kind = sheet_kind(header)
            if kind is None:
                notes.append(
                    f"лист «{sheet.name}» пропущен: столбцы ({', '.join(header.labels.values())}) не похожи "
                    "на реестр ТОС, проекты или численность населения"
                )
                continue
            found_any = True
            context = self._sheet_context(sheet, header)
            titles.append(context.title)
            for d in header.duplicates:
                doc.warn(sheet.where(header.first_row), f"столбец «{d}» повторяет уже найденный и не прочитан")
            for label in header.personal:
                doc.warn(sheet.where(header.first_row), f"столбец «{label}» — личные данные, в реестре не хранятся; столбец не прочитан")
            if kind == "tos":
                frames["tos"].append(self._tos_rows(sheet, header, context))
            elif kind == "projects":
                frames["projects"].append(self._project_rows(sheet, header, context))
            else:
                frames["population"].append(self._population_rows(sheet, header, context))
        if not found_any:
            names = ", ".join(f"«{s.name}»" for s in book.sheets) or "нет листов"
            raise ParseError(
                f"Файл «{self.file_name}»: ни на одном листе ({names}) не найдена таблица реестра. Ожидаются "
                "столбцы вроде «Наименование ТОС», «Муниципальное образование», «Численность жителей» "
                "(реестр ТОС), «Наименование проекта», «Стоимость» (проекты) или «Численность населения» (население)."
            )
        self._separate_namesakes(frames.get("tos", []))
        self.sink.flush()
        if self.area_derived:
            total = sum(self.area_derived.values())
            sheets = ", ".join(f"«{n}»" for n in list(self.area_derived)[:5]) + (" и др." if len(self.area_derived) > 5 else "")
            where = "файл" if book.sheets[0].is_csv else f"листы {sheets}"
            doc.warn(
                where,
                f"тип территории (городской/сельский) не указан в {total} строк(ах) и определён по типу населённого "
                "пункта (г., пгт — городской; с., п., д. — сельский)",
            )
        for table, parts in frames.items():
            parts = [p for p in parts if len(p)]
            if parts:
                doc.tables[table] = canonical_frame(table, pd.concat(parts, ignore_index=True))
        if self.municipalities:
            doc.tables["municipalities"] = canonical_frame("municipalities", list(self.municipalities.values()))
        if "tos" in doc.tables and "projects" in doc.tables:
            self._link_projects()
        title_text = " ".join(t for t in titles if t)
        doc.meta["title"] = titles[0] if titles and titles[0] else None
        doc.meta["is_demo"] = bool(DEMO_RE.search(title_text))
        as_of = next((self._as_of(t) for t in titles if self._as_of(t)), None)
        doc.meta["as_of"] = as_of
        regions = find_regions(title_text)
        doc.meta["region_id"] = regions[0] if regions else None
        doc.meta["notes"] = notes
        doc.meta["municipality_ids"] = sorted(
            {mid for t in ("tos", "projects", "population") if t in doc.tables for mid in doc.tables[t]["municipality_id"].dropna()}
        )
        if set(doc.tables) <= {"population", "municipalities"}:
            doc.kind = "population"
        return doc

    def _separate_namesakes(self, parts: list[pd.DataFrame]) -> None:
        """A TOS name met again in a municipality (lower on a sheet or on a later one): a TOS of its own.

        Its id ends with its row number, and a warning says so. «Берёзка» of one village and «Березка» of another would otherwise share an id and be merged.
        """
        every_id = {tos_id for part in parts for tos_id in part["tos_id"]}
        first_part: dict[str, int] = {}
        for k, part in enumerate(parts):
            for idx, tos_id in zip(part.index, part["tos_id"].tolist(), strict=True):
                if tos_id not in first_part:
                    first_part[tos_id] = k
                    continue
                new_id = f"{tos_id}-{int(part.at[idx, '_row']) + 1}"
                while new_id in every_id:  # a TOS literally named «Берёзка 2»
                    new_id += "-1"
                every_id.add(new_id)
                part.at[idx, "tos_id"] = new_id
                where = "выше" if first_part[tos_id] == k else "на другом листе"
                self.sink.add(
                    ("файл", "повтор ТОС"),
                    part.at[idx, "source_ref"],
                    f"ТОС «{part.at[idx, 'name']}» уже есть в этом муниципалитете {where}; строка сохранена как отдельный ТОС",
                )

    @staticmethod
    def _as_of(text: str) -> str | None:
        m = AS_OF_RE.search(text or "")
        if not m:
            return None
        d, _ = parse_date(m.group(1).replace("«", "").replace("»", ""))
        return d.isoformat() if d else None

    def _sheet_context(self, sheet: Sheet, header: Header) -> SheetContext:
        above = []
        for r in range(header.first_row):
            above.extend(str(v) for v in sheet.rows[r] if v is not None)
        title = " ".join(above).strip()
        regions = find_regions(title + " " + sheet.name)
        if regions and not self.region_hint:
            self.region_hint = regions[0]
        municipality_text = None
        # The title first: Excel cuts sheet names at 31 characters.
        for candidate in (title, sheet.name):
            if not candidate:
                continue
            m = MUNICIPALITY_IN_TEXT.search(candidate)
            if m:
                municipality_text = m.group(1)
                break
            # A sheet called «Реестр» names no municipality; only names with a type word are tried
            # (matching anything else would build the whole inflection index for nothing).
            if candidate is sheet.name and not sheet.is_csv and has_type_word(candidate):
                match = self.matcher.match(candidate)
                if match is not None and match.known:
                    municipality_text = candidate
                    break
        year = None
        for candidate in (sheet.name, title):
            m = re.search(r"\b(20[0-4]\d)\b", candidate or "")
            if m:
                year = int(m.group(1))
                break
        return SheetContext(title=title, municipality_text=municipality_text, year=year, as_of=self._as_of(title))

    # -- rows ----------------------------------------------------------------------------
    def _data_rows(self, sheet: Sheet, header: Header, key_column: str) -> tuple[list[int], list[str | None], dict]:
        """Row numbers of data rows, the section municipality of each, and the totals rows seen.

        Worked out column-wise over the whole sheet; only rows with a single filled cell (notes,
        section rows naming a municipality) are looked at one by one.
        """
        key = header.columns.get(key_column)
        body = sheet.frame(header.last_row + 1)
        if body.empty:
            return [], [], {}
        filled = body.notna()
        n_filled = filled.sum(axis=1)
        keep = n_filled > 0
        # The «1 2 3 …» row right under the header.
        for r in body.index[:3]:
            if _is_column_numbers(sheet.rows[r]):
                keep[r] = False
        # «Итого»/«Всего» in one of the first cells of a row.
        first_cols = list(body.columns[:3]) + ([key] if key is not None and key not in body.columns[:3] else [])
        total = pd.Series(False, index=body.index)
        for c in first_cols:
            total |= _starts_with(body[c].to_numpy(), TOTAL_RE)
        total &= keep
        totals = {sheet.where(int(r)): sheet.rows[r] for r in body.index[total.to_numpy()]}
        keep &= ~total
        # A note (a text starting with «Примечание», «*», «Исполнитель»…) in the first filled cell.
        first_pos = filled.to_numpy().argmax(axis=1)
        values = body.to_numpy(dtype=object)
        first_val = pd.Series(values[np.arange(len(values)), first_pos], index=body.index)
        noted = _starts_with(first_val.to_numpy(), NOTE_RE) & keep.to_numpy()
        for position in np.flatnonzero(noted):
            if NOTE_MARK_RE.match(first_val.iat[position].lstrip()):
                continue
            # «Источник», «Глава», «Руководитель» are also names of TOS and projects: a row with such a
            # word but filled like data (three cells or more, a number among them) stays a data row.
            row = values[position]
            cells = [v for v in row if v is not None]
            if len(cells) >= 3 and any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in cells):
                noted[position] = False
            elif len(cells) >= 2:
                self.sink.add(
                    (f"лист «{sheet.name}»", "строка похожа на подпись или примечание"),
                    sheet.where(int(body.index[position])),
                    f"«{first_val.iat[position]}» — строка похожа на подпись или примечание под таблицей и не прочитана; "
                    "если это данные, заполните в ней числовой столбец (например, численность жителей или стоимость)",
                )
        keep &= ~noted
        # Rows with one text cell: notes, section rows naming a municipality, or a TOS name alone.
        sections = pd.Series([None] * len(body), index=body.index, dtype=object)
        for r in body.index[(keep & (n_filled == 1)).to_numpy()]:
            text = first_val[r]
            if not isinstance(text, str):
                continue
            if len(text) > 120:
                keep[r] = False
                continue
            if has_contacts(text):
                # «Сидорова Елена Викторовна, 2-22-33» under the table: a clerk's signature, never a TOS
                # (and never a public TOS name). The warning names the row, not the person.
                keep[r] = False
                self.sink.add(
                    (f"лист «{sheet.name}»", "строка с контактами"),
                    sheet.where(int(r)),
                    "строка с телефоном, e-mail или фамилией с инициалами — похожа на подпись исполнителя и не прочитана",
                )
                continue
            m = self.matcher.match(text, region_id=self.region_hint)
            if m is not None and (m.known or m.type):
                sections[r] = text  # the municipality of the rows below
                keep[r] = False
            elif key is None or first_pos[body.index.get_loc(r)] != key:
                keep[r] = False
        sections = sections.ffill()
        rows_idx = [int(r) for r in body.index[keep.to_numpy()]]
        return rows_idx, [None if v is None or v != v else v for v in sections[keep].tolist()], totals

    def _frame(self, sheet: Sheet, header: Header, rows_idx: list[int]) -> pd.DataFrame:
        body = sheet.frame(header.last_row + 1)
        columns = {canon: c for canon, c in header.columns.items() if c in body.columns}
        df = body.loc[rows_idx, list(columns.values())]
        df.columns = list(columns)
        for canon in header.columns:
            if canon not in df:
                df[canon] = None
        df = df.reset_index(drop=True)
        df["_row"] = rows_idx
        return df

    def _resolve_municipalities(
        self, sheet: Sheet, header: Header, df: pd.DataFrame, sections: list[str | None], context: SheetContext
    ) -> pd.Series:
        fallback = context.municipality_text
        if "municipality" in df:
            texts = df["municipality"].where(df["municipality"].notna(), pd.Series(sections, index=df.index))
        else:
            texts = pd.Series(sections, index=df.index, dtype=object)
        texts = texts.where(texts.notna(), fallback)
        if texts.isna().all():
            raise ParseError(
                f"Файл «{self.file_name}», {sheet.where(header.first_row)}: не указан муниципалитет — нет столбца "
                "«Муниципальное образование», и муниципалитет не назван ни в названии листа, ни в заголовке над таблицей."
            )
        regions = self._row_regions(sheet, header, df)
        # Each distinct name (in its region) is matched once: a national registry repeats 18 000 names
        # 45 000 times.
        rows = df["_row"].to_numpy()
        names = texts.map(lambda v: str(v) if v is not None and v == v else None)
        keyed = names if regions is None else names.where(names.isna(), names + "\x1f" + regions.fillna(""))
        codes, uniques = pd.factorize(keyed, use_na_sentinel=True)
        # Codes are numbered in order of first appearance: the first row of each is where it is named.
        named = np.flatnonzero(codes >= 0)
        _, first = np.unique(codes[named], return_index=True)
        first_row = rows[named[first]].tolist()
        label = header.labels.get("municipality")
        ids_of_unique = []
        for code, key in enumerate(uniques):
            text, _, region_id = key.partition("\x1f")
            m = self.match_municipality(text, sheet.where(int(first_row[code]), label), region_id or None)
            ids_of_unique.append(m.municipality_id if m else None)
        lookup = np.array(ids_of_unique + [None], dtype=object)
        ids = lookup[codes]  # the sentinel -1 picks the trailing None
        for position in np.flatnonzero((codes >= 0) & (ids == None)):  # noqa: E711 (elementwise)
            self.sink.add(
                (sheet.where(header.first_row), "муниципалитет не распознан, строка пропущена"),
                sheet.where(int(rows[position]), label),
                f"«{names.iat[position]}» — в названии нет муниципального образования; строка пропущена",
            )
        for position in np.flatnonzero(codes < 0):
            self.sink.add(
                (sheet.where(header.first_row), "не указан муниципалитет, строка пропущена"),
                sheet.where(int(rows[position])),
                "не указан муниципалитет, строка пропущена",
            )
        return pd.Series(ids, index=df.index, dtype=object)

    def _row_regions(self, sheet: Sheet, header: Header, df: pd.DataFrame) -> pd.Series | None:
        """Region id of each row from a «Регион» column (None without one); unknown names are warned once."""
        if "region" not in df:
            return None
        label = header.labels.get("region")
        found: dict[str, str | None] = {}
        out = []
        for value, row in zip(df["region"], df["_row"], strict=True):
            if value is None or value != value or not str(value).strip():
                out.append(None)
                continue
            text = str(value).strip()
            if text not in found:
                ids = find_regions(text)
                found[text] = ids[0] if len(ids) == 1 else None
                if found[text] is None:
                    self.sink.add(
                        (f"лист «{sheet.name}», столбец «{label}»", "регион не распознан"),
                        sheet.where(int(row), label),
                        f"регион «{text}» не распознан; муниципалитет сопоставлен без учёта региона",
                    )
            out.append(found[text])
        return pd.Series(out, index=df.index, dtype=object)

    def _numbers(self, sheet: Sheet, header: Header, df: pd.DataFrame, column: str, integer: bool) -> tuple[pd.Series, pd.Series]:
        if column not in df:
            return pd.Series([None] * len(df), index=df.index, dtype=object), pd.Series([None] * len(df), index=df.index, dtype=object)
        values, qualifiers, unparsed = parse_number_series(df[column])
        label = header.labels[column]
        for idx in df.index[unparsed.to_numpy()]:
            where = sheet.where(int(df.at[idx, "_row"]), label)
            self.sink.add((f"лист «{sheet.name}», столбец «{label}»", "не число"), where, f"«{df.at[idx, column]}» — не число; значение не сохранено")
        negative = values < 0
        for idx in df.index[negative.fillna(False).to_numpy()]:
            where = sheet.where(int(df.at[idx, "_row"]), label)
            self.sink.add((f"лист «{sheet.name}», столбец «{label}»", "отрицательное"), where, f"отрицательное значение {values.at[idx]:g} не сохранено")
            values.at[idx] = np.nan
        for idx in df.index[qualifiers.notna().to_numpy()]:
            where = sheet.where(int(df.at[idx, "_row"]), label)
            self.sink.add(
                (f"лист «{sheet.name}», столбец «{label}»", "приблизительное значение"),
                where,
                f"«{df.at[idx, column]}» сохранено как {values.at[idx]:g} с пометкой «{qualifiers.at[idx]}»",
            )
        if integer:
            frac = values.notna() & (values % 1 != 0)
            for idx in df.index[frac.to_numpy()]:
                where = sheet.where(int(df.at[idx, "_row"]), label)
                self.sink.add((f"лист «{sheet.name}», столбец «{label}»", "дробное"), where, f"дробное число {values.at[idx]:g} округлено")
            out = values.round().astype("Int64").astype(object).where(values.notna(), None)
        else:
            out = values.astype(object).where(values.notna(), None)
        return out, qualifiers

    def _statuses(self, sheet: Sheet, header: Header, df: pd.DataFrame, words: list[tuple[str, str]], meaning: str) -> pd.Series:
        """Statuses in the vocabulary; one not recognised is kept as written, with a warning saying how it counts."""
        statuses = _map_distinct(df["status"], lambda v: _normalise_status(v, words))
        known = {value for value, _ in words}
        label = header.labels["status"]
        for idx in df.index[(statuses.notna() & ~statuses.isin(known)).to_numpy()]:
            self.sink.add(
                (f"лист «{sheet.name}», столбец «{label}»", "статус не распознан"),
                sheet.where(int(df.at[idx, "_row"]), label),
                f"статус «{statuses.at[idx]}» не распознан и сохранён как есть; {meaning}",
            )
        return statuses

    def _dates(self, sheet: Sheet, header: Header, df: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
        if column not in df:
            none = pd.Series([None] * len(df), index=df.index, dtype=object)
            return none, none.copy()
        iso, precision, unparsed = parse_date_series(df[column])
        label = header.labels[column]
        for idx in df.index[unparsed.to_numpy()]:
            where = sheet.where(int(df.at[idx, "_row"]), label)
            value = df.at[idx, column]
            # A date that lost its cell format shows as its Excel serial number (43586 = 01.05.2019).
            serial, _ = parse_date(value, allow_serial=True)
            if serial is not None:
                iso.at[idx], precision.at[idx] = serial.isoformat(), "day"
                self.sink.add(
                    (f"лист «{sheet.name}», столбец «{label}»", "дата числом"),
                    where,
                    f"«{cell_text(value)}» — число, прочитано как дата Excel {serial:%d.%m.%Y}; проверьте формат ячейки",
                )
                continue
            self.sink.add((f"лист «{sheet.name}», столбец «{label}»", "не дата"), where, f"«{value}» — не дата; значение не сохранено")
        return iso, precision

    def _tos_rows(self, sheet: Sheet, header: Header, context: SheetContext) -> pd.DataFrame:
        rows_idx, sections, totals = self._data_rows(sheet, header, "name")
        df = self._frame(sheet, header, rows_idx)
        if df.empty:
            return df
        no_name = df["name"].isna()
        for idx in df.index[no_name.to_numpy()]:
            self.sink.add(
                (f"лист «{sheet.name}»", "нет наименования ТОС"),
                sheet.where(int(df.at[idx, "_row"])),
                "нет наименования ТОС — строка не сохранена",
            )
        df = df[~no_name]
        sections = [s for s, keep in zip(sections, ~no_name, strict=True) if keep]
        out = pd.DataFrame(index=df.index)
        out["municipality_id"] = self._resolve_municipalities(sheet, header, df, sections, context)
        df = df[out["municipality_id"].notna()]
        out = out[out["municipality_id"].notna()]
        names = df["name"].astype("string")  # once: cleaned here, and looked at for a chair below
        out["name"] = clean_tos_names(names)
        out["settlement"] = _text(df["settlement"]) if "settlement" in df else None
        out["residents"], out["residents_qualifier"] = self._numbers(sheet, header, df, "residents", True)
        out["members"], _ = self._numbers(sheet, header, df, "members", True)
        out["registered_on"], out["registered_precision"] = self._dates(sheet, header, df, "registered_on")
        out["dissolved_on"], _ = self._dates(sheet, header, df, "dissolved_on")
        out["status"] = self._statuses(sheet, header, df, TOS_STATUS_WORDS, "ТОС считается действующим") if "status" in df else None
        if "legal_entity" in df:
            parsed = _map_distinct(df["legal_entity"], _yes_no)
            bad = parsed.isna() & df["legal_entity"].notna()
            for idx in df.index[bad.to_numpy()]:
                self.sink.add(
                    (f"лист «{sheet.name}»", "юрлицо не да/нет"),
                    sheet.where(int(df.at[idx, "_row"]), header.labels["legal_entity"]),
                    f"«{df.at[idx, 'legal_entity']}» — ожидалось «да» или «нет»; признак юрлица не сохранён",
                )
            out["legal_entity"] = parsed.astype(object).where(parsed.notna(), None)
        else:
            out["legal_entity"] = None
        for code, lengths in (("ogrn", (13, 15)), ("inn", (10, 12))):
            if code in df:
                values = df[code].map(_code_text)
                bad = values.notna() & ~values.fillna("").str.fullmatch(r"\d+").astype(bool) | values.notna() & ~values.fillna("").str.len().isin(lengths)
                for idx in df.index[bad.to_numpy()]:
                    self.sink.add(
                        (f"лист «{sheet.name}»", f"{code} неверной длины"),
                        sheet.where(int(df.at[idx, "_row"]), header.labels[code]),
                        f"{CODE_NAMES[code]} «{values.at[idx]}» — ожидалось {' или '.join(map(str, lengths))} цифр; сохранено как есть",
                    )
                out[code] = values
            else:
                out[code] = None
        if "legal_entity" not in df and "ogrn" in df:
            out["legal_entity"] = out["ogrn"].map(lambda v: True if v else None)
        out["area_type"] = self._area_types(sheet, header, df, out)
        for col in ("boundary_text", "chair", "phone", "email"):
            out[col] = _text(df[col]) if col in df else None
        self._chair_from_names(sheet, header, df, names, out)
        out["tos_id"] = tos_keys(out["municipality_id"], out["name"])
        out["_row"] = df["_row"]  # for a namesake's id (`_separate_namesakes`); not a canonical column
        out["source_ref"] = sheet.places(df["_row"])
        self._check_totals(sheet, header, totals, out, "residents")
        return out.reset_index(drop=True)

    def _chair_from_names(self, sheet: Sheet, header: Header, df: pd.DataFrame, names: pd.Series, out: pd.DataFrame) -> None:
        """«Берёзка (председатель Волков А.С.)»: the chair, phone and e-mail go to their own columns.

        The name has already lost them (`clean_tos_name`). A column the row has filled keeps its value;
        the warning names the row, not the person.
        """
        label = header.labels["name"]
        for idx in df.index[_may_name_person(names)]:
            person = cut_person(names.at[idx])[1]
            if person is None:
                continue
            parts = person_parts(person)
            kept = False
            for col, value in zip(("chair", "phone", "email"), parts, strict=True):
                current = out.at[idx, col]
                if value and (current is None or current != current):
                    out.at[idx, col] = value
                    kept = True
            if kept:
                outcome = "; сохранены как председатель и его контакты (видны только сотрудникам)"
            else:
                outcome = "; в строке они уже указаны в своих столбцах" if any(parts) else ""
            self.sink.add(
                (f"лист «{sheet.name}»", "председатель в наименовании ТОС"),
                sheet.where(int(df.at[idx, "_row"]), label),
                f"в наименовании ТОС указаны председатель или его контакты — из наименования убраны{outcome}",
            )

    def _area_types(self, sheet: Sheet, header: Header, df: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
        result = pd.Series([None] * len(df), index=df.index, dtype=object)
        if "area_type" in df:
            def norm(v):
                if v is None:
                    return None
                t = norm_text(str(v))
                if t.startswith("город") or t in ("г", "г.", "городская"):
                    return "городской"
                if t.startswith("сел") or t.startswith("сельск"):
                    return "сельский"
                return None
            result = _map_distinct(df["area_type"], norm)
        derived = 0
        if "settlement" in df:
            unknown = result.isna() & df["settlement"].notna()
            if unknown.any():
                found = _map_distinct(df.loc[unknown, "settlement"], _area_of_settlement)
                found = found[found.notna()]
                result[found.index] = found
                derived = len(found)
        if derived:
            self.area_derived[sheet.name] = self.area_derived.get(sheet.name, 0) + derived
        return result

    def _check_totals(self, sheet: Sheet, header: Header, totals: dict, out: pd.DataFrame, column: str) -> None:
        c = header.columns.get(column)
        if c is None or not totals:
            return
        for where, row in totals.items():
            value = row[c] if c < len(row) else None
            if value is None:
                continue
            values, _, unparsed = parse_number_series(pd.Series([value], dtype=object))
            if unparsed.iloc[0] or pd.isna(values.iloc[0]):
                continue
            stated = float(values.iloc[0])
            computed = float(pd.to_numeric(out[column], errors="coerce").sum())
            if abs(stated - computed) > 0.5 and len(totals) == 1:
                self.doc.warn(
                    where,
                    f"в строке итогов «{header.labels[column]}» = {_n(stated)}, а сумма по строкам = {_n(computed)}; "
                    "сохранены значения строк",
                )

    def _project_rows(self, sheet: Sheet, header: Header, context: SheetContext) -> pd.DataFrame:
        title_col = "project_title" if "project_title" in header.columns else "name"
        rows_idx, sections, totals = self._data_rows(sheet, header, title_col)
        df = self._frame(sheet, header, rows_idx)
        if df.empty:
            return df
        if title_col == "name":
            df["project_title"] = None
        no_title = df["project_title"].isna() & (df["name"].isna() if "name" in df else True)
        for idx in df.index[no_title.to_numpy()]:
            self.sink.add(
                (f"лист «{sheet.name}»", "нет названия проекта"),
                sheet.where(int(df.at[idx, "_row"])),
                "нет названия проекта — строка не сохранена",
            )
        keep = ~no_title
        df = df[keep]
        sections = [s for s, k in zip(sections, keep, strict=True) if k]
        out = pd.DataFrame(index=df.index)
        out["municipality_id"] = self._resolve_municipalities(sheet, header, df, sections, context)
        df = df[out["municipality_id"].notna()]
        out = out[out["municipality_id"].notna()]
        out["title"] = _text(df["project_title"])
        if "name" in df:
            out["tos_name"] = clean_tos_names(df["name"])
            out["tos_id"] = tos_keys(out["municipality_id"], out["tos_name"]).where(out["tos_name"].notna(), None)
        else:
            out["tos_name"] = None
            out["tos_id"] = None
        # Year: a year column, a date column, or the sheet's own year.
        if "year" in df:
            years, qualifiers, bad = parse_number_series(df["year"].map(lambda v: v.year if hasattr(v, "year") else v))
            years = years.where((years >= 1990) & (years <= 2100))
            for idx in df.index[((qualifiers == "range") & years.notna()).to_numpy()]:
                self.sink.add(
                    (f"лист «{sheet.name}»", "период вместо года"),
                    sheet.where(int(df.at[idx, "_row"]), header.labels["year"]),
                    f"«{df.at[idx, 'year']}» — период; взят год начала {int(years.at[idx])}",
                )
            for idx in df.index[(bad | (years.isna() & df["year"].notna())).to_numpy()]:
                d, _ = parse_date(df.at[idx, "year"])
                if d:
                    years.at[idx] = d.year
                else:
                    self.sink.add(
                        (f"лист «{sheet.name}»", "год не распознан"),
                        sheet.where(int(df.at[idx, "_row"]), header.labels["year"]),
                        f"«{df.at[idx, 'year']}» — год не распознан",
                    )
            out["year"] = years.astype("Int64").astype(object).where(years.notna(), None)
        elif context.year:
            out["year"] = context.year
            self.doc.warn(f"лист «{sheet.name}»", f"нет столбца «Год»; год {context.year} взят из названия листа или заголовка")
        else:
            out["year"] = None
            self.doc.warn(f"лист «{sheet.name}»", "нет столбца «Год» и год не указан в заголовке — год проектов неизвестен")
        # Category: as written when it maps to the vocabulary, otherwise from the title, with a warning.
        if "category" in df:
            cats = _map_distinct(df["category"], classify_category)
            for idx in df.index[(cats.isna() & df["category"].notna()).to_numpy()]:
                cats.at[idx] = classify_category(out.at[idx, "title"], from_title=True) or "иное"
                self.sink.add(
                    (f"лист «{sheet.name}»", "категория вне перечня"),
                    sheet.where(int(df.at[idx, "_row"]), header.labels["category"]),
                    f"направление «{df.at[idx, 'category']}» не из перечня; отнесено к «{cats.at[idx]}»",
                )
            out["category"] = cats
        else:
            out["category"] = _map_distinct(out["title"], lambda t: classify_category(t, from_title=True) or "иное")
            self.doc.warn(
                f"лист «{sheet.name}»",
                f"нет столбца «Направление»; направление определено по названию проекта (проектов: {len(out)})",
            )
        if "status" in df:
            out["status"] = self._statuses(sheet, header, df, STATUS_WORDS, "проект не считается реализованным")
        else:
            out["status"] = None
            self.doc.warn(f"лист «{sheet.name}»", "нет столбца «Статус»: реализованы ли проекты, неизвестно")
        # Money: each column in roubles, whatever unit its header names.
        for col in ("cost_total", *FUNDING_COLUMNS):
            values, _ = self._numbers(sheet, header, df, col, integer=False)
            if col in header.labels:
                # The column's own unit; when it names none, the total's, then the title's (with
                # roubles: «свыше 100 тыс. жителей» in a title is no unit of money).
                k = money_multiplier(header.labels[col])
                if k is None and col != "cost_total" and "cost_total" in header.labels:
                    k = money_multiplier(header.labels["cost_total"])
                if k is None:
                    k = money_multiplier(context.title, currency_required=True)
                # A cell that writes its own unit («1,2 млн», «350 000 руб.») is read by it.
                own = df[col].map(has_own_unit).to_numpy(dtype=bool)
                if k not in (None, 1.0):
                    label = header.labels[col]
                    for idx in df.index[own]:
                        self.sink.add(
                            (f"лист «{sheet.name}», столбец «{label}»", "единица в ячейке"),
                            sheet.where(int(df.at[idx, "_row"]), label),
                            f"«{df.at[idx, col]}» — единица указана в ячейке; единица заголовка не применена",
                        )
                scaled = pd.to_numeric(values, errors="coerce") * np.where(own, 1.0, k or 1.0)
                values = scaled.astype(object).where(scaled.notna(), None)
            out[col] = values
        funding = out[list(FUNDING_COLUMNS)].apply(pd.to_numeric, errors="coerce")
        has_funding = funding.notna().any(axis=1)
        funding_sum = funding.sum(axis=1, min_count=1)
        total = pd.to_numeric(out["cost_total"], errors="coerce")
        filled = total.isna() & has_funding
        if filled.any():
            out.loc[filled, "cost_total"] = funding_sum[filled]
            self.doc.warn(
                f"лист «{sheet.name}»" if not sheet.is_csv else "файл",
                f"общая стоимость не указана в {int(filled.sum())} строк(ах); взята сумма источников финансирования",
            )
        mismatch = total.notna() & has_funding & ((total - funding_sum).abs() > np.maximum(1.0, 0.005 * total))
        for idx in out.index[mismatch.to_numpy()]:
            self.sink.add(
                (f"лист «{sheet.name}»", "сумма источников не равна стоимости"),
                sheet.where(int(df.at[idx, "_row"])),
                f"сумма источников {_n(funding_sum.at[idx], 2)} ₽ не равна общей стоимости {_n(total.at[idx], 2)} ₽",
            )
        out["beneficiaries"], _ = self._numbers(sheet, header, df, "beneficiaries", True)
        out["source_ref"] = sheet.places(df["_row"])
        # Stable and readable: municipality, title, year and the row it came from.
        years = pd.Series(out["year"], index=out.index).astype("string").fillna("")
        out["project_id"] = (
            out["municipality_id"].astype("string") + ":" + slug_series(out["title"].fillna("")).str.slice(0, 60)
            + ":" + years + ":" + (df["_row"] + 1).astype("string")
        ).astype(object)  # fmt: skip
        return out.reset_index(drop=True)

    def _population_rows(self, sheet: Sheet, header: Header, context: SheetContext) -> pd.DataFrame:
        rows_idx, sections, _ = self._data_rows(sheet, header, "municipality")
        df = self._frame(sheet, header, rows_idx)
        if df.empty:
            return df
        out = pd.DataFrame(index=df.index)
        out["municipality_id"] = self._resolve_municipalities(sheet, header, df, sections, context)
        df = df[out["municipality_id"].notna()]
        out = out[out["municipality_id"].notna()]
        out["population"], _ = self._numbers(sheet, header, df, "population", True)
        year = None
        year_col = "population_year" if "population_year" in df else ("year" if "year" in df else None)
        if year_col:
            years = df[year_col].map(lambda v: (parse_date(v)[0] or None))
            out["year"] = years.map(lambda d: d.year if d else None)
        else:
            label = header.labels.get("population", "")
            m = re.search(r"(20\d\d|19\d\d)", label) or re.search(r"(20\d\d|19\d\d)", context.title or "")
            year = int(m.group(1)) if m else None
            if year is None:
                self.doc.warn(f"лист «{sheet.name}»", "год численности населения не указан ни в столбце, ни в заголовке")
            out["year"] = year
        out["source_ref"] = sheet.places(df["_row"])
        return out[out["population"].notna()].reset_index(drop=True)

    def _link_projects(self) -> None:
        """Projects name their TOS; say which names are not in this file's registry."""
        tos_ids = set(self.doc.tables["tos"]["tos_id"])
        projects = self.doc.tables["projects"]
        unknown = projects[projects["tos_id"].notna() & ~projects["tos_id"].isin(tos_ids)]
        for _, row in unknown.head(MAX_WARNINGS_PER_KIND).iterrows():
            self.doc.warn(row["source_ref"], f"ТОС «{row['tos_name']}» из проекта не найден в реестре ТОС этого файла")
        if len(unknown) > MAX_WARNINGS_PER_KIND:
            self.doc.warn("лист проектов", f"и ещё проектов, ссылающихся на ТОС, которых нет в реестре этого файла: {len(unknown) - MAX_WARNINGS_PER_KIND}")


def parse_registry(book: Workbook, file_name: str, matcher: MunicipalityMatcher | None = None) -> ParsedDocument:
    """Parse a registry workbook (any of TOS, projects and population sheets)."""
    return RegistryParser(file_name, matcher).parse(book)


def looks_like_registry(book: Workbook) -> bool:
    return any(find_header(s) is not None and sheet_kind(find_header(s)) for s in book.sheets)
