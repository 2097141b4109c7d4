"""Bar charts drawn as SVG on the server: the reports' charts, readable without JavaScript.

Why no charting library: the Content-Security-Policy allows no inline script or
style, the charts must read without JavaScript and to a screen reader, and the
PDF report draws the same bars. Horizontal bars with their labels are enough for
every chart the committee looks at, so drawing them is a few lines here: shapes
carry classes (the stylesheet colours them) and geometry attributes only, the
``<svg>`` is an image named by its ``<title>``, and each chart is shown next to a
table of the same figures (``Chart.rows``), which is the accessible form of it.

This module draws; it has no words of its own. Titles, labels and headings come
translated from ``app.web.report_charts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

WIDTH, LABEL_W, ROW_H, BAR_H, PAD = 640, 230, 30, 18, 12
VALUE_W = 90
LABEL_CHARS = 32


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    #: the value as the table says it ("1 of 3 (33%)", "median 2, 90th percentile 7")
    shown: str
    #: the value at the bar's end, when shorter than ``shown`` ("33%", "2")
    short: str | None = None

    @property
    def end(self) -> str:
        return self.shown if self.short is None else self.short


@dataclass(frozen=True)
class Chart:
    key: str  # unique on the page: the ids of its parts
    title: str
    caption: str
    label_heading: str
    value_heading: str
    bars: Sequence[Bar] = field(default_factory=tuple)
    empty: str = ""  # what the chart says when it has nothing to draw

    @property
    def has_data(self) -> bool:
        return any(b.value for b in self.bars)

    def svg(self) -> Markup:
        return bar_svg(self)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def bar_svg(chart: Chart) -> Markup:
    """The chart as an inline ``<svg>`` (role ``img``, named by its title)."""
    top = max((b.value for b in chart.bars), default=0) or 1
    room = WIDTH - LABEL_W - VALUE_W - 2 * PAD
    parts = []
    for i, bar in enumerate(chart.bars):
        y = PAD + i * ROW_H
        length = 0 if bar.value <= 0 else max(2, round(room * bar.value / top))
        parts.append(f'<text class="chart-label" x="{LABEL_W - 8}" y="{y + BAR_H - 4}">'
                     f'{escape(_short(bar.label))}</text>')
        parts.append(f'<rect class="chart-bar" x="{LABEL_W}" y="{y}" width="{length}" height="{BAR_H}"/>')
        parts.append(f'<text class="chart-value" x="{LABEL_W + length + 6}" y="{y + BAR_H - 4}">'
                     f'{escape(bar.end)}</text>')
    height = 2 * PAD + max(len(chart.bars), 1) * ROW_H
    axis = f'<line class="chart-axis" x1="{LABEL_W}" y1="{PAD - 4}" x2="{LABEL_W}" y2="{height - PAD}"/>'
    return Markup(
        f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart.key)}-svg-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart.key)}-svg-title">{escape(chart.title)}</title>'
        + axis + "".join(parts) + "</svg>")
