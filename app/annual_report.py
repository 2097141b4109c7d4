"""The annual progress report as one PDF: the year's metrics, the charts, both narratives,
and the list of statements and report-backs (``reis report annual``, and ``/reports``).

Laid out with fpdf2 as the agenda packet is (``app.operations.packet``: same fonts,
same headings that never strand at a page's foot). The charts are the reports'
(``app.web.report_charts``) drawn as bars with their figures printed beside them,
so the PDF carries the numbers as text. The report is written in English, like
the packet, whoever asks for it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale

from app import dates
from app.charts import Chart
from app.extensions import db
from app.operations import metrics, narratives, report_backs
from app.operations import metrics_sql as q
from app.operations.packet import _INK, _MUTED, _Packet
from app.web import report_charts

TITLE = "Annual progress report"
SUBTITLE = "Racial Equity Impact and Sustainability Statements"
BAR_MAX_MM, LABEL_MM = 70, 62
PAGES = "{pages:}"


class _Annual(_Packet):
    def __init__(self, year: int) -> None:
        super().__init__("")
        self.year = year
        self.alias_nb_pages(PAGES)  # room for a five-digit page count (a 100,000-statement year)

    def header(self) -> None:
        self.set_font(self.family_name, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, self.safe(f"{TITLE} {self.year}"), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family_name, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, self.safe(f"{SUBTITLE} · {TITLE} {self.year} · Page {self.page_no()} of {PAGES}"),
                  align="C")

    def chart(self, chart: Chart) -> None:
        keep = self.paragraph_height(chart.caption, 9) + 7 * max(len(chart.bars), 1)
        self.heading(chart.title, 12, 1, keep_with=keep)
        self.paragraph(chart.caption, 9, _MUTED)
        self.ln(1)
        if not chart.has_data:
            self.paragraph(chart.empty, 10, _MUTED)
            return
        top = max(b.value for b in chart.bars) or 1
        for bar in chart.bars:
            y = self.get_y()
            self.set_font(self.family_name, "", 9)
            self.set_text_color(*_INK)
            self.cell(LABEL_MM, 6, self.safe(bar.label[:40]))
            length = 0 if bar.value <= 0 else max(0.8, BAR_MAX_MM * bar.value / top)
            self.set_fill_color(11, 79, 108)
            if length:
                self.rect(self.l_margin + LABEL_MM, y + 1, length, 4, style="F")
            self.set_x(self.l_margin + LABEL_MM + length + 2)
            self.cell(0, 6, self.safe(bar.end), new_x="LMARGIN", new_y="NEXT")
            if bar.short is not None and bar.shown != bar.short:  # the full figures, under the bar
                self.set_x(self.l_margin + LABEL_MM)
                self.set_font(self.family_name, "", 8)
                self.set_text_color(*_MUTED)
                self.multi_cell(0, 4, self.safe(bar.shown), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)


def _figures(m: dict) -> list[tuple[str, str]]:
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    cycles = m["cycle_business_days"]["submit_to_ready"]
    rb = m["report_backs"]
    return [("Statements", str(m["statements"]["total"])),
            ("Ready to agendize", str(m["statements"]["by_state"].get("ready_to_agendize", 0))),
            ("Return rate", pct(m["return_rate"])), ("On time for the meeting", pct(m["on_time_rate"])),
            ("Late", str(m["late"])), ("Stalled", str(m["stalled"])),
            ("Submission to ready", "—" if not cycles["n"] else
             f"median {cycles['median']} business days, 90th percentile {cycles['p90']}"),
            ("Report-backs", f"{rb['due']} owed, {rb['reported']} reported, {rb['overdue']} overdue")]


def render(year: int) -> bytes:
    """The PDF of ``year``'s report: the statements of the items created that year (City dates)."""
    account = narratives.read(year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    figures = metrics.compute(start, end, None)
    with force_locale("en"):
        charts = report_charts.charts(figures)
    pdf = _Annual(year)
    pdf.set_title(f"{TITLE} {year}")
    pdf.set_subject(SUBTITLE)
    pdf.set_creator("REIS engine")
    pdf.set_lang("en-US")
    pdf.add_page()
    pdf.heading(f"{TITLE} {year}", 18, 0)
    pdf.paragraph(f"{SUBTITLE}: the statements of the items created from {dates.long_date(start)} to "
                  f"{dates.long_date(end)}. Prepared {dates.long_date(dates.today())}.", 10, _MUTED)
    pdf.rule()
    pdf.heading("The year in figures", 14, 0)
    for label, value in _figures(figures):
        pdf.field(label, value)
    for title, text in (("The Office of Diversity & Equity's account", account.ode),
                        ("The community partners' account", account.community)):
        pdf.ln(3)
        pdf.heading(title, 14, 0, keep_with=pdf.paragraph_height(text or "-", lines=3))
        pdf.paragraph(text or "Not written yet.", 10.5, _INK if text else _MUTED)
    pdf.add_page()
    pdf.heading("Charts", 14, 0)
    for chart in charts:
        pdf.chart(chart)
    _lists(pdf, start, end)
    return bytes(pdf.output())


def _lists(pdf: _Annual, start: date, end: date) -> None:
    pdf.add_page()
    pdf.heading("The statements", 14, 0)
    rows = list(metrics.csv_rows(start, end, None))[1:]
    if not rows:
        pdf.paragraph("No item was created this year.", 10, _MUTED)
    for r in rows:
        file_id, department, state, form = r[0], r[1], r[2], r[3]
        pdf.paragraph(f"{file_id} · {department} · {state.replace('_', ' ')} · {form}", 9)
    pdf.ln(3)
    pdf.heading("The report-backs", 14, 0)
    owed = db.session.execute(q.owed_in(metrics.scope(start, end, None))).all()
    if not owed:
        pdf.paragraph("No report-back is owed for this year's items.", 10, _MUTED)
    today = dates.today()
    for file_id, row in owed:
        status = report_backs.status_of(row, today)
        result = f": {row.result}" if row.result else ""
        pdf.paragraph(f"{file_id}, report-back {row.n}: {row.name} (target {row.target}; due "
                      f"{dates.long_date(row.due)}) — {status}{result}", 9)
