"""Reading documents into blocks: text with tab-led cells, Word tables, PDF tables, scans, limits."""

import io
import zipfile

import pytest

from loaders.api import parse_bytes
from loaders.base import ParseError
from loaders.doc_docx import read_docx
from loaders.doc_model import Cell, Paragraph, Table
from loaders.doc_pdf import read_pdf
from loaders.doc_text import lines_to_blocks, read_text_document
from scripts.doc_writer import find_font, to_docx, to_pdf, to_text

needs_font = pytest.mark.skipif(find_font() is None, reason="нет шрифта DejaVu Sans: PDF с кириллицей не собрать")


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


# --------------------------------------------------------------------------- text


def test_tab_led_lines_are_cells_and_blank_lines_separate_rows():
    lines = [
        "9. Результаты практики",
        "",
        "\t№",
        "\tПоказатель, единица измерения",
        "\tЗначение",
        "",
        "\t1.",
        "\tСоздано ТОС, ед.",
        "за весь период",
        "",
        "за 2020 год",
        "\t5",
        "",
        "2",
        "",
        "\t2.",
        "",  # a stray blank line inside a row: the row is joined again up to the table width
        "\tПроведено собраний",
        "\t14",
        "",
        "",
        "10. Участники",
    ]
    blocks = lines_to_blocks(lines)
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "9. Результаты практики"
    assert texts(blocks[1]) == [
        ["№", "Показатель, единица измерения", "Значение"],
        ["1.", "Создано ТОС, ед.\nза весь период\nза 2020 год", "5\n2"],
        ["2.", "Проведено собраний", "14"],
    ]
    assert blocks[2].text == "10. Участники"


def test_empty_cells_and_markdown_left_by_converters():
    blocks = lines_to_blocks(["**Решили:**", "#### **Беловский городской округ**", "[сайт](http://ako.ru) и <https://x.ru>", "\tй", "\t", "\t", ""])
    assert blocks[0].text == "Решили:" and blocks[0].bold
    assert blocks[1].text == "Беловский городской округ" and blocks[1].heading
    assert blocks[2].text == "сайт и https://x.ru"
    assert texts(blocks[3]) == [["й", "", ""]]


def test_a_heading_after_one_blank_line_still_ends_the_cell():
    blocks = lines_to_blocks(["4. Сроки реализации практики", "\t2018 – 2019", "", "5. Показатели социально-экономического развития, характеризующие положение до внедрения практики"])
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table", "Paragraph"]


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-16"])
def test_text_documents_in_the_usual_encodings(encoding):
    text = "Паспорт практики\n\n1. Наименование практики\n\n\tСоседи вместе\n\n\n2. Наименование территории, на которой данная практика была реализована\n\n\tВольский муниципальный район\n"
    doc = read_text_document(text.encode(encoding), "p.txt")
    assert doc.blocks[0].text == "Паспорт практики"
    assert texts(doc.blocks[2]) == [["Соседи вместе"]]
    assert any({"cp1251": "Windows-1251", "koi8_r": "KOI8-R", "utf-16": "UTF-16"}[encoding] in n for n in doc.notes)


def test_mixed_encodings_are_a_visible_warning_not_a_silent_guess():
    data = "Паспорт практики\n\n1. Наименование практики\n\n\tТОС вместе\n".encode("cp1251") + "\tСтрока в UTF-8 про ТОС\n".encode()
    doc = parse_bytes(data, "p.txt")
    assert any(w.where == "файл" and "смешаны кодировки" in w.message for w in doc.warnings)


# --------------------------------------------------------------------------- docx


def _docx_with_merges() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("До таблицы")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).text = "№"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "Показатель (объединённая шапка)"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "1."
    t.cell(1, 1).text = "Создано ТОС"
    t.cell(1, 2).text = "8"
    t.cell(2, 1).text = "Жителей"
    inner = t.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "«Рассвет»"
    inner.cell(0, 1).text = "120"
    d.add_paragraph("После таблицы")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_word_tables_are_read_as_tables_with_merged_cells_once():
    doc = read_docx(_docx_with_merges(), "t.docx")
    first, table, last = doc.blocks
    assert first.text == "До таблицы" and last.text == "После таблицы"
    assert [[(c.col, c.span, c.text) for c in row] for row in table.rows] == [
        [(0, 1, "№"), (1, 2, "Показатель (объединённая шапка)")],
        [(0, 1, "1."), (1, 1, "Создано ТОС"), (2, 1, "8")],
        [(1, 1, "Жителей"), (2, 1, "")],  # the vertically merged «1.» is not repeated
    ]
    assert texts(table.rows[2][1].tables[0]) == [["«Рассвет»", "120"]]


