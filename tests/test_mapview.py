"""The map builder and the linking of boundaries, on the demo database and on files built here."""

import json
import re

import pandas as pd
import pytest

from analytics import mapview
from analytics.dataset import Filters, build_dataset
from analytics.formatting import fmt_int, fmt_rub
from analytics.geolink import link_boundaries
from analytics.metrics import kpis, region_table
from tests.conftest import STAFF
from tests.geofiles import KEMEROVO, feature, geojson_bytes, square

YEARS = Filters(year_from=2016, year_to=2026)


def load(engine):
    from store import queries
    from store.boundaries import read_boundaries

    ds = build_dataset(**queries.dataset_frames(engine))
    return ds, link_boundaries(ds, read_boundaries(engine))


@pytest.fixture
def demo(demo_db_copy):
    ds, geo = load(demo_db_copy["engine"])
    return {"ds": ds, "geo": geo, **demo_db_copy}


def layers(view):
    return {layer["id"]: layer for layer in json.loads(view.spec)["layers"]}


# --------------------------------------------------------------------------- linking


def test_every_demo_boundary_links_and_the_bundled_geography_is_complete(demo):
    geo = demo["geo"]
    assert geo.unlinked.empty, geo.unlinked
    assert len(geo.municipalities) == 145  # all municipal polygons of the four regions
    assert len(geo.regions) == 85
    # The detailed OSM outline wins over the coarse Natural Earth one for the demo regions.
    kem = geo.regions.set_index("region_id").loc["RU-KEM"]
    assert kem["file_name"] == "regions_demo_osm.geojson"
    assert len(geo.tos) == demo["geo"].tos["tos_id"].nunique() > 600


def test_boundaries_link_by_name_when_the_key_differs_and_unknown_ones_are_listed(demo):
    from store.ingest import ingest_bytes

    data = geojson_bytes(
        [
            # Registry says «Перекресток» in Ангарский городской округ; the file writes «ё» and no municipality.
            feature(square(103.91, 52.54), name="ТОС «Перекрёсток»"),
            feature(square(*KEMEROVO), name="ТОС «Несуществующий»", oktmo="32701000"),
        ],
        name="ТОС загружены пользователем",
    )
    assert ingest_bytes(demo["engine"], data, "user_tos.geojson", actor=STAFF).status == "stored"
    ds, geo = load(demo["engine"])
    tos = ds.tos.set_index("tos_id")
    linked = geo.tos.set_index("tos_id")
    perekrestok = tos.index[(tos["name"] == "Перекресток") & (tos["municipality_id"] == "25703000")][0]
    # The user's file wins over the demo boundary of the same TOS.
    assert linked.loc[perekrestok, "file_name"] == "user_tos.geojson"
    lost = geo.unlinked.set_index("name")
    assert "в реестре нет ТОС с таким названием" in lost.loc["Несуществующий", "reason"]
    assert "Кемеровский городской округ" in lost.loc["Несуществующий", "reason"]
    # The replaced demo boundary is listed too, with why it is not shown.
    assert (geo.unlinked["reason"].str.contains("другая граница")).sum() == 1


def test_uploaded_municipal_boundary_replaces_the_bundled_one(demo):
    from store.ingest import ingest_bytes

    data = geojson_bytes([feature(square(*KEMEROVO, size=0.3), name="Кемеровский городской округ", oktmo="32701000")], name="МО")
    ingest_bytes(demo["engine"], data, "kemerovo_mo.geojson", actor=STAFF)
    _ds, geo = load(demo["engine"])
    row = geo.municipalities.set_index("municipality_id").loc["32701000"]
    assert row["file_name"] == "kemerovo_mo.geojson"


# --------------------------------------------------------------------------- the map


