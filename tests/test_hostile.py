"""Issue 8: hostile and broken files end in a clear Russian message naming the file; nothing is
stored and earlier data stays. Every file is built here, small on disk."""

import io
import struct
import zipfile

import msoffcrypto.format.ooxml
import pytest

from loaders.api import parse_bytes
from loaders.base import ParseError
from loaders.sandbox import parse_isolated
from store import queries
from store.ingest import ingest_bytes
from tests.conftest import STAFF, csv_bytes, xlsx_bytes

GOOD = xlsx_bytes({"Р": [["Наименование ТОС", "Муниципальное образование", "Численность жителей"], ["Рассвет", "Беловский городской округ", 100]]})


def rezip(data: bytes, change) -> bytes:
    """Rewrite a zip (an .xlsx/.docx), letting `change(name, payload)` alter or add members."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def ole_file(stream_name: str) -> bytes:
    """A minimal OLE2 compound file whose directory holds `stream_name` (as legacy .doc/.xls do)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)
    struct.pack_into("<I", header, 48, 0)  # first directory sector
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry", stream_name]):
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[: len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded))
        entry[66] = 5 if i == 0 else 2
        directory[i * 128 : (i + 1) * 128] = entry
    return bytes(header) + bytes(directory)


def expect_rejected(engine, data: bytes, name: str, *phrases: str) -> str:
    before = len(queries.read_table(engine, "tos"))
    result = ingest_bytes(engine, data, name, actor=STAFF)
    assert result.status == "rejected", result.message
    for phrase in phrases:
        assert phrase in result.message, result.message
    assert len(queries.read_table(engine, "tos")) == before  # nothing stored, earlier data intact
    return result.message


@pytest.fixture
def store_with_data(engine):
    assert ingest_bytes(engine, GOOD, "earlier.xlsx", actor=STAFF).status == "stored"
    return engine


def test_empty_file(store_with_data):
    expect_rejected(store_with_data, b"", "pusto.xlsx", "«pusto.xlsx»", "пустой")


def other_registry(tag: str) -> bytes:
    return xlsx_bytes({"Р": [["Наименование ТОС", "Муниципальное образование"], [f"ТОС {tag}", "Беловский городской округ"]]})


def test_extension_that_lies(store_with_data):
    expect_rejected(store_with_data, other_registry("pdf"), "reestr.pdf", "«reestr.pdf»", "не соответствует содержимому")