def test_word_automatic_numbering_is_rebuilt_into_the_text():
    blocks = [Paragraph("Паспорт практики"), Paragraph("1. Наименование практики", bold=True), Paragraph("2. Наименование территории", bold=True)]
    doc = read_docx(to_docx(blocks, numbered_headings=True), "n.docx")
    assert [b.text for b in doc.blocks] == ["Паспорт практики", "1. Наименование практики", "2. Наименование территории"]


def test_broken_and_bomb_documents_are_refused_with_a_message():
    with pytest.raises(ParseError, match="повреждён"):
        parse_bytes(b"PK\x03\x04" + b"\x00" * 100, "x.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b" " * (300 * 1024 * 1024) + b">")
    with pytest.raises(ParseError, match="zip-бомб"):
        parse_bytes(buf.getvalue(), "bomb.docx")


def test_a_docx_that_is_not_about_tos_is_refused():
    data = to_docx([Paragraph("Меню столовой на неделю"), Paragraph("Понедельник: борщ")])
    with pytest.raises(ParseError, match="ни слова о ТОС"):
        parse_bytes(data, "menu.docx")


# --------------------------------------------------------------------------- pdf


@needs_font
def test_pdf_tables_come_back_with_their_rows_and_cells():
    table = Table(
        [
            [Cell("№", 0), Cell("Показатель, единица измерения", 1), Cell("Значение показателя", 2)],
            [Cell("1.", 0), Cell("Создано ТОС, ед.\nза весь период\nза 2020 год", 1), Cell("5\n2", 2)],
            [Cell("2.", 0), Cell("Высажено деревьев и кустарников, ед. " + "очень длинное пояснение " * 6, 1), Cell("более 300", 2)],
        ]
    )
    blocks = [Paragraph("9. Результаты практики (что было достигнуто)"), table, Paragraph("10. Участники внедрения практики")]
    doc = read_pdf(to_pdf(blocks), "t.pdf")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    got = texts(doc.blocks[1])
    assert got[0] == ["№", "Показатель, единица измерения", "Значение показателя"]
    assert got[1] == ["1.", "Создано ТОС, ед.\nза весь период\nза 2020 год", "5\n2"]
    assert got[2][1].startswith("Высажено деревьев и кустарников, ед. очень длинное") and got[2][2] == "более 300"


@needs_font
def test_a_table_broken_by_a_page_is_one_table_again():
    rows = [[Cell("№", 0), Cell("Наименование ТОС", 1), Cell("Количество, чел", 2)]]
    rows += [[Cell(f"{i}.", 0), Cell(f"«ТОС номер {i}»", 1), Cell(str(100 + i), 2)] for i in range(1, 80)]
    doc = read_pdf(to_pdf([Paragraph("Список ТОС"), Table(rows)]), "long.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert doc.pages >= 2 and len(tables) == 1 and len(tables[0].rows) == 80
    assert texts(tables[0])[-1] == ["79.", "«ТОС номер 79»", "179"]


def test_a_scan_without_a_text_layer_is_refused_as_a_scan():
    from fpdf import FPDF
    from PIL import Image

    img = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(img, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(img.getvalue()), x=10, y=10, w=180)
    with pytest.raises(ParseError, match="скан без текстового слоя"):
        parse_bytes(bytes(pdf.output()), "scan.pdf")


def test_a_broken_pdf_is_refused():
    with pytest.raises(ParseError, match="PDF"):
        parse_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50, "broken.pdf")


# --------------------------------------------------------------------------- the text path


def test_a_text_table_still_goes_to_the_registry_loader():
    data = "Наименование ТОС;Муниципальное образование;Численность жителей\nРассвет;Беловский городской округ;120\n".encode("cp1251")
    assert parse_bytes(data, "reestr.txt").kind == "registry"


def test_blocks_written_as_text_read_back_the_same():
    blocks = [Paragraph("Заголовок", bold=True), Table([[Cell("№", 0), Cell("Имя", 1)], [Cell("1.", 0), Cell("Первая\nвторая строка", 1)]]), Paragraph("Конец")]
    back = read_text_document(to_text(blocks), "x.txt").blocks
    assert back[0].text == "Заголовок" and back[0].bold
    assert texts(back[1]) == [["№", "Имя"], ["1.", "Первая\nвторая строка"]]
    assert back[2].text == "Конец"


def test_a_password_protected_pdf_is_refused_with_what_to_do():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "TOS passport")
    pdf.set_encryption(owner_password="o", user_password="secret")
    with pytest.raises(ParseError, match="защищён паролем"):
        parse_bytes(bytes(pdf.output()), "locked.pdf")
