"""ui.format: dates, times, NHS numbers, counts and durations as NHS.UK pages write them."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from upstream.service.ui import format as fmt

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 12, 2)


def test_long_date_has_no_leading_zero_and_the_full_month():
    assert fmt.long_date(datetime.date(2026, 12, 2)) == "2 December 2026"
    assert fmt.long_date(datetime.date(2025, 3, 14)) == "14 March 2025"
    assert fmt.long_date(None) == ""
    assert fmt.long_date(None, empty="Not set") == "Not set"


def test_a_datetime_is_shown_on_its_local_day():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time)
    late = datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert fmt.long_date(late) == "1 July 2025"
    assert fmt.date_time(late) == "1 Jul 2025, 00:30"
    assert fmt.long_date_time(late) == "1 July 2025 at 00:30"


@pytest.mark.parametrize("day, expected", [
    (TODAY, "today"),
    (TODAY - datetime.timedelta(days=1), "yesterday"),
    (TODAY - datetime.timedelta(days=3), "3 days ago"),
    (TODAY + datetime.timedelta(days=1), "tomorrow"),
    (TODAY + datetime.timedelta(days=5), "in 5 days"),
])
def test_relative_day(day, expected):
    assert fmt.relative_day(day, today=TODAY) == expected


def test_relative_day_counts_calendar_days_of_a_local_time():
    just_after_midnight = datetime.datetime(2026, 12, 2, 0, 5, tzinfo=LONDON)
    assert fmt.relative_day(just_after_midnight, today=TODAY) == "today"
    assert fmt.relative_day(None, empty="never") == "never"


def test_nhs_number_in_three_three_four_groups():
    assert fmt.nhs_number("9991234567") == "999 123 4567"
    assert fmt.nhs_number("999 123 4567") == "999 123 4567"
    assert fmt.nhs_number(None) == "Not known"
    assert fmt.nhs_number("") == "Not known"


@pytest.mark.parametrize("minutes, expected", [
    (None, ""), (0, ""), (1, "1 minute"), (45, "45 minutes"), (60, "1 hour"),
    (90, "1 hour 30 minutes"), (120, "2 hours"), (121, "2 hours 1 minute"),
])
def test_duration(minutes, expected):
    assert fmt.duration(minutes) == expected


def test_plural():
    assert fmt.plural(1, "day") == "1 day"
    assert fmt.plural(0, "day") == "0 days"
    assert fmt.plural(2, "person", "people") == "2 people"


def test_date_time_with_seconds_for_the_audit_log():
    at = datetime.datetime(2026, 12, 2, 14, 5, 9, tzinfo=datetime.UTC)
    assert fmt.date_time(at, seconds=True) == "2 Dec 2026, 14:05:09"
