"""Every page in a real browser: charts drawn, nothing fetched from outside, no console errors; the
staff flow (sign in, upload, save) and the downloads (Excel, PowerPoint, PNG) that AppTest cannot see."""

from __future__ import annotations

import io

import pytest

import strings as S

CHART = "[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg"

# (URL path, page title, the least number of plotly charts the page must draw on the demo data)
PUBLIC_PAGES = [
    ("", S.PAGE_OVERVIEW, 2),
    ("trends", S.PAGE_TRENDS, 2),
    ("municipalities", S.PAGE_MUNICIPALITIES, 1),
    ("projects", S.PAGE_PROJECTS, 3),
    ("documents", S.PAGE_DOCUMENTS, 0),
    ("contests", S.PAGE_CONTESTS, 0),
    ("presentation", None, 1),
]


def main_text(app_page) -> str:
    return app_page.page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize(("path", "title", "charts"), PUBLIC_PAGES, ids=[p[0] or "overview" for p in PUBLIC_PAGES])
def test_public_page_draws_its_charts_quietly(app_page, path, title, charts):
    app_page.open(path)
    if title is not None:
        assert title in app_page.page.locator("[data-testid='stMain'] h1").first.inner_text()
    if charts:
        app_page.page.locator(CHART).nth(charts - 1).wait_for(state="visible")
    drawn = app_page.page.locator(CHART).count()
    assert drawn >= charts
    text = main_text(app_page)
    assert "Traceback" not in text and "Error" not in text
    # The demo data is labelled as such on every page.
    assert "демо" in text.lower()
    assert app_page.outside_requests() == []
    assert app_page.real_console_errors() == []
    app_page.screenshot(f"page-{path or 'overview'}")


def test_every_year_is_labelled_on_the_narrow_card_chart(app_page):
    """The municipality card's TOS chart sits in a narrow column; plotly used to drop the last year's
    rotated label (it would have run past the chart), leaving the faint current-year bar unnamed."""
    app_page.open("municipalities")
    card_chart = app_page.page.locator("[data-testid='stPlotlyChart']").filter(has_text="Число ТОС на конец года").first
    card_chart.locator(".xtick text").first.wait_for(state="attached")
    # Labels plotly hides stay in the SVG with display="none".
    labels = card_chart.locator(".xtick text").evaluate_all(
        "els => els.filter(e => e.getAttribute('display') !== 'none' && getComputedStyle(e).display !== 'none').map(e => e.textContent)"
    )
    bars = card_chart.locator(".trace.bars .point").count()
    assert bars >= 10
    assert len(labels) == bars, labels
    assert labels[-1] == "2026"


def test_presentation_map_slide_draws_offline(app_page):
    app_page.open("presentation")
    app_page.page.get_by_text("ТОС на карте").first.click()
    app_page.page.locator("[data-testid='stMain'] h1", has_text="ТОС на карте").wait_for()
    app_page.wait_idle()
    chart = app_page.page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot")
    chart.locator(".shapelayer path, .layer-below .shapelayer path").first.wait_for(state="attached")
    areas = chart.locator(".shapelayer path").count()
    assert areas >= 100  # the demo's municipalities with bundled boundaries
    assert "OpenStreetMap" in main_text(app_page)
    assert app_page.outside_requests() == []
    assert app_page.real_console_errors() == []
    app_page.screenshot("page-presentation-map", full_page=False)


def test_a_staff_page_typed_by_hand_shows_an_anonymous_viewer_nothing(app_page):
    app_page.open("data", ready="[data-testid='stMain']")
    app_page.page.wait_for_timeout(500)  # let a late page switch arrive, if any
    app_page.wait_idle()
    assert app_page.page.locator("[data-testid='stFileUploader']").count() == 0
    text = main_text(app_page)
    assert S.DATA_UPLOAD not in text
    sidebar = app_page.page.locator("[data-testid='stSidebarNav']").inner_text()
    assert S.PAGE_DATA not in sidebar and S.PAGE_ADMIN not in sidebar


