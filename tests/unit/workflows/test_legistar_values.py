"""Checking values from Legistar responses: dates in the city's zone, numbers the database can store,
text without invisible controls, and report lines that stay one line."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from workflows import legistar_values as V

LA = ZoneInfo("America/Los_Angeles")
TOKYO = ZoneInfo("Asia/Tokyo")


class TestDates:
    def test_a_date_without_zone_is_the_citys_calendar_day(self):
        assert V.local_date("2017-09-12T00:00:00", "EventDate", LA) == date(2017, 9, 12)
        # the same string read in Tokyo is still the 12th: no conversion through UTC
        assert V.local_date("2017-09-12T00:00:00", "EventDate", TOKYO) == date(2017, 9, 12)

    def test_utc_fields_are_utc_and_others_local(self):
        modified = V.parse_timestamp("2019-04-25T18:45:46.937", "EventItemLastModifiedUtc", LA)
        assert modified == datetime(2019, 4, 25, 18, 45, 46, 937000, tzinfo=UTC)
        published = V.parse_timestamp("2017-09-26T23:50:28.76", "EventAgendaLastPublishedUTC", LA)
        assert published.utcoffset().total_seconds() == 0
        action = V.parse_timestamp("2013-04-30T10:00:00", "MatterHistoryActionDate", LA)
        assert action.astimezone(UTC) == datetime(2013, 4, 30, 17, 0, tzinfo=UTC)

    @pytest.mark.parametrize("raw, micro", [("2014-05-24T04:10:20.03", 30000), ("2014-05-24T04:10:20", 0),
                                            ("2014-05-24T04:10:20.1234567", 123456)])
    def test_fractional_seconds_of_any_length(self, raw, micro):
        assert V.parse_timestamp(raw, "XLastModifiedUtc", LA).microsecond == micro

    def test_an_explicit_offset_wins(self):
        moment = V.parse_timestamp("2017-09-12T00:30:00Z", "EventDate", LA)
        assert V.local_date("2017-09-12T00:30:00Z", "EventDate", LA) == date(2017, 9, 11)
        assert moment.tzinfo is not None

    @pytest.mark.parametrize("raw", ["12/09/2017", "2017-13-01T00:00:00", 20170912, "soon"])
    def test_a_bad_date_is_malformed(self, raw):
        with pytest.raises(V.Malformed, match="EventDate"):
            V.parse_timestamp(raw, "EventDate", LA)

    @pytest.mark.parametrize("raw, expected", [("1:30 PM", time(13, 30)), ("10:00 AM", time(10)),
                                               ("12:00 PM", time(12)), ("12:15 a.m.", time(0, 15)),
                                               ("9 am", time(9)), ("TBD", None), (None, None),
                                               ("13:00 PM", None)])
    def test_event_time(self, raw, expected):
        assert V.clock_time(raw) == expected


    @pytest.mark.parametrize("raw, tz", [("9999-12-31T23:00:00", LA), ("0001-01-01T00:00:00", TOKYO),
                                         ("9999-12-31T23:00:00-05:00", LA)])
    def test_a_date_that_cannot_be_stored_is_out_of_range(self, raw, tz):
        with pytest.raises(V.Malformed, match="MatterAgendaDate is out of range"):
            V.local_date(raw, "MatterAgendaDate", tz)

    def test_the_last_day_without_a_time_is_a_date(self):
        assert V.local_date("9999-12-31T00:00:00", "EventDate", LA) == date(9999, 12, 31)

    @pytest.mark.parametrize("raw", ["2017-01-01T00:00:00+99:00", "\uff12\uff10\uff11\uff17-01-01",
                                     "2017-01-01T00:00:00+25:00"])
    def test_odd_offsets_and_digits_are_not_dates(self, raw):
        with pytest.raises(V.Malformed, match="not a date"):
            V.parse_timestamp(raw, "EventDate", LA)


class TestNumbers:
    @pytest.mark.parametrize("value", [1, V.INT_MAX, V.INT_MIN, 0])
    def test_what_the_database_stores(self, value):
        assert V.whole_number({"MatterId": value}, "MatterId") == value

    @pytest.mark.parametrize("value", [V.INT_MAX + 1, 2**63, 2**64 + 1, -(2**63), 10**400])
    def test_beyond_32_bits_is_out_of_range(self, value):
        with pytest.raises(V.Malformed, match="MatterId is out of range") as caught:
            V.whole_number({"MatterId": value}, "MatterId")
        assert len(str(caught.value)) < 160  # a huge number is quoted short

    @pytest.mark.parametrize("value", ["1", 1.5, True, [1], None])
    def test_not_a_whole_number(self, value):
        with pytest.raises(V.Malformed, match="should be a whole number"):
            V.number({"MatterId": value}, "MatterId")


class TestText:
    def test_titles_keep_newlines_and_lose_what_cannot_be_seen(self):
        title = "Line\u202e one\r\nLine\x00 two\x1b[31m\tend\ud800\u2028last\ufeff"
        assert V.clean_text(title) == "Line one\nLine two[31m end\nlast"

    def test_ordinary_text_is_untouched(self):
        title = "Résolution — 1er étage, «d\u2019accord» 市議会"
        assert V.clean_text(title) is title

    @pytest.mark.parametrize("value, char", [("17-052\n1", "U+000A"), ("17\u202e-052", "U+202E"),
                                             ("17-\u200b052", "U+200B"), ("17-\x00052", "U+0000")])
    def test_a_file_number_with_a_hidden_character_is_refused(self, value, char):
        with pytest.raises(V.Malformed) as caught:
            V.file_number({"MatterFile": value}, "MatterFile")
        assert str(caught.value).startswith(f"MatterFile contains a control or invisible character ({char})")
        assert str(caught.value).isprintable()

    def test_a_file_number_over_64_characters_says_so(self):
        with pytest.raises(V.Malformed, match="MatterFile is longer than 64 characters"):
            V.file_number({"MatterFile": "Int " + "1" * 61}, "MatterFile")
        assert V.file_number({"MatterFile": " Inf 2945 "}, "MatterFile") == "Inf 2945"

    def test_a_report_line_stays_one_line_in_its_direction(self):
        line = V.printable("matter 1 (17-052\nskipped: nothing \u202eevil)")
        assert "\n" not in line and "\u202e" not in line
        assert line == "matter 1 (17-052\\nskipped: nothing \\u202eevil)"
        assert V.printable("Résolution 市議会") == "Résolution 市議会"
