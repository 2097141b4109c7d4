"""The public statements: only approved statements of agendized items, without sign-in;
accessible, printable, and the same as a JSON feed."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
import time_machine

from app.operations import gate, items, legistar, statements
from tests.factories import complete_answers
from workflows import legistar as legistar_rules
from workflows import questionnaire

MEETING = date(2027, 3, 2)


class Outline(HTMLParser):
    """The page's structure as a screen reader sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)

    def of(self, tag: str) -> list[dict]:
        return [attrs for t, attrs in self.tags if t == tag]


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def published(world):
    """One statement of each kind: published, approved but not agendized, in review, draft."""
    world.item("2026-00838", state="ready_to_agendize", title="SCORE Work Plan", body="City Council",
               meeting_date=MEETING)
    gate.agendize(world["clerk"].user, "2026-00838")
    world.item("2026-00900", state="ready_to_agendize", title="Approved, not on an agenda",
               meeting_date=MEETING)
    world.item("2026-00901", state="ode_review", title="In ODE review", meeting_date=MEETING)
    world.item("2026-00902", state="draft", title="Still a draft", meeting_date=MEETING)
    return world


class TestPages:
    def test_index_lists_meetings_with_published_statements(self, published, client):
        r = client.get("/public/")
        assert r.status_code == 200
        html = r.get_data(as_text=True)
        assert "Tuesday, March 2, 2027" in html and "(1 statement)" in html
        assert 'href="/public/meetings/2027-03-02"' in html

    def test_meeting_lists_only_published_items(self, published, client):
        html = client.get("/public/meetings/2027-03-02").get_data(as_text=True)
        assert "SCORE Work Plan" in html
        for hidden in ("2026-00900", "2026-00901", "2026-00902", "Still a draft", "In ODE review"):
            assert hidden not in html

    @pytest.mark.parametrize("file_id", ["2026-00900", "2026-00901", "2026-00902", "2026-99999"])
    def test_unpublished_statements_do_not_exist_for_the_public(self, published, client, file_id):
        assert client.get(f"/public/statements/{file_id}").status_code == 404
        assert client.get(f"/public/statements/{file_id}/packet.pdf").status_code == 404

    @pytest.mark.parametrize("path", ["/public/meetings/2027-03-03", "/public/meetings/not-a-date",
                                      "/public/meetings/2027-02-30"])
    def test_meetings_without_published_statements(self, published, client, path):
        assert client.get(path).status_code == 404

    def test_statement_page(self, published, client):
        r = client.get("/public/statements/2026-00838")
        assert r.status_code == 200 and r.mimetype == "text/html"
        html = r.get_data(as_text=True)
        for text in ("SCORE Work Plan", "Department of Utilities", "City Council", "Funded.",
                     "Approved by the department", "Approved by the Office of Diversity & Equity"):
            assert text in html, text
        assert "In brief" in html and "Form approved</dt><dd>Full statement</dd>" in html
        for section in questionnaire.SECTIONS[1:]:  # the summary is on top, "in brief"
            assert section.title in html
        choice = questionnaire.get_section("score_goals")
        assert choice.choices[0].label in html  # choices show their labels, not their codes
        assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)

    def test_dates_are_the_citys(self, world, client):
        """An approval at 7:28 PM Pacific on 30 November is 1 December in UTC: every date on
        the page is the City's, so it says November 30."""
        world.item("2026-00838", state="draft", meeting_date=MEETING)
        statements.save_answers(world["staff"].user, "2026-00838", complete_answers(), version=1)
        evening = datetime(2026, 12, 1, 3, 28, tzinfo=UTC)  # 7:28 PM PST, 30 November
        with time_machine.travel(evening, tick=False):
            for event, who in (("submit", "staff"), ("approve", "approver"), ("approve", "ode")):
                statements.fire_event(world[who].user, "2026-00838", event)
            gate.agendize(world["clerk"].user, "2026-00838")
        html = client.get("/public/statements/2026-00838").get_data(as_text=True)
        facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
        assert facts.count('<time datetime="2026-11-30">November 30, 2026</time>') == 3, facts
        assert "December 1, 2026" not in html and 'datetime="2026-12-01"' not in html

    def test_answers_are_escaped(self, world, client):
        world.item("2026-00838", state="draft", meeting_date=MEETING)
        answers = {**complete_answers(), "proposal": '<script>alert("x")</script> & more'}
        statements.save_answers(world["staff"].user, "2026-00838", answers, version=1)
        for event, who in (("submit", "staff"), ("approve", "approver"), ("approve", "ode")):
            statements.fire_event(world[who].user, "2026-00838", event)
        gate.agendize(world["clerk"].user, "2026-00838")
        html = client.get("/public/statements/2026-00838").get_data(as_text=True)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in html

    def test_accessible_structure(self, published, client):
        html = client.get("/public/statements/2026-00838").get_data(as_text=True)
        page = outline(html)
        assert page.of("html")[0]["lang"] == "en"
        assert page.headings.count("h1") == 1 and page.headings[0] == "h1"
        levels = [int(h[1]) for h in page.headings]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no skipped levels
        assert page.of("main")[0]["id"] == "main"
        assert page.of("a")[0] == {"class": "skip-link", "href": "#main"}
        assert any(a.get("aria-current") == "page" for a in page.of("a"))
        assert page.of("meta")[1]["name"] == "viewport"

    def test_printable(self, published, client):
        html = client.get("/public/statements/2026-00838").get_data(as_text=True)
        css_href = outline(html).of("link")[0]["href"]
        with client.get(css_href) as css:  # a file response: close it
            assert css.status_code == 200 and css.mimetype == "text/css"
            assert "@media print" in css.get_data(as_text=True)
        assert "no-print" in html  # navigation and links are left off paper

    def test_no_sign_in_needed_and_no_inline_style_or_script(self, published, client):
        html = client.get("/public/statements/2026-00838").get_data(as_text=True)
        assert "<script" not in html and "style=" not in html  # works under the app's CSP

    def test_meeting_follows_the_imported_agenda_order(self, world, client):
        for file_id in ("2026-00003", "2026-00001", "2026-00002"):
            world.item(file_id, state="ready_to_agendize", meeting_date=MEETING)
            gate.agendize(world["clerk"].user, file_id)
        batch = legistar_rules.Batch()
        batch.add([{"EventId": 1, "EventDate": "2027-03-02T00:00:00", "EventBodyName": "City Council",
                    "EventTime": "5:00 PM"}] + [
            {"EventItemId": n, "EventItemEventId": 1, "EventItemAgendaSequence": n, "EventItemMatterId": n,
             "EventItemMatterFile": f, "EventItemTitle": f} for n, f in
            enumerate(("2026-00002", "2026-00003"), start=1)])
        legistar.apply(batch, "sacramento", "DOU")
        html = client.get("/public/meetings/2027-03-02").get_data(as_text=True)
        positions = [html.index(f) for f in ("2026-00002", "2026-00003", "2026-00001")]
        assert positions == sorted(positions)  # agenda order first, then the rest by file ID

    def test_the_api_meeting_list_follows_the_imported_agenda_order(self, world, client):
        for file_id in ("2026-00003", "2026-00001", "2026-00002"):
            world.item(file_id, state="draft", meeting_date=MEETING)
        world.item("2026-00004", state="draft", meeting_date=date(2027, 4, 6))  # deferred to April
        batch = legistar_rules.Batch()
        batch.add([{"EventId": 1, "EventDate": "2027-03-02T00:00:00", "EventBodyName": "City Council",
                    "EventTime": "5:00 PM"}] + [
            {"EventItemId": n, "EventItemEventId": 1, "EventItemAgendaSequence": n, "EventItemMatterId": n,
             "EventItemMatterFile": f, "EventItemTitle": f} for n, f in
            enumerate(("2026-00004", "2026-00002", "2026-00003"), start=1)])
        legistar.apply(batch, "sacramento", "DOU")
        body = client.get("/api/v1/meetings/2027-03-02/items", headers=world["clerk"].headers).json
        assert [i["file_id"] for i in body["items"]] == [
            "2026-00004", "2026-00002", "2026-00003", "2026-00001"]
        assert all(i["reasons"][0]["code"] == "statement_not_approved" for i in body["items"])


