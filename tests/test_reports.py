"""Issue 7: the summary workbook and the congress slides, opened and checked cell by cell."""

import io
import shutil
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from analytics import charts, metrics
from analytics.dataset import Filters, build_dataset
from analytics.presentation import build_slides
from reports import slides as slide_export
from reports.summary import build_summary_workbook, summary_file_name
from store import queries
from store.db import get_engine, init_db
from store.ingest import ingest_bytes
from tests.conftest import ROOT, STAFF, plain, xlsx_bytes

FILTERS = Filters(year_from=2016, year_to=2025)


@pytest.fixture(scope="module")
def demo_ds(demo_db):
    return build_dataset(**queries.dataset_frames(demo_db["engine"]))


@pytest.fixture(scope="module")
def workbook(demo_ds):
    return openpyxl.load_workbook(io.BytesIO(build_summary_workbook(demo_ds, FILTERS)))


def table_rows(ws, name):
    ref = ws.tables[name].ref
    rows = list(ws[ref])
    header = [c.value for c in rows[0]]
    return header, rows[1:]


def test_sheets_and_title(workbook, demo_ds):
    assert workbook.sheetnames == ["Сводка", "По регионам", "По муниципалитетам", "По годам", "Проекты", "Реестр ТОС", "Источники"]
    ws = workbook["Сводка"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    k = metrics.kpis(demo_ds, FILTERS)
    assert values["Годы"].value == "2016–2025 гг."
    assert values["Версия"].value == "публичная — без персональных данных"
    assert values[f"ТОС действует на {k.reference_date:%d.%m.%Y}"].value == k.tos_now
    assert values["Охват населения"].value == pytest.approx(k.coverage)
    assert values["Охват населения"].number_format == "0.0%"
    assert values["Стоимость реализованных проектов, ₽"].value == pytest.approx(k.cost_total)
    assert any("демонстрационные" in str(ws.cell(r, 1).value) for r in range(1, ws.max_row + 1))


def test_region_and_municipality_sheets_match_the_analytics(workbook, demo_ds):
    header, rows = table_rows(workbook["По регионам"], "Регионы")
    assert header[:3] == ["Регион", "Муниципалитетов", "ТОС действует"]
    expected = metrics.region_table(demo_ds, FILTERS).set_index("region_name")
    for row in rows[:-1]:
        name = row[0].value
        assert row[2].value == expected.loc[name, "tos_count"]
        assert row[3].value == pytest.approx(expected.loc[name, "residents"])
    assert rows[-1][0].value == "Итого"
    assert rows[-1][2].value == "=SUBTOTAL(109,[ТОС действует])"  # totals are Excel formulas
    ws = workbook["По муниципалитетам"]
    header, rows = table_rows(ws, "Муниципалитеты")
    first = rows[0]
    table = metrics.municipality_table(demo_ds, FILTERS)
    assert first[0].value == table.iloc[0]["name"] and first[3].value == table.iloc[0]["tos_count"]
    col = {h: i for i, h in enumerate(header)}
    assert first[col["ТОС действует"]].number_format == "#,##0"
    assert first[col["Охват населения"]].number_format == "0.0%"
    assert first[col["Стоимость реализованных проектов, ₽"]].number_format == '#,##0 "₽"'
    assert rows[-1][col["Охват населения"]].value.startswith("=IFERROR(SUMPRODUCT(")
    # The population names its source, as every figure does.
    with_population = next(r for r in rows[:-1] if r[col["Население"]].value is not None)
    name = with_population[0].value
    source = table.set_index("name").loc[name]
    assert with_population[col["Источник численности"]].value == demo_ds.document_name(source["population_document_id"]) + " (демо)"
    assert with_population[col["Место в документе"]].value == source["population_source_ref"]
    assert ws.freeze_panes == "B7"  # title, filters, the demo label, the note, a blank line
    assert ws.auto_filter.ref is None or True  # tables carry their own autofilter
    assert ws.tables["Муниципалитеты"].autoFilter is not None


def test_native_charts_on_municipality_and_year_sheets(demo_ds):
    data = build_summary_workbook(demo_ds, FILTERS)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        sheet_rels = {n: zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/_rels/")}
    wb = openpyxl.load_workbook(io.BytesIO(data))
    index = {ws.title: i + 1 for i, ws in enumerate(wb.worksheets)}
    with_drawings = {n for n, text in sheet_rels.items() if "drawing" in text}
    assert f"xl/worksheets/_rels/sheet{index['По муниципалитетам']}.xml.rels" in with_drawings
    assert f"xl/worksheets/_rels/sheet{index['По годам']}.xml.rels" in with_drawings


def test_year_sheet_and_dates(workbook, demo_ds):
    header, rows = table_rows(workbook["По годам"], "Годы")
    assert header[:2] == ["Год", "ТОС на конец года"]
    assert [r[0].value for r in rows[:-1]] == list(range(2016, 2026))
    header, rows = table_rows(workbook["Реестр ТОС"], "Реестр")
    col = {h: i for i, h in enumerate(header)}
    dated = next(r for r in rows if r[col["Дата регистрации"]].value is not None)
    assert dated[col["Дата регистрации"]].is_date
    assert dated[col["Дата регистрации"]].number_format == "dd.mm.yyyy"
    assert "Председатель" not in header  # the public version has no personal data


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'inj.db'}")
    init_db(engine)
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Населённый пункт", "Численность жителей"],
        ["@SUM(1+1)", "Беловский городской округ", '=HYPERLINK("http://x","y")', 10],
        ["-2+3", "Беловский городской округ", "+7 999 000-00-00", 20],
        ["Обычный", "Беловский городской округ", "=cmd|' /C calc'!A0", 30],
    ]
    assert ingest_bytes(engine, xlsx_bytes({"Р": rows}), "inj.xlsx", actor=STAFF).status == "stored"
    ds = build_dataset(**queries.dataset_frames(engine))
    wb = openpyxl.load_workbook(io.BytesIO(build_summary_workbook(ds, Filters())))
    header, body = table_rows(wb["Реестр ТОС"], "Реестр")
    col = {h: i for i, h in enumerate(header)}
    cells = {r[col["Наименование ТОС"]].value: r[col["Населённый пункт"]] for r in body[:-1]}
    assert cells["@SUM(1+1)"].value == '=HYPERLINK("http://x","y")'
    assert cells["@SUM(1+1)"].data_type == "s"  # a string, not a formula
    assert cells["-2+3"].value == "+7 999 000-00-00" and cells["-2+3"].data_type == "s"
    assert cells["Обычный"].value == "=cmd|' /C calc'!A0" and cells["Обычный"].data_type == "s"
    names = [r[col["Наименование ТОС"]] for r in body[:-1]]
    assert all(c.data_type == "s" for c in names)


