"""Documents (.docx, .pdf, .txt): read into blocks, the kind told from the content, then parsed.

Kinds: a practice passport, a contest commission protocol, a congress (forum, conference)
resolution, or another document about TOS (a presentation, a report) — the last two are stored
as documents with their date, place, region and participant count, so nothing uploaded is lost
or misfiled. A text that is not about TOS at all is refused with a message saying so.
"""

from __future__ import annotations

import re

from loaders.base import ParsedDocument, ParseError
from loaders.doc_common import DEMO_RE, find_date
from loaders.doc_model import DocText, Paragraph
from loaders.names import MunicipalityMatcher, default_matcher, find_regions
from loaders.passport import count_headings

DOCUMENT_KINDS = ("passport", "protocol", "resolution", "other")
_TOS_RE = re.compile(r"\bТОС\b|территориальн\w*\s+общественн\w*\s+самоуправлен", re.IGNORECASE)
_PASSPORT_RE = re.compile(r"паспорт\w*\s+(?:муниципальной\s+|лучшей\s+)?практик", re.IGNORECASE)
_PROTOCOL_RE = re.compile(r"(?:^|\n)\s*протокол\b", re.IGNORECASE)
_RESOLUTION_RE = re.compile(r"(?:^|\n)\s*резолюци\w*\s*(?:\([^)\n]*\))?\s*(?:\n|$)|резолюци\w*\s+(?:[IVX\d]+\s+)?(?:съезд|форум|конференци|собрани|совещани|семинар)", re.IGNORECASE)
_EVENT_RE = re.compile(r"съезд|форум|конференци|собрани|совещани|семинар|круглого стола|круглый стол", re.IGNORECASE)


def read_blocks(data: bytes, file_name: str, fmt: str) -> DocText:
    if fmt == "docx":
        from loaders.doc_docx import read_docx

        return read_docx(data, file_name)
    if fmt == "pdf":
        from loaders.doc_pdf import read_pdf

        return read_pdf(data, file_name)
    from loaders.doc_text import read_text_document

    return read_text_document(data, file_name)


def detect_kind(text: DocText) -> str | None:
    """The kind by content; None when the document is not about TOS at all."""
    head = text.plain_text(limit=2500)
    full = text.plain_text()
    if _PASSPORT_RE.search(head) or count_headings(text.blocks) >= 8:
        return "passport"
    if _PROTOCOL_RE.search(head) and re.search(r"комисси", head, re.IGNORECASE) and re.search(r"конкурс", full, re.IGNORECASE):
        return "protocol"
    if _RESOLUTION_RE.search(head) and _EVENT_RE.search(head):
        return "resolution"
    if _TOS_RE.search(full):
        return "other"
    return None


def looks_like_document(text: DocText) -> bool:
    """A text file that is a passport, a protocol or a resolution (not a table for the registry loader)."""
    return detect_kind(text) in ("passport", "protocol", "resolution")


def parse_document(
    data: bytes,
    file_name: str,
    fmt: str,
    kind: str | None = None,
    matcher: MunicipalityMatcher | None = None,
    text: DocText | None = None,
) -> ParsedDocument:
    """Read and parse one document; raises ParseError with a Russian message."""
    text = text or read_blocks(data, file_name, fmt)
    found = detect_kind(text)
    if found is None:
        raise ParseError(
            f"Файл «{file_name}»: в документе нет ни слова о ТОС — это не паспорт практики, не протокол комиссии "
            "и не резолюция. Проверьте, тот ли файл выбран."
        )
    use = found
    if kind in DOCUMENT_KINDS and kind != found and found == "other":
        use = kind  # the user knows better than a weak guess
    doc = ParsedDocument(file_name=file_name, kind=use)
    for w in text.warnings:
        doc.warn("файл", w)
    doc.meta["read_as"] = {"text": "текст", "docx": "документ Word", "pdf": "PDF"}.get(text.source, text.source)
    if text.pages:
        doc.meta["pages"] = text.pages
    for note in text.notes:
        doc.meta.setdefault("notes", []).append(note)
    if use == "passport":
        from loaders.passport import parse_passport

        parse_passport(text, doc, matcher)
    elif use == "protocol":
        from loaders.protocol import parse_protocol

        parse_protocol(text, doc, matcher)
    else:
        _describe(text, doc, matcher)
    doc.meta.setdefault("is_demo", bool(DEMO_RE.search(text.plain_text())))
    return doc


