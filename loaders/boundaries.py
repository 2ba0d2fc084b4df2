"""Boundary files: GeoJSON, KML (and KMZ), zipped shapefiles and GeoPackage → the canonical `boundaries` table.

What a file holds, and how each question is settled:

* **Level** (region, municipality or TOS) is decided per layer, in this order: the caller's hint
  (`--level`), a `level`/`уровень` attribute, words in the layer or file name («ТОС», «муниципальные»,
  «регионы»), the attributes (OKTMO codes that are all different and name municipalities of the
  reference → municipality; ISO region codes → region; names starting with «ТОС» → TOS), and last the
  size of the polygons (median under 30 km² → TOS). The warnings say which rule decided, so a wrong
  guess is visible and can be overridden.
* **Coordinates** end up in EPSG:4326 (lon/lat). A declared CRS is honoured when the numbers agree
  with it; when they do not (degrees under a projected CRS, metres under WGS 84) or no CRS is declared
  (a shapefile without .prj), the numbers decide: degrees are taken as WGS 84, metres are tried as
  Web Mercator and as Pulkovo-1942 Gauss–Krüger (the zone is in the millions of x), and the user is told.
  Swapped latitude/longitude is detected per feature against the outline of Russia and fixed.
  Features entirely outside Russia are left out with a warning.
* **Geometry**: empty and non-polygonal features are left out; invalid polygons are repaired with
  `make_valid` and the warning says where the problem was and what became of it.
* **Display copy**: each layer is simplified once here, with shared borders kept
  (`shapely.coverage_simplify` when the layer is a valid coverage), rounded and stored as GeoJSON text
  next to the full geometry, with its bounding box, a label point and its area. Maps read only that.
* **Links**: municipalities and regions get their reference code (OKTMO / ISO 3166-2) from a code
  attribute or, failing that, from their normalised name (loaders.names). A TOS gets its municipality
  from an attribute or from the municipal polygon it lies in, and its key `municipality_id:slug(name)` —
  the same key the registry loader gives the TOS. Linking to the TOS actually in the store happens when
  the map is drawn (analytics.geolink), because the registry may arrive after the boundaries.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from loaders.base import ParsedDocument, ParseError, json_value
from loaders.canonical import FACT_TABLES
from loaders.names import MunicipalityMatcher, default_matcher, find_regions, load_regions, norm_text

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DIR = ROOT / "data" / "boundaries"

LEVELS = ("region", "municipality", "tos")
LEVEL_RU = {"region": "регионы", "municipality": "муниципальные образования", "tos": "ТОС"}
# Simplification tolerance (degrees) and decimals of the display copy, per level. 0.002° is 130–220 m:
# invisible at the zoom a municipality is seen at; TOS are city blocks and keep ~5 m.
DISPLAY_TOLERANCE = {"region": 0.01, "municipality": 0.002, "tos": 0.00005}
DISPLAY_DECIMALS = {"region": 3, "municipality": 4, "tos": 5}
TOS_MEDIAN_KM2 = 30.0

OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL"
OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
NE_ATTRIBUTION = "Made with Natural Earth"
DEMO_RE = re.compile(r"демонстрац|\(демо\)|условн\w* границ", re.IGNORECASE)

# Russia (with a margin) as lon/lat: lat 41–82, lon 19–191 (Chukotka is drawn east of 180°).
RUSSIA_MARGIN_DEG = 0.5
MAX_PLACES = 6

_NAME_KEYS = ("name", "name_ru", "название", "наименование", "наим", "naim", "nazv", "nazvanie", "tos_name",
              "имя", "title", "label")  # fmt: skip
# Municipality and region columns: the names of a municipal or regional layer, but only when no other
# column names the features; a TOS layer never takes its names from them (see _process_layer).
_PLACE_NAME_KEYS = ("district", "mo_name", "municipality", "region", "region_name", "регион", "субъект")
_LEVEL_KEYS = ("level", "уровень", "type_level")
_OKTMO_RE = re.compile(r"^(oktmo|октмо|okato|окато|kod_mo|код_мо|mo_code|code_mo|oktmo_mo)$", re.IGNORECASE)
_REGION_CODE_RE = re.compile(r"^(iso_3166_2|iso3166_2|region_iso|region_id|iso|region_code|код_региона)$", re.IGNORECASE)
_REGION_PREFIX_RE = re.compile(r"^(oktmo_region|region_oktmo)$", re.IGNORECASE)
_REGION_NAME_RE = re.compile(r"^(region|регион|субъект|subject|region_name|name_region)$", re.IGNORECASE)
_MUNI_NAME_RE = re.compile(
    r"^(municipality|муниципалитет|муниципальное_образование|муниципальное образование|мо|mo|район|district|"
    r"okrug|округ|mo_name|municipality_name)$",
    re.IGNORECASE,
)
_TOS_CODE_RE = re.compile(r"^(tos_id|код_тос|tos_code|id_tos)$", re.IGNORECASE)
_OGRN_RE = re.compile(r"^(ogrn|огрн)$", re.IGNORECASE)

_LEVEL_WORDS = {
    "tos": re.compile(r"(^|[^a-zа-я])(тос|tos)([^a-zа-я]|$)|территориальн\w* общественн", re.IGNORECASE),
    "municipality": re.compile(r"муницип|municip|районы|districts|okrug|mo_bound|(^|[^a-zа-я])(мо|mr|go)([^a-zа-я]|$)", re.IGNORECASE),
    "region": re.compile(r"регион|region|субъект|subject|oblast|област", re.IGNORECASE),
}
_LEVEL_VALUES = {
    "region": "region", "регион": "region", "субъект": "region",
    "municipality": "municipality", "муниципалитет": "municipality", "мо": "municipality",
    "муниципальное образование": "municipality", "район": "municipality", "округ": "municipality",
    "tos": "tos", "тос": "tos",
}  # fmt: skip


# --------------------------------------------------------------------------- layers read from a file


@dataclass
class RawLayer:
    """One layer as read: geometries (shapely, in the file's CRS), attributes, and what the file says of its CRS."""

    name: str
    geoms: np.ndarray
    attrs: pd.DataFrame
    crs: Any  # pyproj.CRS or None
    crs_note: str
    names: list[str | None] = field(default_factory=list)  # feature names (KML <name>), else from attributes
    place_word: str = "объект"


class BoundaryDocument(ParsedDocument):
    """A parsed boundary file; its JSON carries geometries as GeoJSON objects, not as text."""

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        for row in out["tables"].get("boundaries", []):
            for col in ("geometry", "geometry_display"):
                if isinstance(row.get(col), str):
                    row[col] = json.loads(row[col])
        return out


# --------------------------------------------------------------------------- entry point


def parse_boundaries(
    data: bytes,
    file_name: str,
    fmt: str,
    matcher: MunicipalityMatcher | None = None,
    level: str | None = None,
) -> BoundaryDocument:
    """Parse a boundary file (fmt from loaders.sniff: geojson, kml, kmz, shapezip, gpkg)."""
    if level is not None and level not in LEVELS:
        raise ParseError(f"Файл «{file_name}»: неизвестный уровень границ «{level}» (допустимы: {', '.join(LEVELS)}).")
    doc = BoundaryDocument(file_name=file_name, kind="boundaries")
    matcher = matcher or default_matcher()
    if fmt == "geojson":
        layers, top = _read_geojson(data, file_name, doc)
    elif fmt == "kml":
        layers, top = _read_kml(data, file_name, doc)
    elif fmt == "kmz":
        layers, top = _read_kmz(data, file_name, doc)
    elif fmt == "shapezip":
        layers, top = _read_shapezip(data, file_name, doc)
    elif fmt == "gpkg":
        layers, top = _read_gpkg(data, file_name, doc)
    else:  # pragma: no cover - the dispatcher sends only the formats above
        raise ParseError(f"Файл «{file_name}»: формат {fmt} не является файлом границ.")
    layers = [layer for layer in layers if len(layer.geoms)]
    if not layers:
        raise ParseError(f"Файл «{file_name}»: в файле нет ни одного объекта с геометрией.")
    if len(layers) > 1:
        listed = "; ".join(f"«{layer.name}» ({_count(len(layer.geoms), 'объект', 'объекта', 'объектов')})" for layer in layers)
        doc.warn(
            "файл",
            f"в файле {_count(len(layers), 'слой', 'слоя', 'слоёв')}: {listed}. Загружены все слои, каждый со своим названием; "
            "уровень (регион, муниципалитет, ТОС) определён для каждого слоя отдельно.",
        )
    frames = []
    for i, layer in enumerate(layers):
        frames.append(_process_layer(layer, i, len(layers) > 1, file_name, doc, matcher, level))
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        raise ParseError(
            f"Файл «{file_name}»: ни один объект не удалось использовать как границу — причины в замечаниях: "
            + "; ".join(f"{w.where}: {w.message}" for w in doc.warnings[:3])
        )
    table = pd.concat(frames, ignore_index=True)
    _place_tos_in_municipalities(table, doc, matcher)
    table = _merge_parts(table, doc)
    columns = list(FACT_TABLES["boundaries"]) + ["source_ref"]
    doc.tables["boundaries"] = table[columns].reset_index(drop=True)
    _document_meta(doc, data, file_name, top, table)
    return doc


def _count(n: int, one: str, few: str, many: str) -> str:
    """«1 объект», «3 объекта», «12 объектов»."""
    k = abs(n)
    word = one if k % 10 == 1 and k % 100 != 11 else few if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14 else many
    return f"{n} {word}"


# --------------------------------------------------------------------------- readers


def _geojson_top(data: bytes) -> dict[str, Any]:
    """Top-level members written before "features" (name, description, crs, attribution), if any."""
    head = data[:65536]
    pos = head.find(b'"features"')
    if pos <= 0:
        return {}
    text = head[:pos].decode("utf-8", errors="replace").rstrip().rstrip(",") + "}"
    try:
        top = json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return {}
    return top if isinstance(top, dict) else {}


def looks_like_boundaries(data: bytes) -> bool:
    """A JSON document that is GeoJSON (an object with a GeoJSON type), not just any JSON."""
    return _looks_like_geojson(data)


def _looks_like_geojson(data: bytes) -> bool:
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return False
    return bool(re.search(rb'"type"\s*:\s*"(FeatureCollection|Feature|Polygon|MultiPolygon|GeometryCollection|Point|LineString|MultiPoint|MultiLineString)"', data[:4_000_000]))


def _as_utf8(data: bytes, what: str, doc: ParsedDocument | None) -> bytes:
    """Text that is not UTF-8 (Notepad's Windows-1251) decoded as CSV files are, with a warning; UTF-8 as is."""
    from loaders.textio import decode_bytes

    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    decoded = decode_bytes(data)
    name = _ENCODING_RU.get(decoded.encoding, decoded.encoding)
    if doc is not None:
        doc.warn(
            "файл",
            f"{what} сохранён не в UTF-8 и кодировка в нём не указана; по тексту определена {name} — проверьте русские "
            "буквы в названиях (надёжнее сохранить файл в UTF-8)",
        )
    return decoded.text.encode("utf-8")


def _read_geojson(data: bytes, file_name: str, doc: ParsedDocument | None = None) -> tuple[list[RawLayer], dict]:
    from loaders.geosafe import harden_gdal

    if not _looks_like_geojson(data):
        raise ParseError(
            f"Файл «{file_name}»: это JSON, но не GeoJSON — в нём нет объектов с геометрией (FeatureCollection). "
            "Файл границ должен быть GeoJSON, KML, архивом шейп-файла (.zip) или GeoPackage."
        )
    harden_gdal()
    import io

    import pyogrio

    data = _as_utf8(data, "GeoJSON", doc)  # JSON is UTF-8 by its standard; GDAL refuses anything else
    top = _geojson_top(data)
    try:
        info = pyogrio.read_info(io.BytesIO(data))
        if info.get("driver") != "GeoJSON":
            raise ParseError(f"Файл «{file_name}»: не читается как GeoJSON (формат определён как {info.get('driver')}).")
        gdf = pyogrio.read_dataframe(io.BytesIO(data))
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(f"Файл «{file_name}»: GeoJSON не читается — {_gdal_message(exc)}.") from exc
    if "crs" in top:
        note = f"указана в файле ({_crs_name(gdf.crs)})"
    else:
        note = "WGS 84 по стандарту GeoJSON"
    name = str(top.get("name") or Path(file_name).stem)
    return [_layer_from_gdf(gdf, name, note)], top


def _layer_from_gdf(gdf, name: str, crs_note: str) -> RawLayer:
    geoms = np.asarray(gdf.geometry.values, dtype=object) if gdf.geometry is not None else np.array([], dtype=object)
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).reset_index(drop=True)
    return RawLayer(name=name, geoms=geoms, attrs=attrs, crs=gdf.crs, crs_note=crs_note)