def test_staff_version_has_personal_data_and_public_never(demo_db, demo_ds):
    personal = queries.read_table(demo_db["engine"], "tos", personal=True)
    a_chair = personal["chair"].dropna().iloc[0]
    public = build_summary_workbook(demo_ds, FILTERS)
    staff = build_summary_workbook(demo_ds, FILTERS, personal=True, personal_tos=personal)

    def all_text(data):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)

    assert a_chair not in all_text(public)
    assert "Председатель" not in all_text(public)
    assert a_chair in all_text(staff)
    assert "служебная" in summary_file_name(demo_ds, FILTERS, personal=True)


def test_file_name_carries_territory_and_date(demo_ds):
    name = summary_file_name(demo_ds, Filters(region_ids=("RU-KEM",)))
    assert name == f"Сводка_ТОС_Кемеровская_область_Кузбасс_{demo_ds.today.isoformat()}.xlsx"


def test_cli_writes_the_workbook(tmp_path, demo_db):
    out = tmp_path / "s.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "reports", "xlsx", "--out", str(out), "--db", demo_db["url"], "--region", "RU-SMO"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    wb = openpyxl.load_workbook(out)
    header, rows = table_rows(wb["По регионам"], "Регионы")
    assert [r[0].value for r in rows[:-1]] == ["Смоленская область"]


