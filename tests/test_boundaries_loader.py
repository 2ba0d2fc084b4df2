"""Boundary files: each format, each fault the user must be told about, and the safety rules.

Every file is built here (tests/geofiles.py); none is committed.
"""

import io
import json
import subprocess
import sys
import zipfile

import pytest
import shapely

from loaders.api import parse_bytes
from loaders.base import ParseError
from tests.conftest import ROOT, STAFF
from tests.geofiles import (
    ANGARSK,
    BELOVO,
    KEMEROVO,
    bowtie,
    feature,
    geojson_bytes,
    gpkg_bytes,
    kml_bytes,
    shapefile_parts,
    shapezip,
    sqlite_with,
    square,
    zip_bytes,
)


def rows(doc):
    return doc.tables["boundaries"]


def messages(doc):
    return " | ".join(f"{w.where}: {w.message}" for w in doc.warnings)


def geom(row):
    return shapely.from_geojson(row["geometry"])


# --------------------------------------------------------------------------- formats


def test_geojson_tos_layer_links_by_municipality_code_and_name():
    data = geojson_bytes(
        [
            feature(square(*KEMEROVO), name="ТОС «Рассвет»", oktmo="32701000", residents=800),
            feature(square(KEMEROVO[0] + 0.01, KEMEROVO[1]), name="Заречье", oktmo="32701000"),
        ],
        name="Границы ТОС Кемерово",
    )
    doc = parse_bytes(data, "tos.geojson")
    b = rows(doc)
    assert doc.kind == "boundaries"
    assert list(b["level"]) == ["tos", "tos"]
    assert list(b["name"]) == ["Рассвет", "Заречье"]
    assert list(b["ref_id"]) == ["32701000:rassvet", "32701000:zareche"]
    assert set(b["region_id"]) == {"RU-KEM"}
    assert b.iloc[0]["properties"]["residents"] == 800
    assert b.iloc[0]["properties"]["_layer"] == "Границы ТОС Кемерово"
    # Display copy: GeoJSON text, rounded to 5 decimals; bbox and label point inside.
    disp = json.loads(b.iloc[0]["geometry_display"])
    assert disp["type"] == "Polygon"
    assert all(len(str(c).split(".")[-1]) <= 5 for c in disp["coordinates"][0][0])
    r = b.iloc[0]
    assert r["min_lon"] < r["label_lon"] < r["max_lon"] and r["min_lat"] < r["label_lat"] < r["max_lat"]
    assert 0.05 < r["area_km2"] < 0.2  # 0.004° square at 55°N ≈ 0.11 km²
    assert not doc.warnings, messages(doc)


def test_tos_without_municipality_attribute_is_placed_by_position():
    data = geojson_bytes([feature(square(*BELOVO), name="ТОС «Надежда»")], name="tos")
    b = rows(parse_bytes(data, "tos.geojson"))
    assert b.iloc[0]["municipality_id"] == "32707000"
    assert b.iloc[0]["ref_id"] == "32707000:nadezhda"


def test_kml_with_two_folders_loads_both_layers_and_skips_a_point():
    ring = square(*ANGARSK, size=0.01)
    with_hole = shapely.Polygon(ring.exterior.coords, [square(*ANGARSK, size=0.002).exterior.coords])
    data = kml_bytes(
        {
            "ТОС Ангарска": [("ТОС «Перекресток»", with_hole, {"oktmo": "25703000"}), ("Центр", shapely.Point(*ANGARSK), {})],
            "ТОС Кемерово": [("ТОС «Рассвет»", square(*KEMEROVO), {"oktmo": "32701000"})],
        }
    )
    doc = parse_bytes(data, "tos.kml")
    b = rows(doc)
    assert list(b["layer"]) == ["ТОС Ангарска", "ТОС Кемерово"]
    assert list(b["ref_id"]) == ["25703000:perekrestok", "32701000:rassvet"]
    assert len(geom(b.iloc[0]).interiors) == 1
    text = messages(doc)
    assert "2 слоя" in text and "«ТОС Ангарска»" in text and "«ТОС Кемерово»" in text
    assert "метка 2 («Центр»)" in text and "точка, а не полигон" in text


def test_kmz_from_google_earth_reads_its_first_kml_and_says_what_it_skipped():
    """A KMZ is a zip whose first .kml is the document; icons and a second KML are not boundaries."""
    first = kml_bytes({"ТОС Кемерово": [("ТОС «Рассвет»", square(*KEMEROVO), {"oktmo": "32701000"})]})
    second = kml_bytes({"Черновик": [("ТОС «Заря»", square(*ANGARSK), {"oktmo": "25703000"})]})
    kmz = zip_bytes({"doc.kml": first, "files/icon.png": b"\x89PNG\r\n\x1a\n", "old/draft.kml": second})
    for name in ("tos.kmz", "tos.zip"):  # Yandex and some mail gateways hand it over as .zip
        doc = parse_bytes(kmz, name)
        b = rows(doc)
        assert list(b["ref_id"]) == ["32701000:rassvet"]
        assert list(b["layer"]) == ["ТОС Кемерово"]
        assert "прочитан первый, «doc.kml»" in messages(doc) and "«old/draft.kml»" in messages(doc)
    with pytest.raises(ParseError, match="расширение .xlsx не соответствует содержимому — это KMZ"):
        parse_bytes(kmz, "tos.xlsx")


