"""When a service next opens, from its HSDS 3.0 schedules (RFC 5545 recurrence rules).

An HSDS schedule says ``freq`` (WEEKLY or MONTHLY), ``interval``, ``byday`` ("MO,WE", or
"2TU" / "-1FR" for the second Tuesday / last Friday of the month), ``bymonthday``, optional
``dtstart``, ``until``, ``count``, ``valid_from`` / ``valid_to``, and the local ``opens_at`` /
``closes_at`` times. ``next_opening`` turns those into the next session that has not finished
yet; a schedule with no recurrence it can follow (only a description) gives None rather than a
guess. The recurrence itself is python-dateutil's ``rrule``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil import rrule

_WEEKDAYS = {"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR,
             "SA": rrule.SA, "SU": rrule.SU}
_FREQUENCIES = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
WEEKDAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
                 "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}


@dataclass(frozen=True)
class Rule:
    """The fields of one HSDS schedule that say when it is open."""

    freq: str = ""
    interval: int | None = None
    byday: str = ""
    bymonthday: str = ""
    dtstart: date | None = None
    until: date | None = None
    count: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    opens_at: time | None = None
    closes_at: time | None = None


@dataclass(frozen=True)
class Opening:
    """One session: it starts at ``starts`` (local time) and ends at ``ends`` if known."""

    starts: datetime
    ends: datetime | None

    def is_open_at(self, moment: datetime) -> bool:
        return self.starts <= moment < (self.ends or self.starts)


def _weekdays(byday: str):
    days = []
    for part in filter(None, (p.strip().upper() for p in (byday or "").split(","))):
        match = _BYDAY.match(part)
        if not match:
            return None
        day = _WEEKDAYS[match.group(2)]
        days.append(day(int(match.group(1))) if match.group(1) else day)
    return days


def _recurrence(rule: Rule, first_day: date):
    freq = _FREQUENCIES.get((rule.freq or "").upper())
    days = _weekdays(rule.byday)
    monthdays = [int(d) for d in (rule.bymonthday or "").split(",") if d.strip().lstrip("-")
                 .isdigit()]
    if freq is None or days is None or not (days or monthdays or rule.dtstart):
        return None
    start = datetime.combine(rule.dtstart or first_day, rule.opens_at or time(0))
    kwargs = {"dtstart": start, "interval": max(rule.interval or 1, 1)}
    if days:
        kwargs["byweekday"] = days
    if monthdays:
        kwargs["bymonthday"] = monthdays
    if rule.count:
        kwargs["count"] = rule.count
    elif rule.until:
        kwargs["until"] = datetime.combine(rule.until, time.max)
    return rrule.rrule(freq, **kwargs)


def next_opening(rule: Rule, after: datetime) -> Opening | None:
    """The first session of ``rule`` still running or yet to start at ``after`` (a naive local
    datetime), within the schedule's validity; None if there is none or it cannot be known."""
    if not rule.opens_at:
        return None
    first_day = max(filter(None, [rule.valid_from, after.date() - timedelta(days=1)]))
    recurrence = _recurrence(rule, first_day if not rule.dtstart else rule.dtstart)
    if recurrence is None:
        return None
    duration = None
    if rule.closes_at and rule.closes_at > rule.opens_at:
        duration = (datetime.combine(date.min, rule.closes_at)
                    - datetime.combine(date.min, rule.opens_at))
    search_from = after - (duration or timedelta(0))
    if rule.valid_from:
        search_from = max(search_from, datetime.combine(rule.valid_from, time(0)))
    starts = recurrence.after(search_from, inc=True)
    while starts is not None and duration and starts + duration <= after:
        starts = recurrence.after(starts)
    if starts is None or (rule.valid_to and starts.date() > rule.valid_to):
        return None
    return Opening(starts, starts + duration if duration else None)


def soonest(rules: list[Rule], after: datetime) -> Opening | None:
    """The soonest ``next_opening`` of several schedules (a service may have one per day)."""
    openings = [o for o in (next_opening(r, after) for r in rules) if o is not None]
    return min(openings, key=lambda o: o.starts, default=None)