def test_deck_has_one_native_chart_slide_per_idea(demo_ds):
    from pptx import Presentation

    slides = build_slides(demo_ds, FILTERS)
    assert [s.key for s in slides] == ["growth", "residents", "projects", "money"]
    prs = Presentation(io.BytesIO(slide_export.deck(slides, "ТОС", "демо")))
    assert len(prs.slides) == 1 + len(slides)
    for s, page in zip(slides, list(prs.slides)[1:], strict=True):
        texts = [sh.text_frame.text for sh in page.shapes if sh.has_text_frame]
        assert s.title in texts
        assert any(s.source in t for t in texts)
        chart = next(sh.chart for sh in page.shapes if sh.has_chart)
        assert list(chart.plots[0].categories) == [str(c) for c in s.categories]
        first_series = next(iter(s.series.values()))
        assert [v if v is None else pytest.approx(v) for v in chart.series[0].values] == first_series
    growth = slides[0]
    assert growth.kpi == f"{metrics.kpis(demo_ds, FILTERS).tos_now:,}".replace(",", "\u00a0")
    # Each editable chart is titled with its unit: the money series are millions of roubles.
    titles = [next(sh.chart for sh in page.shapes if sh.has_chart).chart_title.text_frame.text for page in list(prs.slides)[1:]]
    assert titles[0] == "Число ТОС на конец года, 2016–2025"
    assert titles[3] == "Кто платит: источники финансирования проектов, млн ₽"


def test_money_slide_is_the_projects_page_chart_in_slide_type(demo_ds):
    """One definition of the funding bars: the slide restyles charts.funding_stacked, in roubles with
    «млн» ticks, while its PowerPoint series hold the same sums in millions."""
    from analytics import projects

    money = build_slides(demo_ds, FILTERS)[3]
    page = charts.funding_stacked(projects.funding_by_year(demo_ds, FILTERS), "x")
    assert [t.name for t in money.figure.data] == [t.name for t in page.data] == list(money.series)
    assert [list(t.y) for t in money.figure.data] == [list(t.y) for t in page.data]
    assert money.figure.layout.xaxis.tickformat == "d"
    assert any("млн" in t for t in money.figure.layout.yaxis.ticktext)
    assert "₽" in money.figure.data[0].hovertemplate
    first_year_rub = sum(float(t.y[list(t.x).index(2016)]) for t in money.figure.data if 2016 in list(t.x))
    first_year_mln = sum(values[0] for values in money.series.values())
    assert first_year_mln == pytest.approx(first_year_rub / 1e6, abs=0.01)
    assert first_year_rub > 1e6


def test_bar_labels_have_russian_thousands_separators(demo_ds):
    """National figures on the bars read «45 000», as on the axis, not «45000»."""
    import pandas as pd

    fig = charts.tos_count_by_year(pd.DataFrame({"year": [2024, 2025], "tos_count": [987, 45000], "incomplete": [False, True]}), "Число ТОС")
    assert list(fig.data[0].text) == ["987", "45\u00a0000"]
    growth, _, projects, _ = build_slides(demo_ds, FILTERS)
    counts = next(iter(growth.series.values()))
    assert list(growth.figure.data[0].text) == [f"{v:,}".replace(",", "\u00a0") for v in counts]
    assert list(projects.figure.data[0].text) == [f"{int(v):,}".replace(",", "\u00a0") for v in projects.figure.data[0].x]
    # Axes in Russian too: thousands separated, no plotly «45k»; years stay «2025».
    assert growth.figure.layout.yaxis.tickformat == ",.1~f" and growth.figure.layout.xaxis.tickformat == "d"
    assert projects.figure.layout.xaxis.tickformat == ",.1~f"


