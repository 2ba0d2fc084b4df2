"""Builders of boundary files for the tests: GeoJSON, KML, zipped shapefiles, GeoPackage — all made in code."""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import shapely

# Points well inside real municipalities of the bundled reference (lon, lat).
KEMEROVO = (86.0868, 55.3547)  # Кемеровский городской округ, 32701000
BELOVO = (86.3037, 54.4221)  # Беловский городской округ, 32707000
ANGARSK = (103.8885, 52.5449)  # Ангарский городской округ, 25703000


def square(lon: float, lat: float, size: float = 0.004) -> shapely.Polygon:
    return shapely.box(lon - size / 2, lat - size / 2, lon + size / 2, lat + size / 2)


def bowtie(lon: float, lat: float, size: float = 0.004) -> dict:
    """A self-intersecting «figure eight» polygon, as GeoJSON."""
    h = size / 2
    ring = [[lon - h, lat - h], [lon + h, lat + h], [lon + h, lat - h], [lon - h, lat + h], [lon - h, lat - h]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(geometry, **props) -> dict:
    geom = json.loads(shapely.to_geojson(geometry)) if isinstance(geometry, shapely.Geometry) else geometry
    return {"type": "Feature", "properties": props, "geometry": geom}


def geojson_bytes(features: list[dict], crs: str | None = None, name: str | None = None, **top) -> bytes:
    doc: dict = {"type": "FeatureCollection"}
    if name:
        doc["name"] = name
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    doc.update(top)
    doc["features"] = features
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _kml_polygon(poly: shapely.Polygon) -> str:
    def ring(coords) -> str:
        return " ".join(f"{x},{y},0" for x, y in coords)

    inner = "".join(f"<innerBoundaryIs><LinearRing><coordinates>{ring(r.coords)}</coordinates></LinearRing></innerBoundaryIs>" for r in poly.interiors)
    return f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring(poly.exterior.coords)}</coordinates></LinearRing></outerBoundaryIs>{inner}</Polygon>"


def kml_bytes(folders: dict[str, list[tuple[str, object, dict]]], doc_name: str = "Границы") -> bytes:
    """{folder name: [(placemark name, shapely geometry or raw KML text, extended data)]}."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>{doc_name}</name>']
    for folder, marks in folders.items():
        parts.append(f"<Folder><name>{folder}</name>")
        for name, geom, data in marks:
            ext = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in data.items())
            if isinstance(geom, str):
                gxml = geom
            elif geom.geom_type == "Point":
                gxml = f"<Point><coordinates>{geom.x},{geom.y}</coordinates></Point>"
            else:
                gxml = _kml_polygon(geom)
            parts.append(f"<Placemark><name>{name}</name><ExtendedData>{ext}</ExtendedData>{gxml}</Placemark>")
        parts.append("</Folder>")
    parts.append("</Document></kml>")
    return "".join(parts).encode("utf-8")


def shapefile_parts(records: list[dict], geoms: list, crs: int | None = 4326, encoding: str = "cp1251", layer: str = "tos") -> dict[str, bytes]:
    """The files of a shapefile written by GDAL: {".shp": bytes, ".dbf": ..., ".prj": ..., ".cpg": ...}."""
    import warnings

    import geopandas as gpd

    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="'crs' was not provided")  # no CRS is the point of some tests
        path = Path(tmp) / f"{layer}.shp"
        gpd.GeoDataFrame(records, geometry=geoms, crs=crs).to_file(path, encoding=encoding, engine="pyogrio")
        return {p.suffix: p.read_bytes() for p in Path(tmp).iterdir()}


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def shapezip(parts: dict[str, bytes], stem: str = "tos", drop: tuple[str, ...] = (), extra: dict[str, bytes] | None = None) -> bytes:
    members = {f"{stem}{ext}": data for ext, data in parts.items() if ext not in drop}
    members.update(extra or {})
    return zip_bytes(members)


def gpkg_bytes(layers: dict[str, tuple[list[dict], list, int]]) -> bytes:
    """{layer: (records, geometries, epsg)} as one GeoPackage."""
    import geopandas as gpd

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.gpkg"
        for name, (records, geoms, epsg) in layers.items():
            gpd.GeoDataFrame(records, geometry=geoms, crs=epsg).to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def sqlite_with(data: bytes, *statements: str) -> bytes:
    """A copy of an SQLite/GeoPackage file with extra SQL applied."""
    con = sqlite3.connect(":memory:")
    con.deserialize(data)
    for sql in statements:
        con.execute(sql)
    con.commit()
    out = con.serialize()
    con.close()
    return out