def test_truncated_xlsx(store_with_data):
    expect_rejected(store_with_data, GOOD[: len(GOOD) // 2], "obrez.xlsx", "«obrez.xlsx»", "повреждён")


def test_password_protected_workbook(store_with_data):
    source = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(GOOD))
    out = io.BytesIO()
    source.encrypt("секрет", out)
    expect_rejected(store_with_data, out.getvalue(), "zapароль.xlsx", "защищён паролем")


def test_legacy_doc(store_with_data):
    expect_rejected(store_with_data, ole_file("WordDocument"), "pasport.doc", "«pasport.doc»", "Word 97–2003", ".docx")


def test_decompression_bomb_in_xlsx(store_with_data):
    zeros = b"0" * (301 * 1024 * 1024)  # deflates to ~300 KB
    bomb = rezip(GOOD, lambda name, payload: payload)
    buf = io.BytesIO(bomb)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/big.bin", zeros)
    data = buf.getvalue()
    assert len(data) < 2 * 1024 * 1024
    expect_rejected(store_with_data, data, "bomba.xlsx", "«bomba.xlsx»", "zip-бомб")


def test_zip_headers_that_lie_about_sizes(store_with_data):
    data = bytearray(GOOD)
    # Declare a tiny uncompressed size for the first member in its local and central headers.
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        struct.pack_into("<I", data, pos + offset, 10)
    expect_rejected(store_with_data, bytes(data), "lgun.xlsx", "«lgun.xlsx»", "повреждён")


def test_xml_entity_expansion_in_xlsx(store_with_data):
    billion_laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'

    def inject(name, payload):
        if name != "xl/worksheets/sheet1.xml":
            return payload
        body = payload.split(b"?>", 1)[1] if payload.startswith(b"<?xml") else payload
        return billion_laughs + body

    expect_rejected(store_with_data, rezip(GOOD, inject), "entity.xlsx", "«entity.xlsx»", "DOCTYPE/ENTITY")


def test_external_entity_in_kml(store_with_data):
    kml = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><kml><Document><name>&xxe;</name></Document></kml>'
    expect_rejected(store_with_data, kml, "granicy.kml", "«granicy.kml»", "DOCTYPE/ENTITY")


def test_geojson_that_is_a_gdal_vrt(store_with_data):
    vrt = b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>'
    expect_rejected(store_with_data, vrt, "granicy.geojson", "«granicy.geojson»", "VRT")


def test_zipped_shapefile_with_path_traversal(store_with_data):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("tos.shp", b"\x00\x00\x27\x0a" + b"\x00" * 96)
        zf.writestr("../../evil.txt", b"owned")
    expect_rejected(store_with_data, out.getvalue(), "tos.zip", "«tos.zip»", "за пределы архива")


def test_csv_with_nul_bytes(store_with_data):
    data = "Наименование ТОС;Жители\nРассвет;1".encode("cp1251") + b"\x00\x00\x01\x02" * 10
    expect_rejected(store_with_data, data, "nul.csv", "«nul.csv»", "нулевые байты")
    # A few NULs inside otherwise readable text are named with their line.
    text = "Наименование ТОС;Жители\nРассвет;1\nЗаря\x00;2\n".encode("cp1251")
    expect_rejected(store_with_data, text, "nul2.csv", "«nul2.csv»", "нулевые байты")


def test_csv_with_an_unbalanced_quote(store_with_data):
    rows = 'Наименование ТОС;Муниципальное образование;Жители\n"Рассвет;Беловский городской округ;10\nЗаря;Беловский городской округ;5\n'
    expect_rejected(store_with_data, rows.encode("utf-8"), "kavychka.csv", "«kavychka.csv», строка 2", "кавычка")


def test_csv_with_a_10_mb_field(store_with_data):
    data = ("Наименование ТОС;Жители\n" + "Р" * (10 * 1024 * 1024) + ";1\n").encode("utf-8")
    expect_rejected(store_with_data, data, "pole.csv", "«pole.csv», строка 2", "ячейка длиной")


def test_csv_with_5000_columns(store_with_data):
    data = csv_bytes([[f"кол{i}" for i in range(5000)], list(range(5000))])
    expect_rejected(store_with_data, data, "shiroky.csv", "«shiroky.csv», строка 1", "5000 столбцов")


def test_csv_with_mixed_encodings(store_with_data):
    data = (
        "Наименование ТОС;Муниципальное образование;Жители\n".encode("cp1251")
        + "Рассвет;Беловский городской округ;10\n".encode()
        + "Заря;Беловский городской округ;5\n".encode("cp1251")
    )
    expect_rejected(store_with_data, data, "smes.csv", "«smes.csv»", "смешаны кодировки", "строки 2")


@pytest.mark.parametrize("name", ["../../x.xlsx", "..\\..\\x.xlsx", "/etc/x.xlsx", "x\x00.xlsx"])
def test_file_names_with_paths(store_with_data, name):
    message = expect_rejected(store_with_data, other_registry(name.replace("\x00", "0")), name, "содержит путь или служебные символы")
    assert "\x00" not in message


def test_markup_and_formulas_are_stored_as_text(engine):
    rows = [["Наименование ТОС", "Муниципальное образование", "Населённый пункт"], ["<script>alert(1)</script>", "Беловский городской округ", "=cmd|' /C calc'!A0"]]
    assert ingest_bytes(engine, xlsx_bytes({"Р": rows}), "markup.xlsx", actor=STAFF).status == "stored"
    tos = queries.read_table(engine, "tos").iloc[0]
    assert tos["name"] == "<script>alert(1)</script>"
    assert tos["settlement"] == "=cmd|' /C calc'!A0"


def test_markup_is_escaped_where_markdown_renders():
    from ui.widgets import md

    shown = md("[нажми](javascript:alert(1)) <script>alert(1)</script>")
    assert "\\[нажми\\]\\(javascript" in shown and "\\<script\\>" in shown


def test_worker_stops_at_the_time_limit():
    with pytest.raises(ParseError, match=r"«slow\.xlsx»: разбор остановлен — он длился дольше"):
        parse_isolated(GOOD, "slow.xlsx", timeout=0.001)


def test_worker_stops_at_the_memory_limit():
    # A 12 MB CSV needs far more than 32 MB beyond the worker's start to become frames.
    rows = "\n".join(f"ТОС {i};Беловский городской округ;{i}" for i in range(300_000))
    data = ("Наименование ТОС;Муниципальное образование;Численность жителей\n" + rows).encode("utf-8")
    with pytest.raises(ParseError, match=r"«big\.csv»: разбор остановлен — превышен предел памяти"):
        parse_isolated(data, "big.csv", memory_mb=32)


def test_worker_returns_the_parsed_document_and_the_errors():
    doc = parse_isolated(GOOD, "ok.xlsx")
    assert doc.tables["tos"].iloc[0]["name"] == "Рассвет"
    with pytest.raises(ParseError, match="пустой"):
        parse_isolated(b"", "pusto.csv")


def test_direct_parse_refuses_the_same_things():
    with pytest.raises(ParseError, match="содержит путь"):
        parse_bytes(GOOD, "../x.xlsx")


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_stream_bomb(store_with_data):
    import zlib

    payload = zlib.compress(b"BT (x) Tj ET " + b" " * (300 * 1024 * 1024), 9)  # ~300 KB on disk
    data = pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            f"<< /Length {len(payload)} /Filter /FlateDecode >>\nstream\n".encode() + payload + b"\nendstream",
        ]
    )
    expect_rejected(store_with_data, data, "bomba.pdf", "«bomba.pdf», стр. 1", "«бомбу» внутри PDF")
    with pytest.raises(ParseError, match="«бомбу» внутри PDF"):
        parse_isolated(data, "bomba.pdf")


