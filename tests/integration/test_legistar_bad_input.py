"""``reis legistar import`` on broken and hostile files, on both databases: every file here is written by
the test. No traceback reaches the user, an object is applied whole or not at all, a rerun is calm, and
the exit status says how the run went (0 all applied, 1 a file unreadable, 2 usage, 3 rows not applied)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.legistar_cli import EXIT_NOT_APPLIED, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE
from app.models import Item
from app.models.legistar import LegistarEvent, LegistarEventItem, LegistarMatter
from app.operations import people
from tests.integration.test_legistar_import import path_of, snapshot
from tests.unit.workflows.test_legistar_files import BAD_FILES

REIS = Path(sys.executable).parent / "reis"
# What the README recommends for all the cities in tests/data/legistar, and what it used to say
ALL_CITIES = r"^(?:[A-Z][A-Za-z]{0,3} ?)?\d{1,6}(?:-\d{1,5})?(?:-[A-Z])?$"
OLD_README = r"^(?:[A-Z][A-Za-z]{0,3} ?)?\d{1,5}-\d{1,5}(?:-[A-Z])?$"


def matter(n: int, **fields) -> dict:
    return {"MatterId": n, "MatterFile": f"2026-{n:05d}", "MatterTitle": f"Matter {n}",
            "MatterTypeName": "Resolution", "MatterBodyName": "City Council",
            "MatterLastModifiedUtc": "2026-01-05T10:00:00", **fields}


def agenda_row(n: int, event_id: int = 5, **fields) -> dict:
    return {"EventItemId": n, "EventItemEventId": event_id, "EventItemAgendaSequence": n,
            "EventItemMatterId": n, "EventItemMatterFile": f"2026-{n:05d}", "EventItemTitle": f"Row {n}",
            **fields}


def write(folder: Path, name: str, content) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


@pytest.fixture
def clerk(app_ctx):
    people.create_department("CLK", "Office of the City Clerk")
    return app_ctx


def legistar(app, *args: str):
    """The command as a person runs it: click's runner, exceptions caught like the real script does."""
    result = app.test_cli_runner().invoke(args=["legistar", *args])
    db.session.remove()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def importing(app, *files: Path, extra: tuple[str, ...] = ()):
    args = [a for f in files for a in ("--file", str(f))]
    return legistar(app, "import", *args, "--default-department", "CLK", *extra)


