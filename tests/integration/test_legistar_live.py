"""The live Legistar client and the ``reis legistar`` commands, against a local HTTP server
(``http.server`` in a thread on a free port) that serves the real responses with $top/$skip paging."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.legistar_client import LegistarClient, LegistarError
from app.models import Item
from app.models.legistar import LegistarCursor, LegistarEvent, LegistarEventItem
from app.operations import legistar, legistar_meetings, people
from tests.integration.test_legistar_import import CITY_PATTERN, approve, path_of, snapshot

TOOL_KEYS = ("Matter", "Histories", "Sponsors", "Attachments", "Versions", "Votes", "RollCalls",
             "CodeSections", "attachments")


def load(name: str):
    return json.loads(path_of(name).read_text())


def san_jose() -> dict:
    """The composite file taken apart into what each endpoint of the Web API returns."""
    (event,) = load("sanjose.json")
    rows = event.pop("items")
    matters = [row["Matter"] for row in rows if row.get("Matter")]
    items = [{k: v for k, v in row.items() if k not in TOOL_KEYS} for row in rows]
    return {"events": [event], "eventitems": {event["EventId"]: items}, "matters": matters}


def new_york() -> dict:
    matters = {m["MatterId"]: m for n in ("enacted_matters.json", "matters_filtered.json",
                                          "matters_top5.json") for m in load(n)}
    return {"matters": sorted(matters.values(), key=lambda m: m["MatterId"]),
            "events": load("events_top5.json"), "eventitems": {7: load("event_items_7.json")},
            "bodies": load("bodies_all.json"), "mattertypes": load("matter_types.json"),
            "matterstatuses": load("matter_statuses.json")}


class FakeLegistar(ThreadingHTTPServer):
    """``/v1/{client}/{listing}`` and ``/v1/{client}/events/{id}/eventitems``, paged; filters are
    recorded but not applied (the importer must not depend on the server honouring them)."""

    daemon_threads = True

    def __init__(self, clients: dict[str, dict]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.clients = clients
        self.requests: list[tuple[str, dict]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # the http.server API
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.server.requests.append((url.path, query))
        parts = url.path.strip("/").split("/")
        data = self.server.clients.get(parts[1]) if len(parts) > 2 and parts[0] == "v1" else None
        if data is None or data.get("fail"):
            return self._send(500 if data else 404, {"Message": "no"})
        if "raw" in data:  # a 200 that is not a Legistar response
            return self._send(200, data["raw"])
        if parts[2:] and parts[2] == "events" and len(parts) == 5 and parts[4] == "eventitems":
            rows = data.get("eventitems", {}).get(int(parts[3]), [])
        elif len(parts) == 3:
            rows = data.get(parts[2], [])
        else:
            return self._send(404, {"Message": "no such resource"})
        top, skip = int(query.get("$top", 1000)), int(query.get("$skip", 0))
        return self._send(200, rows[skip:skip + min(top, 1000)])

    def _send(self, status: int, body) -> None:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def server() -> Iterator[FakeLegistar]:
    fake = FakeLegistar({"sanjose": san_jose(), "nyc": new_york(), "broken": {"fail": True},
                         "signin": {"raw": b"<!DOCTYPE html><html><title>Sign in</title></html>"},
                         "deep": {"raw": b"[" * 50_000 + b"]" * 50_000},
                         "error": {"raw": b'{"Message": "An error has occurred.", "ExceptionMessage": '
                                          b'"Agency not found"}'},
                         "oakland": {"events": load("pubSafety_events.json")}})
    thread = threading.Thread(target=fake.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.shutdown()
        fake.server_close()
        thread.join(timeout=10)


@pytest.fixture
def city(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "REIS_FILE_ID_PATTERN", CITY_PATTERN)
    people.create_department("CLK", "Office of the City Clerk")
    return app_ctx


def live(server: FakeLegistar, client: str, page_size: int = 1000, **kwargs) -> legistar.Report:
    api = LegistarClient(server.base_url, client, token=kwargs.pop("token", None), page_size=page_size)
    return legistar.import_live(api, client, default_department="CLK", today=date(2026, 1, 5), **kwargs)


class TestLiveImport:
    def test_san_jose_as_the_web_api_serves_it(self, city, server):
        report = live(server, "sanjose")
        assert len(report.created) == 29
        assert (report.events_written, report.event_items_written) == (1, 41)
        assert [p for p, _ in server.requests] == [
            "/v1/sanjose/bodies", "/v1/sanjose/mattertypes", "/v1/sanjose/matterstatuses",
            "/v1/sanjose/matters", "/v1/sanjose/events", "/v1/sanjose/events/1080/eventitems"]
        meeting = db.session.scalar(select(Item.meeting_date).where(Item.file_id == "17-052"))
        assert meeting == date(2017, 9, 12)
        order = list(legistar_meetings.agenda_order(date(2017, 9, 12)))
        assert order[:4] == ["17-052", "17-106", "17-110", "17-069"]

    def test_paging_and_the_cursor(self, city, monkeypatch, server):
        monkeypatch.setitem(city.config, "REIS_TIMEZONE", "America/New_York")
        report = live(server, "nyc", page_size=4)
        assert len(report.created) == 26  # 25 matters + T1999-1 from event 7's agenda
        skips = [int(q["$skip"]) for p, q in server.requests if p == "/v1/nyc/matters"]
        assert skips == [0, 4, 8, 12, 16, 20, 24]  # 25 matters: six full pages and one of 1
        assert all(q["$top"] == "4" and q["$orderby"] == "MatterId" for p, q in server.requests
                   if p == "/v1/nyc/matters")
        assert "$filter" not in server.requests[3][1]  # the first run asks for everything
        cursor = db.session.scalar(select(LegistarCursor).where(LegistarCursor.client == "nyc"))
        assert cursor.matters_modified.isoformat() == "2025-03-12T14:14:13.830000+00:00"

        before = snapshot()
        server.requests.clear()
        again = live(server, "nyc", page_size=4)
        assert not again.changed and again.created == [] and again.updated == []
        assert snapshot() == before
        matters_query = next(q for p, q in server.requests if p == "/v1/nyc/matters")
        assert matters_query["$filter"] == "MatterLastModifiedUtc ge datetime'2025-03-12T14:14:13.830'"
        events_query = next(q for p, q in server.requests if p == "/v1/nyc/events")
        assert "EventDate ge datetime'2026-01-05T00:00:00'" in events_query["$filter"]

    def test_a_thousand_meetings_in_pages(self, city, server):
        report = live(server, "oakland", page_size=250)
        assert report.events_written == 1000 and report.created == []
        pages = [q["$skip"] for p, q in server.requests if p == "/v1/oakland/events"]
        assert pages == ["0", "250", "500", "750", "1000"]
        assert db.session.scalar(select(func.count()).select_from(LegistarEvent)) == 1000

    def test_an_agenda_row_removed_in_legistar_goes(self, city, server):
        live(server, "sanjose")
        server.clients["sanjose"]["eventitems"][1080].pop()  # the last row left the agenda
        report = live(server, "sanjose")
        assert report.event_items_removed == 1
        assert db.session.scalar(select(func.count()).select_from(LegistarEventItem)) == 40

    def test_the_token_is_sent_and_never_shown(self, city, server):
        live(server, "sanjose", token="s3cret")
        assert {q.get("token") for _, q in server.requests} == {"s3cret"}
        api = LegistarClient(server.base_url, "broken", token="s3cret")
        with pytest.raises(LegistarError) as caught:
            api.matters(None)
        assert "HTTP 500" in str(caught.value) and "s3cret" not in str(caught.value)

    def test_nothing_listening(self, city):
        api = LegistarClient("http://127.0.0.1:9/v1", "sanjose", timeout=2)
        with pytest.raises(LegistarError, match="could not be reached"):
            api.matters(None)


class TestCommands:
    def invoke(self, app, *args):
        return app.test_cli_runner().invoke(args=["legistar", *args], catch_exceptions=False)

    def test_import_files_prints_the_report(self, city):
        result = self.invoke(city, "import", "--file", str(path_of("sanjose.json")),
                             "--file", str(path_of("pubSafety_190423-eventItems.json")),
                             "--default-department", "CLK")
        assert result.exit_code == 0, result.output
        assert "items: 36 created, 0 updated (0 statements reopened), 0 unchanged" in result.output
        assert "skipped: heading 20" in result.output
        assert "read: event 1, event item 56, matter 29" in result.output
        again = self.invoke(city, "import", "--file", str(path_of("sanjose.json")), "--json")
        assert json.loads(again.output)["unchanged"] == 29

    def test_import_live_from_the_command_line(self, city, server):
        result = self.invoke(city, "import", "--client", "sanjose", "--base-url", server.base_url,
                             "--token", "s3cret", "--since", "2017-01-01", "--default-department", "CLK")
        assert result.exit_code == 0, result.output
        assert "29 created" in result.output and "s3cret" not in result.output
        query = next(q for p, q in server.requests if p == "/v1/sanjose/matters")
        # midnight in San Jose (PST) is 08:00 UTC
        assert query["$filter"] == "MatterLastModifiedUtc ge datetime'2017-01-01T08:00:00.000'"

    @pytest.mark.parametrize("args, message", [
        ((), "give --client NAME"), (("--file", "x.json"), "does not exist"),
        (("--client", "broken", "--base-url", "http://127.0.0.1:9/v1"), "could not be reached"),
        (("--client", "sanjose", "--default-department", "NOPE"), "no department has code 'NOPE'"),
        (("--client", "sanjose", "--since", "yesterday"), "must be a date"),
    ])
    def test_import_refuses_clearly(self, city, args, message):
        result = city.test_cli_runner().invoke(args=["legistar", "import", *args])
        assert result.exit_code != 0 and message in result.output

    @pytest.mark.parametrize("client, says", [
        ("signin", "did not answer with a Legistar response: this looks like an HTML page"),
        ("deep", "nested more than 32 levels deep"),
        ("error", "an error from the Legistar Web API, not data: An error has occurred. Agency not found"),
    ])
    def test_an_answer_that_is_not_a_response_stops_the_run_before_writing(self, city, server, client, says):
        before = snapshot()
        result = city.test_cli_runner().invoke(args=["legistar", "import", "--client", client, "--base-url",
                                                     server.base_url, "--default-department", "CLK"])
        assert result.exit_code == 1 and says in result.output and "nothing was written" in result.output
        assert "Traceback" not in result.output
        assert all(line.isprintable() for line in result.output.splitlines())
        assert snapshot() == before

    def test_readiness_table_and_json(self, world, monkeypatch, app_ctx):
        monkeypatch.setitem(app_ctx.config, "REIS_FILE_ID_PATTERN", CITY_PATTERN)
        legistar.import_files([path_of("sanjose.json")], default_department="DOU")
        from app.operations import items

        items.update_item(world["staff"].user, "17-106", {"fiscal_statement": "No cost."})
        approve("17-106", world)

        result = self.invoke(app_ctx, "readiness", "--event", "1080")
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0].startswith("City Council — 2017-09-12 1:30 PM (event 1080, agenda Final)")
        rows = [ln for ln in lines if ln[:8].strip() in ("1.1", "1.2", "1.3")]
        assert [r.split()[1] for r in rows] == ["17-052", "17-106", "17-110"]
        assert "ready_to_agendize  yes" in rows[1] and "draft" in rows[0] and "NO" in rows[0]
        assert lines[-1] == "1 of 29 items agendizable"
        assert any("REGULAR SESSION" in ln for ln in lines)  # headings keep their place

        data = json.loads(self.invoke(app_ctx, "readiness", "--event", "1080", "--json").output)
        matters = [r for r in data["items"] if r["kind"] == "item"]
        assert [r["file_id"] for r in matters][:3] == ["17-052", "17-106", "17-110"]
        assert matters[1]["agendizable"] is True and matters[1]["reasons"] == []
        assert [r["code"] for r in matters[0]["reasons"]] == ["statement_not_approved",
                                                              "fiscal_statement_missing"]
        assert data["starts_at"] == "2017-09-12T20:30:00+00:00"
        assert [r["sequence"] for r in data["items"]] == sorted(r["sequence"] for r in data["items"])

    def test_readiness_of_an_unknown_event(self, city):
        result = city.test_cli_runner().invoke(args=["legistar", "readiness", "--event", "99"])
        assert result.exit_code != 0 and "No imported Legistar event has id 99" in result.output