class TestFeed:
    def test_json_feed_of_published_statements(self, published, client):
        r = client.get("/public/feed.json")
        assert r.status_code == 200 and r.mimetype == "application/feed+json"
        feed = r.json
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"].endswith("/public/feed.json")
        (entry,) = feed["items"]
        assert entry["id"] == entry["url"] and entry["url"].endswith("/public/statements/2026-00838")
        assert entry["title"] == "2026-00838: SCORE Work Plan"
        reis = entry["_reis"]
        assert (reis["file_id"], reis["department"], reis["meeting_date"]) == ("2026-00838", "DOU",
                                                                              "2027-03-02")
        assert reis["ode_approved_at"] and reis["department_approved_at"]
        assert set(reis["answers"]) == {s.key for s in questionnaire.SECTIONS}
        assert entry["attachments"][0]["mime_type"] == "application/pdf"
        assert "Proposal and desired results" in entry["content_text"]

    def test_a_reopened_statement_leaves_the_feed(self, published, client):
        gate.unagendize(published["clerk"].user, "2026-00838")
        items.update_item(published["staff"].user, "2026-00838", {"title": "Changed"})
        assert client.get("/public/feed.json").json["items"] == []
        assert client.get("/public/statements/2026-00838").status_code == 404
        assert "No statements have been published yet." in client.get("/public/").get_data(as_text=True)
