"""«Презентация»: one idea per screen for a speaker at a TOS congress, with downloads."""

import streamlit as st

import strings as S
from analytics.dataset import describe_filters
from reports.slides import ImageExportError
from ui import data, state
from ui.export import presentation_slides, slides_file
from ui.navigation import ensure_app_navigation
from ui.widgets import download_on_request, md

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
# «2016–2026 гг.» already ends with a full stop.
st.caption(f"Территория и годы — из фильтров панели: {md(describe_filters(ds, filters).rstrip('.'))}.")
# The sidebar is hidden here, so the way back (and to the filters) is a link.
st.page_link("pages/overview.py", label=f"Изменить территорию и годы: вернуться на «{S.PAGE_OVERVIEW}»", icon=":material/arrow_back:")
c1, c2, c3 = st.columns(3)
download_on_request(
    c1, "pres_png", (slide.key, filters), "Картинка этого графика (PNG)", lambda: (slides_file(filters, "png", slide.key), f"ТОС_{slide.key}.png"),
    "image/png", "Рисую картинку…", download_label="Скачать PNG", errors=(ImageExportError,),
)  # fmt: skip
download_on_request(
    c2, "pres_pptx", filters, "Презентация PowerPoint (.pptx)", lambda: (slides_file(filters, "pptx"), "ТОС_презентация.pptx"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "Собираю презентацию…", download_label="Скачать .pptx",
)  # fmt: skip
download_on_request(
    c3, "pres_html", filters, "Все слайды одним HTML (без интернета)", lambda: (slides_file(filters, "html"), "ТОС_презентация.html"),
    "text/html", "Собираю HTML…", download_label="Скачать .html",
)  # fmt: skip
