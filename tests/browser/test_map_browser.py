"""The «Карта» page in a real browser: polygons drawn, a TOS tooltip with the right figures, no outside requests."""

import numpy as np
import pandas as pd
import pytest

from analytics.formatting import fmt_int, fmt_rub

MAP_FRAME = "iframe[title*='tosmap']"


@pytest.fixture(scope="module")
def facts(app_server):
    """Expected figures, computed from the stored rows (not through the map builder)."""
    import shapely
    import shapely.ops

    from analytics.dataset import build_dataset
    from analytics.metrics import year_range
    from store import queries
    from store.boundaries import read_boundaries
    from store.db import get_engine

    eng = get_engine(app_server["db_url"])
    tos = queries.read_table(eng, "tos")
    projects = queries.read_table(eng, "projects")
    ds = build_dataset(tos, projects, queries.municipalities(eng), queries.regions(eng), queries.documents_frame(eng), queries.data_as_of(eng))
    lo, hi = year_range(ds)
    years = (max(lo, hi - 10), hi)  # the sidebar's default
    t = tos[(tos["name"] == "Перекресток") & (tos["municipality_id"] == "25703000")].iloc[0]
    done = projects[(projects["tos_id"] == t["tos_id"]) & (projects["status"] == "реализован") & projects["year"].between(*years)]
    boundaries = read_boundaries(eng)
    tb = boundaries[(boundaries["level"] == "tos") & (boundaries["ref_id"] == t["tos_id"])].iloc[0]
    # A point inside Балаганский район away from every TOS, to click the municipality and nothing else.
    mun = boundaries[(boundaries["level"] == "municipality") & (boundaries["ref_id"] == "25601000")].iloc[0]
    area = shapely.from_geojson(mun["geometry_display"])
    tos_pts = boundaries[boundaries["level"] == "tos"]
    # (Badges of TOS without boundaries sit on municipal label points: keep away from those too.)
    lon = np.concatenate([tos_pts["label_lon"].to_numpy(), [mun["label_lon"]]])
    lat = np.concatenate([tos_pts["label_lat"].to_numpy(), [mun["label_lat"]]])
    free = area.difference(shapely.union_all(shapely.buffer(shapely.points(lon, lat), 0.15))).buffer(-0.05)
    click = shapely.ops.polylabel(max(shapely.get_parts(free), key=lambda p: p.area), tolerance=0.01)
    return {
        "years": years,
        "tos_id": t["tos_id"],
        "residents": int(t["residents"]),
        "year": t["registered_on"][:4],
        "projects": len(done),
        "cost": float(pd.to_numeric(done["cost_total"]).sum()),
        "tos_point": (float(tb["label_lat"]), float(tb["label_lon"])),
        "click": (click.y, click.x),
        "municipalities": int((boundaries["level"] == "municipality").sum()),
    }


def settle(map_el, quiet_ms: int = 400) -> None:
    """Until the map has not moved for `quiet_ms` (a wheel zoom is debounced and animated)."""
    map_el.evaluate(
        "q => new Promise(done => { let t; const again = () => { clearTimeout(t); t = setTimeout(done, q); };"
        " TOSMAP.map.on('movestart move moveend zoomstart zoom zoomend', again); again(); })",
        quiet_ms,
    )


def open_map(app_page):
    app_page.open("map")
    frame = app_page.page.frame_locator(MAP_FRAME)
    frame.locator("#map[data-ready='1']").wait_for()
    return frame


def test_map_draws_municipal_polygons_and_tos_without_going_online(app_page, facts):
    frame = open_map(app_page)
    # Every municipal polygon is an SVG path with its OKTMO; TOS are points at this scale.
    units = frame.locator("path.tos-unit")
    units.nth(facts["municipalities"] - 1).wait_for(state="attached")
    assert units.count() == facts["municipalities"]
    assert frame.locator("path.tos-point").count() > 600
    assert frame.locator(".tos-legend").inner_text().startswith("Число ТОС")
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "© OpenStreetMap contributors, ODbL" in attribution
    app_page.screenshot("map-overview")
    assert app_page.outside_requests() == []
    assert app_page.real_console_errors() == []


