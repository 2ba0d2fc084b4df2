"""Small rendering helpers shared by the pages: header line, KPI cards, provenance."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

import pandas as pd
import streamlit as st

import strings as S
from analytics.dataset import Dataset, Filters, demo_in_scope, describe_filters
from analytics.formatting import fmt_date, fmt_int
from analytics.provenance import provenance_table

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$])")


def md(text: object) -> str:
    """Text from documents or users, escaped for Markdown: shown as text, never as markup or links."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def page_header(title: str, ds: Dataset, filters: Filters | None) -> None:
    """Title, the data date, the filters in force (None: the page ignores them), the demo label."""
    st.title(title)
    parts = [
        S.AS_OF.format(date=fmt_date(ds.as_of)) if ds.as_of else None,
        S.FILTERS_IN_FORCE.format(text=describe_filters(ds, filters)) if filters is not None else None,
    ]
    st.caption(" · ".join(md(p) for p in parts if p))
    # A page without filters shows the whole store; one with filters, the figures in scope only.
    if ds.demo_ids and (filters is None or demo_in_scope(ds, filters)):
        st.info(f"**{S.DEMO_BADGE}.** {S.DEMO_NOTE}", icon="ℹ️")


def kpi(column, label: str, value: str, help_text: str | None = None, note: str | None = None) -> None:
    column.metric(label, value, help=help_text)
    if note:
        column.caption(note)


PROVENANCE_ROWS = 500


def provenance(ds: Dataset, rows: pd.DataFrame, label: str = S.SOURCE_ROWS, columns: list[str] | None = None) -> None:
    """An expander with the rows behind a figure and the documents and places they came from.

    At most PROVENANCE_ROWS rows travel to the browser (an expander's content is sent even when
    it is closed); the full list is in the Excel summary.
    """
    with st.expander(label):
        table = provenance_table(ds, rows, columns, limit=PROVENANCE_ROWS)
        if table.empty:
            st.write("Строк нет.")
            return
        if len(rows) > PROVENANCE_ROWS:
            st.caption(f"Показаны первые {PROVENANCE_ROWS} строк из {fmt_int(len(rows))}; все строки с документами — в «Выгрузке» (CSV).")
        st.dataframe(table, hide_index=True, height=min(400, 38 + 35 * len(table)), placeholder=S.UNKNOWN)


def warnings_table(warnings: list[dict[str, str]]) -> None:
    """Warnings with their places, readable in full."""
    frame = pd.DataFrame(warnings).rename(columns={"where": "Где", "message": "Что"})
    st.dataframe(
        frame,
        hide_index=True,
        height=min(400, 38 + 35 * len(frame)),
        column_config={"Где": st.column_config.TextColumn("Где", width="medium"), "Что": st.column_config.TextColumn("Что", width="large")},
        placeholder=S.UNKNOWN,
    )


def download_on_request(
    where,
    key: str,
    made_from: Hashable,
    build_label: str,
    build: Callable[[], tuple[bytes, str]],
    mime: str,
    spinner: str,
    download_label: str | None = None,
    help: str | None = None,
    stale_note: str | None = None,
    errors: tuple[type[Exception], ...] = (),
    primary: bool = False,
) -> None:
    """A button that builds a file only when asked for (with a spinner), then the button to download it.

    `build` returns (bytes, file name). The file is kept in the session under `{key}_ready` with
    `made_from` (filters, data revision…): once that changes the old file is no longer offered and
    `stale_note`, if given, says so. An exception of `errors` is shown as the message it carries;
    `primary` marks the download as the main action of its place.
    """
    state_key = f"{key}_ready"
    if where.button(build_label, key=f"{key}_build", help=help):
        with st.spinner(spinner):
            try:
                st.session_state[state_key] = (made_from, *build())
            except errors as exc:
                st.error(str(exc))
    ready = st.session_state.get(state_key)
    if ready and ready[0] == made_from:
        where.download_button(download_label or f"Скачать {md(ready[2])}", data=ready[1], file_name=ready[2], mime=mime, key=f"{key}_download", type="primary" if primary else "secondary")
    elif ready and stale_note:
        where.caption(stale_note)


def russian_file_uploader(many: bool) -> None:
    """Russian words on the next file uploaders of the page («Upload», «50MB per file» otherwise).

    Streamlit has no option for the uploader's own text (streamlit/streamlit#13500), so its button
    and size line are replaced by CSS: our static text, no user input; a chosen file's English size
    («1.6KB») is hidden. The formats are named in the
    uploader's Russian label; should Streamlit rename these elements, the English text simply returns.
    """
    button = S.UPLOAD_BUTTON_MANY if many else S.UPLOAD_BUTTON_ONE
    limit = S.UPLOAD_LIMIT.format(mb=st.get_option("server.maxUploadSize"))
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {font-size: 0;}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
        f' {{content: "{button}"; font-size: 0.875rem;}}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0;}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after {{content: "{limit}"; font-size: 0.875rem;}}'
        # A chosen file's size reads «1.6KB»: no CSS can say it in Russian, so it is not shown.
        '[data-testid="stFileChipName"] + div {display: none;}'
        "</style>"
    )
