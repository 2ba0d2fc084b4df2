"""Cached map data for the «Карта» page, and the map component (Leaflet, served from static/tosmap).

Everything is keyed on the database URL and its revision, so the costly steps run once per change of
data: linking boundaries to the data (per revision), building a map (per revision, filters and metric).
A page rerun that changes nothing else costs a dictionary look-up and one component message. The
component reruns the page only when a municipality or region is clicked — never on pan or zoom.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from functools import lru_cache
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

import strings as S
from analytics.dataset import Filters
from analytics.geolink import Geography, link_boundaries
from analytics.mapview import MapView, build_map, render_html
from store.boundaries import load_bundled_boundaries, read_boundaries
from ui import data

ASSETS = Path(__file__).resolve().parent.parent / "static" / "tosmap"
_component = components.declare_component("tosmap", path=str(ASSETS))


@st.cache_resource(max_entries=4, show_spinner=S.MAP_LOADING_BOUNDARIES)
def _bundled(url: str) -> int:
    """Bundled boundaries into this database, once per process (idempotent: known files are skipped)."""
    results = load_bundled_boundaries(data._engine(url))
    return sum(r.status == "stored" for r in results)


def ensure_bundled_boundaries() -> None:
    _bundled(data.db_url())


@st.cache_resource(max_entries=2, ttl=3600, show_spinner=S.MAP_LINKING)
def _geography(url: str, rev: int, today: dt.date) -> Geography:
    ds = data._dataset(url, rev, today)
    return link_boundaries(ds, read_boundaries(data._engine(url)))


def geography() -> Geography:
    return _geography(data.db_url(), data.revision(), dt.date.today())


@st.cache_resource(max_entries=24, ttl=3600, show_spinner=S.MAP_DRAWING)
def _map(url: str, rev: int, today: dt.date, filters: tuple, metric: str) -> MapView:
    ds = data._dataset(url, rev, today)
    # analytics.metrics memoises the municipality table on the dataset: a metric switch does not recompute it.
    return build_map(ds, _geography(url, rev, today), Filters(*filters), metric)


def map_view(filters: Filters, metric: str) -> MapView:
    return _map(data.db_url(), data.revision(), dt.date.today(), dataclasses.astuple(filters), metric)


def show_map(view: MapView, selected: str | None, key: str, on_change=None):
    """Draw the map; returns the last click ({kind, id, at}) or None."""
    return _component(
        spec=view.spec_bytes,
        spec_key=view.key,
        selected=selected,
        height=view.height,
        key=key,
        default=None,
        on_change=on_change,
    )


@lru_cache(maxsize=1)
def _inline_assets() -> dict[str, str]:
    """Leaflet and the renderer as text for a self-contained HTML file (the layers icon as a data URI)."""
    css = (ASSETS / "leaflet" / "leaflet.css").read_text(encoding="utf-8")
    for name in ("layers.png", "layers-2x.png", "marker-icon.png"):
        uri = "data:image/png;base64," + base64.b64encode((ASSETS / "leaflet" / "images" / name).read_bytes()).decode()
        css = css.replace(f"images/{name}", uri)
    return {
        "leaflet.js": (ASSETS / "leaflet" / "leaflet.js").read_text(encoding="utf-8"),
        "leaflet.css": css,
        "tosmap.js": (ASSETS / "tosmap.js").read_text(encoding="utf-8"),
        "tosmap.css": (ASSETS / "tosmap.css").read_text(encoding="utf-8"),
    }


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def _standalone(key: str, _view: MapView, title: str) -> bytes:
    return render_html(_view, title=title, inline=_inline_assets()).encode("utf-8")


def standalone_html(view: MapView, title: str) -> bytes:
    """The map as one HTML file that opens without internet (for the download button)."""
    return _standalone(view.key, view, title)
