"""Dates, times, NHS numbers, counts and durations as NHS.UK pages write them.

Every page and presenter formats through these, so "2 December 2026" reads the same
everywhere. Datetimes are shown in the service's time zone (``TIME_ZONE``)."""

import datetime

from django.utils import timezone

from upstream.standards import nhs_number as nhs_numbers


def _local_day(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def long_date(value: datetime.date | datetime.datetime | None, *, empty: str = "") -> str:
    """``2 December 2026`` (the local date of a datetime), or ``empty`` when there is none."""
    if value is None:
        return empty
    day = _local_day(value)
    return f"{day.day} {day:%B} {day.year}"


def date_time(value: datetime.datetime | None, *, empty: str = "", seconds: bool = False) -> str:
    """``2 Dec 2026, 14:05`` in local time (``14:05:09`` with ``seconds``, for the audit log),
    or ``empty``: for tables where space is short."""
    if value is None:
        return empty
    local = timezone.localtime(value)
    return f"{local.day} {local:%b} {local.year}, {local:%H:%M:%S}" if seconds else (
        f"{local.day} {local:%b} {local.year}, {local:%H:%M}")


def long_date_time(value: datetime.datetime | None, *, empty: str = "") -> str:
    """``2 December 2026 at 14:05`` in local time, or ``empty``."""
    if value is None:
        return empty
    local = timezone.localtime(value)
    return f"{long_date(local)} at {local:%H:%M}"


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``1 day``, ``3 days``; ``plural_noun`` for nouns that do not just take an s."""
    return f"{count} {noun if count == 1 else (plural_noun or noun + 's')}"


def relative_day(value: datetime.date | datetime.datetime | None, *,
                 today: datetime.date | None = None, empty: str = "") -> str:
    """How long ago (or ahead) a day is, counted in calendar days: ``today``, ``yesterday``,
    ``3 days ago``, ``tomorrow``, ``in 5 days``; or ``empty``."""
    if value is None:
        return empty
    days = ((today or timezone.localdate()) - _local_day(value)).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    if days > 1:
        return f"{plural(days, 'day')} ago"
    return f"in {plural(-days, 'day')}"


def nhs_number(value: str | None, *, empty: str = "Not known") -> str:
    """``999 123 4567`` (3-3-4 groups, as NHS.UK shows it), or ``empty`` when not known."""
    return nhs_numbers.format_nhs_number(value) if value else empty


def duration(minutes: int | None, *, empty: str = "") -> str:
    """``45 minutes``, ``1 hour``, ``1 hour 30 minutes``, ``2 hours``; or ``empty``."""
    if not minutes:
        return empty
    hours, rest = divmod(minutes, 60)
    parts = ([plural(hours, "hour")] if hours else []) + ([plural(rest, "minute")] if rest else [])
    return " ".join(parts)


def yes_no(value: bool | None, *, empty: str = "Not recorded") -> str:
    """``Yes`` or ``No``, or ``empty`` when unknown."""
    return empty if value is None else ("Yes" if value else "No")