def _gdal_message(exc: Exception) -> str:
    text = str(exc).split(";")[0].strip()
    text = re.sub(r"/vsimem/\S+|/tmp/\S+", "файл", text)
    return text[:300] or type(exc).__name__


def _crs_name(crs) -> str:
    if crs is None:
        return "не указана"
    try:
        epsg = crs.to_epsg()
    except Exception:  # pyproj may fail to identify a custom CRS
        epsg = None
    return f"EPSG:{epsg}" if epsg else (crs.name or "без названия")


# -- KML (parsed with defusedxml: no entities, no DTDs, no network)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kml_coords(text: str | None) -> list[tuple[float, float]]:
    pts = []
    # «lon, lat» with a space after the comma is off the KML standard but common in hand-written files.
    for token in re.sub(r"\s*,\s*", ",", (text or "").strip()).split():
        parts = token.split(",")
        if len(parts) < 2:
            raise ValueError(f"координата «{token[:30]}» не из двух чисел (нужно «долгота,широта»)")
        try:
            pts.append((float(parts[0]), float(parts[1])))
        except ValueError:
            raise ValueError(f"координата «{token[:30]}» — не числа (нужно «долгота,широта», через точку)") from None
    return pts


def _kml_geometry(el) -> tuple[list, list[str]]:
    """Polygons (shapely) found in a KML geometry element, and the kinds of anything else."""
    import shapely

    tag = _local(el.tag)
    if tag == "Polygon":
        shell, holes = None, []
        for child in el:
            ctag = _local(child.tag)
            ring = next((r for r in child.iter() if _local(r.tag) == "coordinates"), None)
            if ring is None:
                continue
            pts = _kml_coords(ring.text)
            if ctag == "outerBoundaryIs":
                shell = pts
            elif ctag == "innerBoundaryIs":
                holes.append(pts)
        if shell is None:
            return [], ["Polygon без внешнего контура"]
        return [shapely.Polygon(shell, holes or None) if len(shell) >= 3 else shapely.Polygon()], []
    if tag == "MultiGeometry":
        polys, other = [], []
        for child in el:
            p, o = _kml_geometry(child)
            polys += p
            other += o
        return polys, other
    if tag in ("Point", "LineString", "LinearRing", "Model", "Track", "MultiTrack"):
        return [], [tag]
    return [], []


def _kml_other(el, kind: str):
    """A non-polygon KML geometry as shapely (kept only so the user is told what it was)."""
    import shapely

    coords = next((c for c in el.iter() if _local(c.tag) == "coordinates"), None)
    pts = _kml_coords(coords.text) if coords is not None else []
    if kind == "Point" and pts:
        return shapely.Point(pts[0])
    if len(pts) >= 2:
        return shapely.LineString(pts)
    return shapely.Point(pts[0]) if pts else None


def _read_kml(data: bytes, file_name: str, doc: ParsedDocument | None = None) -> tuple[list[RawLayer], dict]:
    import shapely
    from defusedxml import ElementTree as DET
    from defusedxml.common import DefusedXmlException
    from pyproj import CRS

    if not re.match(rb"\s*<\?xml[^>]*encoding", data[:300].lstrip(b"\xef\xbb\xbf")):
        data = _as_utf8(data, "KML", doc)  # XML without a declared encoding is read as UTF-8
    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ParseError(f"Файл «{file_name}»: KML содержит DTD или сущности XML — такие файлы не принимаются.") from exc
    except Exception as exc:
        line, col = getattr(exc, "position", (None, None))
        at = f" в строке {line}, позиции {col}" if line else ""
        raise ParseError(
            f"Файл «{file_name}»: KML не читается как XML — ошибка разметки{at} ({exc}). Откройте файл в Google Earth "
            "или QGIS и сохраните его заново как KML."
        ) from exc
    groups: dict[str, list] = {}
    order: list[str] = []
    top: dict[str, Any] = {}

    def walk(el, path: list[str]):
        for child in el:
            tag = _local(child.tag)
            if tag in ("Document", "Folder"):
                name_el = next((c for c in child if _local(c.tag) == "name"), None)
                name = (name_el.text or "").strip() if name_el is not None else ""
                if tag == "Document" and not top.get("name"):
                    top["name"] = name
                    desc = next((c for c in child if _local(c.tag) == "description"), None)
                    top["description"] = (desc.text or "") if desc is not None else ""
                walk(child, path + ([name] if (name and tag == "Folder") else []))
            elif tag == "Placemark":
                key = " / ".join(path) or top.get("name") or Path(file_name).stem
                if key not in groups:
                    groups[key] = []
                    order.append(key)
                groups[key].append(child)

    walk(root, [])
    layers = []
    for key in order:
        geoms, names, rows = [], [], []
        for pm in groups[key]:
            props: dict[str, Any] = {}
            name = None
            geom_el = None
            for child in pm:
                tag = _local(child.tag)
                if tag == "name":
                    name = (child.text or "").strip() or None
                elif tag == "description":
                    props["description"] = (child.text or "").strip()
                elif tag == "ExtendedData":
                    for d in child.iter():
                        dtag = _local(d.tag)
                        if dtag == "Data" and d.get("name"):
                            val = next((v for v in d if _local(v.tag) == "value"), None)
                            props[d.get("name")] = (val.text or "").strip() if val is not None else None
                        elif dtag == "SimpleData" and d.get("name"):
                            props[d.get("name")] = (d.text or "").strip()
                elif tag in ("Polygon", "MultiGeometry", "Point", "LineString", "LinearRing"):
                    geom_el = child
            geom = None
            if geom_el is not None:
                try:
                    polys, other = _kml_geometry(geom_el)
                except ValueError as exc:
                    props["_geometry_error"] = str(exc)
                    polys, other = [], []
                if polys:
                    geom = polys[0] if len(polys) == 1 else shapely.MultiPolygon([p for p in polys if not p.is_empty])
                elif other:
                    geom = _kml_other(geom_el, other[0])
            if name is not None:
                props.setdefault("name", name)
            geoms.append(geom)
            names.append(name)
            rows.append(props)
        attrs = pd.DataFrame(rows)
        layers.append(
            RawLayer(
                name=key,
                geoms=np.array(geoms + [None], dtype=object)[:-1],
                attrs=attrs,
                crs=CRS.from_epsg(4326),
                crs_note="WGS 84 по стандарту KML",
                names=names,
                place_word="метка",
            )
        )
    return layers, top