def test_pdf_page_tree_cycle(store_with_data):
    data = pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )
    expect_rejected(store_with_data, data, "cikl.pdf", "«cikl.pdf»", "PDF повреждён")


def test_image_only_pdf_is_named_a_scan(store_with_data):
    data = pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 0 >>\nstream\n\nendstream",
        ]
    )
    expect_rejected(store_with_data, data, "skan.pdf", "«skan.pdf»", "скан без текстового слоя")


def docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Паспорт практики")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_xml_entities_in_docx(store_with_data):
    external = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'

    def inject(name, payload):
        if name != "word/document.xml":
            return payload
        return external + payload.split(b"?>", 1)[1]

    expect_rejected(store_with_data, rezip(docx_bytes(), inject), "pasport.docx", "«pasport.docx»", "DOCTYPE/ENTITY")


def test_truncated_docx(store_with_data):
    data = docx_bytes()
    expect_rejected(store_with_data, data[: len(data) // 3], "obrez.docx", "«obrez.docx»", "повреждён")


def test_the_matcher_is_built_only_for_a_file_that_passed_the_safety_checks():
    """The store hands over a function that starts building the matcher (a database read): a zip
    bomb is refused before it is called; a good file calls it once, after the zip check."""
    from loaders.names import MunicipalityMatcher

    calls = []

    def start_building():
        calls.append("matcher")
        return MunicipalityMatcher()

    buf = io.BytesIO(rezip(GOOD, lambda name, payload: payload))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/big.bin", b"0" * (301 * 1024 * 1024))
    with pytest.raises(ParseError, match="zip-бомб"):
        parse_bytes(buf.getvalue(), "bomba.xlsx", None, start_building)
    assert calls == []
    doc = parse_bytes(GOOD, "good.xlsx", None, start_building)
    assert calls == ["matcher"]
    assert doc.tables["tos"]["name"].tolist() == ["Рассвет"]