def stored(model=Item, column=None) -> list:
    column = column if column is not None else model.file_id
    return sorted(db.session.scalars(select(column)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


class TestUnreadableFiles:
    @pytest.mark.parametrize("name, data, reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
    def test_the_readable_file_is_applied_and_the_run_says_it_failed(self, clerk, tmp_path, name, data,
                                                                      reason):
        bad = write(tmp_path, f"{name}.json", data)
        good = write(tmp_path, "good.json", [matter(1), matter(2)])
        result = importing(clerk, bad, good)
        assert result.exit_code == EXIT_UNREADABLE, result.output
        assert "could not read: 1 file" in result.output
        assert f"  - {bad}: " in result.output and reason in result.output
        assert "items: 2 created" in result.output
        assert stored() == ["2026-00001", "2026-00002"]

        again = importing(clerk, bad, good)  # a rerun is calm, and still says so
        assert again.exit_code == EXIT_UNREADABLE and "items: 0 created, 0 updated" in again.output

    def test_strict_stops_at_the_first_bad_file_and_writes_nothing(self, clerk, tmp_path):
        good = write(tmp_path, "good.json", [matter(1)])
        html = write(tmp_path, "page.json", b"<html><body>Service Unavailable</body></html>")
        cut = write(tmp_path, "cut.json", json.dumps([matter(2)]).encode()[:-2])
        before = snapshot()
        result = importing(clerk, good, html, cut, extra=("--strict",))
        assert result.exit_code == EXIT_UNREADABLE
        assert f"{html}: this looks like an HTML page" in result.output
        assert str(cut) not in result.output  # not even read
        assert "stopped at the first file that could not be read (--strict): nothing was written" \
            in result.output
        assert snapshot() == before

    def test_json_report_lists_the_unreadable(self, clerk, tmp_path):
        bad = write(tmp_path, "bad.json", b"42")
        result = importing(clerk, bad, extra=("--json",))
        report = json.loads(result.stdout)
        assert result.exit_code == EXIT_UNREADABLE
        assert report["unreadable"] == [{"kind": "unreadable", "ref": str(bad), "reason":
                                         "this is a bare number (42), not a Legistar response "
                                         "(a list of objects or one object)"}]

    def test_the_installed_script_prints_no_traceback(self, clerk, tmp_path, database_url):
        files = [write(tmp_path, "deep.json", b"[" * 200_000 + b"]" * 200_000),
                 write(tmp_path, "digits.json", b"[" + b"1" * 10_000 + b"]"),
                 write(tmp_path, "ids.json", [matter(1, MatterId=2**64), matter(2)])]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REIS_", "FLASK_"))}
        env["REIS_DATABASE_URL"] = database_url
        args = [a for f in files for a in ("--file", str(f))]
        done = subprocess.run([str(REIS), "legistar", "import", *args, "--default-department", "CLK"],
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == EXIT_UNREADABLE, done.stderr
        assert "Traceback" not in done.stderr + done.stdout and "nested more than 32 levels" in done.stdout
        assert "more than 4,300 digits" in done.stdout and "MatterId is out of range" in done.stdout
        assert stored() == ["2026-00002"]


class TestValuesOutOfRange:
    def test_each_bad_row_is_skipped_whole_and_the_rest_applied(self, clerk, tmp_path):
        rows = [matter(1), matter(9, MatterId=2**63),
                matter(10, MatterAgendaDate="9999-12-31T23:30:00-08:00"),
                {"EventId": 5, "EventDate": "2026-03-03T00:00:00", "EventTime": "5:00 PM"},
                {"EventId": 6, "EventDate": "9999-12-31T00:00:00", "EventTime": "11:30 PM"},
                agenda_row(7, EventItemAgendaSequence=2**64),  # matter 7 is known only from this row
                agenda_row(8), agenda_row(11, EventItemId=2**70),
                agenda_row(12, EventItemEventId=2**40)]
        path = write(tmp_path, "agenda.json", rows)
        result = importing(clerk, path)
        assert result.exit_code == EXIT_NOT_APPLIED, result.output
        assert "skipped: malformed 6" in result.output
        for said in ("matter 9223372036854775808: MatterId is out of range",
                     "MatterAgendaDate is out of range", "event 6: EventDate with EventTime is out of range",
                     "event item 7: EventItemAgendaSequence is out of range",
                     "event item 1180591620717411303424: EventItemId is out of range",
                     "event item 12: EventItemEventId is out of range"):
            assert said in result.output
        # nothing half-written: matter 7 has neither an item nor an agenda row
        assert stored() == ["2026-00001", "2026-00008"]
        assert stored(LegistarEventItem, LegistarEventItem.event_item_id) == [8]
        assert stored(LegistarEvent, LegistarEvent.event_id) == [5]
        assert stored(LegistarMatter, LegistarMatter.matter_id) == [1, 8]

        before = snapshot()
        again = importing(clerk, path)
        assert again.exit_code == EXIT_NOT_APPLIED and "items: 0 created, 0 updated" in again.output
        assert snapshot() == before

    def test_a_matter_listed_with_two_file_numbers_is_one_item(self, clerk, tmp_path):
        path = write(tmp_path, "m.json", [matter(1), matter(1, MatterFile="2026-00002",
                                                             MatterLastModifiedUtc="2026-02-01T00:00:00")])
        result = importing(clerk, path)
        assert result.exit_code == EXIT_NOT_APPLIED
        assert "duplicate: matter 1 (2026-00001): a later version of the matter has file number 2026-00002" \
            in result.output
        assert stored() == ["2026-00002"] and count(LegistarMatter) == 1


class TestControlCharacters:
    def test_hidden_characters_cannot_forge_or_turn_a_report_line(self, clerk, tmp_path):
        forged = "2026-00003\nskipped: nothing"
        path = write(tmp_path, "evil\u202e.json", [
            matter(1, MatterTitle="Repave\u202e the road\x00\r\nand\x1b[2J paint"),
            matter(2, MatterFile=" 2026-00002\u200b"), matter(3, MatterFile=forged)])
        result = importing(clerk, path)
        assert result.exit_code == EXIT_NOT_APPLIED
        assert all(line.isprintable() for line in result.output.splitlines())
        skipped = [ln for ln in result.output.splitlines() if ln.startswith("skipped:")]
        assert skipped == ["skipped: malformed 2"]
        assert "MatterFile contains a control or invisible character (U+000A): '2026-00003\\nskipped" \
            in result.output
        assert "(U+200B)" in result.output
        assert stored(Item, Item.title) == ["Repave the road\nand[2J paint"]

    def test_an_unreadable_file_name_is_printed_safely(self, clerk, tmp_path):
        bad = write(tmp_path, "bad\u202e\n.json", b"")
        result = importing(clerk, bad)
        assert result.exit_code == EXIT_UNREADABLE
        assert "bad\\u202e\\n.json: the file is empty" in result.output


class TestAgendaWithoutItsMeeting:
    def test_it_is_reported_and_readiness_says_why(self, clerk, monkeypatch):
        monkeypatch.setitem(clerk.config, "REIS_FILE_ID_PATTERN", ALL_CITIES)
        result = importing(clerk, path_of("pubSafety_190423-eventItems.json"))
        assert result.exit_code == EXIT_OK, result.output
        assert "warnings:" in result.output
        assert "  - no_meeting: event 8172: 15 agenda rows of this meeting were read, but not the meeting " \
            "itself" in result.output
        ready = legistar(clerk, "readiness", "--event", "8172")
        assert ready.exit_code == 1
        assert "Event 8172 was not imported, only 15 rows of its agenda" in ready.output
        assert "Import the meeting too" in ready.output
        unknown = legistar(clerk, "readiness", "--event", "8173")
        assert "No imported Legistar event has id 8173." in unknown.output

    def test_a_meeting_imported_before_dates_its_agenda(self, clerk, tmp_path):
        importing(clerk, write(tmp_path, "event.json", {"EventId": 5, "EventDate": "2026-03-03T00:00:00"}))
        result = importing(clerk, write(tmp_path, "rows.json", [agenda_row(1)]))
        assert result.exit_code == EXIT_OK and "warnings" not in result.output
        assert db.session.scalar(select(Item.meeting_date)).isoformat() == "2026-03-03"


class TestFileNumbers:
    def test_over_64_characters_says_so(self, clerk, tmp_path):
        result = importing(clerk, write(tmp_path, "m.json", [matter(1, MatterFile="2026-" + "0" * 60)]))
        assert "MatterFile is longer than 64 characters" in result.output
        assert "does not match" not in result.output and result.exit_code == EXIT_NOT_APPLIED

    def test_dry_run_shows_what_a_pattern_rejects_and_writes_nothing(self, clerk, tmp_path, monkeypatch):
        numbers = ["240382", "Inf 2945", "Int 0891-2024", "T1999-1", "17-052", "18-1646", "2025-01999"]
        path = write(tmp_path, "m.json", [matter(n + 1, MatterFile=f) for n, f in enumerate(numbers)])
        before = snapshot()
        monkeypatch.setitem(clerk.config, "REIS_FILE_ID_PATTERN", OLD_README)
        result = importing(clerk, path, extra=("--dry-run",))
        assert result.exit_code == EXIT_NOT_APPLIED
        assert result.output.startswith("dry run: nothing was written\n")
        rejected = [ln.split("(")[1].split(")")[0] for ln in result.output.splitlines()
                    if ln.startswith("  - file_id_rejected")]
        assert rejected == ["240382", "Inf 2945"]
        assert "items: 5 would be created" in result.output

        monkeypatch.setitem(clerk.config, "REIS_FILE_ID_PATTERN", ALL_CITIES)
        result = importing(clerk, path, extra=("--dry-run",))
        assert result.exit_code == EXIT_OK and "items: 7 would be created" in result.output
        assert snapshot() == before
        applied = importing(clerk, path)
        assert applied.exit_code == EXIT_OK and stored() == sorted(numbers)

    def test_dry_run_of_changes(self, clerk, tmp_path):
        importing(clerk, write(tmp_path, "a.json", [matter(1), matter(2)]))
        before = snapshot()
        newer = matter(1, MatterTitle="New", MatterLastModifiedUtc="2026-02-01T00:00:00")
        changed = write(tmp_path, "b.json", [newer, matter(2), matter(3)])
        result = importing(clerk, changed, extra=("--dry-run",))
        assert "items: 1 would be created, 1 would be updated" in result.output
        assert snapshot() == before


class TestExitStatus:
    def test_all_applied(self, clerk, tmp_path):
        result = importing(clerk, write(tmp_path, "m.json", [matter(1)]))
        assert result.exit_code == EXIT_OK

    @pytest.mark.parametrize("args", [(), ("--file", "missing.json"), ("--client", "x", "--since", "x"),
                                      ("--file", "{good}", "--default-department", "NOPE"),
                                      ("--file", "{good}", "--since", "2026-01-01")])
    def test_usage_errors(self, clerk, tmp_path, args):
        good = write(tmp_path, "m.json", [matter(1)])
        result = legistar(clerk, "import", *(a.format(good=good) for a in args))
        assert result.exit_code == EXIT_USAGE, result.output
        assert count(Item) == 0

    def test_a_bad_department_map_is_a_usage_error(self, clerk, tmp_path, monkeypatch):
        monkeypatch.setitem(clerk.config, "REIS_LEGISTAR_DEPARTMENT_MAP", "[1]")
        result = importing(clerk, write(tmp_path, "m.json", [matter(1)]))
        assert result.exit_code == EXIT_USAGE and "department map" in result.output

    def test_help_documents_them(self, clerk):
        help_text = legistar(clerk, "import", "--help").output
        for code in ("0  every response was read", "1  a file or Web API response could not be read",
                     "2  bad options or settings", "3  everything was read, but some rows were not applied"):
            assert code in help_text