def _registry_csv() -> bytes:
    rows = [
        "Реестр ТОС Зиминского городского округа (браузерный тест)",
        "Муниципальное образование;Наименование ТОС;Дата регистрации;Численность жителей",
        "Зиминский городской округ;ТОС «Браузерный-1»;12.03.2021;150",
        "Зиминский городской округ;ТОС «Браузерный-2»;01.07.2022;240",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("cp1251")


def sign_in(app_page, name: str, password: str) -> None:
    side = app_page.page.locator("[data-testid='stSidebar']")
    side.get_by_text("Вход для сотрудников").click()
    side.get_by_label("Имя пользователя").fill(name)
    side.get_by_label("Пароль").fill(password)
    side.get_by_role("button", name="Войти").click()
    side.get_by_role("button", name="Выйти").wait_for()
    app_page.wait_idle()


def test_staff_signs_in_uploads_a_registry_and_sees_it_stored(app_page, app_server):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    from store.accounts import create_account
    from store.db import get_engine

    engine = get_engine(app_server["db_url"])
    try:
        create_account(engine, "browser-staff", "браузер-пароль-2026", role="staff")
    except Exception:  # the account is already there when the test is re-run on the same server
        pass
    app_page.open()
    sign_in(app_page, "browser-staff", "браузер-пароль-2026")
    page = app_page.page
    page.locator("[data-testid='stSidebarNav']").get_by_text(S.PAGE_DATA).click()
    uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
    uploader.wait_for(state="attached")
    # Streamlit's own «Upload» and «50MB per file» are replaced by Russian words (CSS, ui.widgets).
    # The style element and the uploader arrive as separate deltas: on a loaded machine the uploader
    # can be drawn a moment before the style applies, so wait for it (the assertion still needs it).
    try:
        page.wait_for_function(
            """() => { const p = document.querySelector("[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p");
                       return p && getComputedStyle(p).fontSize === '0px'; }""",
            timeout=10_000,
        )
    except PlaywrightTimeout:
        pass  # the assertion below reports what is shown
    shown = page.evaluate(
        """() => {
        const pick = (sel) => document.querySelector(sel);
        const button = pick("[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p");
        const limit = pick("[data-testid='stFileUploaderDropzoneInstructions'] span");
        return {button: getComputedStyle(button, '::after').content, limit: getComputedStyle(limit, '::after').content,
                english: [getComputedStyle(button).fontSize, getComputedStyle(limit).fontSize]};
        }"""
    )
    assert shown == {"button": '"Выбрать файлы"', "limit": '"или перетащите сюда · до 50 МБ на файл"', "english": ["0px", "0px"]}
    uploader.set_input_files([{"name": "reestr_zima.csv", "mimeType": "text/csv", "buffer": _registry_csv()}])
    page.locator("[data-testid='stFileChip']", has_text="reestr_zima.csv").wait_for()
    # The chip's English size («1.2KB») is hidden; the file name stays.
    chip = page.locator("[data-testid='stFileChip']", has_text="reestr_zima.csv")
    assert chip.evaluate("c => getComputedStyle(c.querySelector(\"[data-testid='stFileChipName'] + div\")).display") == "none"
    assert chip.locator("[data-testid='stFileChipName']").is_visible()
    assert "KB" not in chip.inner_text() and not chip.inner_text().rstrip().endswith("B")
    app_page.screenshot("page-data-file-chosen")
    page.get_by_role("button", name=S.DATA_PARSE).click()
    app_page.wait_idle()
    page.get_by_role("button", name=S.DATA_SAVE).wait_for()
    preview = main_text(app_page)  # what was found, before anything is stored
    assert "Разобрано файлов: 1; можно сохранить: 1" in preview and "Ничего ещё не сохранено" in preview
    page.get_by_role("button", name=S.DATA_SAVE).click()
    page.locator("[data-testid='stAlertContentSuccess']").first.wait_for()
    app_page.wait_idle()
    # Emptied, so the saved file is not parsed again by mistake (the stale element may linger for a moment).
    expect(page.locator("[data-testid='stFileChip']")).to_have_count(0, timeout=15_000)
    app_page.screenshot("page-data-after-upload")
    stored = engine.connect().exec_driver_sql(
        "SELECT name, residents FROM tos WHERE municipality_id = '25720000' AND superseded_by IS NULL ORDER BY name"
    ).fetchall()
    assert [(n, int(r)) for n, r in stored] == [("Браузерный-1", 150), ("Браузерный-2", 240)]
    assert app_page.real_console_errors() == []


def test_public_excel_export_downloads_a_workbook_without_personal_data(app_page):
    from openpyxl import load_workbook

    app_page.open()
    page = app_page.page
    side = page.locator("[data-testid='stSidebar']")
    side.get_by_text("Выгрузка в Excel и CSV").click()
    side.get_by_role("button", name="Подготовить сводку в Excel").click()
    button = side.locator("[data-testid='stDownloadButton'] button").first
    button.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert {"По муниципалитетам", "По годам"} <= set(book.sheetnames)
    headers = {str(c.value) for ws in book.worksheets for row in ws.iter_rows(max_row=6) for c in row if c.value}
    assert not any(word in h for h in headers for word in ("Председатель", "Телефон", "Эл. почта"))
    assert app_page.real_console_errors() == []


def test_presentation_downloads_a_deck_and_a_png(app_page):
    from pptx import Presentation

    app_page.open("presentation")
    page = app_page.page
    page.get_by_role("button", name="Презентация PowerPoint (.pptx)").click()
    deck_button = page.get_by_role("button", name="Скачать .pptx")
    deck_button.wait_for(timeout=180_000)
    with page.expect_download(timeout=60_000) as info:
        deck_button.click()
    deck = Presentation(info.value.path())
    assert len(deck.slides) >= 5
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    page.get_by_role("button", name="Картинка этого графика (PNG)").click()
    png_button = page.get_by_role("button", name="Скачать PNG")
    png_button.wait_for(timeout=180_000)
    with page.expect_download(timeout=60_000) as info:
        png_button.click()
    data = open(info.value.path(), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1600 and height >= 700  # slide-sized (the slide title sits above it), not a thumbnail
    assert app_page.real_console_errors() == []