def test_kmz_with_entities_inside_is_refused_naming_the_member():
    evil = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]><kml><Document><name>&a;</name></Document></kml>'
    with pytest.raises(ParseError, match="Файл «evil.kmz»: «doc.kml» содержит объявления DOCTYPE/ENTITY"):
        parse_bytes(zip_bytes({"doc.kml": evil}), "evil.kmz")


def test_shapefile_cp1251_with_cpg_reads_russian_names_silently():
    parts = shapefile_parts(
        [{"name": "ТОС Солнечный", "oktmo": "32707000"}, {"name": "Берёзка", "oktmo": "32707000"}],
        [square(*BELOVO), square(BELOVO[0] + 0.01, BELOVO[1])],
        encoding="cp1251",
    )
    assert parts[".cpg"].upper().startswith(b"CP1251")
    doc = parse_bytes(shapezip(parts), "tos.zip")
    assert list(rows(doc)["name"]) == ["Солнечный", "Берёзка"]
    assert "кодировк" not in messages(doc)


def test_shapefile_cp866_without_cpg_and_prj_is_detected_and_said():
    parts = shapefile_parts(
        [{"name": "ТОС Заречье", "mo": "Беловский городской округ"}, {"name": "ТОС Родник", "mo": "Беловский городской округ"}],
        [square(*BELOVO), square(BELOVO[0] + 0.01, BELOVO[1])],
        encoding="cp866",
    )
    doc = parse_bytes(shapezip(parts, drop=(".cpg", ".prj")), "tos.zip")
    assert list(rows(doc)["name"]) == ["Заречье", "Родник"]
    assert set(rows(doc)["municipality_id"]) == {"32707000"}
    text = messages(doc)
    assert "кодировка атрибутов не указана" in text and "CP866" in text
    assert "система координат не указана" in text and "WGS 84" in text


def test_shapefile_with_a_cpg_that_lies_uses_the_detected_encoding():
    parts = shapefile_parts([{"name": "ТОС Лесной"}], [square(*KEMEROVO)], encoding="cp1251")
    parts[".cpg"] = b"UTF-8"
    doc = parse_bytes(shapezip(parts), "tos.zip")
    assert list(rows(doc)["name"]) == ["Лесной"]
    assert "указывает кодировку UTF-8" in messages(doc) and "Windows-1251" in messages(doc)


def test_geopackage_with_two_layers_loads_both_with_their_levels():
    data = gpkg_bytes(
        {
            "municipalities": ([{"name": "Беловский городской округ", "oktmo": "32707000"}], [square(*BELOVO, size=0.2)], 4326),
            "tos": ([{"name": "ТОС «Исток»"}], [square(*BELOVO)], 4326),
        }
    )
    doc = parse_bytes(data, "границы.gpkg")
    b = rows(doc).set_index("layer")
    assert b.loc["municipalities", "level"] == "municipality" and b.loc["municipalities", "ref_id"] == "32707000"
    assert b.loc["tos", "level"] == "tos" and b.loc["tos", "ref_id"] == "32707000:istok"
    assert "2 слоя" in messages(doc)


def test_geopackage_in_a_projected_crs_is_reprojected():
    from pyproj import Transformer

    t = Transformer.from_crs(4326, 3857, always_xy=True)
    x, y = t.transform(*KEMEROVO)
    data = gpkg_bytes({"tos": ([{"name": "ТОС «Луч»"}], [shapely.box(x - 200, y - 200, x + 200, y + 200)], 3857)})
    b = rows(parse_bytes(data, "tos.gpkg"))
    assert abs(b.iloc[0]["label_lon"] - KEMEROVO[0]) < 0.01 and abs(b.iloc[0]["label_lat"] - KEMEROVO[1]) < 0.01
    assert b.iloc[0]["municipality_id"] == "32701000"


def test_level_hint_overrides_and_level_attribute_is_read():
    data = geojson_bytes([feature(square(*KEMEROVO, size=0.3), name="Участок", level="ТОС")], name="layer")
    assert rows(parse_bytes(data, "x.geojson")).iloc[0]["level"] == "tos"
    assert rows(parse_bytes(data, "x.geojson", level="municipality")).iloc[0]["level"] == "municipality"
    with pytest.raises(ParseError, match="неизвестный уровень"):
        parse_bytes(data, "x.geojson", level="city")


def test_unknown_level_is_decided_by_size_and_said_to_be_unsure():
    data = geojson_bytes([feature(square(*KEMEROVO), name="Участок 1")], name="layer")
    doc = parse_bytes(data, "x.geojson")
    assert rows(doc).iloc[0]["level"] == "tos"
    assert "неуверенно" in messages(doc) and "по размеру" in messages(doc)


