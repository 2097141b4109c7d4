"""Reading saved Legistar responses: every way a file can be unreadable has a reason in plain words,
a readable file is streamed object by object, and an unreadable one is left out whole."""

from __future__ import annotations

import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from workflows import legistar as L
from workflows import legistar_files as F
from workflows.legistar_values import Unreadable

LA = ZoneInfo("America/Los_Angeles")
MATTER = {"MatterId": 1, "MatterFile": "2026-00001", "MatterTitle": "A title"}

# (name, bytes, words the reason must have): each a file a person or a script really saves
BAD_FILES = [
    ("html", b"\r\n<!DOCTYPE html><html><title>Sign in</title></html>", "looks like an HTML page"),
    ("windows-1252", json.dumps([{**MATTER, "MatterTitle": "Caf\u00e9 \u2019s"}], ensure_ascii=False)
     .encode("cp1252"), "not UTF-8"),
    ("utf-16", json.dumps([MATTER]).encode("utf-16"), "UTF-16"),
    ("empty", b"", "the file is empty"),
    ("blank", b" \n\t\n", "the file is empty"),
    ("truncated", json.dumps([MATTER, MATTER]).encode()[:-9], "ends in the middle"),
    ("bare number", b"42", "a bare number (42)"),
    ("bare text", b'"matters"', "a bare text"),
    ("null", b"null", "this is null"),
    ("error object", json.dumps({"Message": "An error has occurred.", "ExceptionMessage": "Agency not found",
                                 "ExceptionType": "System.Exception", "StackTrace": None}).encode(),
     "an error from the Legistar Web API, not data: An error has occurred. Agency not found"),
    ("authorization", b'{"Message":"Authorization has been denied for this request."}',
     "error from the Legistar Web API"),
    ("deep list", b"[" * 100_000 + b"]" * 100_000, "nested more than 32 levels deep"),
    ("deep object", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested more than 32 levels deep"),
    ("deep and cut off", b"[" * 100_000, "nested more than 32 levels deep"),
    ("long number", b'[{"MatterId": ' + b"9" * 5000 + b"}]", "a number with more than 4,300 digits"),
    ("two responses", json.dumps([MATTER]).encode() * 2, "more after the JSON ends"),
    ("plain text", b"Server Error in '/' Application.", "not JSON: it begins \"Server Error in '/'"),
    ("not JSON", b"[{'MatterId': 1}]", "not valid JSON"),
]


@pytest.mark.parametrize("name, data, reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_an_unreadable_file_says_why(tmp_path: Path, name, data, reason):
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    with pytest.raises(Unreadable) as caught:
        list(F.SavedFile(path).objects())
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)


@pytest.mark.parametrize("name, data, reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_web_api_answer_is_checked_the_same_way(name, data, reason):
    with pytest.raises(Unreadable) as caught:
        F.decode(data)
    assert reason in str(caught.value)


def test_a_utf8_bom_is_allowed_and_the_bad_byte_is_located():
    assert F.decode(b"\xef\xbb\xbf" + json.dumps([MATTER]).encode()) == [MATTER]
    with pytest.raises(Unreadable, match="byte 0xE9 at offset 5"):
        F.decode(b'["caf\xe9"]')


def test_a_listing_is_streamed_one_object_at_a_time():
    listing = [MATTER, {"MatterId": 2, "Histories": [{"MatterHistoryId": 3}]}, 7]
    stream = io.BytesIO(json.dumps(listing).encode() + b"]")  # then garbage: the objects come first
    objects = F.read(stream)
    assert next(objects) == MATTER
    assert next(objects) == {"MatterId": 2, "Histories": [{"MatterHistoryId": 3}]}
    assert next(objects) == 7
    with pytest.raises(Unreadable, match="more after the JSON ends"):
        next(objects)


def test_one_object_and_numbers_as_written():
    payload = {"EventId": 5, "EventItems": [{"EventItemId": 6, "EventItemAgendaSequence": 1.5}],
               "Big": 2**70}
    (obj,) = F.read(io.BytesIO(json.dumps(payload).encode()))
    assert obj["Big"] == 2**70 and str(obj["EventItems"][0]["EventItemAgendaSequence"]) == "1.5"
    assert F.decode(b"[]") == []


def test_a_number_of_4300_digits_is_still_a_number():
    (value,) = F.read(io.BytesIO(b"[" + b"7" * 4300 + b"]"))
    assert value == int("7" * 4300)


def test_an_unreadable_file_is_left_out_whole_and_the_others_are_read(tmp_path: Path):
    good, cut = tmp_path / "good.json", tmp_path / "cut.json"
    good.write_text(json.dumps([MATTER]))
    cut.write_text(json.dumps([{**MATTER, "MatterId": n, "MatterFile": f"2026-{n:05d}"}
                               for n in range(2, 200)])[:-30])
    for strict in (False, True):
        batch = L.Batch()
        for path in (cut, good):
            batch.add_file(path)
        reading = L.read(batch, LA, strict=strict)
        assert [(s.kind, s.ref) for s in reading.unreadable] == [("unreadable", str(cut))]
        assert reading.stopped is strict
        assert reading.versions.keys() == (set() if strict else {1})  # none of cut.json's 198
        assert reading.read == ({} if strict else {"matter": 1})
        if not strict:
            assert [d.file_id for d in L.Planner(reading, L.DepartmentMap(), "CLK").items()] == ["2026-00001"]


def test_a_file_that_changes_between_the_two_passes_is_reported(tmp_path: Path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps([MATTER]))
    batch = L.Batch()
    batch.add_file(path)
    reading = L.read(batch, LA)
    path.write_text("<html>")
    assert list(L.Planner(reading, L.DepartmentMap(), "CLK").items()) == []
    assert "changed while it was being imported" in reading.unreadable[0].reason
