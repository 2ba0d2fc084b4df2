"""What a file really is, from its bytes (the name may lie)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

# Formats we read, and the extensions that may carry them.
EXTENSIONS = {
    "xlsx": {".xlsx", ".xlsm"},
    "xls": {".xls"},
    "csv": {".csv", ".tsv", ".txt"},
    "text": {".txt", ".text", ".md"},
    "docx": {".docx"},
    "pdf": {".pdf"},
    "geojson": {".geojson", ".json"},
    "kml": {".kml"},
    # Google Earth and Yandex export KMZ: a zip whose first .kml is the document.
    "kmz": {".kmz", ".zip"},
    "shapezip": {".zip"},
    "gpkg": {".gpkg"},
}
FORMAT_NAMES = {
    "xlsx": "книга Excel (.xlsx)",
    "xls": "книга Excel 97–2003 (.xls)",
    "csv": "таблица CSV",
    "text": "текст",
    "docx": "документ Word (.docx)",
    "doc": "документ Word 97–2003 (.doc)",
    "pdf": "PDF",
    "geojson": "GeoJSON",
    "kml": "KML",
    "kmz": "KMZ (сжатый KML)",
    "shapezip": "архив с шейп-файлом (.zip)",
    "gpkg": "GeoPackage",
    "zip": "ZIP-архив",
    "encrypted": "зашифрованный (защищённый паролем) документ Office",
    "pptx": "презентация PowerPoint (.pptx)",
    "image": "изображение",
    "vrt": "виртуальный слой GDAL (VRT)",
    "binary": "двоичный файл неизвестного формата",
    "empty": "пустой файл",
}


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile:
        return "zip-broken"
    lower = [n.lower() for n in names]
    if any(n.startswith("word/") for n in lower):
        return "docx"
    if any(n.startswith("xl/") for n in lower):
        return "xlsx"
    if any(n.startswith("ppt/") for n in lower):
        return "pptx"
    if any(n.endswith(".shp") for n in lower):
        return "shapezip"
    if any(n.endswith(".kml") for n in lower):
        return "kmz"
    if "[content_types].xml" in lower:
        return "ooxml-unknown"
    return "zip"


def _ole_kind(data: bytes) -> str:
    """OLE2 compound files: legacy .xls/.doc, or an encrypted OOXML package."""
    head = data[:1_000_000]
    # Directory entry names are UTF-16LE.
    if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
        return "encrypted"
    if "WordDocument".encode("utf-16-le") in head:
        return "doc"
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return "xls"
    return "ole"


def sniff(data: bytes) -> str:
    """The format of `data` by content: one of the keys of FORMAT_NAMES (or a *-broken variant)."""
    if not data or not data.strip():
        return "empty"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(data)
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if data[:8] in (b"\x89PNG\r\n\x1a\n",) or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"GIF8", b"II*\x00", b"MM\x00*"):
        return "image"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    head = data[:4096]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    low = stripped[:2048].lower()
    if low.startswith(b"<ogrvrtdatasource") or b"<ogrvrtdatasource" in low or b"<vrtdataset" in low:
        return "vrt"
    if low.startswith(b"<?xml") or low.startswith(b"<"):
        if b"<kml" in data[:20000].lower():
            return "kml"
        return "xml"
    if stripped.startswith(b"{") or stripped.startswith(b"["):
        return "geojson" if b'"type"' in data[:200000] else "json"
    # Binary junk has NUL bytes or many control characters; UTF-16 text has NULs too.
    if b"\x00" in head:
        from loaders.textio import utf16_without_bom

        return "text" if utf16_without_bom(head) else "binary"
    return "text"


def extension_formats(file_name: str) -> set[str]:
    """Formats an extension is allowed to carry."""
    ext = PurePath(file_name).suffix.lower()
    return {fmt for fmt, exts in EXTENSIONS.items() if ext in exts}


def safe_file_name(file_name: str) -> str:
    """The base name only: «../../x.xlsx» → «x.xlsx», no control characters."""
    name = str(file_name).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch >= " " and ch != "\x7f").strip()
    return name or "без_имени"