def test_bundled_municipal_file_links_every_feature_and_carries_the_osm_attribution():
    data = (ROOT / "data" / "boundaries" / "municipalities_kemerovo.geojson").read_bytes()
    doc = parse_bytes(data, "municipalities_kemerovo.geojson")
    b = rows(doc)
    assert len(b) == 34 and b["ref_id"].notna().all() and set(b["level"]) == {"municipality"}
    assert doc.meta["attribution"] == "© OpenStreetMap contributors, ODbL" and doc.meta["bundled"]
    belovo = b.set_index("ref_id").loc["32707000"]
    assert belovo["name"] == "Беловский городской округ"
    assert (belovo["label_lon"], belovo["label_lat"]) == (86.30374, 54.4221)  # the town centre, not a centroid
    # Simplified once, shared borders kept: the display copy is still a valid coverage.
    display = shapely.from_geojson(list(b["geometry_display"]))
    assert shapely.coverage_is_valid(display)
    assert sum(map(len, b["geometry_display"])) < sum(map(len, b["geometry"]))


def test_natural_earth_regions_get_reference_codes_even_with_foreign_iso_codes():
    data = (ROOT / "data" / "boundaries" / "regions_ru.geojson").read_bytes()
    b = rows(parse_bytes(data, "regions_ru.geojson")).set_index("ref_id")
    assert len(b) == 85 and b.index.notna().all()
    assert {"RU-CR", "RU-SEV"} <= set(b.index)
    assert b.loc["RU-KEM", "name"] == "Кемеровская область — Кузбасс"
    assert b.loc["RU-CHU", "max_lon"] > 180  # Chukotka drawn east of the antimeridian, in one piece


# --------------------------------------------------------------------------- faults the user is told about


def test_swapped_latitude_and_longitude_are_fixed_and_reported():
    swapped = shapely.transform(square(*KEMEROVO), lambda c: c[:, ::-1])
    data = geojson_bytes([feature(swapped, name="ТОС «Колос»", oktmo="32701000"), feature(square(*BELOVO), name="ТОС «Очаг»")])
    doc = parse_bytes(data, "tos.geojson")
    b = rows(doc).set_index("name")
    assert abs(b.loc["Колос", "label_lon"] - KEMEROVO[0]) < 0.01
    assert "объект 1 («ТОС «Колос»»)" in messages(doc) and "широта и долгота перепутаны" in messages(doc)


def test_declared_crs_that_does_not_match_the_numbers_is_reported():
    data = geojson_bytes([feature(square(*KEMEROVO), name="ТОС «Луч»")], crs="urn:ogc:def:crs:EPSG::3857")
    doc = parse_bytes(data, "tos.geojson")
    assert abs(rows(doc).iloc[0]["label_lon"] - KEMEROVO[0]) < 0.01
    assert "EPSG:3857" in messages(doc) and "похожи на градусы" in messages(doc)


def _metre_box(epsg: int, lon: float, lat: float):
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    return shapely.box(x - 150, y - 150, x + 150, y + 150)


def test_metres_under_a_wgs84_prj_are_recognised_as_web_mercator():
    parts = shapefile_parts([{"name": "ТОС Юбилейный", "oktmo": "32707000"}], [_metre_box(3857, *BELOVO)], crs=4326)
    doc = parse_bytes(shapezip(parts), "tos.zip")
    assert abs(rows(doc).iloc[0]["label_lat"] - BELOVO[1]) < 0.01
    assert "числа в метрах" in messages(doc) and "EPSG:3857" in messages(doc)


def test_gauss_kruger_metres_without_prj_are_guessed_from_the_zone():
    # Pulkovo 1942 / Gauss–Krüger zone 15: x starts with the zone number.
    parts = shapefile_parts([{"name": "ТОС Восход", "oktmo": "32701000"}], [_metre_box(28415, *KEMEROVO)], crs=None)
    doc = parse_bytes(shapezip(parts, drop=(".prj",)), "tos.zip")
    r = rows(doc).iloc[0]
    assert abs(r["label_lon"] - KEMEROVO[0]) < 0.01 and abs(r["label_lat"] - KEMEROVO[1]) < 0.01
    assert "EPSG:28415" in messages(doc)


def test_metres_that_fit_two_crs_equally_are_refused_with_both_named():
    # Web Mercator metres of Kemerovo also land in Russia read as Gauss–Krüger zone 9; nothing tells them apart.
    parts = shapefile_parts([{"name": "ТОС Восход"}], [_metre_box(3857, *KEMEROVO)], crs=None)
    with pytest.raises(ParseError, match=r"EPSG:3857 .* и EPSG:284\d\d .*выбрать за вас нельзя"):
        parse_bytes(shapezip(parts, drop=(".prj",)), "tos.zip")