def _read_kmz(data: bytes, file_name: str, doc: ParsedDocument) -> tuple[list[RawLayer], dict]:
    """A KMZ: its first .kml is the document (the KMZ rule); images and other files are ignored."""
    from loaders.geosafe import unpack_zip

    # loaders.safety.check_zip has already refused XML members with DTDs; defusedxml refuses them too.
    members = unpack_zip(data, file_name, (".kml",))
    if not members:  # pragma: no cover - sniff sends only archives with a .kml
        raise ParseError(f"Файл «{file_name}»: в архиве KMZ нет файла KML.")
    main, *others = members
    if others:
        doc.warn(
            "файл",
            f"в архиве KMZ {_count(len(members), 'файл', 'файла', 'файлов')} KML: прочитан первый, «{main.path}», как велит "
            f"формат KMZ; не загружены: {', '.join('«' + m.path + '»' for m in others)}",
        )
    return _read_kml(main.data, f"{file_name} → {main.path}", doc)


# -- zipped shapefiles


_CPG = {
    "1251": "cp1251", "cp1251": "cp1251", "windows-1251": "cp1251", "win1251": "cp1251", "ansi 1251": "cp1251",
    "866": "cp866", "cp866": "cp866", "ibm866": "cp866", "oem 866": "cp866",
    "utf-8": "utf-8", "utf8": "utf-8", "65001": "utf-8",
    "koi8-r": "koi8_r", "koi8r": "koi8_r", "20866": "koi8_r",
    "1252": "cp1252", "cp1252": "cp1252", "ansi 1252": "cp1252", "latin1": "latin-1", "iso-8859-1": "latin-1",
}  # fmt: skip
# dBASE language driver ids (byte 29 of the header) that name an encoding.
_LDID = {0x26: "cp866", 0x65: "cp866", 0xC9: "cp1251", 0x57: "cp1252", 0x03: "cp1252", 0x01: "cp437"}
_ENCODING_RU = {"cp1251": "Windows-1251", "cp866": "CP866 (DOS)", "utf-8": "UTF-8", "koi8_r": "KOI8-R",
                "cp1252": "Windows-1252 (западноевропейская)", "latin-1": "Latin-1", "cp437": "CP437"}  # fmt: skip


def _dbf_text(dbf: bytes, max_records: int = 5000) -> bytes:
    """The bytes of the text (C) fields of a .dbf, for telling its encoding; bounds-checked throughout."""
    if len(dbf) < 33:
        return b""
    n_records = int.from_bytes(dbf[4:8], "little")
    header_len = int.from_bytes(dbf[8:10], "little")
    record_len = int.from_bytes(dbf[10:12], "little")
    fields = []
    offset, pos = 1, 32
    while pos + 32 <= min(header_len, len(dbf)) and dbf[pos] != 0x0D:
        ftype = chr(dbf[pos + 11])
        flen = dbf[pos + 16]
        if ftype == "C":
            fields.append((offset, flen))
        offset += flen
        pos += 32
    out = []
    for r in range(min(n_records, max_records)):
        start = header_len + r * record_len
        if start + record_len > len(dbf):
            break
        for off, flen in fields:
            chunk = dbf[start + off : start + off + flen].strip(b" \x00")
            if chunk:
                out.append(chunk)
    return b"\n".join(out)


def _detect_dbf_encoding(dbf: bytes, cpg: bytes | None, where: str, doc: ParsedDocument) -> str:
    """The encoding of the attribute text: detected from the bytes, compared with what .cpg / the header say."""
    from loaders.textio import decode_bytes

    declared, declared_by = None, None
    if cpg is not None:
        key = cpg.decode("ascii", errors="replace").strip().lower()
        declared = _CPG.get(key) or _CPG.get(key.replace("windows", "").strip("- "))
        declared_by = f"файл .cpg («{key[:20]}»)"
    if declared is None and len(dbf) > 29 and dbf[29] in _LDID:
        declared = _LDID[dbf[29]]
        declared_by = "заголовок .dbf"
    text = _dbf_text(dbf)
    if not any(b >= 0x80 for b in text):
        return declared or "utf-8"
    decoded = decode_bytes(text)
    detected = "utf-8" if decoded.encoding.startswith("utf-8") else decoded.encoding
    if detected.startswith("utf-16"):
        detected = declared or "cp1251"
    name = _ENCODING_RU.get(detected, detected)
    if declared is None:
        doc.warn(where, f"кодировка атрибутов не указана (нет файла .cpg); по тексту определена {name}")
    elif declared != detected:
        doc.warn(
            where,
            f"{declared_by} указывает кодировку {_ENCODING_RU.get(declared, declared)}, но текст атрибутов "
            f"читается как {name} — использована {name}; проверьте русские буквы",
        )
    for w in decoded.warnings:
        doc.warn(where, f"атрибуты: {w}")
    return detected


def _read_shapezip(data: bytes, file_name: str, doc: ParsedDocument) -> tuple[list[RawLayer], dict]:
    from loaders.geosafe import harden_gdal, unpack_zip

    harden_gdal()
    import pyogrio

    members = unpack_zip(data, file_name, (".shp", ".shx", ".dbf", ".prj", ".cpg"))
    groups: dict[str, dict[str, bytes]] = {}
    for m in members:
        p = PurePosixPath(m.path)
        stem = str(p.with_suffix("")).lower()
        groups.setdefault(stem, {"_name": p.stem})[p.suffix.lower()] = m.data  # type: ignore[assignment]
    shapes = {k: v for k, v in groups.items() if ".shp" in v}
    if not shapes:
        raise ParseError(f"Файл «{file_name}»: в архиве нет шейп-файла (.shp).")
    layers = []
    with tempfile.TemporaryDirectory(prefix="tos-shp-") as tmp:
        for i, (_stem, parts) in enumerate(sorted(shapes.items())):
            lname = str(parts["_name"])
            where = f"слой «{lname}»"
            base = Path(tmp) / f"layer{i}"
            config = {}
            for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                if ext in parts:
                    base.with_suffix(ext).write_bytes(parts[ext])  # type: ignore[arg-type]
            if ".shx" not in parts:
                config["SHAPE_RESTORE_SHX"] = "YES"
                doc.warn(where, "в архиве нет файла .shx — индекс восстановлен по .shp")
            if ".dbf" not in parts:
                doc.warn(where, "в архиве нет файла .dbf — у объектов нет атрибутов (названий), связать их с ТОС и муниципалитетами можно будет только по положению")
            encoding = "utf-8"
            if ".dbf" in parts:
                encoding = _detect_dbf_encoding(parts[".dbf"], parts.get(".cpg"), where, doc)  # type: ignore[arg-type]
            try:
                if config:
                    pyogrio.set_gdal_config_options(config)
                gdf = pyogrio.read_dataframe(base.with_suffix(".shp"), encoding=encoding)
            except Exception as exc:
                raise ParseError(f"Файл «{file_name}», слой «{lname}»: шейп-файл не читается — {_gdal_message(exc)}.") from exc
            finally:
                if config:
                    pyogrio.set_gdal_config_options({k: None for k in config})
            if ".prj" in parts:
                note = f"указана в файле .prj ({_crs_name(gdf.crs)})"
                if gdf.crs is None:
                    doc.warn(where, "файл .prj есть, но система координат в нём не распознана")
            else:
                note = "не указана (нет файла .prj)"
            layers.append(_layer_from_gdf(gdf, lname, note))
    return layers, {}


# -- GeoPackage

_GPKG_IDS = (b"GPKG", b"GP10", b"GP11")
_SUSPICIOUS_SQL = re.compile(r"virtualogr|ogr_datasource|load_extension|attach\s|virtualshape|virtualxl|virtualtext|virtualdbf|fts\d|readfile|writefile", re.IGNORECASE)


