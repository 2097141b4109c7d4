"""Reading Legistar Web API objects: on the real responses in tests/data/legistar/ and on edge rows."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from workflows import legistar as L
from workflows import legistar_rows as R

DATA = Path(__file__).resolve().parents[2] / "data" / "legistar"
LA = ZoneInfo("America/Los_Angeles")
NY = ZoneInfo("America/New_York")


def real(name: str):
    path = next(DATA.rglob(name), None)
    if path is None:
        pytest.fail(f"real Legistar data is missing: {DATA}/**/{name}")
    return json.loads(path.read_text())


def plan_of(*names: str, tz=LA, departments: L.DepartmentMap | None = None, default="CLK") -> L.Plan:
    batch = L.Batch()
    for name in names:
        batch.add(real(name), name)
    return L.plan(batch, departments or L.DepartmentMap(), tz, default)


def matter(**fields) -> dict:
    base = {"MatterId": 1, "MatterFile": "17-001", "MatterTitle": "A title", "MatterName": None,
            "MatterTypeId": 2, "MatterTypeName": "Consent Agenda", "MatterBodyId": 9,
            "MatterBodyName": "City Council", "MatterAgendaDate": "2017-09-12T00:00:00",
            "MatterLastModifiedUtc": "2017-08-31T21:44:24.5", "MatterRequester": "Public Works"}
    return {**base, **fields}


class TestRecognition:
    @pytest.mark.parametrize("name, kind", [
        ("enacted_matters.json", "matter"), ("pubSafety_events.json", "event"),
        ("pubSafety_190423-eventItems.json", "event_item"), ("bodies_all.json", "body"),
        ("body_types.json", "body_type"), ("matter_types.json", "matter_type"),
        ("matter_statuses.json", "matter_status"), ("matter_histories_17071.json", "matter_history"),
        ("matter_sponsors_17071.json", "matter_sponsor"), ("all_indexes.json", "index"),
        ("matter_index.json", "matter_index"), ("dupe_event.json", "matter_history"),
    ])
    def test_every_object_of_a_real_list_is_recognised_by_its_fields(self, name, kind):
        assert {R.kind_of(o) for o in real(name)} == {kind}

    def test_one_object_is_read_like_a_list_of_one(self):
        batch = L.Batch()
        batch.add(real("matter_detail_17071.json"))
        batch.add(real("event_detail_7.json"))
        reading = L.read(batch, LA)
        assert (len(reading.versions), len(reading.events)) == (1, 1)

    def test_san_jose_composite_nests_matters_in_items_in_an_event(self):
        batch = L.Batch()
        batch.add(real("sanjose.json"), "sanjose.json")
        reading = L.read(batch, LA)
        assert reading.read["event"] == 1
        assert reading.read["event_item"] == 41
        assert reading.read["matter"] == 29
        assert reading.read["vote"] == 22 and reading.read["matter_attachment"] == 51
        assert not reading.skips and not reading.unreadable

    def test_an_unknown_top_level_object_is_reported(self):
        planned = L.plan(_batch({"Key": "2062", "Value": "1"}, "text"), L.DepartmentMap(), LA)
        assert [s.kind for s in planned.skips] == ["unrecognised", "unrecognised"]
        assert "Key, Value" in planned.skips[0].reason

    def test_reference_lists_give_names_for_ids(self):
        batch = L.Batch()
        batch.add(real("bodies_all.json"))
        batch.add(real("matter_types.json"))
        batch.add([matter(MatterBodyName=None, MatterTypeName=None, MatterBodyId=1, MatterTypeId=2)])
        data = L.plan(batch, L.DepartmentMap(), LA, "CLK").items[0]
        assert data.body == "City Council"
        assert data.item_type == "Introduction"


# (file, items, events, agenda rows, headings): every matter with a file ID and nothing else
REAL_FILES = [
    ("sanjose.json", 29, 1, 41, 12),
    ("pubSafety_190423-eventItems.json", 7, 0, 15, 8),
    ("pubSafety_events.json", 0, 1000, 0, 0),
    ("enacted_matters.json", 10, 0, 0, 0),
    ("matters_filtered.json", 10, 0, 0, 0),
    ("matters_top5.json", 5, 0, 0, 0),
    ("matter_detail_17071.json", 1, 0, 0, 0),
    ("event_detail_7.json", 0, 1, 0, 0),
    ("events_top5.json", 0, 5, 0, 0),
    ("event_items_7.json", 1, 0, 2, 0),
    ("active_bodies.json", 0, 0, 0, 0), ("bodies_all.json", 0, 0, 0, 0), ("body_types.json", 0, 0, 0, 0),
    ("matter_histories_17071.json", 0, 0, 0, 0), ("matter_sponsors_17071.json", 0, 0, 0, 0),
    ("matter_statuses.json", 0, 0, 0, 0), ("matter_types.json", 0, 0, 0, 0),
    ("dupe_event.json", 0, 0, 0, 0), ("no_dupe_event.json", 0, 0, 0, 0),
    ("all_indexes.json", 0, 0, 0, 0), ("matter_index.json", 0, 0, 0, 0),
]


class TestRealFiles:
    def test_the_table_covers_every_real_file(self):
        assert sorted(p.name for p in DATA.rglob("*.json")) == sorted(r[0] for r in REAL_FILES)

    @pytest.mark.parametrize("name, items, events, rows, headings", REAL_FILES)
    def test_counts(self, name, items, events, rows, headings):
        planned = plan_of(name)
        assert len(planned.items) == items
        assert len(planned.events) == events
        assert len(planned.event_items) == rows
        kinds = Counter(s.kind for s in planned.skips)
        assert kinds == Counter({"heading": headings} if headings else {})

    def test_san_jose_items_come_from_the_matters(self):
        items = {d.file_id: d for d in plan_of("sanjose.json").items}
        first = items["17-052"]
        assert first.source == "matter" and first.matter_id == 2008
        assert first.title.startswith("Presentation of a proclamation to Museum Day Live!")
        assert first.body == "City Clerk's Office"
        assert first.item_type == "Ceremonial Item"
        assert first.meeting_date == date(2017, 9, 12)
        assert first.last_modified == datetime(2017, 8, 31, 21, 44, 24, 500000, tzinfo=UTC)
        # deferred: its MatterAgendaDate (a later meeting) wins over the event it is listed on
        assert items["17-056"].meeting_date == date(2017, 10, 24)

    def test_san_jose_meeting_starts_at_city_time(self):
        event = plan_of("sanjose.json").events[0]
        assert (event.event_id, event.event_date) == (1080, date(2017, 9, 12))
        assert event.starts_at == datetime(2017, 9, 12, 20, 30, tzinfo=UTC)  # 1:30 PM PDT

    def test_new_york_meeting_in_new_york_time(self):
        event = plan_of("event_detail_7.json", tz=NY).events[0]
        assert event.starts_at == datetime(1999, 10, 28, 14, 0, tzinfo=UTC)  # 10:00 AM EDT

    def test_new_york_file_numbers_keep_their_form(self):
        files = {d.file_id for d in plan_of("enacted_matters.json", "matters_top5.json").items}
        assert {"Int 0891-2024", "LU 1505-1997", "Int 0951-1997-A", "M 0001-1998"} <= files

    def test_matter_title_then_name(self):
        data = plan_of("enacted_matters.json").items
        by_file = {d.file_id: d for d in data}
        assert by_file["Int 0891-2024"].title.startswith("A Local Law")

    def test_a_matter_without_a_last_change_is_still_read(self):
        (data,) = plan_of("matter_detail_17071.json").items
        assert data.last_modified is None and data.meeting_date is None

    def test_oakland_agenda_rows_stand_for_their_matters(self):
        planned = plan_of("pubSafety_190423-eventItems.json")
        by_file = {d.file_id: d for d in planned.items}
        assert set(by_file) == {"18-1646", "18-1647", "18-1371", "18-1628", "18-1630", "18-1634", "18-1661"}
        assert by_file["18-1628"].source == "event_item"
        assert by_file["18-1628"].item_type == "City Resolution"
        assert by_file["18-1628"].meeting_date is None  # event 8172 is not in the file
        (warning,) = planned.warnings  # ... and that is said
        assert (warning.kind, warning.ref) == ("no_meeting", "event 8172")
        assert warning.reason.startswith("15 agenda rows of this meeting were read, but not the meeting")
        headings = [s for s in planned.skips if s.kind == "heading"]
        assert "Roll Call / Call To Order" in " ".join(s.reason for s in headings)

    def test_an_agenda_row_takes_its_meeting_from_the_event(self):
        event = {**real("event_detail_7.json")}
        batch = L.Batch()
        batch.add([event, *real("event_items_7.json")])
        (data,) = L.plan(batch, L.DepartmentMap(), NY, "CLK").items
        assert (data.file_id, data.meeting_date) == ("T1999-1", date(1999, 10, 28))
        assert data.body == "Committee on Aging"


class TestDepartments:
    MAP = {"MatterRequester": {"Public Works": "DPW"}, "MatterBodyName": {"city council": "CLK"}}

    def test_first_listed_field_that_matches_places_the_matter(self):
        departments = L.DepartmentMap.parse(json.dumps(self.MAP))
        assert departments.place(matter())[0] == "DPW"
        assert departments.place(matter(MatterRequester="Someone else"))[0] == "CLK"

    def test_values_match_without_case_or_extra_spaces(self):
        departments = L.DepartmentMap.parse({"MatterBodyName": {"Council of the County of Maui": "CC"}})
        assert departments.place({"MatterBodyName": "Council of the  County of Maui "})[0] == "CC"

    def test_unplaced_without_default_says_what_was_looked_at(self):
        planned = L.plan(_batch(matter(MatterRequester="X", MatterBodyName="Y")),
                         L.DepartmentMap.parse(self.MAP), LA, None)
        (data,) = planned.items
        assert data.department is None
        assert "MatterRequester='X'" in data.placed_by and "MatterBodyName='Y'" in data.placed_by

    def test_default_department_owns_the_rest(self):
        (data,) = L.plan(_batch(matter(MatterRequester="X")), L.DepartmentMap.parse(self.MAP), LA,
                         "GEN").items
        assert data.department == "CLK"  # the body rule still matches
        (other,) = L.plan(_batch(matter(MatterRequester="X", MatterBodyName="Y")),
                          L.DepartmentMap.parse(self.MAP), LA, "GEN").items
        assert other.department == "GEN" and other.placed_by.startswith("--default-department")

    @pytest.mark.parametrize("raw", ["[]", '{"MatterRequester": "DPW"}', '{"MatterRequester": {"a": 1}}',
                                     "{not json"])
    def test_a_bad_map_is_refused(self, raw):
        with pytest.raises(ValueError):
            L.DepartmentMap.parse(raw)

    def test_empty_map(self):
        assert L.DepartmentMap.parse("").rules == () and L.DepartmentMap.parse("{}").rules == ()


def _batch(*objects) -> L.Batch:
    batch = L.Batch()
    batch.add(list(objects))
    return batch


class TestMalformedAndDuplicates:
    @pytest.mark.parametrize("fields, reason", [
        ({"MatterId": "1"}, "MatterId"), ({"MatterTitle": None, "MatterName": "  "}, "both empty"),
        ({"MatterAgendaDate": "next week"}, "MatterAgendaDate"), ({"MatterFile": 17052}, "MatterFile"),
        ({"MatterBodyName": "x" * 201}, "longer than"), ({"MatterTypeName": "x" * 201}, "MatterTypeName"),
    ])
    def test_malformed_matters_are_skipped_with_the_field(self, fields, reason):
        planned = L.plan(_batch(matter(**fields)), L.DepartmentMap(), LA, "CLK")
        assert planned.items == []
        (skip,) = planned.skips
        assert skip.kind == "malformed" and reason in skip.reason

    def test_a_matter_without_file_number(self):
        planned = L.plan(_batch(matter(MatterFile="  ")), L.DepartmentMap(), LA, "CLK")
        assert planned.items == [] and planned.skips[0].kind == "no_file_id"

    def test_a_malformed_event_and_agenda_rows(self):
        rows = _batch({"EventId": 5, "EventDate": None}, {"EventItemId": "x", "EventItemEventId": 5},
                      {"EventItemId": 6, "EventItemEventId": 5, "EventItemMatterId": 1,
                       "EventItemMatterFile": "9" * 65})
        planned = L.plan(rows, L.DepartmentMap(), LA, "CLK")
        assert sorted(s.kind for s in planned.skips) == ["malformed", "malformed", "malformed"]
        assert "EventItemMatterFile is longer than 64" in planned.skips[-1].reason

    def test_the_same_matter_twice_keeps_the_later_change(self):
        older = matter(MatterTitle="Old", MatterLastModifiedUtc="2017-01-01T00:00:00")
        newer = matter(MatterTitle="New", MatterLastModifiedUtc="2017-02-01T00:00:00")
        for order in ((older, newer), (newer, older)):
            planned = L.plan(_batch(*order), L.DepartmentMap(), LA, "CLK")
            assert [d.title for d in planned.items] == ["New"] and planned.skips == []

    def test_two_matters_with_one_file_number_are_reported(self):
        planned = L.plan(_batch(matter(), matter(MatterId=2, MatterLastModifiedUtc="2018-01-01T00:00:00")),
                         L.DepartmentMap(), LA, "CLK")
        assert [d.matter_id for d in planned.items] == [2]
        assert planned.skips[0].kind == "duplicate" and "matter 1" in planned.skips[0].ref

    def test_a_matter_beats_its_agenda_row(self):
        row = {"EventItemId": 9, "EventItemEventId": 5, "EventItemMatterId": 1,
               "EventItemMatterFile": "17-001", "EventItemTitle": "Agenda wording",
               "EventItemAgendaSequence": 1}
        for order in ((row, matter()), (matter(), row)):
            (data,) = L.plan(_batch(*order), L.DepartmentMap(), LA, "CLK").items
            assert (data.source, data.title) == ("matter", "A title")

    def test_crlf_in_titles_becomes_newlines(self):
        (data,) = L.plan(_batch(matter(MatterTitle="Line one\r\nLine two\r\n")), L.DepartmentMap(), LA,
                         "CLK").items
        assert data.title == "Line one\nLine two"


def _event_item(**fields) -> dict:
    base = {"EventItemId": 9, "EventItemEventId": 5, "EventItemMatterId": 1, "EventItemMatterFile": "17-001",
            "EventItemTitle": "Agenda wording", "EventItemAgendaSequence": 1}
    return {**base, **fields}


class TestOutOfRangeAndOdd:
    """Each row is checked whole; a bad one is reported and the others stand."""

    @pytest.mark.parametrize("fields, reason", [
        ({"MatterId": 2**63}, "MatterId is out of range"), ({"MatterId": 2**31}, "MatterId is out of range"),
        ({"MatterAgendaDate": "9999-12-31T23:00:00-08:00"}, "MatterAgendaDate is out of range"),
        ({"MatterLastModifiedUtc": "0001-01-01T00:00:00+01:00"}, "MatterLastModifiedUtc is out of range"),
        ({"MatterFile": "17-001\nskipped: nothing"}, "MatterFile contains a control or invisible character"),
        ({"MatterFile": "Int " + "1" * 70}, "MatterFile is longer than 64 characters"),
    ])
    def test_a_bad_matter_is_skipped_and_the_next_one_imported(self, fields, reason):
        planned = L.plan(_batch(matter(**fields), matter(MatterId=2, MatterFile="17-002")), L.DepartmentMap(),
                         LA, "CLK")
        assert [d.file_id for d in planned.items] == ["17-002"]
        (skip,) = planned.skips
        assert skip.kind == "malformed" and reason in skip.reason and skip.reason.isprintable()

    @pytest.mark.parametrize("fields", [{"EventItemAgendaSequence": 2**64}, {"EventItemId": 2**63},
                                        {"EventItemEventId": -(2**40)}, {"EventItemMatterId": 2**32}])
    def test_an_agenda_row_out_of_range_is_skipped_whole(self, fields):
        event = {"EventId": 5, "EventDate": "2017-09-12T00:00:00"}
        planned = L.plan(_batch(event, _event_item(**fields), _event_item(EventItemId=10, EventItemMatterId=2,
                                                                          EventItemMatterFile="17-002")),
                         L.DepartmentMap(), LA, "CLK")
        assert [r.event_item_id for r in planned.event_items] == [10]
        assert [d.file_id for d in planned.items] == ["17-002"]  # no item from the bad row either
        assert [s.kind for s in planned.skips] == ["malformed"] and "out of range" in planned.skips[0].reason

    def test_a_meeting_that_cannot_be_stored_is_skipped(self):
        rows = _batch({"EventId": 5, "EventDate": "9999-12-31T00:00:00", "EventTime": "11:30 PM"},
                      {"EventId": 6, "EventDate": "9999-12-31T00:00:00", "EventTime": "TBD"})
        planned = L.plan(rows, L.DepartmentMap(), LA, "CLK")
        assert [e.event_id for e in planned.events] == [6]
        assert planned.skips[0].ref == "event 5" and "out of range" in planned.skips[0].reason

    def test_titles_lose_controls_and_bidi_overrides(self):
        (data,) = L.plan(_batch(matter(MatterTitle="Fix\u202e the\x00 road\r\nnow\x1b")), L.DepartmentMap(),
                         LA, "CLK").items
        assert data.title == "Fix the road\nnow"

    def test_odd_reference_names_and_ids_do_not_break_a_matter(self):
        batch = _batch({"BodyId": 1, "BodyName": "x" * 300}, {"MatterTypeId": 2, "MatterTypeName": 7},
                       matter(MatterBodyName=None, MatterBodyId=1, MatterTypeName=None, MatterTypeId=[2],
                              MatterStatusId={"a": 1}))
        (data,) = L.plan(batch, L.DepartmentMap(), LA, "CLK").items
        assert (data.body, data.item_type, data.status) == (None, None, None)

    def test_one_matter_with_two_file_numbers_becomes_one_item(self):
        older = matter(MatterFile="17-001", MatterLastModifiedUtc="2017-01-01T00:00:00")
        newer = matter(MatterFile="17-001-A", MatterLastModifiedUtc="2017-02-01T00:00:00")
        for order in ((older, newer), (newer, older)):
            planned = L.plan(_batch(*order, _event_item()), L.DepartmentMap(), LA, "CLK")
            assert [d.file_id for d in planned.items] == ["17-001-A"]  # nor one from the agenda row
            assert [(s.kind, s.ref) for s in planned.skips] == [("duplicate", "matter 1 (17-001)")]
            assert "later version of the matter has file number 17-001-A" in planned.skips[0].reason


class TestAgendaWithoutItsMeeting:
    def test_a_meeting_imported_before_gives_the_date_and_no_warning(self):
        known = L.EventData(5, "City Council", date(2017, 9, 12), None, None, None, None, None, None, None)
        batch = _batch(_event_item())
        planned = L.plan(batch, L.DepartmentMap(), LA, "CLK")
        assert planned.items[0].meeting_date is None and planned.warnings[0].ref == "event 5"
        planned = L.plan(batch, L.DepartmentMap(), LA, "CLK", known_events=[known])
        assert planned.items[0].meeting_date == date(2017, 9, 12) and planned.warnings == []
        assert planned.items[0].body == "City Council"

    def test_one_warning_per_meeting(self):
        rows = _batch(*(_event_item(EventItemId=n, EventItemEventId=5 + n % 2) for n in range(1, 6)))
        warnings = L.plan(rows, L.DepartmentMap(), LA, "CLK").warnings
        assert [(w.ref, w.reason.split(" of")[0]) for w in warnings] == [("event 5", "2 agenda rows"),
                                                                          ("event 6", "3 agenda rows")]


# The README's file-ID patterns ("Connecting to Legistar") and the numbers each must take
README = Path(__file__).resolve().parents[3] / "README.md"
PATTERNS = [
    (r"^\d{4}-\d{5}$", ["2025-01999", "2021-00022"]),
    (r"^\d{2}-\d{3,4}$", ["17-052", "18-1646"]),
    (r"^\d{6}$", ["211268", "240382"]),
    (r"^[A-Z][A-Za-z]{0,3} ?\d{1,4}-\d{1,4}(?:-[A-Z])?$",
     ["Int 0891-2024", "LU 1505-1997", "M 0001-1998", "T1999-1", "Int 0951-1997-A"]),
    (r"^[A-Z][A-Za-z]{0,3} \d{1,6}$", ["Inf 2945"]),
]
ALL_CITIES = r"^(?:[A-Z][A-Za-z]{0,3} ?)?\d{1,6}(?:-\d{1,5})?(?:-[A-Z])?$"


class TestDocumentedPatterns:
    @pytest.mark.parametrize("pattern, numbers", PATTERNS)
    def test_each_city_pattern_takes_its_numbers_and_is_in_the_readme(self, pattern, numbers):
        assert f"`{pattern}`" in README.read_text()
        assert all(re.fullmatch(pattern, n, re.ASCII) for n in numbers)

    def test_one_pattern_takes_every_real_number(self):
        assert f"`{ALL_CITIES}`" in README.read_text()
        real = {d.file_id for name, *_ in REAL_FILES for d in plan_of(name).items}
        assert len(real) == 62
        for number in real | {n for _, numbers in PATTERNS for n in numbers}:
            assert re.fullmatch(ALL_CITIES, number, re.ASCII), number
        for wrong in ("17-052\n", "Int 0891-2024 extra", "2025_01999", "\uff11\uff17-052", ""):
            assert not re.fullmatch(ALL_CITIES, wrong, re.ASCII)