def test_features_outside_russia_are_left_out_and_all_outside_is_refused():
    paris = square(2.35, 48.85)
    doc = parse_bytes(geojson_bytes([feature(square(*KEMEROVO), name="ТОС «Ромашка»"), feature(paris, name="ТОС «Париж»")]), "tos.geojson")
    assert list(rows(doc)["name"]) == ["Ромашка"]
    assert "объект 2 («ТОС «Париж»»): 2.3500, 48.8500" in messages(doc) and "за пределами России" in messages(doc)
    with pytest.raises(ParseError, match="за пределами России"):
        parse_bytes(geojson_bytes([feature(paris, name="ТОС «Париж»")]), "paris.geojson")


def test_self_intersecting_polygon_is_repaired_and_the_place_named():
    doc = parse_bytes(geojson_bytes([feature(bowtie(*KEMEROVO), name="ТОС «Восьмёрка»")]), "tos.geojson")
    r = rows(doc).iloc[0]
    g = geom(r)
    assert g.is_valid and g.geom_type == "MultiPolygon" and len(g.geoms) == 2
    text = messages(doc)
    assert "самопересечение контура в точке (86.08680, 55.35470)" in text
    assert "make_valid" in text and "разделён на 2" in text


def test_empty_geometry_is_skipped_with_its_place():
    data = geojson_bytes(
        [feature(square(*KEMEROVO), name="ТОС «Есть»"), {"type": "Feature", "properties": {"name": "ТОС «Пусто»"}, "geometry": None}]
    )
    doc = parse_bytes(data, "tos.geojson")
    assert list(rows(doc)["name"]) == ["Есть"]
    assert "объект 2 («ТОС «Пусто»»)" in messages(doc) and "пустая геометрия" in messages(doc)


def test_a_file_of_points_only_is_refused():
    data = geojson_bytes([feature(shapely.Point(*KEMEROVO), name="ТОС «Точка»")])
    with pytest.raises(ParseError, match="ни один объект"):
        parse_bytes(data, "tos.geojson")


def test_overlapping_tos_boundaries_are_reported():
    data = geojson_bytes([feature(square(*KEMEROVO), name="ТОС «А»"), feature(square(KEMEROVO[0] + 0.001, KEMEROVO[1]), name="ТОС «Б»")])
    assert "границы ТОС пересекаются: «А» и «Б»" in messages(parse_bytes(data, "tos.geojson"))


def test_json_that_is_not_geojson_keeps_the_general_message():
    with pytest.raises(ParseError, match="JSON без объектов GeoJSON"):
        parse_bytes(json.dumps([{"name": "Богана", "type": "Сельский"}], ensure_ascii=False).encode(), "reestr.json")


# --------------------------------------------------------------------------- safety


def test_vrt_disguised_as_geojson_is_refused_and_the_target_never_read(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("WKT,name\n\"POLYGON((86 55,86.1 55,86.1 55.1,86 55))\",СЕКРЕТ\n", encoding="utf-8")
    vrt = (
        f'<OGRVRTDataSource><OGRVRTLayer name="secret"><SrcDataSource>{secret}</SrcDataSource>'
        '<GeometryField encoding="WKT" field="WKT"/></OGRVRTLayer></OGRVRTDataSource>'
    ).encode()
    with pytest.raises(ParseError) as err:
        parse_bytes(vrt, "границы.geojson")
    assert "виртуальный слой GDAL (VRT)" in err.value.message and "«границы.geojson»" in err.value.message
    assert "СЕКРЕТ" not in err.value.message


def test_gdal_is_limited_to_the_allowed_drivers(tmp_path):
    import pyogrio

    from loaders.geosafe import ALLOWED_DRIVERS, harden_gdal

    harden_gdal()
    assert set(pyogrio.list_drivers()) <= set(ALLOWED_DRIVERS)
    secret = tmp_path / "s.csv"
    secret.write_text("a,b\n1,2\n")
    vrt = tmp_path / "x.vrt"
    vrt.write_text(f'<OGRVRTDataSource><OGRVRTLayer name="s"><SrcDataSource>{secret}</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>')
    with pytest.raises(Exception, match="not recognized"):
        pyogrio.read_dataframe(vrt)


def test_zip_member_with_a_path_outside_the_archive_is_refused():
    from loaders.geosafe import unpack_zip

    parts = shapefile_parts([{"name": "ТОС Исток"}], [square(*KEMEROVO)])
    data = shapezip(parts, extra={"../../etc/cron.d/evil.shp": b"x"})
    # The upload checks (loaders.safety) stop it first; the shapefile unpacker refuses it on its own too.
    with pytest.raises(ParseError, match=r"«tos\.zip».*за пределы архива.*«\.\./\.\./etc/cron\.d/evil\.shp»"):
        parse_bytes(data, "tos.zip")
    with pytest.raises(ParseError, match=r"небезопасный элемент «\.\./\.\./etc/cron\.d/evil\.shp»"):
        unpack_zip(data, "tos.zip", (".shp", ".dbf"))


def _lying_zip(real: bytes, declared_size: int) -> bytes:
    """A zip whose headers understate the member's unpacked size."""
    import struct

    data = bytearray(zip_bytes({"tos.shp": real, "tos.dbf": b"\x03" + b"\x00" * 40}))
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos >= 0:
            data[pos + offset : pos + offset + 4] = struct.pack("<I", declared_size)
            pos = data.find(sig, pos + 4)
            break
    return bytes(data)


def test_zip_bomb_with_lying_headers_is_stopped_while_unpacking(monkeypatch):
    from loaders import geosafe

    data = _lying_zip(b"\x00" * 5_000_000, declared_size=100)
    assert len(data) < 20_000
    with pytest.raises(ParseError, match="«bomb.zip».*«tos.shp».*повреждён"):
        parse_bytes(data, "bomb.zip")
    # The shapefile unpacker on its own: it never inflates more than the header declared.
    inflated = []
    real_write = io.BytesIO.write
    monkeypatch.setattr(geosafe.io, "BytesIO", type("Counting", (io.BytesIO,), {"write": lambda self, b: inflated.append(len(b)) or real_write(self, b)}))
    with pytest.raises(ParseError, match="не совпадает с заголовком архива"):
        geosafe.unpack_zip(data, "bomb.zip", (".shp", ".dbf"))
    assert sum(inflated) <= 100


def test_honest_but_huge_archive_is_refused_before_unpacking(monkeypatch):
    from loaders import geosafe

    monkeypatch.setattr(geosafe, "MAX_UNPACKED_BYTES", 1_000_000)
    data = zip_bytes({"tos.shp": b"\x00" * 3_000_000, "tos.dbf": b"\x00" * 10})
    with pytest.raises(ParseError, match="после распаковки"):
        parse_bytes(data, "big.zip")


def test_kml_with_entities_is_refused():
    from loaders.boundaries import _read_kml

    data = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]><kml><Document><name>&a;</name></Document></kml>'
    with pytest.raises(ParseError, match="«x.kml».*DOCTYPE/ENTITY"):
        parse_bytes(data, "x.kml")
    with pytest.raises(ParseError, match="DTD"):  # the KML reader (defusedxml) refuses it on its own too
        _read_kml(data, "x.kml")


