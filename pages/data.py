"""«Данные» (staff): upload files, preview what was found, save; the documents; the template."""

import streamlit as st

import strings as S
from analytics.conflicts import conflicts
from analytics.dataset import Filters
from analytics.documents import uploaded_documents_view
from analytics.formatting import fmt_int
from store.ingest import delete_document
from ui import auth, data, tables, upload, widgets
from ui.navigation import ensure_app_navigation

ensure_app_navigation()
actor = auth.require_staff_page()

ds = data.dataset()
widgets.page_header(S.PAGE_DATA, ds, None)

st.subheader(S.DATA_UPLOAD)
widgets.russian_file_uploader(many=True)
files = st.file_uploader(
    S.DATA_UPLOAD_HELP,
    accept_multiple_files=True,
    type=["xlsx", "xlsm", "xls", "csv", "txt", "tsv", "docx", "pdf", "geojson", "json", "kml", "kmz", "zip", "gpkg"],
    # A new key after save or cancel empties the uploader, so saved files are not parsed again by mistake.
    key=f"data_files_{st.session_state.get('data_files_round', 0)}",
)
if files and st.button(S.DATA_PARSE, type="primary"):
    st.session_state[upload.PENDING] = upload.parse_uploads(files)
    st.session_state.pop(upload.RESULTS, None)

pending = st.session_state.get(upload.PENDING) or []
if pending:
    ok = [p for p in pending if p.doc is not None]
    st.markdown(f"**Разобрано файлов: {len(pending)}; можно сохранить: {len(ok)}; отклонено: {len(pending) - len(ok)}.** Ничего ещё не сохранено.")
    for p in pending:
        with st.container(border=True):
            st.markdown(f"**{widgets.md(p.name)}**")
            upload.preview(p)
    c1, c2 = st.columns([1, 5])
    if c1.button(S.DATA_SAVE, type="primary", disabled=not pending):
        with st.spinner("Сохраняю…"):
            st.session_state[upload.RESULTS] = upload.save_pending(data.engine(), pending, actor)
        st.session_state.pop(upload.PENDING, None)
        st.session_state["data_files_round"] = st.session_state.get("data_files_round", 0) + 1
        st.rerun()
    if c2.button(S.DATA_CANCEL):
        st.session_state.pop(upload.PENDING, None)
        st.session_state["data_files_round"] = st.session_state.get("data_files_round", 0) + 1
        st.rerun()

for result in st.session_state.get(upload.RESULTS) or []:
    {"stored": st.success, "duplicate": st.info, "rejected": st.error}[result.status](widgets.md(result.message))

st.subheader(S.DATA_DOCUMENTS)
docs = ds.documents
if docs.empty:
    st.info("Документов пока нет.")
else:
    view = uploaded_documents_view(ds)
    st.caption(f"Документов: {fmt_int(len(docs))}. «Из них заменено» — строки, которые заменил более новый реестр того же муниципалитета.")
    st.dataframe(view, hide_index=True, column_config={"Демо": st.column_config.CheckboxColumn("Демо")}, placeholder=S.UNKNOWN)
    names = dict(zip(docs["document_id"], docs["file_name"], strict=True))
    chosen = st.selectbox("Замечания и действия по документу", list(names), format_func=names.get, key="data_doc")
    doc = docs[docs["document_id"] == chosen].iloc[0]
    if doc["status"] == "rejected":
        st.error(widgets.md(doc["error"]))
    elif doc["warnings"]:
        widgets.warnings_table(doc["warnings"])
    else:
        st.caption("Замечаний нет.")
    with st.expander("Удалить документ"):
        st.write("Удаляются документ и все полученные из него данные; строки, которые он заменил, снова становятся действующими.")
        sure = st.checkbox(f"Да, удалить «{doc['file_name']}»", key="data_delete_sure")
        if st.button("Удалить", disabled=not sure):
            delete_document(data.engine(), chosen, actor=actor)
            st.session_state.pop("data_delete_sure", None)
            st.rerun()

st.subheader("Расхождения между источниками")
found = conflicts(ds, Filters(), data.document_data())
if found.empty:
    st.caption("Реестры, протоколы и паспорта не расходятся в числе ТОС и жителей в их границах.")
else:
    st.caption(
        f"Найдено расхождений: {fmt_int(len(found))}. Протокол или паспорт сравнивается с реестром на свою дату; "
        "в расчётах используется реестр, затем протокол, затем паспорт."
    )
    tables.conflicts_table(found)

st.subheader(S.DATA_TEMPLATE)
st.caption(S.DATA_TEMPLATE_HELP)
st.download_button(
    "Скачать шаблон реестра (.xlsx)",
    data=data.registry_template(),
    file_name="Шаблон_реестра_ТОС.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
