"""The «Карта» page (AppTest): the shown figures follow the filters, the map click and the data."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

NBSP = "\u00a0"


def fmt(n):
    return f"{n:,}".replace(",", NBSP)


@pytest.fixture
def page(demo_db, monkeypatch):
    monkeypatch.setenv("TOS_DB_URL", demo_db["url"])
    return AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=90)


def expected_without_boundaries(engine, region=None):
    """TOS active now without a boundary, counted from the stored rows."""
    import datetime as dt

    from store import queries
    from store.boundaries import read_boundaries

    tos = queries.read_table(engine, "tos")
    m = queries.municipalities(engine).set_index("municipality_id")
    today = dt.date.today().isoformat()
    active = tos[(tos["registered_on"].isna() | (tos["registered_on"] <= today)) & (tos["dissolved_on"].isna() | (tos["dissolved_on"] > today))]
    active = active[active["status"] != "ликвидирован"]
    if region:
        active = active[active["municipality_id"].map(m["region_id"]) == region]
    with_boundary = set(read_boundaries(engine, levels=("tos",))["ref_id"])
    return int((~active["tos_id"].isin(with_boundary)).sum())


def test_map_page_renders_the_map_and_the_without_boundaries_list(page, demo_db):
    page.run()
    assert not page.exception, page.exception
    assert page.title[0].value == "Карта"
    assert any(e.type == "component_instance" for e in page.main)
    n = expected_without_boundaries(demo_db["engine"])
    assert n > 0
    assert [e.label for e in page.expander][0] == f"ТОС без границ: {fmt(n)}"
    assert page.button_group(key="map_metric").value == "tos_count"
    assert any("Щёлкните по муниципалитету" in c.value for c in page.caption)


def test_region_filter_narrows_the_lists(page, demo_db):
    page.session_state["f_regions"] = ["RU-SMO"]
    page.run()
    assert not page.exception
    n = expected_without_boundaries(demo_db["engine"], "RU-SMO")
    assert [e.label for e in page.expander][0] == f"ТОС без границ: {fmt(n)}"


def test_clicked_municipality_opens_its_card_with_its_figures(page):
    page.run()
    # What the map component sends on a click; the page keeps it as the selection.
    page.session_state["map_selected"] = "25703000"
    page.run()
    assert not page.exception
    assert page.subheader[0].value == "Ангарский городской округ · Иркутская область"
    values = {m.label: m.value for m in page.metric}
    assert values["ТОС действует"] == "8"
    assert values["Жителей в границах ТОС"] == fmt(9827)
    table = page.dataframe[0].value
    assert len(table) == 8 and set(table["Граница"]) == {"есть"}
    page.button[0].click().run()  # «Снять выбор»
    assert not page.subheader
    assert "map_selected" not in page.session_state


def test_choosing_the_municipality_everywhere_sets_the_shared_filter(page):
    page.session_state["map_selected"] = "32707000"
    page.run()
    page.button[1].click().run()
    assert page.session_state["f_municipalities"] == ["32707000"]


def test_metric_switch_keeps_the_page_working(page):
    page.run()
    for metric in ("coverage", "cost_total", "cost_per_resident"):
        page.button_group(key="map_metric").set_value(metric).run()
        assert not page.exception, metric


def test_a_fresh_database_gets_the_bundled_municipal_map(tmp_path, monkeypatch):
    from store import queries
    from store.boundaries import read_boundaries
    from store.db import get_engine

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("TOS_DB_URL", url)
    at = AppTest.from_file(str(ROOT / "pages" / "map.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    b = read_boundaries(get_engine(url))
    assert set(b["level"]) == {"region", "municipality"} and (b["level"] == "municipality").sum() == 145
    docs = queries.documents_frame(get_engine(url))
    assert set(docs["kind"]) == {"boundaries"} and not docs["is_demo"].any()
    assert any(e.type == "component_instance" for e in at.main)


def test_a_link_with_a_municipality_code_opens_its_card(page):
    page.query_params["mo"] = "66710000"
    page.run()
    assert not page.exception
    assert page.subheader[0].value == "город Десногорск · Смоленская область"