def test_plain_sqlite_is_not_a_geopackage():
    data = gpkg_bytes({"tos": ([{"name": "ТОС «Луч»"}], [square(*KEMEROVO)], 4326)})
    plain = sqlite_with(data, "PRAGMA application_id = 0")
    with pytest.raises(ParseError, match="не GeoPackage"):
        parse_bytes(plain, "x.gpkg")


def test_geopackage_with_a_view_reaching_outside_is_refused():
    data = gpkg_bytes({"tos": ([{"name": "ТОС «Луч»"}], [square(*KEMEROVO)], 4326)})
    evil = sqlite_with(data, "CREATE VIEW leak AS SELECT * FROM sqlite_master WHERE name = ogr_datasource_load_layers('/etc/passwd')")
    with pytest.raises(ParseError, match="обращается к внешним файлам"):
        parse_bytes(evil, "x.gpkg")


# --------------------------------------------------------------------------- command line and store


def test_cli_parse_prints_features_with_attributes_and_geojson_geometry(tmp_path):
    path = tmp_path / "tos.geojson"
    path.write_bytes(geojson_bytes([feature(square(*KEMEROVO), name="ТОС «Рассвет»", oktmo="32701000", chair="Иванова")]))
    run = subprocess.run([sys.executable, "-m", "loaders", "parse", str(path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)[0]
    assert out["kind"] == "boundaries" and out["error"] is None
    row = out["tables"]["boundaries"][0]
    assert row["geometry"]["type"] == "Polygon" and row["geometry_display"]["type"] == "Polygon"
    assert row["properties"]["oktmo"] == "32701000" and row["ref_id"] == "32701000:rassvet"


def test_cli_level_option_reaches_the_loader(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_bytes(geojson_bytes([feature(square(*KEMEROVO, size=0.3), name="Участок")], name="layer"))
    run = subprocess.run(
        [sys.executable, "-m", "loaders", "parse", str(path), "--level", "municipality"], capture_output=True, text=True, cwd=ROOT
    )
    assert json.loads(run.stdout)[0]["tables"]["boundaries"][0]["level"] == "municipality"


def test_a_rejected_boundary_file_stores_nothing(engine):
    from store import queries
    from store.ingest import ingest_bytes

    good = geojson_bytes([feature(square(*KEMEROVO), name="ТОС «Рассвет»", oktmo="32701000")])
    assert ingest_bytes(engine, good, "good.geojson", actor=STAFF).status == "stored"
    bad = geojson_bytes([feature(square(2.35, 48.85), name="ТОС «Париж»")])
    result = ingest_bytes(engine, bad, "bad.geojson", actor=STAFF)
    assert result.status == "rejected" and "за пределами России" in result.message
    stored = queries.read_table(engine, "boundaries")
    assert list(stored["name"]) == ["Рассвет"]
    assert stored.iloc[0]["geometry_display"].startswith('{"type":"Polygon"')


def test_zip_helper_really_makes_zip():
    # Guard for the builders above: the archive the tests call «shapefile» is a real zip.
    data = shapezip(shapefile_parts([{"name": "x"}], [square(*KEMEROVO)]))
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())[0].startswith("tos.")


# --------------------------------------------------------------------------- names, parts and links (audit 16)


def _kml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>ТОС</name>{body}</Document></kml>'.encode()


def _kml_poly(poly) -> str:
    ring = " ".join(f"{x},{y},0" for x, y in poly.exterior.coords)
    return f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing></outerBoundaryIs></Polygon>"


ROW = [square(KEMEROVO[0] + 0.01 * i, KEMEROVO[1]) for i in range(3)]
TOS3 = ["ТОС «Заря»", "ТОС «Рассвет»", "ТОС «Луч»"]
KEYS3 = ["32701000:zarya", "32701000:rassvet", "32701000:luch"]


def test_a_tos_without_a_name_stays_nameless_with_a_warning_not_nan():
    data = geojson_bytes(
        [feature(ROW[0], name="ТОС «Заря»", oktmo="32701000"), feature(ROW[1], name=None, oktmo="32701000"), feature(ROW[2], name="", oktmo="32701000")],
        name="tos",
    )
    doc = parse_bytes(data, "tos.geojson")
    b = rows(doc)
    assert list(b["name"]) == ["Заря", None, None]
    assert list(b["ref_id"]) == ["32701000:zarya", None, None]
    text = messages(doc)
    assert "объекты 2; 3: нет названия" in text and "связать её с ТОС реестра нельзя" in text
    assert "одна и та же" not in text


def test_a_placemark_without_name_takes_its_name_from_extended_data():
    data = kml_bytes({"ТОС": [("ТОС «Заря»", ROW[0], {}), ("", ROW[1], {"name": "ТОС «Рассвет»"})]})
    b = rows(parse_bytes(data, "tos.kml"))
    assert list(b["name"]) == ["Заря", "Рассвет"]
    assert list(b["ref_id"]) == KEYS3[:2]


def test_a_nameless_municipality_without_a_code_is_named_not_a_crash():
    data = geojson_bytes(
        [
            feature(square(*KEMEROVO, size=0.2), name="Кемеровский городской округ"),
            feature(square(*BELOVO, size=0.2), name="Беловский городской округ"),
            feature(square(*ANGARSK, size=0.2), name=None),
        ],
        name="муниципальные образования",
    )
    doc = parse_bytes(data, "mo.geojson")
    b = rows(doc)
    assert list(b["level"]) == ["municipality"] * 3
    assert list(b["ref_id"]) == ["32701000", "32707000", None]
    assert list(b["name"])[2] is None
    assert "объект 3: нет ни названия, ни кода ОКТМО" in messages(doc)


@pytest.mark.parametrize("column", ["Название ТОС", "NAIMEN", "Наименование"])
def test_the_name_column_is_found_by_its_header(column):
    data = geojson_bytes(
        [feature(ROW[i], **{"Муниципальное образование": "Кемеровский городской округ", column: n}) for i, n in enumerate(TOS3)],
        name="ТОС",
    )
    doc = parse_bytes(data, "tos.geojson")
    b = rows(doc)
    assert list(b["name"]) == ["Заря", "Рассвет", "Луч"]
    assert list(b["ref_id"]) == KEYS3
    assert not doc.warnings, messages(doc)


def test_names_from_the_only_text_column_are_kept_with_a_warning():
    # Yandex Map Constructor: the caption is in «description», next to style attributes.
    feats = [feature(ROW[i], description=n, fill="#ed4543", **{"stroke-width": "5"}) for i, n in enumerate(TOS3)]
    doc = parse_bytes(geojson_bytes(feats, name="ТОС"), "Карта ТОС.geojson")
    b = rows(doc)
    assert list(b["name"]) == ["Заря", "Рассвет", "Луч"]
    assert list(b["ref_id"]) == KEYS3
    assert "названия взяты из столбца «description»" in messages(doc)


def test_kml_names_only_in_description_are_kept_with_a_warning():
    body = "".join(f"<Placemark><description>{n}</description>{_kml_poly(p)}</Placemark>" for n, p in zip(TOS3, ROW, strict=True))
    doc = parse_bytes(_kml(body), "tos.kml")
    assert list(rows(doc)["name"]) == ["Заря", "Рассвет", "Луч"]
    assert "названия взяты из столбца «description»" in messages(doc)


def test_kml_with_numbers_for_names_takes_the_name_attribute():
    data = kml_bytes({"ТОС": [(str(i + 1), ROW[i], {"Наименование": n}) for i, n in enumerate(TOS3)]})
    doc = parse_bytes(data, "tos.kml")
    assert list(rows(doc)["name"]) == ["Заря", "Рассвет", "Луч"]
    assert list(rows(doc)["ref_id"]) == KEYS3
    assert "названия меток в KML — номера" in messages(doc) and "«Наименование»" in messages(doc)


def test_a_layer_without_any_name_is_warned_with_its_columns():
    data = geojson_bytes([feature(ROW[i], oktmo="32701000", area=1.5) for i in range(3)], name="ТОС")
    doc = parse_bytes(data, "tos.geojson")
    assert list(rows(doc)["name"]) == [None, None, None]
    text = messages(doc)
    assert "не найден столбец с названиями объектов (столбцы: «oktmo», «area»)" in text
    assert "связать их с ТОС реестра нельзя" in text


def test_a_tos_drawn_in_two_parts_is_united_into_one_multipolygon():
    part1, part2 = square(*KEMEROVO), square(KEMEROVO[0] + 0.02, KEMEROVO[1])
    data = geojson_bytes([feature(part1, name="ТОС «Заря»", oktmo="32701000"), feature(part2, name="ТОС «Заря»", oktmo="32701000")], name="ТОС")
    doc = parse_bytes(data, "tos.geojson")
    b = rows(doc)
    assert list(b["ref_id"]) == ["32701000:zarya"]
    for col in ("geometry", "geometry_display"):
        g = shapely.from_geojson(b.iloc[0][col])
        assert g.geom_type == "MultiPolygon" and len(shapely.get_parts(g)) == 2
        assert g.covers(part1.centroid) and g.covers(part2.centroid)
    assert 0.2 < b.iloc[0]["area_km2"] < 0.3  # two 0.11 km² blocks
    assert b.iloc[0]["min_lon"] < part1.centroid.x and b.iloc[0]["max_lon"] > part2.centroid.x
    text = messages(doc)
    assert "одна территория нарисована несколькими частями: «Заря» — 2 объекта" in text and "Части объединены" in text
    assert "показан последний" not in text


def test_the_same_outline_drawn_twice_stays_a_duplicate():
    data = geojson_bytes([feature(ROW[0], name="ТОС «Заря»", oktmo="32701000"), feature(ROW[0], name="ТОС «Заря»", oktmo="32701000")], name="ТОС")
    doc = parse_bytes(data, "tos.geojson")
    assert len(rows(doc)) == 2
    assert "одна и та же граница встречается несколько раз (1)" in messages(doc)


def test_a_boundary_never_links_to_a_same_named_tos_elsewhere(engine):
    from analytics.dataset import build_dataset
    from analytics.geolink import link_boundaries
    from store import queries
    from store.boundaries import read_boundaries
    from store.ingest import ingest_bytes

    registry = (
        "Наименование ТОС;Муниципальное образование;Населённый пункт;Дата регистрации\n"
        "Заря;Беловский городской округ;г. Белово;12.03.2015\n"
        "Восточный;Ангарский городской округ;г. Ангарск;12.03.2015\n"
        "Луч;Кемеровский городской округ;г. Кемерово;01.02.2016\n"
    )
    assert ingest_bytes(engine, registry.encode("utf-8"), "reestr.csv", actor=STAFF).status == "stored"
    # All three boundaries say they are in Kemerovo city; only «Луч» is a TOS of Kemerovo in the registry.
    feats = [feature(ROW[i], name=n, oktmo="32701000") for i, n in enumerate(["ТОС «Заря»", "ТОС «Восточный»", "ТОС «Луч»"])]
    assert ingest_bytes(engine, geojson_bytes(feats, name="ТОС"), "tos.geojson", actor=STAFF).status == "stored"
    ds = build_dataset(**queries.dataset_frames(engine))
    geo = link_boundaries(ds, read_boundaries(engine))
    assert list(geo.tos["tos_id"]) == ["32701000:luch"]
    lost = geo.unlinked.set_index("name")["reason"]
    assert lost["Заря"] == "в реестре нет ТОС с таким названием в муниципалитете «Кемеровский городской округ»"
    assert lost["Восточный"] == "в реестре нет ТОС с таким названием в муниципалитете «Кемеровский городской округ»"


# --------------------------------------------------------------------------- messages a user can act on (audit 16, F14)


def test_kml_in_windows_1251_without_a_declaration_is_read_with_a_warning():
    body = "".join(f"<Placemark><name>{n}</name>{_kml_poly(p)}</Placemark>" for n, p in zip(TOS3, ROW, strict=True))
    data = _kml(body).decode("utf-8").replace(' encoding="UTF-8"', "").encode("cp1251")
    doc = parse_bytes(data, "tos.kml")
    assert list(rows(doc)["name"]) == ["Заря", "Рассвет", "Луч"]
    assert "KML сохранён не в UTF-8 и кодировка в нём не указана; по тексту определена Windows-1251" in messages(doc)


def test_geojson_in_windows_1251_is_read_with_a_warning():
    data = geojson_bytes([feature(ROW[i], name=n, oktmo="32701000") for i, n in enumerate(TOS3)], name="Границы ТОС").decode("utf-8").encode("cp1251")
    doc = parse_bytes(data, "tos.geojson")
    assert list(rows(doc)["name"]) == ["Заря", "Рассвет", "Луч"]
    assert list(rows(doc)["ref_id"]) == KEYS3
    assert "GeoJSON сохранён не в UTF-8" in messages(doc) and "Windows-1251" in messages(doc)


def test_kml_coordinates_with_a_space_after_the_comma_are_read():
    ring = " ".join(f"{x}, {y}, 0" for x, y in ROW[0].exterior.coords)
    poly = f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing></outerBoundaryIs></Polygon>"
    doc = parse_bytes(_kml(f"<Placemark><name>ТОС «Заря»</name>{poly}</Placemark>"), "tos.kml")
    assert list(rows(doc)["ref_id"]) == ["32701000:zarya"]
    assert geom(rows(doc).iloc[0]).equals(ROW[0])


def test_a_kml_coordinate_that_is_not_a_number_is_named_in_russian():
    poly = "<Polygon><outerBoundaryIs><LinearRing><coordinates>86.08,abc 86.09,55.35 86.09,55.36 86.08,abc</coordinates></LinearRing></outerBoundaryIs></Polygon>"
    with pytest.raises(ParseError) as err:
        parse_bytes(_kml(f"<Placemark><name>ТОС «Заря»</name>{poly}</Placemark>"), "tos.kml")
    assert "метка 1 («ТОС «Заря»»): координата «86.08,abc» — не числа (нужно «долгота,широта», через точку)" in err.value.message


def test_broken_kml_says_where_and_what_to_do():
    with pytest.raises(ParseError) as err:
        parse_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark></Document></kml>', "tos.kml")
    message = err.value.message
    assert message.startswith("Файл «tos.kml»: KML не читается как XML — ошибка разметки в строке 2, позиции")
    assert "сохраните его заново как KML" in message


def test_geojson_in_metres_without_crs_says_no_crs_was_given():
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 32645, always_xy=True).transform(*KEMEROVO)
    data = geojson_bytes([feature(shapely.box(x - 150, y - 150, x + 150, y + 150), name="ТОС «Заря»")])
    with pytest.raises(ParseError) as err:
        parse_bytes(data, "tos.geojson")
    message = err.value.message
    assert "система координат в файле не указана (WGS 84 по стандарту GeoJSON, в градусах), но числа в метрах" in message
    assert "Пересохраните слой в WGS 84 (EPSG:4326)" in message
    assert ".prj" not in message and "указана система координат EPSG:4326" not in message


# --------------------------------------------------------------------------- a municipality column is not a TOS name (audit 16, F1)


def test_a_municipality_column_is_not_taken_for_the_tos_name():
    feats = [feature(ROW[i], **{"Название ТОС": n, "municipality": "Кемеровский городской округ"}) for i, n in enumerate(["Заря", "Рассвет", "Луч"])]
    doc = parse_bytes(geojson_bytes(feats, name="Export_Output"), "granicy.geojson")  # ArcGIS's default layer name
    b = rows(doc)
    assert list(b["level"]) == ["tos"] * 3
    assert list(b["name"]) == ["Заря", "Рассвет", "Луч"]
    assert list(b["ref_id"]) == KEYS3
    assert set(b["municipality_id"]) == {"32701000"}
    assert "файл: названия объектов — из столбца «Название ТОС»" in doc.meta["notes"]


def test_a_tos_layer_with_only_a_municipality_column_is_left_nameless_and_said_so():
    feats = [feature(ROW[i], municipality="Кемеровский городской округ") for i in range(3)]
    doc = parse_bytes(geojson_bytes(feats, name="ТОС"), "granicy.geojson")
    b = rows(doc)
    assert list(b["name"]) == [None, None, None]
    assert list(b["municipality_id"]) == ["32701000"] * 3
    assert "не найден столбец с названиями объектов (столбцы: «municipality»)" in messages(doc)


def test_polygons_sharing_one_municipality_name_are_not_taken_for_municipalities():
    feats = [feature(ROW[i], municipality="Кемеровский городской округ") for i in range(3)]
    doc = parse_bytes(geojson_bytes(feats, name="Export_Output"), "granicy.geojson")
    assert list(rows(doc)["level"]) == ["tos"] * 3
    assert "названия — муниципалитеты, но повторяются (1 разное на 3 полигона)" in messages(doc)


def test_a_municipal_layer_still_takes_its_names_from_a_municipality_column():
    feats = [
        feature(square(*KEMEROVO, size=0.2), municipality="Кемеровский городской округ"),
        feature(square(*BELOVO, size=0.2), municipality="Беловский городской округ"),
    ]
    b = rows(parse_bytes(geojson_bytes(feats, name="муниципальные образования"), "mo.geojson"))
    assert list(b["level"]) == ["municipality"] * 2
    assert list(b["ref_id"]) == ["32701000", "32707000"]