def test_rouble_axes_say_millions_and_billions():
    import pandas as pd
    import plotly.graph_objects as go

    def ticks(top):
        return list(charts.rouble_axis(go.Figure(), top).layout.yaxis.ticktext or [])

    assert ticks(6.2e9) == ["0", "2\u00a0млрд", "4\u00a0млрд", "6\u00a0млрд", "8\u00a0млрд"]
    assert ticks(2.1e9)[:3] == ["0", "0,5\u00a0млрд", "1\u00a0млрд"]
    assert ticks(2.3e8) == ["0", "50\u00a0млн", "100\u00a0млн", "150\u00a0млн", "200\u00a0млн", "250\u00a0млн"]
    assert ticks(9.9e6) == []  # short enough: plotly's own «8 000 000»
    long = pd.DataFrame({"year": [2024, 2024, 2025], "source": ["funding_local", "funding_regional", "funding_local"], "amount": [1e9, 5.2e9, 6e9]})
    fig = charts.funding_stacked(long, "Источники")
    assert fig.layout.yaxis.ticktext[1] == "2\u00a0млрд" and fig.layout.yaxis.tickvals[1] == 2e9
    assert "%{y:,.0f} ₽" in fig.data[0].hovertemplate  # the hover keeps exact roubles
    # The year not yet over is drawn faint and says so in the hover.
    fig = charts.funding_stacked(long, "Источники", unfinished_year=2025)
    local = next(t for t in fig.data if t.name == "Местный бюджет")
    assert list(local.marker.opacity) == [1.0, charts.UNFINISHED_OPACITY]
    assert list(local.customdata) == ["", " (год не завершён)"]


def test_the_unfinished_year_is_named_on_each_yearly_chart(demo_db):
    """A slide has no page notes around it: the chart itself says the faint year is not over."""
    import datetime as dt

    from analytics import trends

    # Data read on 22.11.2026: 2026 is not over; the same data read in 2027 has no unfinished year.
    frames = queries.dataset_frames(demo_db["engine"])
    ds = build_dataset(**frames, today=dt.date(2026, 11, 22))
    upto_now = Filters(year_from=2016, year_to=2026)
    figures = trends.trend_figures(ds, upto_now)
    for name, fig in figures.items():
        assert fig.layout.title.subtitle.text in ("Светлым — 2026 год: он ещё не завершён", "Пунктиром — 2026 год: он ещё не завершён"), name
    flow = figures["flow"]
    assert list(flow.data[0].marker.opacity)[-2:] == [1.0, charts.UNFINISHED_OPACITY]
    growth, _, _, money = build_slides(ds, upto_now)[:4]
    assert growth.figure.layout.title.subtitle.text == "Светлым — 2026 год: он ещё не завершён"
    assert money.figure.layout.title.subtitle.text == "Светлым — 2026 год: он ещё не завершён"
    assert money.figure.data[0].marker.opacity[-1] == charts.UNFINISHED_OPACITY
    # Faint the same way everywhere: the series colour at 40 %, as the deck draws it.
    assert list(growth.figure.data[0].marker.opacity)[-2:] == [1.0, charts.UNFINISHED_OPACITY]
    assert list(figures["count"].data[0].marker.opacity)[-2:] == [1.0, charts.UNFINISHED_OPACITY]
    # The PowerPoint copy: the note above the source line, the year's points faint.
    from pptx import Presentation

    prs = Presentation(io.BytesIO(slide_export.deck([growth, money], "ТОС", "демо")))
    for page in list(prs.slides)[1:]:
        texts = [sh.text_frame.text for sh in page.shapes if sh.has_text_frame]
        assert any(t.startswith("Светлым — 2026 год: он ещё не завершён\n") for t in texts), texts
    chart = next(sh.chart for sh in list(prs.slides)[1].shapes if sh.has_chart)
    points = chart.series[0].points
    assert str(points[len(growth.categories) - 1].format.fill.fore_color.rgb) == "99BCE3"  # #0057B8 at 40 % on white
    assert points[len(growth.categories) - 2].format.fill.type is None  # the series' own colour
    later = build_dataset(**frames, today=dt.date(2027, 1, 10))
    for fig in trends.trend_figures(later, upto_now).values():
        assert not fig.layout.title.subtitle.text
    assert not build_slides(later, upto_now)[0].figure.layout.title.subtitle.text


