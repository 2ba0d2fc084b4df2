"""Headings of the documents we read: the 22 sections of a practice passport.

A heading is recognised by its wording, not by its number: numbering styles differ («1.», «1)»,
«Раздел 1», Word's automatic numbering that is not in the text at all), bold markers and tabs come
and go, and titles are slightly reworded from one passport to the next.
"""

from __future__ import annotations

import re

# Section number → wordings of its title (matched at the start of the normalised heading text).
PASSPORT_SECTIONS: dict[int, str] = {
    1: r"наименование (муниципальной )?практики|название (муниципальной )?практики",
    2: r"наименование территории|территория,? (на которой|где)|территория (реализации|внедрения)|муниципальное образование,? (на территории )?котор",
    3: r"предпосылки (реализации|внедрения)|предпосылки практики",
    4: r"сроки? (реализации|внедрения)|период (реализации|внедрения)",
    5: r"показатели[^.]{0,200}?\bдо (внедрения|реализации|начала)|положение до (внедрения|реализации)|ситуация до (внедрения|реализации)",
    6: r"цель \(цели\)|цел[ьи] и задачи|цели,? задачи",
    7: r"возможности,? (которые )?позволи",
    8: r"принципиальные подходы|основные подходы",
    9: r"результаты (практики|внедрения|реализации)|достигнутые результаты",
    10: r"участники (внедрения|реализации)",
    11: r"заинтересованные лица|целевая (аудитория|группа)",
    12: r"(краткое )?описание бизнес-? ?модели|бизнес-? ?модель",
    13: r"краткое описание практики|описание практики",
    14: r"действия по (развертыванию|развёртыванию|внедрению|реализации)|мероприятия по (развертыванию|внедрению)",
    15: r"нормативн\w*[- ]?правов\w* акт|нормативн\w* акт|правовые акты",
    16: r"ресурсы,? (необходимые|требуемые)|ресурсы для (внедрения|реализации)",
    17: r"выгодополучател|благополучател",
    18: r"затраты на (реализацию|внедрение)|расходы на (реализацию|внедрение)|объем затрат|стоимость (реализации|внедрения)",
    19: r"показатели[^.]{0,200}?\bпосле (внедрения|реализации)|положение после (внедрения|реализации)|ситуация после (внедрения|реализации)",
    20: r"(краткая )?информация о (лидере|руководителе)|лидер практики|команда (практики|проекта)",
    21: r"ссылки на (интернет|ресурсы|сайт)|интернет-ресурсы",
    22: r"(список )?контактов|контактная информация|ответственные (лица|за реализацию)|контакты",
}
SECTION_TITLES: dict[int, str] = {
    1: "Наименование практики",
    2: "Наименование территории",
    3: "Предпосылки реализации",
    4: "Сроки реализации практики",
    5: "Показатели до внедрения практики",
    6: "Цель и задачи практики",
    7: "Возможности",
    8: "Принципиальные подходы",
    9: "Результаты практики",
    10: "Участники внедрения практики",
    11: "Заинтересованные лица",
    12: "Бизнес-модель",
    13: "Краткое описание практики",
    14: "Действия по развертыванию практики",
    15: "Нормативно-правовые акты",
    16: "Ресурсы",
    17: "Выгодополучатели",
    18: "Затраты на реализацию практики",
    19: "Показатели после внедрения практики",
    20: "Лидер практики",
    21: "Ссылки на интернет-ресурсы",
    22: "Контакты",
}
_SECTION_RES = {n: re.compile(rf"^(?:{rx})") for n, rx in PASSPORT_SECTIONS.items()}

_MARKERS_RE = re.compile(r"^[\s#*_>•\-–—]*")
_NUMBER_RE = re.compile(r"^(?:раздел|пункт|п\.)?\s*(\d{1,2})\s*(?:[.)]\s*|\s+|(?=[а-яё]))(?!\d)", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12,
          "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18, "xix": 19, "xx": 20, "xxi": 21, "xxii": 22}  # fmt: skip
_ROMAN_RE = re.compile(r"^([ivx]{1,5})\s*[.)]\s+", re.IGNORECASE)


def heading_parts(text: str) -> tuple[int | None, str]:
    """(number, title text) of a heading-like line: markers, numbering and tabs removed."""
    s = str(text).replace("\t", " ").replace("**", " ").replace("__", " ")
    s = _MARKERS_RE.sub("", s).strip()
    number = None
    m = _NUMBER_RE.match(s)
    if m:
        number = int(m.group(1))
        s = s[m.end() :]
    else:
        r = _ROMAN_RE.match(s)
        if r and r.group(1).lower() in _ROMAN:
            number = _ROMAN[r.group(1).lower()]
            s = s[r.end() :]
    s = _MARKERS_RE.sub("", s).strip()
    return number, re.sub(r"\s+", " ", s)


def _norm(title: str) -> str:
    return title.lower().replace("ё", "е").replace("«", "").replace("»", "").strip(" :.")


def passport_section(text: str, max_len: int = 300) -> tuple[int, str] | None:
    """The passport section a heading line opens, and any content written after a colon.

    A line is a heading when its wording starts with a section title; a number in front must
    agree with it. Unnumbered lines must be short and must not read as a sentence (end with a
    period), so prose that happens to start with «Результаты практики…» is not a heading.
    """
    raw = str(text).strip()
    if "\t" in raw:
        # «1. Наименование практики<TAB>Соседи вместе»: the title and its content on one line.
        head, _, tail = raw.partition("\t")
        if head.strip() and tail.strip() and not re.fullmatch(r"\s*\d{1,2}\s*[.)]?\s*", head):
            hit = passport_section(head, max_len)
            if hit is not None:
                return hit[0], (hit[1] + " " + tail.strip()).strip()
    if not raw or len(raw) > max_len + 40:
        return None
    number, title = heading_parts(raw)
    low = _norm(title)
    if not low:
        return None
    for k, rx in _SECTION_RES.items():
        m = rx.match(low)
        if not m:
            continue
        if number is not None and number != k:
            return None
        if number is None and (len(title) > 160 or title.rstrip().endswith((".", ";"))):
            return None
        if number is not None and len(title) > max_len:
            return None
        content = ""
        colon = title.find(":")
        if colon >= 0 and colon >= m.end() - 2:
            content = title[colon + 1 :].strip().strip("*").strip()
        return k, content
    return None


def numbered_line(text: str) -> int | None:
    """The number of a short numbered line («7. Возможности…»), for sections reworded beyond recognition."""
    raw = str(text).strip()
    if not raw or len(raw) > 200 or raw.rstrip().endswith((".", ";", ",")):
        return None
    number, title = heading_parts(raw)
    if number is None or not title or not title[:1].isalpha() or not title[:1].isupper():
        return None
    return number
