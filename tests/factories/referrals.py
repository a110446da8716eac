"""Episodes in a chosen status, reached through the real state machine."""

import datetime

from upstream.service.accounts.models import Team, User
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import submit_referral, transition
from upstream.service.referrals.states import Status

from .people import PersonFactory

PATHS = {
    Status.REFERRED: [],
    Status.TRIAGED: [Status.TRIAGED],
    Status.WAITING: [Status.TRIAGED, Status.WAITING],
    Status.ALLOCATED: [Status.TRIAGED, Status.ALLOCATED],
    Status.CONTACTING: [Status.TRIAGED, Status.ALLOCATED, Status.CONTACTING],
    Status.ENGAGED: [Status.TRIAGED, Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED],
    Status.ACTIVE: [Status.TRIAGED, Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED,
                    Status.ACTIVE],
    Status.CLOSING: [Status.TRIAGED, Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED,
                     Status.ACTIVE, Status.CLOSING],
}
"""A legal route from 'referred' to each status the tests start from."""


def episode(in_team: Team, *, worker: User | None = None, status: Status = Status.ALLOCATED,
            urgency: str = "routine", referrer: User | None = None,
            needs=("loneliness",), allocated_at: datetime.datetime | None = None,
            referred_at: datetime.datetime | None = None, **person) -> Episode:
    """An episode for a new synthetic person (``PersonFactory(**person)``) in ``in_team``,
    referred (at ``referred_at``, default now) and moved to ``status``. Nothing can be
    recorded before the referral date (``people.dates``)."""
    referral = submit_referral(person=PersonFactory(**person), team=in_team,
                               source="pathway_clinician", needs=list(needs), reason="test",
                               urgency=urgency, consent_given=True, referrer=referrer,
                               received_at=referred_at)
    found = referral.episode
    if worker is not None:
        Episode.objects.filter(pk=found.pk).update(worker=worker)
        found.worker = worker
    for step in PATHS[status]:
        transition(found, step, by=worker, reason="test set-up")
    if allocated_at is not None:
        Episode.objects.filter(pk=found.pk).update(allocated_at=allocated_at)
    return Episode.objects.select_related("person", "team", "worker").get(pk=found.pk)
