"""The demo's TOS boundaries: reproducible, inside their real municipality, not overlapping, labelled."""

import json

import shapely

from scripts.demo_boundaries import NOTE, REGION_FILES, write_demo_boundaries
from tests.conftest import ROOT


def test_demo_boundaries_are_reproducible(tmp_path):
    a = write_demo_boundaries(tmp_path / "a")
    b = write_demo_boundaries(tmp_path / "b")
    assert a == b
    for name in a:
        assert (tmp_path / "a" / "docs" / name).read_bytes() == (tmp_path / "b" / "docs" / name).read_bytes(), name


def test_demo_tos_polygons_are_plausible_and_labelled(demo_db):
    docs = demo_db["folder"] / "docs"
    municipal = {}
    for path in (ROOT / "data" / "boundaries").glob("municipalities_*.geojson"):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            municipal[f["properties"]["oktmo"]] = shapely.from_geojson(json.dumps(f["geometry"]))
    polys = []
    for name in REGION_FILES.values():
        data = json.loads((docs / name).read_text(encoding="utf-8"))
        assert "демонстрационные данные" in data["name"]
        for f in data["features"]:
            assert f["properties"]["note"] == NOTE
            poly = shapely.from_geojson(json.dumps(f["geometry"]))
            mid = f["properties"]["oktmo"]
            owner = municipal.get(mid) or municipal["32616000"]  # Мариинское ГП lies in its district
            assert poly.is_valid and owner.contains(poly), f["properties"]["name"]
            assert 0.005 < poly.area * 111 * 111 * 0.6 < 5  # about 0.01–3 km²: a city block to a village
            polys.append(poly)
    tree = shapely.STRtree(polys)
    pairs = tree.query(polys, predicate="intersects")
    assert (pairs[0] == pairs[1]).all()  # each polygon meets only itself


def test_bundled_boundaries_are_in_the_demo_with_their_attribution(demo_db):
    from store import queries

    docs = queries.documents_frame(demo_db["engine"]).set_index("file_name")
    assert docs.loc["municipalities_kemerovo.geojson", "meta"]["attribution"] == "© OpenStreetMap contributors, ODbL"
    assert docs.loc["regions_ru.geojson", "meta"]["attribution"] == "Made with Natural Earth"
    assert not docs.loc["municipalities_kemerovo.geojson", "is_demo"]
    assert docs.loc["Границы_ТОС_Кузбасс_демо.geojson", "is_demo"]
