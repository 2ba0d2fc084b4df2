"""Cached access to the store for the pages: keyed on the database URL and its revision."""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from analytics.dataset import Dataset, build_dataset
from analytics.documents import DOC_TABLES, DocumentData
from store import queries
from store.db import database_url, get_engine, init_db


def db_url() -> str:
    return database_url(os.environ.get("TOS_DB_URL"))


@st.cache_resource(max_entries=4, show_spinner=False)
def _engine(url: str):
    engine = get_engine(url)
    init_db(engine)
    return engine


def engine():
    return _engine(db_url())


def revision() -> int:
    return queries.revision(engine())


# cache_resource, not cache_data: the frames are shared read-only, not pickled on every rerun
# (a national data set is ~250 000 rows; copying it per rerun would cost more than the page).
@st.cache_resource(max_entries=2, ttl=3600, show_spinner="Загружаю данные…")
def _dataset(url: str, rev: int, today: dt.date) -> Dataset:
    return build_dataset(**queries.dataset_frames(_engine(url)), today=today)


def dataset() -> Dataset:
    return _dataset(db_url(), revision(), dt.date.today())


@st.cache_data(max_entries=2, show_spinner=False)
def _registry_template(url: str, rev: int) -> bytes:
    from reports.registry_template import build_registry_template

    names = queries.municipalities(_engine(url))["name"].tolist()
    return build_registry_template(names)


def registry_template() -> bytes:
    return _registry_template(db_url(), revision())


# Facts from passports and protocols: small tables, read once per store revision. Personal data
# (leaders, contacts) is left in the store: read_table drops those columns unless asked.
@st.cache_resource(max_entries=2, ttl=3600, show_spinner="Загружаю документы…")
def _document_data(url: str, rev: int) -> DocumentData:
    eng = _engine(url)
    return DocumentData({name: queries.read_table(eng, name) for name in DOC_TABLES})


def document_data() -> DocumentData:
    return _document_data(db_url(), revision())
