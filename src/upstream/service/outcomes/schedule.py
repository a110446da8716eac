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