def test_offline_html_holds_every_slide(demo_ds):
    slides = build_slides(demo_ds, FILTERS)
    text = slide_export.html(slides, "ТОС")
    for s in slides:
        assert s.title in text
    assert "<script src=" not in text  # plotly.js is inlined, nothing is fetched


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="нет Chromium: экспорт PNG не проверяется (apt-get install chromium)")
def test_png_export_through_chromium(demo_ds):
    images = slide_export.pngs(build_slides(demo_ds, FILTERS)[:2])
    assert len(images) == 2
    for png in images:
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_presentation_page_shows_the_big_numbers(app, demo_ds):
    app.run()
    app.switch_page("pages/presentation.py").run()
    assert not app.exception
    lo, hi = app.session_state["f_years"]
    k = metrics.kpis(demo_ds, Filters(year_from=lo, year_to=hi))
    assert app.metric[0].value == f"{k.tos_now:,}".replace(",", "\u00a0")
    captions = [plain(c.value) for c in app.caption]
    # Russian plural and one full stop after the years, not «документ(ов)» and «гг..».
    used = int((demo_ds.documents["status"] != "rejected").sum())
    word = {1: "документ", 2: "документа", 3: "документа", 4: "документа"}.get(used % 10, "документов")
    word = "документов" if 11 <= used % 100 <= 14 else word
    assert any(c.startswith(f"Источник: {used} {word} — ") for c in captions), captions
    assert f"Территория и годы — из фильтров панели: {lo}–{hi} гг." in captions
    assert not any(".." in c for c in captions)
    app.button(key="pres_next").click().run()
    assert app.title[0].value == "Жители в границах ТОС"
    app.button(key="pres_pptx_build").click().run()
    assert not app.exception
    assert any(b.label == "Скачать .pptx" for b in app.get("download_button"))


def test_sidebar_export_offers_the_workbook(app):
    app.run()
    app.button(key="export_build").click().run()
    assert not app.exception
    labels = [plain(b.label) for b in app.sidebar.get("download_button")]
    assert labels and labels[0].startswith("Скачать Сводка_ТОС_")


def test_csv_exports_are_excel_ready_and_safe(tmp_path, demo_db, demo_ds):
    import csv

    from reports.csv_export import projects_csv, tos_csv

    data = tos_csv(demo_ds, FILTERS)
    assert data.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Муниципалитет", "Наименование ТОС"]
    assert "Председатель" not in rows[0]  # public version
    assert len(rows) - 1 == len(demo_ds.tos)
    angarsk = [r for r in rows if r[0] == "Ангарский городской округ"]
    assert sorted(int(r[rows[0].index("Жителей в границах ТОС")]) for r in angarsk) == sorted([2478, 121, 1027, 2248, 1548, 995, 357, 1053])
    personal = queries.read_table(demo_db["engine"], "tos", personal=True)
    staff = tos_csv(demo_ds, FILTERS, personal=True, personal_tos=personal).decode("utf-8-sig")
    assert personal["chair"].dropna().iloc[0] in staff
    money = list(csv.reader(io.StringIO(projects_csv(demo_ds, FILTERS).decode("utf-8-sig")), delimiter=";"))
    cost = money[1][money[0].index("Стоимость, ₽")]
    assert "," in cost or cost.isdigit() or cost == ""  # decimal comma, as a Russian Excel expects


def test_csv_neutralises_formulas(tmp_path):
    from reports.csv_export import _cell

    assert _cell('=HYPERLINK("http://x","y")') == "'=HYPERLINK(\"http://x\",\"y\")"
    assert _cell("+7 999") == "'+7 999" and _cell("@SUM(1)") == "'@SUM(1)" and _cell("-2") == "'-2"
    assert _cell(1250.5) == "1250,5" and _cell(100.0) == "100" and _cell(None) == ""