# --------------------------------------------------------------------------- resolutions, other


_PLACE_RE = re.compile(r"\bв\s+(?:городе|г\.)\s*(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)*)")
_PARTICIPANTS_RE = re.compile(
    r"(?:(?:общее\s+)?(?:количество|число)\s+участник\w*[^.\d]{0,60}?|приняли\s+участие|участвовали|присутствовали)\s*"
    r"(?P<q>более|свыше|около|порядка|не менее)?\s*(?P<n>\d[\d\s]*)\s*(?:человек|чел\.?|участник\w*|делегат\w*)",
    re.IGNORECASE,
)
_TOPIC_WORDS = [
    ("благоустройство территории", r"благоустройств\w*\s+территори"),
    ("детские и спортивные площадки", r"детск\w*\s+и\s+спортивн\w*\s+площад"),
    ("ремонт дорог и тротуаров", r"ремонт\w*\s+дорог"),
    ("решение проблем ЖКХ", r"проблем\w*\s+ЖКХ"),
    ("обеспечение водоснабжением", r"водоснабжени"),
    ("сохранение культурного наследия", r"культурн\w*\s+наслед"),
    ("решение экологических задач", r"экологическ\w*\s+задач"),
    ("социальная помощь нуждающимся", r"социальн\w*\s+помощ"),
]


def _title(text: DocText, kind: str) -> str | None:
    paras = [b.text.strip() for b in text.blocks[:20] if isinstance(b, Paragraph) and b.text.strip()]
    if not paras:
        return None
    if kind == "resolution":
        head: list[str] = []
        for p in paras:
            if re.match(r"^резолюци", p, re.IGNORECASE):
                break
            head.append(p)
        name = " ".join(head[:3]).strip()
        return f"Резолюция: {name}" if name else "Резолюция"
    # Other documents: the first lines until a short year line or a long paragraph.
    head = []
    for p in paras[:10]:
        if re.fullmatch(r"(?:19|20)\d{2}\s*(?:г\.?|год)?", p) or len(p) > 200 or len(" ".join(head + [p])) > 300:
            break
        head.append(p)
    return re.sub(r"\s+", " ", " ".join(head)).strip() or None


def _describe(text: DocText, doc: ParsedDocument, matcher: MunicipalityMatcher | None) -> None:
    """Resolutions and other documents: the document's own facts, kept with it."""
    full = text.plain_text()
    head = text.plain_text(limit=3000)
    doc.meta["title"] = _title(text, doc.kind)
    date = find_date(head)
    if date is not None:
        doc.meta["doc_date"] = date.isoformat()
    else:
        year = re.search(r"(?:^|\n)\s*((?:19|20)\d{2})\s*(?:г\.?|год)?\s*(?:\n|$)", head)
        if year:
            doc.meta["doc_date"] = f"{year.group(1)}-01-01"
            doc.meta["doc_date_precision"] = "year"
    place = _PLACE_RE.search(head)
    if place:
        m = (matcher or default_matcher()).match(f"город {place.group('name')}")
        # The place of the event only: a regional congress in Smolensk is not a fact about the city.
        doc.meta["place"] = m.name if m is not None and m.known else f"город {re.sub(r'е$', '', place.group('name'))}"
    regions = find_regions(head) or find_regions(full)
    doc.meta["region_id"] = regions[0] if regions else None
    participants = _PARTICIPANTS_RE.search(full)
    if participants:
        doc.meta["participants"] = int(re.sub(r"\s", "", participants.group("n")))
        q = (participants.group("q") or "").lower()
        doc.meta["participants_qualifier"] = {"более": ">=", "свыше": ">=", "не менее": ">=", "около": "~", "порядка": "~"}.get(q)
        doc.meta["participants_text"] = re.sub(r"\s+", " ", participants.group(0)).strip()
    topics = [name for name, rx in _TOPIC_WORDS if re.search(rx, full, re.IGNORECASE)]
    if topics:
        doc.meta["topics"] = topics
    if doc.kind == "other":
        doc.meta.setdefault("notes", []).append(
            "не паспорт практики, не протокол и не резолюция: сохранён как документ (дата, место, регион), "
            "таблицы фактов из него не извлекаются"
        )
