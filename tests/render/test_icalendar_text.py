"""The iCalendar text layer: folding, quoting, escaping and VTIMEZONE, checked byte by byte and by icalendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ics.grammar.parse import Container, ContentLine

from motesplats.render import icalendar_text as ical
from tests.outlook_model import outlook_offset


@pytest.mark.parametrize("text", ["a" * 200, "å" * 100, "€" * 90, "Nguyễn " * 30, "🙂" * 40, "x" * 74 + "ö"])
def test_folding_keeps_lines_within_75_octets_and_characters_whole(text):
    folded = ical.fold("DESCRIPTION:" + text)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "DESCRIPTION:" + text


def test_a_short_line_is_not_folded():
    assert ical.fold("SUMMARY:Möte") == "SUMMARY:Möte"


@pytest.mark.parametrize("value, written", [
    ("Mälardalsrådet", "Mälardalsrådet"),
    ("Mälardalsrådet, kansliet", '"Mälardalsrådet, kansliet"'),
    ("a;b", '"a;b"'),
    ("mailto:x", '"mailto:x"'),
    ('Say "hi"', "Say 'hi'"),
    ("line\nbreak", "line break"),
])
def test_parameter_values_are_quoted_not_escaped(value, written):
    assert ical.param_value(value) == written


def test_text_values_are_escaped():
    assert ical.text_value("a\\b;c,d\r\ne\rf\x07") == "a\\\\b\\;c\\,d\\ne\\nf"


@pytest.mark.parametrize("delta, written", [
    (timedelta(days=-1), "-P1D"), (timedelta(hours=-2), "-PT2H"), (timedelta(weeks=-1), "-P1W"),
    (timedelta(minutes=-90), "-PT1H30M"), (timedelta(hours=12), "PT12H"), (timedelta(0), "PT0S"),
    (timedelta(days=-1, hours=-6), "-P1DT6H"),
])
def test_durations(delta, written):
    assert ical.duration_value(delta) == written


@pytest.mark.parametrize("zone_name", ["Europe/Stockholm", "Europe/Paris", "Australia/Sydney",
                                       "America/St_Johns", "Asia/Kolkata", "UTC"])
def test_vtimezone_lets_icalendar_compute_the_same_offsets_as_zoneinfo(zone_name):
    calendar = Container("VCALENDAR", ContentLine("VERSION", {}, "2.0"), ContentLine("PRODID", {}, "-//test//EN"),
                         ical.vtimezone(zone_name, 2018, 2019))
    moments = [datetime(2018, month, 15, 12, 0) for month in range(1, 13)] + \
              [datetime(2019, 3, 31, 1, 59), datetime(2019, 3, 31, 3, 1), datetime(2019, 10, 27, 3, 1)]
    events = "".join(f"BEGIN:VEVENT\r\nUID:{i}@test\r\nDTSTAMP:20180101T000000Z\r\n"
                     f"DTSTART;TZID={zone_name}:{moment:%Y%m%dT%H%M%S}\r\nEND:VEVENT\r\n"
                     for i, moment in enumerate(moments))
    text = ical.serialize(calendar).replace("END:VCALENDAR\r\n", events + "END:VCALENDAR\r\n")
    # A name no time-zone database knows, so the parser must use our VTIMEZONE and nothing else.
    parsed = icalendar.Calendar.from_ical(text.replace(zone_name, f"X-Our-Own-{zone_name.replace('/', '-')}"))
    tz = ZoneInfo(zone_name)
    for moment, event in zip(moments, parsed.walk("VEVENT")):
        assert event["DTSTART"].dt.utcoffset() == moment.replace(tzinfo=tz).utcoffset(), moment


def test_serialize_writes_crlf_and_nested_components():
    text = ical.serialize(Container("VEVENT", ContentLine("UID", {}, "x"),
                                    Container("VALARM", ContentLine("ACTION", {}, "DISPLAY"))))
    assert text == "BEGIN:VEVENT\r\nUID:x\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n"


# --- Outlook's reading of a VTIMEZONE (the model is in tests/outlook_model.py) ---------------


@pytest.mark.parametrize("zone", ["Europe/Stockholm", "Europe/Berlin", "Europe/Paris", "Europe/London",
                                  "America/New_York", "Australia/Sydney", "Asia/Tokyo"])
def test_outlook_reads_every_day_of_a_many_year_feed_at_its_true_offset(zone):
    first, last = 2018, 2032
    vtimezone = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\n" + ical.serialize(ical.vtimezone(zone, first, last)) + "END:VCALENDAR\r\n"
    ).walk("VTIMEZONE")[0]
    wrong = []
    day = date(first, 1, 1)
    while day.year <= last:
        local = datetime(day.year, day.month, day.day, 12, 0)
        true = local.replace(tzinfo=ZoneInfo(zone)).utcoffset()
        if outlook_offset(vtimezone, local) != true:
            wrong.append(day)
        day += timedelta(days=1)
    assert not wrong, f"{len(wrong)} days wrong in Outlook, first {wrong[:3]}"


def test_a_regular_zone_is_one_standard_and_one_daylight_rule():
    text = ical.serialize(ical.vtimezone("Europe/Stockholm", 2018, 2025))
    assert text.count("BEGIN:STANDARD") == text.count("BEGIN:DAYLIGHT") == 1
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in text and "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text


def test_a_zone_whose_rules_changed_is_written_change_by_change():
    # Brazil abolished summer time in 2019: no yearly rule covers 2017-2020.
    text = ical.serialize(ical.vtimezone("America/Sao_Paulo", 2017, 2020))
    assert "RRULE" not in text and text.count("BEGIN:DAYLIGHT") >= 2