def test_long_lists_become_totals_with_a_note(demo_ds, monkeypatch):
    import reports.summary as summary

    monkeypatch.setattr(summary, "MAX_DETAIL_ROWS", 100)
    wb = openpyxl.load_workbook(io.BytesIO(build_summary_workbook(demo_ds, FILTERS)))
    header, rows = table_rows(wb["Проекты"], "ПроектыИтоги")
    assert header[:4] == ["Муниципалитет", "Регион", "Проектов", "Реализовано проектов"]
    total_projects = len(demo_ds.projects[(demo_ds.projects["year"] >= 2016) & (demo_ds.projects["year"] <= 2025)])
    assert sum(r[2].value for r in rows[:-1]) == total_projects
    assert "Реестр" not in wb["Реестр ТОС"].tables  # no rows, a note instead
    notes = " ".join(str(c.value) for row in wb["Сводка"].iter_rows() for c in row if c.value)
    assert "больше, чем умещается в сводку" in notes and "CSV" in notes


@pytest.fixture(scope="module")
def geo_demo(demo_db, tmp_path_factory):
    """The demo data with its boundaries linked, as the map page and the presentation see them."""
    from analytics.geolink import link_boundaries
    from store.boundaries import load_bundled_boundaries, read_boundaries
    from tests.conftest import copy_sqlite

    engine = get_engine(copy_sqlite(demo_db["url"], tmp_path_factory.mktemp("geo") / "demo.db"))
    load_bundled_boundaries(engine)  # what the first visit of the map or the presentation does
    ds = build_dataset(**queries.dataset_frames(engine))
    return ds, link_boundaries(ds, read_boundaries(engine))


def test_map_slide_colours_municipalities_as_the_map_page_does(geo_demo):
    from analytics.mapview import ZERO_COLOUR, map_table, tos_figures
    from analytics.presentation import map_slide

    ds, geo = geo_demo
    f = Filters(year_from=2016, year_to=2025, region_ids=("RU-KEM",))
    slide = map_slide(ds, geo, f)
    table = map_table(ds, f)
    drawn = table[table["municipality_id"].isin(set(geo.municipalities["municipality_id"]))]
    assert len(drawn) > 20  # Kuzbass has its municipal boundaries bundled
    fig = slide.figure
    assert len(fig.layout.shapes) == len(drawn)
    fills = [s.fillcolor for s in fig.layout.shapes]
    assert fills.count(ZERO_COLOUR) == int((drawn["tos_count"] == 0).sum())
    assert slide.kpi == f"{int((drawn['tos_count'] > 0).sum()):,}".replace(",", "\u00a0")
    # TOS dots: the TOS in force that have a boundary, each at its label point.
    in_force = tos_figures(ds, f)
    with_boundary = in_force[in_force["tos_id"].isin(set(geo.tos["tos_id"]))]
    dots = next(t for t in fig.data if t.name.startswith("ТОС"))
    assert len(dots.x) == len(with_boundary) > 0
    # Offline: plain axes and SVG paths, no geo subplot that would fetch a world outline from a CDN.
    assert {t.type for t in fig.data} == {"scatter"} and "geo" not in fig.layout.to_plotly_json()
    assert "OpenStreetMap" in slide.source and "условные (демо)" in slide.source


def test_map_slide_of_several_regions_leaves_the_dots_out(geo_demo):
    # At the scale of four regions the dots would cover the coloured municipalities.
    from analytics.presentation import map_slide

    ds, geo = geo_demo
    slide = map_slide(ds, geo, Filters(year_from=2016, year_to=2025))
    assert len(slide.figure.layout.shapes) > 100
    assert not any(t.name.startswith("ТОС") for t in slide.figure.data)
    assert "ТОС с границами" in slide.kpi_label


