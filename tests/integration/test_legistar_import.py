"""The Legistar import from saved files, on every real response in tests/data/legistar/, on both
databases: every matter with a file number becomes an item and nothing else does, city dates are
city dates, and a second run changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.models import HistoryEvent, Item, Statement, User
from app.models.legistar import LegistarEvent, LegistarEventItem, LegistarMatter
from app.operations import gate, items, legistar, people, statements
from tests.factories import complete_answers
from tests.unit.workflows.test_legistar import REAL_FILES

DATA = Path(__file__).resolve().parents[1] / "data" / "legistar"
# The deployment's pattern for these cities: 17-052, 18-1646, Int 0891-2024, LU 1505-1997, T1999-1
CITY_PATTERN = r"^(?:[A-Z][A-Za-z]{0,3} ?)?\d{1,5}-\d{1,5}(?:-[A-Z])?$"

# (file, items, meetings, agenda rows, headings skipped): one table for the pure and the DB tests
# Agenda files whose meeting is not in them: imported, and reported
NO_MEETING = {"pubSafety_190423-eventItems.json": ["event 8172"], "event_items_7.json": ["event 7"]}


def path_of(name: str) -> Path:
    found = next(DATA.rglob(name), None)
    if found is None:
        pytest.fail(f"real Legistar data is missing: {DATA}/**/{name}")
    return found


def file_numbers(obj) -> set[str]:
    """Every matter file number in a response, found by walking it (independently of the importer)."""
    found: set[str] = set()
    if isinstance(obj, list):
        for x in obj:
            found |= file_numbers(x)
    elif isinstance(obj, dict):
        if "MatterId" in obj and "MatterFile" in obj and obj["MatterFile"]:
            found.add(obj["MatterFile"].strip())
        if "EventItemId" in obj and obj.get("EventItemMatterId") and obj.get("EventItemMatterFile"):
            found.add(obj["EventItemMatterFile"].strip())
        for value in obj.values():
            found |= file_numbers(value)
    return found


def snapshot() -> dict:
    """Everything an import could change."""
    rows = {}
    for model in (Item, Statement, HistoryEvent, LegistarMatter, LegistarEvent, LegistarEventItem):
        rows[model.__tablename__] = db.session.scalar(select(func.count()).select_from(model))
    rows["items"] = [(i.file_id, i.title, i.body, i.meeting_date, i.item_type, i.updated_at)
                     for i in db.session.scalars(select(Item).order_by(Item.file_id))]
    rows["versions"] = list(db.session.scalars(select(Statement.version).order_by(Statement.id)))
    db.session.rollback()
    return rows


@pytest.fixture
def city(app_ctx, monkeypatch):
    """A deployment whose file-ID pattern accepts these cities' numbers, with a clerk's department."""
    monkeypatch.setitem(app_ctx.config, "REIS_FILE_ID_PATTERN", CITY_PATTERN)
    people.create_department("CLK", "Office of the City Clerk")
    return app_ctx


def run(*names: str, tz: str = "America/Los_Angeles", app=None, **kwargs) -> legistar.Report:
    if app is not None:
        app.config["REIS_TIMEZONE"] = tz
    return legistar.import_files([path_of(n) for n in names], **{"default_department": "CLK", **kwargs})


class TestEveryRealFile:
    def test_the_table_covers_every_real_file(self):
        assert sorted(p.name for p in DATA.rglob("*.json")) == sorted(r[0] for r in REAL_FILES)

    @pytest.mark.parametrize("name, items, meetings, rows, headings", REAL_FILES)
    def test_import_twice(self, city, monkeypatch, name, items, meetings, rows, headings):
        if "umq7573" in str(path_of(name)):
            monkeypatch.setitem(city.config, "REIS_TIMEZONE", "America/New_York")
        report = run(name)
        assert len(report.created) == items
        assert report.events_written == meetings
        assert report.event_items_written == rows
        assert [s.kind for s in report.skips] == ["heading"] * headings
        assert [w.ref for w in report.warnings] == NO_MEETING.get(name, []) and not report.unreadable
        stored = set(db.session.scalars(select(Item.file_id)))
        assert stored == file_numbers(json.loads(path_of(name).read_text()))
        assert len(stored) == items
        assert db.session.scalar(select(func.count()).select_from(LegistarEvent)) == meetings
        assert db.session.scalar(select(func.count()).select_from(LegistarEventItem)) == rows
        if items:  # each new item has a draft statement and a "create" by the system
            events = db.session.execute(select(HistoryEvent.event, HistoryEvent.actor)).all()
            assert events == [("create", "system")] * items

        before = snapshot()
        again = run(name)
        assert not again.changed
        assert (again.created, again.updated, again.unchanged) == ([], [], items)
        assert snapshot() == before

    def test_all_of_one_city_at_once(self, city, monkeypatch):
        monkeypatch.setitem(city.config, "REIS_TIMEZONE", "America/New_York")
        names = [n for n, *_ in REAL_FILES if "umq7573" in str(path_of(n))]
        report = run(*names)
        assert len(report.created) == 26  # 25 matters + T1999-1, known only from an agenda row
        assert report.read["matter"] == 26 and report.read["body"] == 100
        before = snapshot()
        assert not run(*names).changed
        assert snapshot() == before


class TestWhatItems:
    def test_san_jose_items(self, city):
        run("sanjose.json")
        item = db.session.scalar(select(Item).where(Item.file_id == "17-052"))
        assert item.title.startswith("Presentation of a proclamation to Museum Day Live!")
        assert (item.body, item.item_type, item.meeting_date) == (
            "City Clerk's Office", "Ceremonial Item", date(2017, 9, 12))
        assert item.department.code == "CLK" and item.statement.state == "draft"
        link = db.session.scalar(select(LegistarMatter).where(LegistarMatter.file_id == "17-052"))
        assert link.matter_id == 2008 and link.item_id == item.id and link.source == "matter"
        assert link.last_modified == datetime(2017, 8, 31, 21, 44, 24, 500000, tzinfo=UTC)
        meeting = db.session.scalar(select(LegistarEvent))
        assert meeting.event_date == date(2017, 9, 12)
        assert meeting.starts_at == datetime(2017, 9, 12, 20, 30, tzinfo=UTC)  # 1:30 PM in San Jose

    def test_item_type_is_in_the_api(self, city, client):
        run("sanjose.json")
        people.create_user("clerk@city.test", "Clerk", "clerk")
        token = people.issue_token(db.session.scalar(select(User).where(User.email == "clerk@city.test")))
        r = client.get("/api/v1/items/17-052", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json["item_type"] == "Ceremonial Item"

    def test_new_york_numbers_need_the_citys_pattern(self, app_ctx):
        people.create_department("CLK", "Office of the City Clerk")
        report = run("enacted_matters.json")  # the default pattern is Sacramento's YYYY-NNNNN
        assert report.created == []
        assert {s.kind for s in report.skips} == {"file_id_rejected"}
        assert "Int 0891-2024" in " ".join(s.ref for s in report.skips)
        assert db.session.scalar(select(func.count()).select_from(Item)) == 0


class TestDepartments:
    def test_mapping_places_matters_and_unplaced_ones_are_reported(self, city, monkeypatch):
        people.create_department("PW", "Public Works")
        monkeypatch.setitem(city.config, "REIS_LEGISTAR_DEPARTMENT_MAP",
                            json.dumps({"MatterBodyName": {"Public Works Department": "PW",
                                                           "Airport Department": "AIR"}}))
        report = run("sanjose.json", default_department=None)
        placed = {i.file_id: i.department.code for i in db.session.scalars(select(Item))}
        assert placed == {"17-035": "PW", "17-036": "PW", "17-037": "PW"}
        unknown = [s for s in report.skips if s.kind == "unknown_department"]
        assert len(unknown) == 26
        airport = next(s for s in unknown if "17-034" in s.ref)
        assert "'AIR'" in airport.reason and "does not exist" in airport.reason
        clerk = next(s for s in unknown if "17-052" in s.ref)
        assert "MatterBodyName=\"City Clerk's Office\"" in clerk.reason

    def test_a_bad_map_stops_the_import(self, city, monkeypatch):
        monkeypatch.setitem(city.config, "REIS_LEGISTAR_DEPARTMENT_MAP", "[1, 2]")
        with pytest.raises(legistar.OperationError, match="department map"):
            run("sanjose.json")

    def test_an_unknown_default_department_stops_the_import(self, city):
        with pytest.raises(legistar.OperationError) as caught:
            run("sanjose.json", default_department="NOPE")
        assert "default_department" in caught.value.extra["fields"]


def approve(file_id: str, world) -> None:
    staff = world["staff"].user
    statements.save_answers(staff, file_id, complete_answers(), version=1)
    statements.fire_event(staff, file_id, "submit")
    statements.fire_event(world["approver"].user, file_id, "approve")
    statements.fire_event(world["ode"].user, file_id, "approve")


def changed_matter(tmp_path: Path, **fields) -> Path:
    matters = json.loads(path_of("enacted_matters.json").read_text())
    first = {**matters[0], **fields}
    out = tmp_path / "changed.json"
    out.write_text(json.dumps([first, *matters[1:]]))
    return out


class TestChanges:
    @pytest.fixture
    def nyc(self, world, monkeypatch, app_ctx):
        monkeypatch.setitem(app_ctx.config, "REIS_FILE_ID_PATTERN", CITY_PATTERN)
        legistar.import_files([path_of("enacted_matters.json")], default_department="DOU")
        return world

    def test_a_changed_title_reopens_an_approved_statement(self, nyc, tmp_path):
        approve("Int 0891-2024", nyc)
        report = legistar.import_files([changed_matter(
            tmp_path, MatterTitle="A new title", MatterLastModifiedUtc="2025-02-01T00:00:00")])
        assert (report.updated, report.reopened) == (["Int 0891-2024"], ["Int 0891-2024"])
        assert report.unchanged == 9
        item = db.session.scalar(select(Item).where(Item.file_id == "Int 0891-2024"))
        assert item.title == "A new title" and item.statement.state == "draft"
        last = db.session.scalar(select(HistoryEvent).order_by(HistoryEvent.id.desc()))
        assert (last.event, last.actor, last.to_state) == ("reopen", "system", "draft")
        assert "title" in last.comment

    def test_a_non_material_change_keeps_the_approval(self, nyc, tmp_path):
        approve("Int 0891-2024", nyc)
        report = legistar.import_files([changed_matter(
            tmp_path, MatterAgendaDate="2025-03-01T00:00:00", MatterLastModifiedUtc="2025-02-01T00:00:00")])
        assert report.updated == ["Int 0891-2024"] and report.reopened == []
        item = db.session.scalar(select(Item).where(Item.file_id == "Int 0891-2024"))
        assert item.meeting_date == date(2025, 3, 1) and item.statement.state == "ready_to_agendize"

    def test_an_unchanged_matter_does_not_overwrite_local_edits(self, nyc):
        items.update_item(nyc["staff"].user, "Int 0891-2024", {"title": "Edited in REIS"})
        report = legistar.import_files([path_of("enacted_matters.json")])
        assert report.updated == [] and report.unchanged == 10
        title = db.session.scalar(select(Item.title).where(Item.file_id == "Int 0891-2024"))
        assert title == "Edited in REIS"

    def test_an_agendized_item_keeps_its_material_fields(self, nyc, tmp_path):
        items.update_item(nyc["staff"].user, "Int 0891-2024", {"fiscal_statement": "Funded."})
        approve("Int 0891-2024", nyc)
        with time_machine.travel(date(2025, 2, 20)):  # agendizing is for meetings to come
            gate.agendize(nyc["clerk"].user, "Int 0891-2024", date(2025, 3, 4))
        changed = changed_matter(tmp_path, MatterTitle="Renamed", MatterAgendaDate="2025-03-04T00:00:00",
                                 MatterLastModifiedUtc="2025-02-01T00:00:00")
        report = legistar.import_files([changed])
        (skip,) = report.skips
        assert skip.kind == "agendized" and "title" in skip.reason
        item = db.session.scalar(select(Item).where(Item.file_id == "Int 0891-2024"))
        assert item.title != "Renamed" and item.meeting_date == date(2025, 3, 4)
        assert item.statement.state == "ready_to_agendize"
        # not applied in full: the next run tries again and says so again
        assert legistar.import_files([changed]).skips[0].kind == "agendized"