def test_municipal_view_has_its_layers_and_colours_from_the_legend(demo):
    view = mapview.build_map(demo["ds"], demo["geo"], YEARS, "tos_count")
    assert view.level == "municipality"
    lay = layers(view)
    assert list(lay) == ["context", "units", "regions", "tos", "nobound"]
    units = lay["units"]["data"]["features"]
    assert len(units) == 145 and lay["units"]["click"] == "municipality"
    legend_colours = {c for c, _ in view.legend}
    assert {f["properties"]["c"] for f in units} <= legend_colours
    # Municipalities without TOS are in the «нет ТОС» class; the colour follows the value.
    table = mapview.municipality_table(demo["ds"], YEARS).set_index("municipality_id")
    by_id = {f["properties"]["id"]: f["properties"]["c"] for f in units}
    zero = table.index[table["tos_count"] == 0]
    assert len(zero) and all(by_id[m] == mapview.ZERO_COLOUR for m in zero if m in by_id)
    top = table["tos_count"].idxmax()
    assert by_id[top] == view.legend[-1][0]
    assert view.legend[0] == (mapview.ZERO_COLOUR, "нет ТОС")
    # TOS: points for the small scale and polygons for the large, the same TOS in both.
    tos = lay["tos"]
    assert lay["tos"]["minZoom"] == mapview.TOS_MIN_ZOOM
    assert [f["properties"]["id"] for f in tos["points"]["features"]] == [f["properties"]["id"] for f in tos["data"]["features"]]
    assert tos["points"]["features"][0]["geometry"]["type"] == "Point"
    assert tos["data"]["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_tos_tooltip_shows_name_residents_year_projects_and_cost(demo):
    ds = demo["ds"]
    view = mapview.build_map(ds, demo["geo"], YEARS, "tos_count")
    tos = ds.tos[(ds.tos["name"] == "Перекресток") & (ds.tos["municipality_id"] == "25703000")].iloc[0]
    tips = {f["properties"]["id"]: f["properties"]["t"] for f in layers(view)["tos"]["points"]["features"]}
    tip = tips[tos["tos_id"]]
    # Figures computed here from the stored rows, not through the builder.
    p = ds.projects
    done = p[(p["tos_id"] == tos["tos_id"]) & (p["status"] == "реализован") & p["year"].between(2016, 2026)]
    assert "<b>ТОС «Перекресток»</b>" in tip
    assert "Ангарский городской округ, г. Ангарск" in tip
    assert f"Жителей: {fmt_int(2478)}" in tip
    assert f"Зарегистрирован: {tos['registered_on'][:4]}" in tip
    assert f"Реализовано проектов (2016–2026): {len(done)}" in tip
    assert f"Стоимость проектов (2016–2026): {fmt_rub(done['cost_total'].sum())}" in tip
    assert "условные границы (демо)" in tip


def test_tos_without_boundaries_are_listed_and_shown_at_their_municipality(demo):
    ds, geo = demo["ds"], demo["geo"]
    view = mapview.build_map(ds, geo, YEARS, "tos_count")
    table = mapview.without_boundaries_table(ds, geo, YEARS)
    assert view.counts["tos_without_boundary"] == len(table) > 0
    assert view.counts["tos"] == kpis(ds, YEARS).tos_now  # the map counts what the overview counts
    badges = layers(view)["nobound"]["data"]["features"]
    assert sum(f["properties"]["k"] for f in badges) == len(table)
    # Each badge sits on its municipality's label point.
    polys = geo.municipalities.set_index("municipality_id")
    for f in badges[:5]:
        m = polys.loc[f["properties"]["id"]]
        assert f["geometry"]["coordinates"] == [round(m["label_lon"], 5), round(m["label_lat"], 5)]


def test_attribution_names_the_sources_actually_drawn(demo):
    view = mapview.build_map(demo["ds"], demo["geo"], YEARS.with_(region_ids=("RU-KEM",)), "tos_count")
    spec = json.loads(view.spec)
    assert "© OpenStreetMap contributors, ODbL" in spec["attribution"]
    assert 'href="https://www.openstreetmap.org/copyright"' in spec["attribution"]
    assert "Границы ТОС — условные (демо)" in spec["attribution"]
    assert spec["legend"]["demo"] == "условные границы (демо)"
    # Natural Earth only where its regions are drawn (the neighbours of Kuzbass here).
    assert "Natural Earth" in spec["attribution"]
    assert spec["base"][0]["type"] == "none"  # no tiles by default: works offline


def test_selected_municipality_is_zoomed_to_and_outlined(demo):
    f = YEARS.with_(municipality_ids=("25703000",))
    view = mapview.build_map(demo["ds"], demo["geo"], f, "coverage")
    spec = json.loads(view.spec)
    assert spec["focus"] == ["25703000"]
    poly = demo["geo"].municipalities.set_index("municipality_id").loc["25703000"]
    (s, w), (n, e) = spec["bounds"]
    assert (w, s, e, n) == pytest.approx((poly["min_lon"], poly["min_lat"], poly["max_lon"], poly["max_lat"]), abs=1e-3)
    # The region around it stays on the choropleth, the TOS are only those of the chosen municipality.
    assert len(layers(view)["units"]["data"]["features"]) == 42
    assert view.counts["tos"] == 8


def test_region_view_when_there_are_too_many_municipalities(demo, monkeypatch):
    monkeypatch.setattr(mapview, "MAX_MUNICIPAL_FEATURES", 100)
    view = mapview.build_map(demo["ds"], demo["geo"], YEARS, "residents")
    assert view.level == "region"
    lay = layers(view)
    assert "tos" not in lay and lay["units"]["click"] == "region"
    ids = [f["properties"]["id"] for f in lay["units"]["data"]["features"]]
    assert sorted(ids) == ["RU-IRK", "RU-KEM", "RU-SAR", "RU-SMO"]
    assert any("показаны регионы" in n for n in view.notes)


def test_region_figures_agree_with_the_kpis_of_each_region(demo):
    ds = demo["ds"]
    regions = region_table(ds, YEARS).set_index("region_id")
    for rid in ("RU-KEM", "RU-IRK"):
        k = kpis(ds, YEARS.with_(region_ids=(rid,)))
        r = regions.loc[rid]
        assert r["tos_count"] == k.tos_now
        assert r["residents"] == pytest.approx(k.residents)
        assert r["coverage"] == pytest.approx(k.coverage)
        assert r["projects_completed"] == k.projects_completed
        assert r["cost_total"] == pytest.approx(k.cost_total)


def test_tos_are_sent_as_points_only_above_the_polygon_limit(demo, monkeypatch):
    monkeypatch.setattr(mapview, "MAX_TOS_POLYGONS", 50)
    view = mapview.build_map(demo["ds"], demo["geo"], YEARS, "tos_count")
    tos = layers(view)["tos"]
    assert "data" not in tos and len(tos["points"]["features"]) > 50
    assert any("показаны точками" in n for n in view.notes)


def test_classes_have_round_bounds_and_russian_labels():
    c = mapview.classify(pd.Series([0, 1, 2, 3, 5, 8, 13, 21, None]), "int")
    assert c.labels[0].startswith("1") and c.labels[-1].endswith("и более")
    assert len(c.colours) == len(c.labels) <= 5
    colours = c.colour(pd.Series([0, 1, 21, None]))
    assert colours.iloc[0] == mapview.ZERO_COLOUR and colours.iloc[3] == mapview.MISSING_COLOUR
    assert colours.iloc[1] == c.colours[0] and colours.iloc[2] == c.colours[-1]
    pct = mapview.classify(pd.Series([0.0123, 0.05, 0.081, 0.2, 0.33]), "pct")
    assert all("\u00a0%" in label for label in pct.labels)
    assert "," in pct.labels[1]  # decimal comma


def test_names_are_escaped_in_tooltips_and_cannot_end_the_script(demo):
    ds, geo = demo["ds"], demo["geo"]
    evil = "<img src=x onerror=alert(1)></script>"
    ds.municipalities.loc[ds.municipalities["municipality_id"] == "32701000", "name"] = evil
    ds.tos.loc[ds.tos["municipality_id"] == "32701000", "name"] = evil
    view = mapview.build_map(ds, geo, YEARS.with_(region_ids=("RU-KEM",)), "tos_count")
    spec = json.loads(view.spec)
    tips = [f["properties"]["t"] for layer in spec["layers"] for part in ("data", "points") if part in layer
            for f in layer[part]["features"] if "t" in f["properties"]]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in tips)
    assert not any("<img" in t for t in tips)
    html = mapview.render_html(view, asset_base="static/tosmap")
    assert html.count("</script>") == html.count("<script")


