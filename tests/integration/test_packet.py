"""The agenda-packet PDF of an approved statement, read back with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from app.extensions import db
from app.models import Item
from app.operations import gate, packet, publication, statements
from tests.factories import complete_answers
from workflows import questionnaire

EARLIER = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def approved(world):
    world.item("2026-00838", state="ready_to_agendize", title="SCORE Work Plan",
               body="City Council", location="Citywide", contact="Ana Ruiz, 916-808-0000",
               meeting_date=date(2027, 3, 2))
    return world


class TestPacket:
    def test_header_and_every_section(self, approved):
        item = publication.approved_item("2026-00838")
        reader, text = pdf_text(packet.render(item))
        text = flat(text)
        assert text.count("Racial Equity Impact and Sustainability Statement") >= 2  # title + footer
        for expected in ("File ID 2026-00838", "SCORE Work Plan", "Department of Utilities (DOU)",
                         "Legislative body City Council", "Meeting Tuesday, March 2, 2027",
                         "Financial Considerations", "Funded."):
            assert expected in text, expected
        for number, section in enumerate(questionnaire.SECTIONS, start=1):
            assert f"{number}. {section.title}" in text, section.title
        assert "Form approved Full statement" in text
        assert complete_answers()["proposal"][:60] in text
        assert f"Page 1 of {len(reader.pages)}" in text
        assert reader.metadata.title == "Racial Equity Impact and Sustainability Statement: file 2026-00838"
        assert reader.metadata.author == "Department of Utilities"
        outline = [entry.title for entry in reader.outline if not isinstance(entry, list)]
        assert outline[0] == "Racial Equity Impact and Sustainability Statement"

    def test_approvals_name_who_gave_them_and_the_city_date(self, approved):
        item = publication.approved_item("2026-00838")
        approvals = publication.approvals(item.statement)
        assert approvals.department is not None and approvals.ode is not None
        _, text = pdf_text(packet.render(item))
        day = approvals.ode.astimezone(ZoneInfo("America/Los_Angeles"))
        text = flat(text)
        assert f"ODE approval Ode, {day:%B} {day.day}, {day.year}" in text
        assert "Department approval Approver, " in text and "Submitted Staff, " in text
        assert "@test.reis" not in text  # names, not email addresses

    def test_an_evening_approval_prints_the_city_date(self, world):
        """7:28 PM Pacific on 30 November is 1 December in UTC: the packet says November 30."""
        with time_machine.travel(EARLIER, tick=False):  # the other dates in the packet are not December 1
            world.item("2026-00838", state="ode_review", meeting_date=date(2027, 3, 2))
        with time_machine.travel(datetime(2026, 12, 1, 3, 28, tzinfo=UTC), tick=False):
            statements.fire_event(world["ode"].user, "2026-00838", "approve")
        _, text = pdf_text(packet.render(publication.approved_item("2026-00838")))
        assert "ODE approval Ode, November 30, 2026" in flat(text)
        assert "December 1" not in text

    def test_fields_the_item_lacks_are_left_out(self, world):
        world.item("2026-00838", state="ready_to_agendize", meeting_date=date(2027, 3, 2))
        _, text = pdf_text(packet.render(publication.approved_item("2026-00838")))
        for label in ("Item type", "Legislative body", "Location", "Contact"):
            assert label not in text, label
        assert not any(line.rstrip().endswith("—") for line in text.splitlines())  # no row printed empty

    def test_no_heading_is_stranded_at_the_foot_of_a_page(self, world, monkeypatch):
        """Fiscal statements of growing length move every heading through every position on
        the page; whatever the length, a page never ends with a heading. (The built-in font:
        the rule is the same, and the 24 PDFs take a second instead of twenty.)"""
        monkeypatch.setattr(packet, "FONT_DIRS", ())
        headings = {"Financial Considerations",
                    *(f"{n}. {s.title}" for n, s in enumerate(questionnaire.SECTIONS, start=1))}
        world.item("2026-00838", state="ready_to_agendize", meeting_date=date(2027, 3, 2))
        item = publication.approved_item("2026-00838")
        for lines in range(0, 48, 2):
            item.fiscal_statement = "\n".join(f"Line {n} of the fiscal statement." for n in range(lines))
            reader = PdfReader(io.BytesIO(packet.render(item)))
            for number, page in enumerate(reader.pages, start=1):
                body = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
                body = [line for line in body if "Page " not in line]  # the footer
                assert body[-1] not in headings, (lines, number, body[-1])
        db.session.rollback()

    def test_unicode_answers_print_as_typed(self, approved, world, monkeypatch):
        if packet.unicode_font() is None:
            pytest.skip("DejaVu Sans is not installed (Debian fonts-dejavu-core); "
                        "the fallback is tested below")
        typed = "Barrio Logan — Día de la comunidad; Tiếng Việt; Русский; “quoted”"
        self._reopen_with(world, typed)
        _, text = pdf_text(packet.render(publication.approved_item("2026-00838")))
        assert typed in flat(text)

    def test_without_a_unicode_font_the_text_still_prints(self, approved, world, monkeypatch):
        monkeypatch.setattr(packet, "FONT_DIRS", ())
        self._reopen_with(world, "Día de la comunidad — 社区")
        _, text = pdf_text(packet.render(publication.approved_item("2026-00838")))
        assert "Día de la comunidad — ??" in flat(text)

    def _reopen_with(self, world, text: str) -> None:
        """Unapproved, edited and approved again through the real operations."""
        from app.operations import items

        items.update_item(world["staff"].user, "2026-00838", {"title": "SCORE Work Plan (revised)"})
        answers = {**complete_answers(), "proposal": text}
        version = db.session.scalar(db.select(Item).where(Item.file_id == "2026-00838")).statement.version
        statements.save_answers(world["staff"].user, "2026-00838", answers, version=version)
        statements.fire_event(world["staff"].user, "2026-00838", "submit")
        statements.fire_event(world["approver"].user, "2026-00838", "approve")
        statements.fire_event(world["ode"].user, "2026-00838", "approve")


class TestPacketRoutes:
    def test_signed_in_users_get_any_approved_statement(self, approved, client):
        r = client.get("/packets/2026-00838.pdf", headers=approved["clerk"].headers)
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert r.data.startswith(b"%PDF-")
        assert 'filename="REIS-2026-00838.pdf"' in r.headers["Content-Disposition"]

    def test_no_token_no_packet(self, approved, client):
        r = client.get("/packets/2026-00838.pdf")
        assert r.status_code == 401 and r.json["error"] == "unauthorized"

    @pytest.mark.parametrize("state", ["draft", "department_review", "ode_review"])
    def test_unapproved_statements_have_no_packet(self, world, client, state):
        world.item("2026-00001", state=state)
        r = client.get("/packets/2026-00001.pdf", headers=world["clerk"].headers)
        assert r.status_code == 404 and r.json["error"] == "not_found"

    def test_the_public_pdf_needs_the_item_on_an_agenda(self, approved, client):
        assert client.get("/public/statements/2026-00838/packet.pdf").status_code == 404
        gate.agendize(approved["clerk"].user, "2026-00838")
        r = client.get("/public/statements/2026-00838/packet.pdf")
        assert r.status_code == 200 and r.data.startswith(b"%PDF-")
