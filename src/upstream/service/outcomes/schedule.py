"""When each instrument is due: a schedule per instrument (docs/adr/0014).

By default the baseline is due at first contact (the first attempt that reached the person,
or the referral date until there is one) and the follow-up 12 weeks after the baseline was
completed. An instrument may have its own schedule in ``SCHEDULES``.
"""

import datetime
from dataclasses import dataclass

from upstream.service.engagement.models import REACHED_OUTCOMES
from upstream.service.outcomes.models import Timepoint
from upstream.service.referrals.models import Episode


@dataclass(frozen=True)
class Schedule:
    follow_up_after: datetime.timedelta
    """How long after the baseline the follow-up is due."""


DEFAULT = Schedule(follow_up_after=datetime.timedelta(weeks=12))
SCHEDULES: dict[str, Schedule] = {}
"""Instrument code to its schedule where it differs from ``DEFAULT``."""


def schedule_for(instrument: str) -> Schedule:
    return SCHEDULES.get(instrument, DEFAULT)


def first_contact_on(episode: Episode) -> datetime.date:
    """The day the person was first reached, or the referral day until then."""
    reached = [a.at for a in episode.contacts.all() if a.outcome in REACHED_OUTCOMES]
    return (min(reached) if reached else episode.opened_at).date()


def due_on(episode: Episode, instrument: str, timepoint: str,
           baseline_on: datetime.date | None) -> datetime.date | None:
    """When ``timepoint`` of ``instrument`` is due for ``episode``; a follow-up has no due date
    until its baseline is done."""
    if timepoint == Timepoint.BASELINE:
        return first_contact_on(episode)
    if baseline_on is None:
        return None
    return baseline_on + schedule_for(instrument).follow_up_after


@dataclass(frozen=True)
class FollowUpDue:
    episode: Episode
    instrument: str
    """The instrument's code."""
    due_on: datetime.date


def follow_ups_due(episode: Episode, today: datetime.date) -> list[FollowUpDue]:
    """Follow-ups of ``episode`` due on or before ``today`` and not yet recorded: one for each
    instrument with a baseline and no follow-up (``episode.outcome_administrations`` may be
    prefetched)."""
    recorded: dict[str, dict[str, datetime.date]] = {}
    for administration in episode.outcome_administrations.all():
        recorded.setdefault(administration.instrument, {})[administration.timepoint] = (
            administration.administered_on)
    due = []
    for instrument, timepoints in sorted(recorded.items()):
        if Timepoint.BASELINE not in timepoints or Timepoint.WEEK_12 in timepoints:
            continue
        on = due_on(episode, instrument, Timepoint.WEEK_12, timepoints[Timepoint.BASELINE])
        if on <= today:
            due.append(FollowUpDue(episode, instrument, on))
    return due