# --------------------------------------------------------------------------- HTML


def test_html_uses_only_the_apps_own_files_and_no_cdn(demo):
    view = mapview.build_map(demo["ds"], demo["geo"], YEARS, "tos_count")
    html = mapview.render_html(view, asset_base="static/tosmap")
    refs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert refs and all(not r.startswith(("http:", "https:", "//")) for r in refs), refs
    assert not mapview.CDN_HOSTS.search(html)
    # The only external addresses are the opt-in tile layer and attribution links.
    addresses = set(re.findall(r"https?://[^\"'\s<>)\\]+", html))
    assert addresses <= {mapview.OSM_TILES, "https://www.openstreetmap.org/copyright", "https://www.naturalearthdata.com/"}, addresses


def test_self_contained_html_inlines_leaflet(demo):
    from tests.conftest import ROOT

    assets = ROOT / "static" / "tosmap"
    inline = {
        "leaflet.js": (assets / "leaflet" / "leaflet.js").read_text(encoding="utf-8"),
        "leaflet.css": (assets / "leaflet" / "leaflet.css").read_text(encoding="utf-8"),
        "tosmap.js": (assets / "tosmap.js").read_text(encoding="utf-8"),
        "tosmap.css": (assets / "tosmap.css").read_text(encoding="utf-8"),
    }
    view = mapview.build_map(demo["ds"], demo["geo"], YEARS.with_(region_ids=("RU-SMO",)), "tos_count")
    html = mapview.render_html(view, inline=inline)
    assert "<script src=" not in html and "<link rel" not in html
    assert "Leaflet 1.9.4" in html and "TosMap.render" in html


def test_region_view_stays_small(demo):
    for rid in ("RU-KEM", "RU-IRK", "RU-SMO", "RU-SAR"):
        view = mapview.build_map(demo["ds"], demo["geo"], YEARS.with_(region_ids=(rid,)), "tos_count")
        assert view.size_bytes < 4_000_000, (rid, view.size_bytes)
    assert mapview.build_map(demo["ds"], demo["geo"], YEARS, "tos_count").size_bytes < 4_000_000