def _read_gpkg(data: bytes, file_name: str, doc: ParsedDocument) -> tuple[list[RawLayer], dict]:
    from loaders.geosafe import harden_gdal

    if data[68:72] not in _GPKG_IDS:
        raise ParseError(
            f"Файл «{file_name}»: это база SQLite, но не GeoPackage (нет отметки GPKG в заголовке). "
            "Сохраните слой как GeoPackage (.gpkg) в QGIS или ArcGIS."
        )
    try:
        con = sqlite3.connect(":memory:")
        con.deserialize(data)
        con.execute("PRAGMA trusted_schema=OFF")
        rows = con.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master").fetchall()
        contents = {r[0]: r[1] for r in con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall()}
        con.close()
    except sqlite3.Error as exc:
        raise ParseError(f"Файл «{file_name}»: GeoPackage повреждён или неполон ({exc}).") from exc
    for typ, name, sql in rows:
        if _SUSPICIOUS_SQL.search(sql) or (typ == "table" and "virtual table" in sql.lower() and "rtree" not in sql.lower()):
            raise ParseError(
                f"Файл «{file_name}»: в GeoPackage есть {typ} «{name}», который обращается к внешним файлам или "
                "расширениям SQLite; такие файлы не принимаются."
            )
    harden_gdal()
    import io
    import warnings

    import pyogrio

    # GDAL notes that an in-memory copy has no .gpkg extension; that is ours, not the user's, to know.
    warnings.filterwarnings("ignore", message=".*non conformant file extension.*", category=RuntimeWarning)
    try:
        listed = pyogrio.list_layers(io.BytesIO(data))
    except Exception as exc:
        raise ParseError(f"Файл «{file_name}»: GeoPackage не читается — {_gdal_message(exc)}.") from exc
    layers = []
    for lname, gtype in listed:
        lname = str(lname)
        if gtype is None or contents.get(lname) == "attributes":
            doc.warn(f"таблица «{lname}»", "таблица без геометрии — не загружена (границы берутся только из слоёв с полигонами)")
            continue
        try:
            gdf = pyogrio.read_dataframe(io.BytesIO(data), layer=lname)
        except Exception as exc:
            raise ParseError(f"Файл «{file_name}», слой «{lname}»: не читается — {_gdal_message(exc)}.") from exc
        note = f"указана в GeoPackage ({_crs_name(gdf.crs)})" if gdf.crs is not None else "не указана в GeoPackage"
        layers.append(_layer_from_gdf(gdf, lname, note))
    if not layers:
        raise ParseError(f"Файл «{file_name}»: в GeoPackage нет слоёв с геометрией.")
    return layers, {}


# --------------------------------------------------------------------------- geography of Russia


@lru_cache(maxsize=1)
def russia_outline():
    """Russia as one (prepared) shape in lon/lat with Chukotka east of 180°, with a margin; from the bundled regions."""
    import shapely

    path = BUNDLED_DIR / "regions_ru.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    geoms = np.array([_shift_east(g) for g in geoms], dtype=object)
    shape = shapely.union_all(shapely.simplify(geoms, 0.05)).buffer(RUSSIA_MARGIN_DEG, quad_segs=2)
    shapely.prepare(shape)
    return shape


def _shift_east(geom):
    """Parts lying west of −150° (Chukotka across the antimeridian) moved by +360°, so Russia is one piece."""
    import shapely

    if geom is None or geom.is_empty:
        return geom
    parts = shapely.get_parts(geom)
    bounds = shapely.bounds(parts)
    if not (bounds[:, 2] < -150).any():
        return geom
    moved = [shapely.transform(p, lambda c: c + np.array([360.0, 0.0])) if b[2] < -150 else p for p, b in zip(parts, bounds, strict=True)]
    return shapely.union_all(moved) if len(moved) > 1 else moved[0]


def inside_russia(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    import shapely

    lon = np.where(lon < -150, lon + 360, lon)
    return shapely.contains_xy(russia_outline(), lon, lat)


# --------------------------------------------------------------------------- processing a layer


_PLURAL = {"объект": "объекты", "метка": "метки"}


class _Places:
    """Collects the features an issue concerns and writes one warning per issue, with a few places."""

    def __init__(self, doc: ParsedDocument, layer_where: str, word: str, labels: list[str]):
        self.doc, self.layer_where, self.word, self.labels = doc, layer_where, word, labels
        self.issues: dict[str, list[str]] = {}

    def add(self, message: str, i: int, detail: str = "") -> None:
        self.issues.setdefault(message, []).append(self.labels[i] + (f": {detail}" if detail else ""))

    def flush(self) -> None:
        for message, places in self.issues.items():
            shown = "; ".join(places[:MAX_PLACES]) + (f"; и ещё {len(places) - MAX_PLACES}" if len(places) > MAX_PLACES else "")
            prefix = f"{self.layer_where}, " if self.layer_where else ""
            word = self.word if len(places) == 1 else _PLURAL.get(self.word, self.word)
            self.doc.warn(f"{prefix}{word} {shown}", message)
        self.issues.clear()


@dataclass
class _Names:
    """Feature names and where they came from: the column (None for KML <name>) and whether it was a guess."""

    values: list[str | None]
    column: str | None = None
    guessed: bool = False
    numbered: bool = False  # KML <name> held only numbers; the names came from an attribute


def _feature_names(layer: RawLayer, skip: tuple[str, ...] = ()) -> _Names:
    n = len(layer.geoms)
    attrs = layer.attrs.drop(columns=list(skip), errors="ignore")
    col, guessed = _name_column(attrs)
    from_attr = [_text(v) for v in attrs[col]] if col is not None else [None] * n
    kml = [_text(v) for v in layer.names]
    if not any(kml):
        return _Names(from_attr, col, guessed)
    if all(v is None or v.isdigit() for v in kml):
        # KML exported with «NameField = id»: <name> is a number, the real name is in another attribute.
        other, other_guessed = _name_column(attrs.drop(columns=["name"], errors="ignore"))
        if other is not None:
            return _Names([_text(v) for v in attrs[other]], other, other_guessed, numbered=True)
    # A placemark without <name> may still carry one in its ExtendedData.
    return _Names([v or a for v, a in zip(kml, from_attr, strict=True)])


def _text(v: Any) -> str | None:
    """A cell as stripped text; None for a missing or blank value (pandas 3 hands NaN for a missing string)."""
    if _missing(v):
        return None
    return str(v).strip() or None


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


# Headers that say «name» in other words («Название ТОС», «NAIMEN»), and those that hold something else.
_NAME_WORD_RE = re.compile(r"назв|наим|naim|nazv|name|title|имя")
_NOT_NAME_RE = re.compile(
    r"муницип|municip|регион|region|район|district|округ|okrug|субъект|subject|(^|[^a-zа-я])(мо|mo)([^a-zа-я]|$)|"
    r"oktmo|октмо|okato|окато|код|code|(^|_)id$|^fid$|level|уровень|type|тип"
)


def _is_text(s: pd.Series) -> bool:
    # pandas 3 reads text as the "str" dtype, pandas 2 as object: both count.
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype)


def _name_column(attrs: pd.DataFrame) -> tuple[str | None, bool]:
    """The attribute holding feature names, and whether it is only a guess (the caller must say so)."""
    usable = [c for c in attrs.columns if not str(c).startswith("_") and attrs[c].notna().any()]
    lower = {str(c).strip().lower(): c for c in usable}
    for key in _NAME_KEYS:
        if key in lower:
            return lower[key], False
    worded = [c for c in usable if _NAME_WORD_RE.search(str(c).lower()) and not _NOT_NAME_RE.search(str(c).lower())]
    if worded:
        worded.sort(key=lambda c: not re.search(r"тос|tos", str(c).lower()))  # «Название ТОС» before «Название улицы»
        return worded[0], False
    for key in _PLACE_NAME_KEYS:
        if key in lower:
            return lower[key], False
    # Otherwise the text column with the most distinct values that read like names (not HTML, not long prose).
    best, best_n = None, 0
    for c in usable:
        if not _is_text(attrs[c]) or _NOT_NAME_RE.search(str(c).lower()):
            continue
        vals = attrs[c].dropna().astype(str).str.strip()
        vals = vals[vals.str.contains(r"[A-Za-zА-Яа-яЁё]", regex=True) & ~vals.str.contains("<", regex=False) & (vals.str.len() <= 150)]
        if vals.nunique() > best_n:
            best, best_n = c, vals.nunique()
    return best, best is not None


def _column(attrs: pd.DataFrame, rx: re.Pattern[str]) -> str | None:
    for c in attrs.columns:
        if rx.match(str(c).strip()) and attrs[c].notna().any():
            return c
    return None


