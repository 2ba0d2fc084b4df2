"""One function to parse any supported file: the kind comes from the content, not the name."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from loaders.base import ParsedDocument, ParseError
from loaders.canonical import KINDS
from loaders.names import MunicipalityMatcher, resolve_matcher
from loaders.sniff import FORMAT_NAMES, extension_formats, safe_file_name, sniff

MAX_FILE_BYTES = 200 * 1024 * 1024
GEO_FORMATS = ("geojson", "kml", "kmz", "shapezip", "gpkg")


def parse_bytes(
    data: bytes,
    file_name: str,
    kind: str | None = None,
    matcher: MunicipalityMatcher | Future | Callable[[], MunicipalityMatcher | Future] | None = None,
    *,
    level: str | None = None,
) -> ParsedDocument:
    """Parse the bytes of one file. Raises ParseError with a Russian message naming the file.

    `matcher` may still be being built (a Future): it is waited for after the file is read. It may
    also be a function that starts building it: it is called once the file has passed the safety
    checks, so an unsafe file costs no database read, and the zip check (zlib) does not compete
    with the build for the two cores.

    `level` (region, municipality, tos) tells a boundary file's level when its content does not.
    """
    from loaders.safety import check_file_name, check_xml_text, check_zip

    check_file_name(file_name)
    name = safe_file_name(file_name)
    if kind is not None and kind not in KINDS:
        raise ParseError(f"Файл «{name}»: неизвестный вид документа «{kind}» (допустимы: {', '.join(KINDS)}).")
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(f"Файл «{name}»: {len(data) // 1024 // 1024} МБ — больше допустимых {MAX_FILE_BYTES // 1024 // 1024} МБ.")
    fmt = sniff(data)
    _check_format(name, fmt)
    if fmt in ("xlsx", "docx", "shapezip", "kmz", "pptx"):
        check_zip(data, name)
    elif fmt == "kml":
        check_xml_text(data, name)
    if callable(matcher) and not isinstance(matcher, MunicipalityMatcher):
        matcher = matcher()
    if fmt in ("xlsx", "xls"):
        from loaders.registry import parse_registry
        from loaders.tabular import read_excel

        book = read_excel(data, name)
        doc = parse_registry(book, name, resolve_matcher(matcher))
    elif fmt in ("docx", "pdf"):
        from loaders.documents import parse_document

        if kind in ("registry", "population", "boundaries"):
            raise ParseError(f"Файл «{name}»: {FORMAT_NAMES[fmt]} не может быть видом «{kind}» — такие данные приходят таблицей или файлом границ.")
        doc = parse_document(data, name, fmt, kind, resolve_matcher(matcher))
    elif fmt == "text":
        doc = _parse_text(data, name, kind, matcher)
    elif fmt in GEO_FORMATS:
        from loaders.boundaries import looks_like_boundaries, parse_boundaries

        if fmt == "geojson" and not looks_like_boundaries(data):
            raise ParseError(f"Файл «{name}»: JSON без объектов GeoJSON — такие файлы пока не читаются.")
        doc = parse_boundaries(data, name, fmt, resolve_matcher(matcher), level=level)
    else:
        raise ParseError(f"Файл «{name}»: {FORMAT_NAMES.get(fmt, fmt)} — такие файлы пока не читаются.")
    if kind is not None and doc.kind != kind and not (kind == "registry" and doc.kind == "population"):
        raise ParseError(
            f"Файл «{name}»: по содержимому это «{doc.kind}», а указан вид «{kind}». Проверьте файл или уберите --kind."
        )
    return doc


def _parse_text(data: bytes, name: str, kind: str | None, matcher: MunicipalityMatcher | Future | None) -> ParsedDocument:
    """A text file is a registry table (CSV) or a document: the content decides, not the name.

    A passport, a protocol or a resolution is recognised by its wording; then a table the registry
    loader recognises is a registry; then any other text about TOS is stored as a document.
    """
    from loaders.doc_text import read_text_document
    from loaders.documents import DOCUMENT_KINDS, detect_kind, parse_document
    from loaders.registry import looks_like_registry, parse_registry
    from loaders.tabular import read_csv

    is_csv = Path(name).suffix.lower() in (".csv", ".tsv")
    text = None
    if kind in DOCUMENT_KINDS or (kind is None and not is_csv):
        text = read_text_document(data, name)
        found = detect_kind(text)
        if kind in DOCUMENT_KINDS or found in ("passport", "protocol", "resolution"):
            return parse_document(data, name, "text", kind, resolve_matcher(matcher), text=text)
    book = read_csv(data, name)
    if kind is None and not is_csv and not looks_like_registry(book) and text is not None and detect_kind(text) == "other":
        return parse_document(data, name, "text", kind, resolve_matcher(matcher), text=text)
    return parse_registry(book, name, resolve_matcher(matcher))


def _check_format(name: str, fmt: str) -> None:
    """Reject what we cannot read, and files whose extension lies about their content."""
    if fmt == "empty":
        raise ParseError(f"Файл «{name}» пустой.")
    if fmt in ("zip-broken",):
        raise ParseError(f"Файл «{name}»: архив повреждён или обрезан — откройте его на своём компьютере и сохраните заново.")
    if fmt == "encrypted":
        raise ParseError(f"Файл «{name}» защищён паролем. Снимите пароль (Файл → Сведения → Защита) и загрузите снова.")
    if fmt == "vrt":
        raise ParseError(
            f"Файл «{name}»: это не {_claimed(name)}, а виртуальный слой GDAL (VRT) — он ссылается на другие файлы "
            "или адреса и поэтому не принимается. Загрузите сами данные: GeoJSON, KML или KMZ, архив шейп-файла (.zip) или GeoPackage."
        )
    if fmt == "doc":
        raise ParseError(f"Файл «{name}» — документ Word 97–2003 (.doc). Сохраните его как .docx или PDF и загрузите снова.")
    allowed = extension_formats(name)
    if fmt == "binary" and allowed & {"csv", "text"}:
        raise ParseError(
            f"Файл «{name}»: внутри нулевые байты и двоичные данные — это не текстовая таблица, хотя имя "
            "оканчивается на .csv/.txt. Сохраните таблицу заново как CSV (UTF-8) или .xlsx."
        )
    readable = {"xlsx", "xls", "text", "docx", "pdf", *GEO_FORMATS}
    if fmt not in readable:
        raise ParseError(f"Файл «{name}»: {FORMAT_NAMES.get(fmt, 'формат ' + fmt)} — такие файлы не читаются.")
    equivalent = {"text": {"csv", "text"}, "geojson": {"geojson"}}
    if allowed and not (equivalent.get(fmt, {fmt}) & allowed):
        ext = Path(name).suffix.lower()
        raise ParseError(
            f"Файл «{name}»: расширение {ext} не соответствует содержимому — это {FORMAT_NAMES.get(fmt, fmt)}. "
            "Переименуйте файл или сохраните его в нужном формате."
        )


def _claimed(name: str) -> str:
    """What the file's extension claims it is, in words."""
    claimed = sorted(extension_formats(name))
    return FORMAT_NAMES.get(claimed[0], "файл данных") if claimed else "файл данных"


def parse_path(
    path: str | Path, kind: str | None = None, matcher: MunicipalityMatcher | None = None, *, level: str | None = None
) -> ParsedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"Файл «{path.name}» не открывается: {exc.strerror or exc}.") from exc
    return parse_bytes(data, path.name, kind, matcher, level=level)