def test_tos_tooltip_shows_the_right_figures(app_page, facts):
    frame = open_map(app_page)
    lat, lon = facts["tos_point"]
    # Zoom in as a user would to read one TOS: from zoom 11 the TOS are drawn as polygons.
    # (Braces: return nothing — Playwright would serialise the whole Leaflet map object.)
    frame.locator("#map").evaluate(f"() => {{ TOSMAP.map.setView([{lat}, {lon}], 15, {{animate: false}}); }}")
    polygon = frame.locator(f"path.tos-poly[data-tos='{facts['tos_id']}']")
    polygon.wait_for(state="visible")
    polygon.hover()
    tip = frame.locator(".leaflet-tooltip.tos-tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    y0, y1 = facts["years"]
    assert "ТОС «Перекресток»" in text
    assert f"Жителей: {fmt_int(facts['residents'])}" in text
    assert f"Зарегистрирован: {facts['year']}" in text
    assert f"Реализовано проектов ({y0}–{y1}): {facts['projects']}" in text
    assert f"Стоимость проектов ({y0}–{y1}): {fmt_rub(facts['cost'])}" in text
    assert "условные границы (демо)" in text
    app_page.screenshot("map-tos-tooltip", full_page=False)
    assert app_page.outside_requests() == []


def test_click_on_a_municipality_opens_its_card_and_pan_zoom_do_not_rerun(app_page, facts):
    frame = open_map(app_page)
    map_el = frame.locator("#map")
    # Count what the map sends to Streamlit; mark the frame to see that it is not reloaded.
    map_el.evaluate(
        "() => { window.__sent = 0; window.__marker = 'same-frame'; const post = window.parent.postMessage.bind(window.parent);"
        " window.parent.postMessage = (m, o) => { if (m && m.type === 'streamlit:setComponentValue') window.__sent += 1; return post(m, o); }; }"
    )
    map_el.evaluate("() => { TOSMAP.map.setZoom(TOSMAP.map.getZoom() + 1, {animate: false}); TOSMAP.map.panBy([80, 40], {animate: false}); }")
    # A pan with the mouse, as a user drags the map (then any inertia stopped, so the view is known).
    box = map_el.bounding_box()
    x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.3
    app_page.page.mouse.move(x, y)
    app_page.page.mouse.down()
    app_page.page.mouse.move(x - 120, y + 60, steps=8)
    app_page.page.mouse.up()
    map_el.evaluate("() => { TOSMAP.map.stop(); }")
    assert map_el.evaluate("() => window.__sent") == 0
    lat, lon = facts["click"]
    map_el.evaluate(f"() => {{ TOSMAP.map.setView([{lat}, {lon}], 8, {{animate: false}}); }}")
    settle(map_el)
    point = map_el.evaluate(f"() => TOSMAP.map.latLngToContainerPoint([{lat}, {lon}])")
    zoom_before = map_el.evaluate("() => TOSMAP.map.getZoom()")
    app_page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    heading = app_page.page.get_by_role("heading", name="Балаганский муниципальный район · Иркутская область")
    heading.wait_for()
    app_page.wait_idle()
    assert map_el.evaluate("() => window.__sent") == 1
    # The same frame and the same view: a click reruns the page but does not rebuild the map.
    assert map_el.evaluate("() => window.__marker") == "same-frame"
    assert map_el.evaluate("() => window.TOSMAP_BUILDS") == 1
    assert map_el.evaluate("() => TOSMAP.map.getZoom()") == zoom_before
    assert map_el.evaluate("() => TOSMAP.selected") == "25601000"
    heading.scroll_into_view_if_needed()
    app_page.screenshot("map-card", full_page=False)
    label = app_page.page.locator("[data-testid='stMetricLabel']", has_text="ТОС действует")
    assert label.count() == 1 and label.is_visible()
    assert app_page.outside_requests() == []
    assert app_page.real_console_errors() == []


def test_the_chosen_metric_recolours_the_map(app_page):
    frame = open_map(app_page)
    before = frame.locator(".tos-legend").inner_text()
    app_page.page.locator("[data-testid='stButtonGroup'] button", has_text="Охват населения").click()
    frame.locator(".tos-legend", has_text="Охват населения").wait_for()
    after = frame.locator(".tos-legend").inner_text()
    assert before != after and "%" in after
    fills = frame.locator("path.tos-unit").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
    assert len(set(fills)) > 3
    assert np.all([f and f.startswith("#") for f in fills])


def test_downloaded_map_file_works_with_the_network_cut_off(chromium, demo_db, tmp_path):
    """The «Скачать карту» file: one HTML with Leaflet inside, opened from disk with every request refused."""
    from analytics.dataset import Filters, build_dataset
    from analytics.geolink import link_boundaries
    from analytics.mapview import build_map, render_html
    from store import queries
    from store.boundaries import read_boundaries
    from ui.mapdata import _inline_assets

    eng = demo_db["engine"]
    ds = build_dataset(queries.read_table(eng, "tos"), queries.read_table(eng, "projects"), queries.municipalities(eng),
                       queries.regions(eng), queries.documents_frame(eng), queries.data_as_of(eng))  # fmt: skip
    view = build_map(ds, link_boundaries(ds, read_boundaries(eng)), Filters(region_ids=("RU-SMO",)), "coverage")
    path = tmp_path / "karta.html"
    path.write_text(render_html(view, inline=_inline_assets()), encoding="utf-8")
    context = chromium.new_context(locale="ru-RU", viewport={"width": 1200, "height": 800})
    page = context.new_page()
    tried = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else (tried.append(route.request.url), route.abort()))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("#map[data-ready='1']")
        assert page.locator("path.tos-unit").count() == 27  # Smolensk's municipalities
        assert "Охват населения" in page.locator(".tos-legend").inner_text()
        page.screenshot(path=str(tmp_path / "offline.png"))
    finally:
        context.close()
    assert tried == [] and errors == []
