"""The upload flow of the «Данные» page: parse several files, preview, then save on confirmation.

Parsed files wait in st.session_state until the user saves or cancels, so a rerun (or a page
switch) loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import strings as S
from loaders.base import ParsedDocument, ParseError
from store.ingest import IngestResult, record_rejection, sha256, store_parsed
from ui.widgets import md

PENDING = "data_pending"
RESULTS = "data_results"


@dataclass
class PendingFile:
    """An uploaded file after parsing: its bytes and either the parsed document or the error."""

    name: str
    data: bytes
    doc: ParsedDocument | None
    error: str | None

    @property
    def key(self) -> str:
        return sha256(self.data)


def parse_one(name: str, data: bytes, matcher=None) -> PendingFile:
    """Parse in a separate worker process with memory and time limits (loaders/sandbox.py)."""
    from loaders.sandbox import parse_isolated

    try:
        return PendingFile(name, data, parse_isolated(data, name, matcher=matcher), None)
    except ParseError as exc:
        return PendingFile(name, data, None, exc.message)
    except Exception as exc:  # a parser bug must not take the page down
        return PendingFile(name, data, None, f"Файл «{name}»: внутренняя ошибка разбора ({type(exc).__name__}).")


def parse_uploads(files) -> list[PendingFile]:
    """Parse uploaded files one by one with a progress bar."""
    from store.queries import municipality_matcher
    from ui.data import engine

    matcher = municipality_matcher(engine())
    results = []
    bar = st.progress(0.0, text="Разбираю файлы…")
    for i, f in enumerate(files, start=1):
        bar.progress((i - 1) / len(files), text=f"Разбираю «{f.name}» ({i} из {len(files)})…")
        results.append(parse_one(f.name, f.getvalue(), matcher))
    bar.progress(1.0, text=f"Разобрано файлов: {len(files)}")
    return results


def save_pending(engine, pending: list[PendingFile], actor) -> list[IngestResult]:
    """Store the previewed files; the store checks the actor's role itself."""
    results = []
    for p in pending:
        if p.doc is not None:
            results.append(store_parsed(engine, p.data, p.doc, actor))
        else:
            results.append(record_rejection(engine, p.data, p.name, p.error or "", actor))
    return results


def preview(p: PendingFile) -> None:
    """What was found in one file, before anything is stored."""
    if p.doc is None:
        st.error(md(p.error))
        return
    doc = p.doc
    counts = {t: len(df) for t, df in doc.tables.items() if t not in ("municipalities", "regions") and len(df)}
    kind = S.KIND_NAMES.get(doc.kind, doc.kind)
    found = ", ".join(f"{n} {S.TABLE_NAMES.get(t, t)}" for t, n in counts.items()) or "таблиц нет"
    st.markdown(f"**Вид документа:** {md(kind)}. **Найдено:** {md(found)}.")
    if doc.meta.get("is_demo"):
        st.caption("Документ помечен как демонстрационный.")
    for note in doc.meta.get("notes") or []:
        st.caption(md(note))
    if doc.warnings:
        st.warning(f"Замечаний: {len(doc.warnings)}. Значения, в которых парсер не уверен, сохраняются с пометкой или не сохраняются — проверьте.")
        from ui.widgets import warnings_table

        warnings_table([w.as_dict() for w in doc.warnings])
    for table, df in doc.tables.items():
        if table in ("municipalities", "regions") or df.empty:
            continue
        with st.expander(f"{S.TABLE_NAMES.get(table, table).capitalize()}: первые строки"):
            st.dataframe(df.head(20).rename(columns=S.COL), hide_index=True, placeholder=S.UNKNOWN)