def _to_wgs84(layer: RawLayer, geoms: np.ndarray, ok: np.ndarray, file_name: str, doc: ParsedDocument, where: str):
    """Geometries in EPSG:4326, after checking the declared CRS against the numbers."""
    import shapely
    from pyproj import CRS

    idx = np.flatnonzero(ok)
    coords = shapely.get_coordinates(geoms[idx])
    if not len(coords):
        return geoms
    finite = np.isfinite(coords).all(axis=1)
    coords = coords[finite]
    degrees = bool(len(coords)) and float(np.mean((np.abs(coords[:, 0]) <= 360) & (np.abs(coords[:, 1]) <= 90))) > 0.99
    crs = layer.crs
    wgs = CRS.from_epsg(4326)
    head = f"Файл «{file_name}»" + (f", {where}" if where != "файл" else "")
    if ".prj" in layer.crs_note:
        fix = "Приложите верный файл .prj или пересохраните слой в WGS 84 (EPSG:4326)."
    else:  # GeoJSON, KML, GeoPackage: there is no .prj to attach
        fix = "Пересохраните слой в WGS 84 (EPSG:4326) — в QGIS: «Экспорт → Сохранить объекты как…», система координат EPSG:4326."
    sidx = idx[:: max(1, len(idx) // 500)]
    sample = shapely.point_on_surface(geoms[sidx])
    sx, sy = shapely.get_x(sample), shapely.get_y(sample)
    # Municipal polygons the features say they belong to (OKTMO attribute): the tie-breaker between CRSs.
    code = _column(layer.attrs, _OKTMO_RE)
    ref_ids, ref_geoms, _tree = _reference_polygons()
    ref = dict(zip(ref_ids, ref_geoms, strict=True))
    codes = list(layer.attrs[code]) if code is not None else None
    claimed = [ref.get(str(codes[i]).strip().split(".")[0]) if codes is not None else None for i in sidx]

    def lonlat(candidate):
        from pyproj import Transformer

        try:
            lon, lat = Transformer.from_crs(candidate, wgs, always_xy=True).transform(sx, sy)
        except Exception:  # a CRS pyproj cannot use
            return None
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def share_in_russia(candidate) -> float:
        pts = lonlat(candidate)
        if pts is None:
            return 0.0
        lon, lat = pts
        good = np.isfinite(lon) & np.isfinite(lat)
        if not good.any():
            return 0.0
        inside = inside_russia(lon[good], lat[good]) | inside_russia(lat[good], lon[good])
        return float(inside.sum() / len(lon))

    def share_in_claimed(candidate) -> float:
        pts = lonlat(candidate)
        known = [k for k, g in enumerate(claimed) if g is not None]
        if pts is None or not known:
            return 0.0
        return float(np.mean([shapely.contains_xy(claimed[k], pts[0][k], pts[1][k]) for k in known]))

    def guess_projected():
        """The CRS the metres are in, or None; ParseError when two fit equally and nothing tells them apart."""
        candidates = [CRS.from_epsg(3857)]
        zones = np.floor(sx / 1e6).astype(int)
        if len(zones):
            zone = int(np.bincount(np.clip(zones, 0, 60)).argmax())
            if 2 <= zone <= 32:
                candidates.append(CRS.from_epsg(28400 + zone))
        fitting = [c for c in candidates if share_in_russia(c) > 0.9]
        if len(fitting) <= 1:
            return fitting[0] if fitting else None
        scores = [share_in_claimed(c) for c in fitting]
        best = int(np.argmax(scores))
        if scores[best] > 0.5 and sorted(scores)[-2] < scores[best]:
            return fitting[best]
        names = " и ".join(f"{_crs_name(c)} ({c.name})" for c in fitting)
        raise ParseError(
            f"{head}: координаты в метрах (например, {coords[0][0]:.0f}, {coords[0][1]:.0f}), а система "
            f"координат не указана или указана неверно. По числам подходят {names} — они дают разные места в России, "
            f"и выбрать за вас нельзя. {fix}"
        )

    geographic = crs is not None and crs.is_geographic
    if crs is None:
        if degrees:
            doc.warn(where, "система координат не указана; числа похожи на градусы — приняты как широта/долгота WGS 84 (EPSG:4326)")
            return geoms
        guess = guess_projected()
        if guess is None:
            raise ParseError(
                f"{head}: система координат не указана, а координаты не похожи на градусы "
                f"(например, {coords[0][0]:.0f}, {coords[0][1]:.0f}) и не подходят ни к Web Mercator, ни к зонам "
                f"Гаусса–Крюгера Пулково-1942. {fix}"
            )
        doc.warn(where, f"система координат не указана; по числам это, вероятно, {_crs_name(guess)} ({guess.name}) — координаты пересчитаны в WGS 84; проверьте положение на карте")
        return _transform(geoms, guess)
    if geographic and not degrees:
        guess = guess_projected()
        example = f"(например, {coords[0][0]:.0f}, {coords[0][1]:.0f})"
        if "по стандарту" in layer.crs_note:  # GeoJSON / KML that declare nothing: WGS 84 is only the default
            message = f"система координат в файле не указана ({layer.crs_note}, в градусах), но числа в метрах {example}"
        else:
            message = f"указана система координат {_crs_name(crs)} (градусы), но числа в метрах {example}"
        if guess is None:
            raise ParseError(f"{head}: {message}, и подобрать систему координат по числам не удалось. {fix}")
        doc.warn(where, f"{message} — похоже на {_crs_name(guess)} ({guess.name}); координаты пересчитаны из неё; проверьте положение на карте")
        return _transform(geoms, guess)
    if not geographic:
        if share_in_russia(crs) > 0.5:
            return _transform(geoms, crs)
        if degrees:
            doc.warn(where, f"указана система координат {_crs_name(crs)} (метры), но числа похожи на градусы — приняты как широта/долгота WGS 84 (EPSG:4326)")
            return geoms
        guess = guess_projected()
        if guess is not None:
            doc.warn(where, f"в указанной системе координат {_crs_name(crs)} объекты не попадают в Россию; по числам это {_crs_name(guess)} ({guess.name}) — координаты пересчитаны из неё")
            return _transform(geoms, guess)
        return _transform(geoms, crs)  # the outside-Russia check below will say what is wrong
    if crs.to_epsg() != 4326:
        return _transform(geoms, crs)
    return geoms


def _transform(geoms: np.ndarray, crs) -> np.ndarray:
    import shapely
    from pyproj import CRS, Transformer

    t = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)

    def fn(c: np.ndarray) -> np.ndarray:
        x, y = t.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    out = geoms.copy()
    ok = np.array([g is not None for g in geoms])
    out[ok] = shapely.transform(geoms[ok], fn)
    return out


_VALIDITY_RU = [
    (re.compile(r"Ring Self-intersection\[([-\d.e]+) ([-\d.e]+)\]"), "контур касается сам себя в точке ({0}, {1})"),
    (re.compile(r"Self-intersection\[([-\d.e]+) ([-\d.e]+)\]"), "самопересечение контура в точке ({0}, {1})"),
    (re.compile(r"Too few points"), "в контуре меньше трёх точек"),
    (re.compile(r"Hole lies outside shell\[([-\d.e]+) ([-\d.e]+)\]"), "внутренний контур (дыра) за пределами внешнего, у точки ({0}, {1})"),
    (re.compile(r"Nested shells\[([-\d.e]+) ([-\d.e]+)\]"), "внешние контуры вложены друг в друга, у точки ({0}, {1})"),
    (re.compile(r"Interior is disconnected\[([-\d.e]+) ([-\d.e]+)\]"), "внутренность полигона разорвана, у точки ({0}, {1})"),
    (re.compile(r"Nested holes\[([-\d.e]+) ([-\d.e]+)\]"), "дыры вложены друг в друга, у точки ({0}, {1})"),
    (re.compile(r"Duplicate Rings"), "повторяющиеся контуры"),
    (re.compile(r"Invalid Coordinate"), "неверные координаты (не числа)"),
]


def _validity_ru(reason: str) -> str:
    for rx, text in _VALIDITY_RU:
        m = rx.search(reason)
        if m:
            return text.format(*[f"{float(v):.5f}" for v in m.groups()])
    return f"геометрия некорректна ({reason})"


def _process_layer(
    layer: RawLayer,
    index: int,
    several: bool,
    file_name: str,
    doc: ParsedDocument,
    matcher: MunicipalityMatcher,
    level_hint: str | None,
) -> pd.DataFrame | None:
    import shapely

    n = len(layer.geoms)
    found = _feature_names(layer)
    names = found.values
    labels = [f"{i + 1}" + (f" («{names[i][:60]}»)" if names[i] else "") for i in range(n)]
    where = f"слой «{layer.name}»" if several else "файл"
    places = _Places(doc, f"слой «{layer.name}»" if several else "", layer.place_word, labels)
    geoms = np.array(layer.geoms, dtype=object)
    ok = np.ones(n, dtype=bool)

    # 1. Empty, broken and non-polygonal features.
    geometry_errors = list(layer.attrs["_geometry_error"]) if "_geometry_error" in layer.attrs.columns else None
    for i, g in enumerate(geoms):
        err = geometry_errors[i] if geometry_errors is not None else None
        if isinstance(err, str) and err:
            places.add("координаты не читаются — объект пропущен", i, err)
            ok[i] = False
        elif g is None or g.is_empty:
            places.add("пустая геометрия — объект пропущен", i)
            ok[i] = False
        elif g.geom_type == "GeometryCollection":
            polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
            if polys:
                geoms[i] = shapely.union_all(polys)
            else:
                places.add("не полигон — объект пропущен (границы должны быть полигонами)", i)
                ok[i] = False
        elif g.geom_type not in ("Polygon", "MultiPolygon"):
            kind = {"Point": "точка", "MultiPoint": "точки", "LineString": "линия", "MultiLineString": "линии", "LinearRing": "линия"}.get(g.geom_type, g.geom_type)
            places.add(f"{kind}, а не полигон — объект пропущен (границы должны быть полигонами)", i)
            ok[i] = False
    if ok.any():
        geoms[ok] = shapely.force_2d(geoms[ok])
        bad_coords = np.array([not np.isfinite(shapely.get_coordinates(g)).all() if ok[i] else False for i, g in enumerate(geoms)])
        for i in np.flatnonzero(bad_coords):
            places.add("в координатах есть нечисловые значения — объект пропущен", int(i))
        ok &= ~bad_coords
    places.flush()
    if not ok.any():
        doc.warn(where, "в слое нет ни одного полигона — слой не загружен")
        return None

    # 2. Coordinates in WGS 84, swapped axes, antimeridian, outside Russia.
    geoms = _to_wgs84(layer, geoms, ok, file_name, doc, where)
    idx = np.flatnonzero(ok)
    rep = shapely.point_on_surface(geoms[idx])
    x, y = shapely.get_x(rep), shapely.get_y(rep)
    inside = inside_russia(x, y)
    swapped = ~inside & inside_russia(y, x)
    if swapped.any():
        swap_idx = idx[swapped]
        geoms[swap_idx] = shapely.transform(geoms[swap_idx], lambda c: c[:, ::-1].copy())
        if swapped.all() and len(idx) > MAX_PLACES:
            doc.warn(
                where,
                f"широта и долгота перепутаны местами во всех объектах (например, {layer.place_word} {labels[idx[0]]}: "
                f"{x[0]:.4f}, {y[0]:.4f}) — исправлено, координаты переставлены",
            )
        else:
            for j in np.flatnonzero(swapped):
                places.add("широта и долгота перепутаны местами — исправлено, координаты переставлены", int(idx[j]), f"{x[j]:.4f}, {y[j]:.4f}")
    outside = ~inside & ~swapped
    for j in np.flatnonzero(outside):
        places.add("объект лежит за пределами России — не загружен; проверьте систему координат", int(idx[j]), f"{x[j]:.4f}, {y[j]:.4f}")
    ok[idx[outside]] = False
    places.flush()
    if not ok.any():
        raise ParseError(
            f"Файл «{file_name}»: все объекты{(' слоя «' + layer.name + '»') if several else ''} лежат за пределами России "
            f"(например, {x[0]:.4f}, {y[0]:.4f}). Проверьте систему координат файла."
        )
    idx = np.flatnonzero(ok)
    west = idx[shapely.bounds(geoms[idx])[:, 0] < -150]  # only these can have parts across the antimeridian
    geoms[west] = [_shift_east(g) for g in geoms[west]]

    # 3. Validity: repair what can be repaired, say where and what.
    valid = shapely.is_valid(geoms[idx])
    for j in np.flatnonzero(~valid):
        i = int(idx[j])
        reason = _validity_ru(shapely.is_valid_reason(geoms[i]))
        fixed = shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
        polys = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
        if not polys:
            places.add("геометрия некорректна и не исправляется — объект пропущен", i, reason)
            ok[i] = False
            continue
        fixed = shapely.union_all(polys) if len(polys) > 1 else polys[0]
        parts = len(shapely.get_parts(fixed))
        result = f"полигон разделён на {parts} части(ей)" if parts > 1 else "контур перестроен"
        places.add(f"исправлено автоматически (make_valid): {result}; проверьте форму границы", i, reason)
        geoms[i] = fixed
    places.flush()
    idx = np.flatnonzero(ok)
    if not len(idx):
        return None

    # 4. Level and links.
    attrs = layer.attrs.iloc[idx].reset_index(drop=True)
    kept = geoms[idx]
    kept_names = [names[i] for i in idx]
    areas = _areas_km2(kept)
    level, how, sure = _detect_level(layer, file_name, attrs, kept_names, areas, matcher, level_hint)
    note = f"{where}: уровень границ — {LEVEL_RU[level]} ({_count(len(idx), 'объект', 'объекта', 'объектов')}), {how}"
    doc.meta.setdefault("notes", []).append(note)
    if not sure:
        doc.warn(where, f"уровень границ определён неуверенно: {LEVEL_RU[level]}, {how}")
    place_column = found.column is not None and (_MUNI_NAME_RE.match(str(found.column).strip()) or _REGION_NAME_RE.match(str(found.column).strip()))
    if level == "tos" and place_column:
        # A municipality (or region) column says where the TOS lies, not what it is called.
        muni_col = found.column
        found = _feature_names(layer, skip=(muni_col,))
        names = found.values
        kept_names = [names[i] for i in idx]
        labels[:] = [f"{i + 1}" + (f" («{names[i][:60]}»)" if names[i] else "") for i in range(n)]
        doc.meta.setdefault("notes", []).append(f"{where}: столбец «{muni_col}» — место ТОС (муниципалитет или регион), не его название")
    frame = pd.DataFrame(
        {
            "feature_id": [f"{index + 1}:{i + 1}" for i in idx],
            "level": level,
            "layer": layer.name,
            "name": pd.Series(kept_names, dtype=object),  # object: pandas 3 would turn None into NaN («nan»)
            "source_ref": [
                (f"слой «{layer.name}», " if several else "") + f"{layer.place_word} {labels[i]}" for i in idx
            ],
            "area_km2": np.round(areas, 3),
        }
    )
    frame["_geom"] = list(kept)
    frame["properties"] = [_props(rec, layer.name) for rec in attrs.to_dict(orient="records")]
    _link(frame, attrs, level, matcher, doc, where, layer.place_word)
    _say_where_names_came_from(found, frame, attrs, level, doc, where, places, idx)
    _display(frame, level, doc, where)
    return frame


_LINK_TARGET = {"tos": "с ТОС реестра", "municipality": "с муниципалитетами", "region": "с регионами"}


def _say_where_names_came_from(
    found: _Names, frame: pd.DataFrame, attrs: pd.DataFrame, level: str, doc: ParsedDocument, where: str, places: _Places, idx: np.ndarray
) -> None:
    """A note on the column the names came from, a warning when it was a guess, and one for features left without a name."""
    col = found.column
    sample = ", ".join(f"«{v}»" for v in list(dict.fromkeys(v for v in frame["name"] if v))[:3])
    if found.numbered:
        doc.warn(where, f"названия меток в KML — номера (1, 2, …); названия взяты из атрибута «{col}»: {sample}")
    elif found.guessed:
        doc.warn(
            where,
            f"столбца с названием объектов нет; названия взяты из столбца «{col}», в котором больше всего разных "
            f"текстовых значений ({sample}) — проверьте; если это не названия, назовите нужный столбец «name» и загрузите файл снова",
        )
    elif col is not None and str(col).strip().lower() not in _NAME_KEYS:
        doc.meta.setdefault("notes", []).append(f"{where}: названия объектов — из столбца «{col}»")
    nameless = np.flatnonzero((frame["name"].isna() & frame["ref_id"].isna()).to_numpy())  # 45 000 features: no per-row .at
    if not len(nameless):
        return
    target = _LINK_TARGET[level]
    if len(nameless) == len(frame) and len(frame) > 1:
        columns = ", ".join(f"«{c}»" for c in attrs.columns if not str(c).startswith("_")) or "атрибутов нет"
        doc.warn(
            where,
            f"не найден столбец с названиями объектов (столбцы: {columns}) — границы сохранены без названий, и связать их "
            f"{target} нельзя. Добавьте столбец «name» с названиями и загрузите файл снова.",
        )
        return
    what = {"tos": "нет названия", "municipality": "нет ни названия, ни кода ОКТМО", "region": "нет ни названия, ни кода региона"}[level]
    for k in nameless:
        places.add(f"{what} — граница сохранена, но связать её {target} нельзя; впишите название и загрузите файл снова", int(idx[k]))
    places.flush()


def _areas_km2(geoms: np.ndarray) -> np.ndarray:
    import shapely
    from pyproj import CRS, Transformer

    t = Transformer.from_crs(CRS.from_epsg(4326), CRS.from_epsg(6933), always_xy=True)

    def fn(c: np.ndarray) -> np.ndarray:
        x, y = t.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return shapely.area(shapely.transform(geoms, fn)) / 1e6


def _props(row: dict[str, Any], layer: str) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if str(k).startswith("_"):
            continue
        v = json_value(v)
        if isinstance(v, bytes):
            continue
        out[str(k)] = v
    out["_layer"] = layer
    return out


def _detect_level(
    layer: RawLayer,
    file_name: str,
    attrs: pd.DataFrame,
    names: list[str | None],
    areas: np.ndarray,
    matcher: MunicipalityMatcher,
    hint: str | None,
) -> tuple[str, str, bool]:
    """The level of a layer, how it was decided, and whether that is sure (size alone is not)."""
    if hint:
        return hint, "указан при загрузке", True
    col = next((c for c in attrs.columns if str(c).lower() in _LEVEL_KEYS), None)
    if col is not None:
        values = {_LEVEL_VALUES.get(norm_text(v)) for v in attrs[col].dropna().astype(str)}
        values.discard(None)
        if len(values) == 1:
            return values.pop(), f"по атрибуту «{col}»", True
    for text, what in ((layer.name, "названию слоя"), (Path(file_name).stem, "названию файла")):
        hits = [lvl for lvl, rx in _LEVEL_WORDS.items() if rx.search(text.replace("_", " "))]
        if len(hits) == 1:
            return hits[0], f"по {what} «{text}»", True
    named = [n for n in names if n]
    if named and np.mean([bool(re.match(r"\s*(тос|т\.о\.с\.|территориальн)", n, re.IGNORECASE)) for n in named]) > 0.5:
        return "tos", "названия объектов начинаются с «ТОС»", True
    if _column(attrs, _TOS_CODE_RE) is not None:
        return "tos", f"есть атрибут кода ТОС «{_column(attrs, _TOS_CODE_RE)}»", True
    code = _column(attrs, _OKTMO_RE)
    if code is not None:
        codes = attrs[code].dropna().astype(str).str.strip()
        if codes.is_unique and codes.isin(list(matcher.by_id)).mean() > 0.5:
            return "municipality", f"коды ОКТМО в атрибуте «{code}» — коды муниципальных образований", True
    if _column(attrs, _REGION_CODE_RE) is not None and code is None and len(attrs) <= 120:
        rcol = _column(attrs, _REGION_CODE_RE)
        region_ids = {r.region_id for r in load_regions()}
        if attrs[rcol].dropna().astype(str).isin(region_ids).mean() > 0.5:
            return "region", f"коды регионов в атрибуте «{rcol}»", True
    repeated = ""
    if named:
        # Many polygons under one municipality's (region's) name are more likely TOS with a municipality
        # column taken for their name than that municipality drawn in pieces: the names do not decide then.
        distinct = len(set(named)) >= 0.9 * len(named)
        spread = f"({_count(len(set(named)), 'разное', 'разных', 'разных')} на {_count(len(named), 'полигон', 'полигона', 'полигонов')})"
        known = np.mean([bool((m := matcher.match(n)) and m.known) for n in named[:300]])
        if known > 0.6:
            if distinct:
                return "municipality", "названия объектов — муниципальные образования из справочника", True
            repeated = f"; названия — муниципалитеты, но повторяются {spread} — проверьте столбец названий"
        regions = np.mean([bool(find_regions(n)) for n in named[:300]])
        if regions > 0.6 and len(named) <= 120:
            if distinct:
                return "region", "названия объектов — регионы России", True
            repeated = repeated or f"; названия — регионы, но повторяются {spread} — проверьте столбец названий"
    median = float(np.median(areas)) if len(areas) else 0.0
    tail = f"{repeated}; если это не так, укажите уровень при загрузке"
    if median < TOS_MEDIAN_KM2:
        return "tos", f"по размеру: средний объект {median:.2f} км²{tail}".replace(".", ","), False
    if median > 20000:
        return "region", f"по размеру: средний объект {median:,.0f} км²{tail}".replace(",", " "), False
    return "municipality", f"по размеру: средний объект {median:,.0f} км²{tail}".replace(",", " "), False


@lru_cache(maxsize=1)
def _region_by_prefix() -> dict[str, str]:
    return {r.oktmo_prefix: r.region_id for r in load_regions()}


def _region_of(value: Any) -> str | None:
    if _missing(value):
        return None
    text = str(value).strip()
    ids = {r.region_id for r in load_regions()}
    if text.upper() in ids:
        return text.upper()
    if text.isdigit():
        return _region_by_prefix().get(text.zfill(2)[:2])
    found = find_regions(text)
    return found[0] if found else None


def _link(frame: pd.DataFrame, attrs: pd.DataFrame, level: str, matcher: MunicipalityMatcher, doc: ParsedDocument, where: str, word: str) -> None:
    """Fill ref_id, region_id, municipality_id and the canonical name."""
    from loaders.registry import clean_tos_name, tos_key

    n = len(frame)
    ref = [None] * n
    region = [None] * n
    muni = [None] * n
    names = [_text(v) for v in frame["name"]]
    unlinked = []
    values = {c: list(attrs[c]) for c in attrs.columns}

    def cell(col: str | None, k: int) -> Any:
        return None if col is None else values[col][k]

    rcode = _column(attrs, _REGION_CODE_RE)
    rprefix = _column(attrs, _REGION_PREFIX_RE)
    rname = _column(attrs, _REGION_NAME_RE)
    region_cache: dict[Any, str | None] = {}
    for k in range(n):
        rid = None
        for col in (rcode, rprefix, rname):
            if col is not None and rid is None:
                v = cell(col, k)
                key = (col, str(v))
                if key not in region_cache:
                    region_cache[key] = _region_of(v)
                rid = region_cache[key]
        region[k] = rid
    if level == "region":
        for k in range(n):
            rid = region[k] or (_region_of(names[k]) if names[k] else None)
            if rid is None:
                unlinked.append(k)
            ref[k] = rid
            region[k] = rid
            if rid:
                names[k] = next((r.name for r in load_regions() if r.region_id == rid), names[k])
    elif level == "municipality":
        code = _column(attrs, _OKTMO_RE)
        unknown_codes = 0
        for k in range(n):
            m = None
            if code is not None and not _missing(cell(code, k)):
                value = str(cell(code, k)).strip().split(".")[0]
                m = matcher.by_id.get(value) or matcher.by_id.get(value[:8])
                if m is not None:
                    ref[k], region[k], names[k] = m.municipality_id, m.region_id, m.name
                    muni[k] = m.municipality_id
                    continue
                if re.fullmatch(r"\d{8}|\d{11}", value):
                    # A code the bundled reference does not know (another region): kept; the map links it to
                    # the store's municipalities by code or, failing that, by name.
                    ref[k] = muni[k] = value
                    region[k] = region[k] or _region_by_prefix().get(value[:2])
                    unknown_codes += 1
                    continue
            if names[k]:
                match = matcher.match(names[k], region[k])
                if match is not None and match.known:
                    ref[k], region[k], names[k] = match.municipality_id, match.region_id, match.name
                    muni[k] = match.municipality_id
                    continue
                if match is not None:
                    ref[k] = match.municipality_id  # linked later against the store's municipalities
                    muni[k] = match.municipality_id
            unlinked.append(k)
    else:  # TOS
        tcode = _column(attrs, _TOS_CODE_RE)
        mcode = _column(attrs, _OKTMO_RE)
        mname = _column(attrs, _MUNI_NAME_RE)
        cache: dict[tuple[str, str | None], Any] = {}
        for k in range(n):
            names[k] = clean_tos_name(names[k]) if names[k] else None
            m = None
            if mcode is not None and not _missing(cell(mcode, k)):
                value = str(cell(mcode, k)).strip().split(".")[0]
                m = matcher.by_id.get(value)
                if m is None and value:
                    muni[k] = value
                    region[k] = region[k] or _region_by_prefix().get(value[:2])
            if m is None and mname is not None and not _missing(cell(mname, k)):
                key = (str(cell(mname, k)), region[k])
                if key not in cache:
                    cache[key] = matcher.match(key[0], region[k])
                match = cache[key]
                if match is not None:
                    muni[k] = match.municipality_id
                    region[k] = match.region_id or region[k]
                    m = matcher.by_id.get(match.municipality_id)
            if m is not None:
                muni[k], region[k] = m.municipality_id, m.region_id
            if tcode is not None and not _missing(cell(tcode, k)):
                ref[k] = str(cell(tcode, k)).strip()
            elif muni[k] and names[k]:
                ref[k] = tos_key(muni[k], names[k])
    # object columns: a list mixing text and None would become pandas 3's "str" dtype with NaN.
    for col, values in (("ref_id", ref), ("region_id", region), ("municipality_id", muni), ("name", names)):
        frame[col] = pd.Series(values, dtype=object, index=frame.index)
    if level == "municipality" and unknown_codes:
        doc.meta.setdefault("notes", []).append(
            f"{where}: {unknown_codes} кодов ОКТМО нет во встроенном справочнике (он охватывает 4 региона); "
            "на карте такие границы связываются с муниципалитетами базы по коду или по названию"
        )
    unlinked = [k for k in unlinked if names[k]]  # the nameless are warned of by the caller
    if unlinked and level != "tos":
        what = "регионом России" if level == "region" else "муниципальным образованием справочника"
        shown = ", ".join(f"«{names[k] or '—'}»" for k in unlinked[:MAX_PLACES]) + (f" и ещё {len(unlinked) - MAX_PLACES}" if len(unlinked) > MAX_PLACES else "")
        doc.warn(where, f"{len(unlinked)} из {n} объектов не сопоставлены с {what} ни по коду, ни по названию: {shown}")


def _display(frame: pd.DataFrame, level: str, doc: ParsedDocument, where: str) -> None:
    """The display copy (simplified with shared borders kept, rounded), bbox, label point, full GeoJSON."""
    import shapely

    geoms = np.array(list(frame["_geom"]), dtype=object)
    tol = DISPLAY_TOLERANCE[level]
    decimals = DISPLAY_DECIMALS[level]
    try:
        coverage = bool(shapely.coverage_is_valid(geoms))
    except Exception:  # GEOS refuses some inputs outright
        coverage = False
    if coverage:
        simple = shapely.coverage_simplify(geoms, tol, simplify_boundary=True)
    else:
        simple = shapely.simplify(geoms, tol, preserve_topology=True)
        if level == "tos" and len(geoms) > 1:
            _warn_overlaps(frame, geoms, doc, where)
    simple = shapely.transform(simple, lambda c: np.round(c, decimals))
    empty = shapely.is_empty(simple) | (shapely.area(simple) <= 0)
    if empty.any():
        simple[empty] = shapely.transform(geoms[empty], lambda c: np.round(c, decimals))
    bounds = shapely.bounds(geoms)
    label = shapely.point_on_surface(geoms)
    frame["geometry"] = shapely.to_geojson(geoms)
    frame["geometry_display"] = shapely.to_geojson(simple)
    frame["min_lon"], frame["min_lat"], frame["max_lon"], frame["max_lat"] = (np.round(bounds[:, i], 6) for i in range(4))
    frame["label_lon"] = np.round(shapely.get_x(label), 6)
    frame["label_lat"] = np.round(shapely.get_y(label), 6)
    if level == "municipality":
        centres = _city_centres()
        for k, ref in enumerate(frame["ref_id"]):
            if ref in centres:
                frame.at[k, "label_lon"], frame.at[k, "label_lat"] = centres[ref]
    del frame["_geom"]


def _warn_overlaps(frame: pd.DataFrame, geoms: np.ndarray, doc: ParsedDocument, where: str) -> None:
    import shapely

    tree = shapely.STRtree(geoms)
    pairs = tree.query(geoms, predicate="overlaps")
    pairs = pairs[:, pairs[0] < pairs[1]]
    if pairs.shape[1]:
        names = list(frame["name"])
        shown = "; ".join(f"«{names[a] or a + 1}» и «{names[b] or b + 1}»" for a, b in pairs.T[:MAX_PLACES])
        more = f" и ещё {pairs.shape[1] - MAX_PLACES}" if pairs.shape[1] > MAX_PLACES else ""
        doc.warn(where, f"границы ТОС пересекаются: {shown}{more} — проверьте, не нарисована ли одна территория дважды")


@lru_cache(maxsize=1)
def _city_centres() -> dict[str, tuple[float, float]]:
    """Town centres of the bundled municipalities (data/boundaries/municipality_centres.csv): label points."""
    path = BUNDLED_DIR / "municipality_centres.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {r["oktmo_municipality"]: (float(r["lon"]), float(r["lat"])) for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _reference_polygons():
    """The bundled municipal polygons (ids, prepared geometries, tree) for placing TOS in municipalities."""
    import shapely

    ids, geoms = [], []
    for path in sorted(BUNDLED_DIR.glob("municipalities_*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            ids.append(f["properties"]["oktmo"])
            geoms.append(json.dumps(f["geometry"]))
    arr = shapely.from_geojson(geoms) if geoms else np.array([], dtype=object)
    return ids, arr, shapely.STRtree(arr)


def _place_tos_in_municipalities(table: pd.DataFrame, doc: ParsedDocument, matcher: MunicipalityMatcher) -> None:
    """TOS without a municipality: the municipal polygon (of this file, else the bundled ones) their label point is in."""
    import shapely

    from loaders.registry import tos_key

    tos = table.index[(table["level"] == "tos") & table["municipality_id"].isna()]
    if not len(tos):
        return
    own = table[(table["level"] == "municipality") & table["ref_id"].notna()]
    sources = []
    if len(own):
        sources.append((list(own["ref_id"]), shapely.from_geojson(list(own["geometry"]))))
    ids, arr, _tree = _reference_polygons()
    if len(ids):
        sources.append((ids, arr))
    pts = shapely.points(table.loc[tos, "label_lon"].to_numpy(float), table.loc[tos, "label_lat"].to_numpy(float))
    found: dict[int, str] = {}
    for src_ids, src_geoms in sources:
        tree = shapely.STRtree(src_geoms)
        pi, gi = tree.query(pts, predicate="within")
        for p, g in zip(pi, gi, strict=True):
            found.setdefault(int(p), src_ids[int(g)])
    missing = []
    for k, row_index in enumerate(tos):
        mid = found.get(k)
        if mid is None:
            missing.append(row_index)
            continue
        table.at[row_index, "municipality_id"] = mid
        m = matcher.by_id.get(mid)
        if m is not None:
            table.at[row_index, "region_id"] = m.region_id
        name = _text(table.at[row_index, "name"])
        if name and _text(table.at[row_index, "ref_id"]) is None:
            table.at[row_index, "ref_id"] = tos_key(mid, name)
    if len(tos) - len(missing):
        doc.meta.setdefault("notes", []).append(f"муниципалитет {len(tos) - len(missing)} ТОС определён по положению границы (полигон ТОС внутри полигона муниципалитета)")
    if missing:
        shown = ", ".join(f"«{_text(table.at[i, 'name']) or table.at[i, 'feature_id']}»" for i in missing[:MAX_PLACES])
        more = f" и ещё {len(missing) - MAX_PLACES}" if len(missing) > MAX_PLACES else ""
        doc.warn(
            "файл",
            f"для {len(missing)} ТОС не удалось определить муниципалитет (нет атрибута с ОКТМО или названием "
            f"муниципалитета, и граница не лежит в известном муниципалитете): {shown}{more}. "
            "Их границы сохранены; на карте они будут связаны с ТОС реестра только по уникальному названию.",
        )


def _merge_parts(table: pd.DataFrame, doc: ParsedDocument) -> pd.DataFrame:
    """Features with one key (level, ref_id): pieces of one territory are united, repeats stay duplicates.

    A territory drawn in several pieces becomes one multipolygon; the same outline drawn again stays a
    duplicate (the map shows the last one).
    """
    import shapely

    refs = table[table["ref_id"].notna()]
    dup = refs[refs.duplicated(["level", "ref_id"], keep=False)]
    if not len(dup):
        return table
    repeated, merged, drop = [], [], []
    for (level, _ref), group in dup.groupby(["level", "ref_id"], sort=False):
        full = shapely.from_geojson(list(group["geometry"]))
        if all(_same_outline(full[0], g) for g in full[1:]):
            repeated.append(" и ".join(group["source_ref"]))
            continue
        union = shapely.union_all(full)
        display = shapely.union_all(shapely.from_geojson(list(group["geometry_display"])))
        decimals = DISPLAY_DECIMALS[level]
        display = shapely.transform(display, lambda c, d=decimals: np.round(c, d))
        k = group.index[0]
        table.at[k, "geometry"] = shapely.to_geojson(union)
        table.at[k, "geometry_display"] = shapely.to_geojson(display)
        for col, v in zip(("min_lon", "min_lat", "max_lon", "max_lat"), shapely.bounds(union), strict=True):
            table.at[k, col] = round(float(v), 6)
        if not (level == "municipality" and table.at[k, "ref_id"] in _city_centres()):
            label = shapely.point_on_surface(union)
            table.at[k, "label_lon"], table.at[k, "label_lat"] = round(label.x, 6), round(label.y, 6)
        table.at[k, "area_km2"] = round(float(_areas_km2(np.array([union], dtype=object))[0]), 3)
        table.at[k, "source_ref"] = " и ".join(group["source_ref"])
        drop += list(group.index[1:])
        merged.append(f"«{table.at[k, 'name'] or table.at[k, 'ref_id']}» — {_count(len(group), 'объект', 'объекта', 'объектов')} ({' и '.join(group['source_ref'])})")
    if merged:
        shown = "; ".join(merged[:MAX_PLACES]) + (f"; и ещё {len(merged) - MAX_PLACES}" if len(merged) > MAX_PLACES else "")
        doc.warn(
            "файл",
            f"одна территория нарисована несколькими частями: {shown}. Части объединены в одну границу (мультиполигон); "
            "если это разные территории, дайте им разные названия и загрузите файл снова.",
        )
    if repeated:
        shown = "; ".join(repeated[:MAX_PLACES])
        doc.warn("файл", f"одна и та же граница встречается несколько раз ({len(repeated)}): {shown}. На карте показан последний объект.")
    return table.drop(index=drop)


def _same_outline(a, b) -> bool:
    """Two outlines of one territory: they differ by under 1 % of the larger area."""
    import shapely

    return float(shapely.area(shapely.symmetric_difference(a, b))) <= 0.01 * max(float(a.area), float(b.area))


# --------------------------------------------------------------------------- document facts


@lru_cache(maxsize=1)
def bundled_sources() -> dict[str, dict[str, Any]]:
    """sha256 → facts of each bundled boundary file (attribution, licence, detail rank)."""
    out = {}
    for path in sorted(BUNDLED_DIR.glob("*.geojson")):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if path.name == "regions_ru.geojson":
            facts = {"attribution": NE_ATTRIBUTION, "attribution_url": "https://www.naturalearthdata.com/", "licence": "public domain", "detail": 1}
        else:
            facts = {"attribution": OSM_ATTRIBUTION, "attribution_url": OSM_COPYRIGHT_URL, "licence": "ODbL 1.0", "detail": 2}
        out[sha] = {**facts, "bundled": True, "source": f"data/boundaries/{path.name} (см. data/boundaries/SOURCES.md)"}
    return out


def _document_meta(doc: ParsedDocument, data: bytes, file_name: str, top: dict, table: pd.DataFrame) -> None:
    sha = hashlib.sha256(data).hexdigest()
    bundled = bundled_sources().get(sha)
    if bundled:
        doc.meta.update(bundled)
    else:
        text = json.dumps(top, ensure_ascii=False) + " " + " ".join(str(p) for p in table["properties"].head(50))
        if re.search(r"openstreetmap|\bosm_id\b|\"@id\"", text, re.IGNORECASE):
            doc.meta.update({"attribution": OSM_ATTRIBUTION, "attribution_url": OSM_COPYRIGHT_URL, "licence": "ODbL 1.0"})
        elif isinstance(top.get("attribution"), str):
            doc.meta["attribution"] = top["attribution"][:200]
    title = top.get("name") or top.get("description")
    doc.meta["title"] = str(title)[:300] if title else None
    demo_text = " ".join(str(top.get(k) or "") for k in ("name", "description")) + " " + " ".join(
        str(p.get("note") or "") for p in table["properties"].head(20)
    )
    doc.meta["is_demo"] = bool(DEMO_RE.search(demo_text))
    levels = table["level"].value_counts().to_dict()
    doc.meta["levels"] = {k: int(v) for k, v in levels.items()}
    regions = sorted(set(table["region_id"].dropna()))
    doc.meta["region_id"] = regions[0] if len(regions) == 1 else None
    doc.meta["municipality_ids"] = sorted(set(table["municipality_id"].dropna()))[:500]
    doc.meta["layers"] = sorted(set(table["layer"]))
