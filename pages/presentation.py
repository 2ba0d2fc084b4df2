"""«Презентация»: one idea per screen for a speaker at a TOS congress, with downloads."""

import streamlit as st

import strings as S
from analytics.dataset import describe_filters
from reports.slides import ImageExportError
from ui import data, state
from ui.export import presentation_slides, slides_file
from ui.navigation import ensure_app_navigation
from ui.widgets import md

ensure_app_navigation()

# Projector mode: no sidebar, large type, strong contrast. Static CSS of our own, no user text.
st.markdown(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
    [data-testid="stMainBlockContainer"] {padding-top: 1.5rem; max-width: 100%;}
    [data-testid="stMetricValue"] {font-size: 5rem; font-weight: 800; color: #0057B8;}
    [data-testid="stMetricLabel"] p {font-size: 1.6rem; color: #111;}
    h1 {font-size: 3rem !important; color: #111;}
    </style>""",
    unsafe_allow_html=True,
)

ds = data.dataset()
filters = state.current_filters()
slides = presentation_slides(filters)
if not slides:
    st.warning(S.EMPTY_NO_DATA)
    st.stop()

titles = {s.key: s.title for s in slides}
if st.session_state.get("pres_slide") not in titles:
    st.session_state["pres_slide"] = slides[0].key
keys = list(titles)
nav_left, nav_mid, nav_right = st.columns([1, 10, 1])
index = keys.index(st.session_state["pres_slide"])
if nav_left.button("◀", disabled=index == 0, key="pres_prev", use_container_width=True):
    st.session_state["pres_slide"] = keys[index - 1]
    st.rerun()
if nav_right.button("▶", disabled=index == len(keys) - 1, key="pres_next", use_container_width=True):
    st.session_state["pres_slide"] = keys[index + 1]
    st.rerun()
nav_mid.segmented_control("Слайд", keys, format_func=titles.get, key="pres_slide", label_visibility="collapsed")

slide = next(s for s in slides if s.key == st.session_state["pres_slide"])
st.title(slide.title)
st.metric(slide.kpi_label, slide.kpi)
st.plotly_chart(slide.figure, theme=None, config={"displaylogo": False, "displayModeBar": False})
st.caption(md(slide.source))

st.divider()
st.caption(f"Территория и годы — из фильтров панели: {md(describe_filters(ds, filters))}.")
# The sidebar is hidden here, so the way back (and to the filters) is a link.
st.page_link("pages/overview.py", label=f"Изменить территорию и годы: вернуться на «{S.PAGE_OVERVIEW}»", icon=":material/arrow_back:")
c1, c2, c3 = st.columns(3)
if c1.button("Картинка этого графика (PNG)", key="pres_png_build"):
    with st.spinner("Рисую картинку…"):
        try:
            st.session_state["pres_png_data"] = (slide.key, filters, slides_file(filters, "png", slide.key))
        except ImageExportError as exc:
            st.error(str(exc))
ready = st.session_state.get("pres_png_data")
if ready and ready[0] == slide.key and ready[1] == filters:
    c1.download_button("Скачать PNG", ready[2], file_name=f"ТОС_{slide.key}.png", mime="image/png", key="pres_png")
if c2.button("Презентация PowerPoint (.pptx)", key="pres_pptx_build"):
    with st.spinner("Собираю презентацию…"):
        st.session_state["pres_pptx_data"] = (filters, slides_file(filters, "pptx"))
ready = st.session_state.get("pres_pptx_data")
if ready and ready[0] == filters:
    c2.download_button("Скачать .pptx", ready[1], file_name="ТОС_презентация.pptx", mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", key="pres_pptx")
if c3.button("Все слайды одним HTML (без интернета)", key="pres_html_build"):
    with st.spinner("Собираю HTML…"):
        st.session_state["pres_html_data"] = (filters, slides_file(filters, "html"))
ready = st.session_state.get("pres_html_data")
if ready and ready[0] == filters:
    c3.download_button("Скачать .html", ready[1], file_name="ТОС_презентация.html", mime="text/html", key="pres_html")
