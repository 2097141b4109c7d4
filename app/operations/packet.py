"""The agenda-packet PDF: one approved statement laid out like a staff-report attachment.

Why fpdf2: it is a maintained, pure-Python library (no system libraries, no
headless browser) that writes small PDFs with real text (so the packet is
searchable and a screen reader or ``pypdf`` can extract it), document
metadata and language, bookmarks for each section, automatic page breaks
and "page N of M" footers. ReportLab would do too, but its layout engine
(Platypus) is far more than one fixed document needs, and fpdf2's API keeps
this module short.

Fonts: with DejaVu Sans installed (Debian's fonts-dejavu-core) the text is
embedded as Unicode: Latin (Spanish, Vietnamese, Tagalog...), Greek, Cyrillic
and more print as typed, and a CJK font, when one is installed (Debian's
fonts-noto-cjk or fonts-droid-fallback), is used for the characters DejaVu
lacks. Without DejaVu the PDF falls back to the built-in Helvetica in
Windows-1252, which covers English and Spanish; any other character prints
as "?", never as an error.

Layout rules a reader notices: a section heading is never the last thing on
a page (it moves to the next page with its question and the start of its
answer), a field the item does not have is left out rather than printed
empty, and the approvals name who gave them, with the City date.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import cast

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.dates import long_date
from app.models import Item
from app.operations import publication

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts/dejavu"))
FALLBACK_FONTS = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
                  Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"))
TITLE = "Racial Equity Impact and Sustainability Statement"
_INK, _MUTED, _RULE = (20, 20, 20), (90, 90, 90), (160, 160, 160)


def unicode_font() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def _by(name: str | None, moment: datetime | None) -> str | None:
    """ "Ana Ruiz, November 30, 2026" (the City's date); None when it has not happened."""
    if moment is None:
        return None
    return f"{name}, {long_date(moment)}" if name else long_date(moment)


class _Packet(FPDF):
    def __init__(self, file_id: str) -> None:
        super().__init__(format="Letter", unit="mm")
        self.item_file_id = file_id
        fonts = unicode_font()
        if fonts:
            self.add_font("Body", "", str(fonts[0]))
            self.add_font("Body", "B", str(fonts[1]))
            self.family_name = "Body"
            fallback = next((f for f in FALLBACK_FONTS if f.is_file()), None)
            if fallback is not None:
                self.add_font("Fallback", "", str(fallback))
                self.set_fallback_fonts(["Fallback"], exact_match=False)
        else:
            self.core_fonts_encoding = "windows-1252"
            self.family_name = "Helvetica"
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(True, margin=20)

    def safe(self, text: str) -> str:
        if self.family_name != "Helvetica":
            return text
        return text.encode("windows-1252", "replace").decode("windows-1252")

    def header(self) -> None:
        self.set_font(self.family_name, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, self.safe(f"Agenda packet attachment · File {self.item_file_id}"), align="R",
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family_name, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, self.safe(f"{TITLE} · File {self.item_file_id} · Page {self.page_no()} of {{nb}}"),
                  align="C")

    def heading(self, text: str, size: float, level: int, keep_with: float = 0) -> None:
        """A heading; ``keep_with``: the height of what must follow it on the same page."""
        self.set_font(self.family_name, "B", size)
        needed = self._height(text, size * 0.5) + keep_with
        if self.will_page_break(needed) and self.get_y() > self.t_margin + 20:
            self.add_page()  # never strand a heading at the foot of a page
        self.start_section(self.safe(text), level=level)
        self.set_font(self.family_name, "B", size)
        self.set_text_color(*_INK)
        self.multi_cell(0, size * 0.5, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _height(self, text: str, line: float) -> float:
        """How tall ``text`` would print in the current font (nothing is drawn)."""
        # fpdf2 types every kind of output together; output="HEIGHT" is the height alone
        return cast(float, self.multi_cell(0, line, self.safe(text), dry_run=True, output="HEIGHT"))

    def paragraph_height(self, text: str, size: float = 10.5, lines: int | None = None) -> float:
        self.set_font(self.family_name, "", size)
        height = self._height(text, 5.2)
        return height if lines is None else min(height, lines * 5.2)

    def paragraph(self, text: str, size: float = 10.5, color=_INK) -> None:
        self.set_font(self.family_name, "", size)
        self.set_text_color(*color)
        self.multi_cell(0, 5.2, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label: str, value: str) -> None:
        self.set_font(self.family_name, "B", 9.5)
        self.set_text_color(*_MUTED)
        self.cell(46, 5.6, self.safe(label))
        self.set_font(self.family_name, "", 10)
        self.set_text_color(*_INK)
        self.multi_cell(0, 5.6, self.safe(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rule(self) -> None:
        self.ln(2)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)


def render(item: Item) -> bytes:
    """The PDF of one item's approved statement (callers check that it is approved)."""
    statement = item.statement
    approved = publication.approvals(statement)
    form = publication.form(statement)
    meeting = item.agendized_for or item.meeting_date
    department = f"{item.department.name} ({item.department.code})"
    rows = [  # (label, value); a value the item does not have is left out
        ("File ID", item.file_id), ("Department", department), ("Legislative body", item.body),
        ("Meeting", long_date(meeting, weekday=True) if meeting else None), ("Item type", item.item_type),
        ("Location", item.location), ("Contact", item.contact),
        ("Form approved", f"{form.title}: {form.category}" if form.category else form.title),
        ("Submitted", _by(approved.submitted_by, approved.submitted)),
        ("Department approval", _by(approved.department_by, approved.department)),
        ("ODE approval", _by(approved.ode_by, approved.ode)),
    ]
    pdf = _Packet(item.file_id)
    pdf.set_title(f"{TITLE}: file {item.file_id}")
    pdf.set_subject(item.title)
    pdf.set_author(item.department.name)
    pdf.set_creator("REIS engine")
    pdf.set_lang("en-US")
    pdf.add_page()
    pdf.heading(TITLE, 16, 0)
    pdf.ln(1)
    pdf.paragraph(item.title, 12)
    pdf.rule()
    for label, value in rows:
        if value and value.strip():
            pdf.field(label, value)
    pdf.rule()
    if form.name == "exemption":
        pdf.paragraph("The Office of Diversity & Equity approved this item's exemption request: it needs "
                      "no racial equity analysis of its own. The category and the reason follow.", 10, _MUTED)
        pdf.ln(2)
    fiscal = item.fiscal_statement or "None given."
    pdf.heading("Financial Considerations", 12, 1, keep_with=pdf.paragraph_height(fiscal, lines=2))
    pdf.paragraph(fiscal)
    for number, answer in enumerate(publication.answers(statement), start=1):
        pdf.ln(3)
        first = answer.text or (f"•  {answer.choices[0]}" if answer.choices else "Not answered.")
        keep = pdf.paragraph_height(answer.prompt, 9) + 1 + pdf.paragraph_height(first, lines=2)
        pdf.heading(f"{number}. {answer.title}", 12, 1, keep_with=keep)
        pdf.paragraph(answer.prompt, 9, _MUTED)
        pdf.ln(1)
        if answer.text:
            pdf.paragraph(answer.text)
        elif answer.choices:
            for label in answer.choices:
                pdf.paragraph(f"•  {label}")
        else:
            pdf.paragraph("Not answered (optional section).", 10, _MUTED)
    return bytes(pdf.output())