def test_map_slide_is_the_last_slide_of_the_deck_and_html(geo_demo):
    from pptx import Presentation

    from analytics.presentation import map_slide

    ds, geo = geo_demo
    slides = build_slides(ds, FILTERS) + [map_slide(ds, geo, FILTERS)]
    prs = Presentation(io.BytesIO(slide_export.deck(slides, "ТОС", "демо")))
    last = list(prs.slides)[-1]
    texts = [sh.text_frame.text for sh in last.shapes if sh.has_text_frame]
    assert "ТОС на карте" in texts
    has_chromium = bool(shutil.which("chromium") or shutil.which("chromium-browser"))
    pictures = [sh for sh in last.shapes if sh.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    if has_chromium:
        assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    else:
        assert any("Карта не вставлена" in t for t in texts)
    page = slide_export.html(slides, "ТОС")
    assert "ТОС на карте" in page and '"type":"geo"' not in page  # the map is shapes on plain axes: nothing to fetch


def _caveat_store(tmp_path):
    """Three TOS of one municipality: approximate residents, unknown residents, no registration date."""
    engine = get_engine(f"sqlite:///{tmp_path / 'caveats.db'}")
    init_db(engine)
    rows = [
        ["Наименование ТОС", "Муниципальное образование", "Численность жителей", "Дата регистрации", "Членов"],
        ["Рассвет", "Беловский городской округ", "около 300", "2019", None],
        ["Исток", "Беловский городской округ", None, None, None],
        ["Заря", "Беловский городской округ", 200, "01.02.2018", None],
    ]
    assert ingest_bytes(engine, xlsx_bytes({"Реестр": rows}), "caveats.xlsx", actor=STAFF).status == "stored"
    projects = [
        ["Муниципальное образование", "Наименование ТОС", "Наименование проекта", "Год", "Статус", "Общая стоимость, руб.", "Местный бюджет, руб."],
        ["Беловский городской округ", "Заря", "Скамейки", 2021, "реализован", 100000, 60000],
        ["Беловский городской округ", "Рассвет", "Фонари", 2021, "реализован", None, None],
    ]
    assert ingest_bytes(engine, xlsx_bytes({"Проекты": projects}), "projects.xlsx", actor=STAFF).status == "stored"
    return build_dataset(**queries.dataset_frames(engine))


def test_summary_says_what_each_headline_figure_leaves_out(tmp_path):
    ds = _caveat_store(tmp_path)
    wb = openpyxl.load_workbook(io.BytesIO(build_summary_workbook(ds, Filters())))
    ws = wb["Сводка"]
    # Each caveat is on the line under its figure.
    notes = {ws.cell(r, 1).value: ws.cell(r + 1, 1).value for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value is not None}
    tos_label = next(label for label in notes if str(label).startswith("ТОС действует на"))
    assert notes[tos_label] == "в т. ч. 1 без даты регистрации"
    assert "численность жителей неизвестна у 1 ТОС" in notes["Жителей в границах ТОС"]
    assert "у 1 ТОС численность приблизительная" in notes["Жителей в границах ТОС"]
    assert notes["Стоимость реализованных проектов, ₽"] == "у 1 реализованного проекта стоимость неизвестна — сумма неполная"
    # The headline at the end of 2020 agrees with «По годам» 2020: the undated TOS is left out there.
    past = openpyxl.load_workbook(io.BytesIO(build_summary_workbook(ds, Filters(year_to=2020))))
    summary = {past["Сводка"].cell(r, 1).value: past["Сводка"].cell(r, 2).value for r in range(1, 40)}
    assert summary["ТОС действует на 31.12.2020"] == 2 and summary["Годы"] == "…–2020 гг."
    header, rows = table_rows(past["По годам"], "Годы")
    assert next(r for r in rows if r[0].value == 2020)[1].value == 2


def test_exported_totals_carry_their_values_and_unknown_totals_stay_blank(tmp_path):
    ds = _caveat_store(tmp_path)
    data = build_summary_workbook(ds, Filters())
    # What pandas and viewers that do not recalculate see: the stored value of each formula.
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    header, rows = table_rows(wb["Реестр ТОС"], "Реестр")
    col = {h: i for i, h in enumerate(header)}
    assert rows[-1][col["Жителей в границах ТОС"]].value == 500
    assert rows[-1][col["Членов"]].value is None  # no members count known: no total, not 0
    header, rows = table_rows(wb["Проекты"], "Проекты")
    col = {h: i for i, h in enumerate(header)}
    assert rows[-1][col["Стоимость, ₽"]].value == 100000
    assert "Местный бюджет, ₽" in header  # the unit survives a read by pandas or a CSV
    header, rows = table_rows(wb["По муниципалитетам"], "Муниципалитеты")
    col = {h: i for i, h in enumerate(header)}
    assert rows[-1][col["ТОС действует"]].value == 3
    assert "Стоимость реализованных проектов, ₽" in header


def test_approximate_residents_keep_their_mark_in_the_exports(tmp_path):
    import csv

    from reports.csv_export import tos_csv

    ds = _caveat_store(tmp_path)
    wb = openpyxl.load_workbook(io.BytesIO(build_summary_workbook(ds, Filters())))
    header, rows = table_rows(wb["Реестр ТОС"], "Реестр")
    col = {h: i for i, h in enumerate(header)}
    marks = {r[col["Наименование ТОС"]].value: r[col["Пометка к численности"]].value for r in rows[:-1]}
    assert marks == {"Рассвет": "около", "Исток": None, "Заря": None}
    table = list(csv.reader(io.StringIO(tos_csv(ds, Filters()).decode("utf-8-sig")), delimiter=";"))
    by_name = {r[1]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert by_name["Рассвет"]["Пометка к численности"] == "около" and by_name["Рассвет"]["Жителей в границах ТОС"] == "300"
    assert by_name["Рассвет"]["Точность даты"] == "только год" and by_name["Заря"]["Точность даты"] == "день"


def test_only_exports_of_demo_figures_are_labelled_demo(tmp_path, monkeypatch):
    engine = get_engine(f"sqlite:///{tmp_path / 'mixed.db'}")
    init_db(engine)
    header = ["Наименование ТОС", "Муниципальное образование", "Численность жителей", "Дата регистрации"]
    demo = [["Реестр ТОС Беловского городского округа (демонстрационные данные) на 01.01.2026"], header, ["Условный", "Беловский городской округ", 500, "01.02.2019"]]
    real = [["Реестр ТОС Кемеровского городского округа на 01.01.2026"], header, ["Настоящий", "Кемеровский городской округ", 700, "01.02.2019"]]
    assert ingest_bytes(engine, xlsx_bytes({"Реестр": demo}), "demo.xlsx", actor=STAFF).status == "stored"
    assert ingest_bytes(engine, xlsx_bytes({"Реестр": real}), "real.xlsx", actor=STAFF).status == "stored"
    ds = build_dataset(**queries.dataset_frames(engine))
    assert len(ds.demo_ids) == 1

    def labelled(filters):
        wb = openpyxl.load_workbook(io.BytesIO(build_summary_workbook(ds, filters)))
        return {ws.title: any("демонстрационн" in str(c).lower() for row in ws.iter_rows(values_only=True) for c in row if c) for ws in wb}

    kemerovo = labelled(Filters(municipality_ids=("32701000",)))
    assert not kemerovo["Сводка"] and not kemerovo["По муниципалитетам"]  # real figures only
    belovo = labelled(Filters(municipality_ids=("32707000",)))
    assert belovo["Сводка"] and belovo["По регионам"] and belovo["По муниципалитетам"] and belovo["По годам"]
    # The pages follow the same rule.
    monkeypatch.setenv("TOS_DB_URL", f"sqlite:///{tmp_path / 'mixed.db'}")
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert any("Демонстрационные данные" in i.value for i in at.info)  # the whole store
    at.multiselect(key="f_municipalities").set_value(["32701000"]).run()
    assert not at.exception and not any("Демонстрационные данные" in i.value for i in at.info)
