"""Exports of the congress slides.

PNG images (kaleido with the system Chromium, offline), a PowerPoint deck with native editable
charts (python-pptx), and a self-contained offline HTML copy.
"""

from __future__ import annotations

import io
import warnings

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analytics.charts import UNFINISHED_OPACITY
from analytics.presentation import HIGH_CONTRAST, SLIDE_HEIGHT, SLIDE_WIDTH, Slide

CHART_TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
}


class ImageExportError(RuntimeError):
    """Chart images need Chromium on the server; the message says how to get it."""


def pngs(slides: list[Slide], scale: float = 1.0) -> list[bytes]:
    """Every slide's chart as PNG, through one headless Chromium for the whole set."""
    import kaleido
    import plotly.io as pio

    try:
        kaleido.start_sync_server(silence_warnings=True)
    except Exception as exc:  # no Chromium: say what to install rather than fail obscurely
        raise ImageExportError(
            "Для экспорта картинок нужен Chromium на сервере (Debian: apt-get install chromium)."
        ) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [pio.to_image(s.figure, format="png", width=SLIDE_WIDTH, height=SLIDE_HEIGHT - 180, scale=scale) for s in slides]
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def png(slide: Slide) -> bytes:
    return pngs([slide])[0]


def _on_white(hex_color: str, opacity: float) -> str:
    """The colour as it looks drawn at `opacity` over white."""
    rgb = [int(hex_color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02X}" for c in rgb)


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def deck(slides: list[Slide], title: str, subtitle: str) -> bytes:
    """A 16:9 deck: a title slide, then one slide per idea with a native, editable chart."""
    prs = Presentation()
    prs.slide_width = Inches(13.333)
    prs.slide_height = Inches(7.5)
    blank = prs.slide_layouts[6]

    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = subtitle

    for s in slides:
        slide = prs.slides.add_slide(blank)
        box = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9))
        p = box.text_frame.paragraphs[0]
        p.text = s.title
        p.font.size = Pt(36)
        p.font.bold = True
        p.alignment = PP_ALIGN.LEFT
        kpi = slide.shapes.add_textbox(Inches(0.5), Inches(1.1), Inches(12.3), Inches(1.2))
        kpi.text_frame.word_wrap = True
        para = kpi.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = s.kpi
        run.font.size = Pt(48)
        run.font.bold = True
        run.font.color.rgb = _rgb(HIGH_CONTRAST[0])
        label_para = kpi.text_frame.add_paragraph()
        label_para.alignment = PP_ALIGN.LEFT
        label = label_para.add_run()
        label.text = s.kpi_label
        label.font.size = Pt(20)
        if s.chart_type == "map":
            _map_picture(slide, s)
        else:
            _native_chart(slide, s)
        foot = slide.shapes.add_textbox(Inches(0.5), Emu(prs.slide_height - Inches(0.8)), Inches(12.3), Inches(0.6))
        foot.text_frame.word_wrap = True
        for i, text in enumerate(t for t in (s.note, s.source) if t):
            fp = foot.text_frame.paragraphs[0] if i == 0 else foot.text_frame.add_paragraph()
            fp.text = text
            fp.font.size = Pt(11)
            fp.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _map_picture(slide, s: Slide) -> None:
    """A map has no native PowerPoint chart: its picture, or a note where Chromium is missing."""
    try:
        image = png(s)
    except ImageExportError as exc:
        box = slide.shapes.add_textbox(Inches(0.5), Inches(2.6), Inches(12.3), Inches(1.0))
        box.text_frame.word_wrap = True
        box.text_frame.paragraphs[0].text = f"Карта не вставлена: {exc} Её можно скачать картинкой или HTML со страницы «Презентация»."
        return
    slide.shapes.add_picture(io.BytesIO(image), Inches(0.5), Inches(2.4), height=Inches(4.4))


def _native_chart(slide, s: Slide) -> None:
    """The slide's series as a native, editable PowerPoint chart in the slide's colours."""
    data = CategoryChartData(number_format=s.number_format)
    data.categories = [str(c) for c in s.categories]
    for name, values in s.series.items():
        data.add_series(name, values)
    frame = slide.shapes.add_chart(CHART_TYPES[s.chart_type], Inches(0.5), Inches(2.4), Inches(12.3), Inches(4.4), data)
    chart = frame.chart
    chart.font.size = Pt(14)
    # The unit lives in the title («…, млн ₽»): the axis alone would show bare «120,0».
    chart.has_title = True
    chart.chart_title.text_frame.text = s.chart_title or s.figure.layout.title.text or s.title
    chart.chart_title.text_frame.paragraphs[0].font.size = Pt(16)
    chart.chart_title.text_frame.paragraphs[0].font.bold = True
    chart.has_legend = len(s.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    chart.value_axis.tick_labels.number_format = s.number_format
    chart.value_axis.tick_labels.number_format_is_linked = False
    for i, series in enumerate(chart.series):
        hex_color = s.colors.get(series.name, HIGH_CONTRAST[i % len(HIGH_CONTRAST)])
        if s.chart_type == "line":
            series.format.line.color.rgb = _rgb(hex_color)
            series.format.line.width = Pt(4)
            continue
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(hex_color)
        # The year not over yet, faint as on the screen (python-pptx has no fill transparency).
        for k, faint in enumerate(s.faint):
            if faint:
                point = series.points[k].format.fill
                point.solid()
                point.fore_color.rgb = _rgb(_on_white(hex_color, UNFINISHED_OPACITY))
    if len(s.series) == 1 and s.chart_type in ("column", "bar"):
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.font.size = Pt(12)
        plot.data_labels.number_format = s.number_format
        plot.data_labels.number_format_is_linked = False


def html(slides: list[Slide], title: str) -> str:
    """One self-contained HTML file (plotly.js inlined once): opens offline on any laptop."""
    import html as html_lib

    parts = [
        "<!DOCTYPE html><html lang='ru'><head><meta charset='utf-8'>",
        f"<title>{html_lib.escape(title)}</title>",
        "<style>body{font-family:Arial,sans-serif;margin:0;color:#111}section{min-height:100vh;padding:32px 48px;"
        "box-sizing:border-box;border-bottom:1px solid #ddd}h1{font-size:44px;margin:0 0 8px}"
        ".kpi{font-size:72px;font-weight:bold;color:#0057B8}.label{font-size:26px;margin-left:12px}"
        ".src{font-size:14px;color:#555;margin-top:8px}</style></head><body>",
        f"<section><h1>{html_lib.escape(title)}</h1></section>",
    ]
    for i, s in enumerate(slides):
        chart = s.figure.to_html(full_html=False, include_plotlyjs="inline" if i == 0 else False, config={"displaylogo": False})
        parts.append(
            f"<section><h1>{html_lib.escape(s.title)}</h1><div><span class='kpi'>{html_lib.escape(s.kpi)}</span>"
            f"<span class='label'>{html_lib.escape(s.kpi_label)}</span></div>{chart}<div class='src'>{html_lib.escape(s.source)}</div></section>"
        )
    parts.append("</body></html>")
    return "".join(parts)
