"""Synthetic test data for the engagement tests: teams, users and episodes in a chosen status.

Episodes reach their status through the real state machine (``referrals.services.transition``),
so every test starts from a history the service itself could have produced.
"""

import datetime
import itertools

from django.utils import timezone

from upstream.service.accounts.models import Pathway, Role, Team, User
from upstream.service.engagement import services
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import submit_referral, transition
from upstream.service.referrals.states import Status
from upstream.standards.nhs_number import test_range

_nhs_numbers = test_range()
_counter = itertools.count(1)

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


def team(name: str | None = None, *, attempts_prompt_after: int = 3) -> Team:
    n = next(_counter)
    pathway, _ = Pathway.objects.get_or_create(name="Heart Centre", specialty="Cardiology")
    return Team.objects.create(name=name or f"Test team {n}", pathway=pathway,
                               attempts_prompt_after=attempts_prompt_after)


def user(role: str = Role.LINK_WORKER, *teams: Team, username: str | None = None) -> User:
    n = next(_counter)
    member = User(username=username or f"{role}-{n}", role=role, first_name="Test",
                  last_name=f"User {n}")
    member.set_unusable_password()  # tests sign in with force_login
    member.save()
    member.teams.set(teams)
    return member


def person(**overrides) -> Person:
    n = next(_counter)
    details = {"given_name": "Alex", "family_name": f"Synthetic{n}",
               "date_of_birth": datetime.date(1970, 1, 1) + datetime.timedelta(days=n),
               "nhs_number": next(_nhs_numbers), "gp_practice_ods": "Y12345"}
    return Person.objects.create(**{**details, **overrides})


def episode(in_team: Team, *, worker: User | None = None, status: Status = Status.ALLOCATED,
            urgency: str = "routine", referrer: User | None = None,
            needs=("loneliness",), allocated_at: datetime.datetime | None = None,
            referred_at: datetime.datetime | None = None) -> Episode:
    """An episode for a new synthetic person in ``in_team``, moved to ``status``.
    ``referred_at`` back-dates the referral (default now), for tests that record events on
    fixed past dates: nothing can be recorded before the referral date (``people.dates``)."""
    referral = submit_referral(person=person(), team=in_team, source="pathway_clinician",
                               needs=list(needs), reason="test", urgency=urgency,
                               consent_given=True, referrer=referrer, received_at=referred_at)
    found = referral.episode
    if worker is not None:
        Episode.objects.filter(pk=found.pk).update(worker=worker)
        found.worker = worker
    for step in PATHS[status]:
        transition(found, step, by=worker, reason="test set-up")
    if allocated_at is not None:
        Episode.objects.filter(pk=found.pk).update(allocated_at=allocated_at)
    return Episode.objects.select_related("person", "team", "worker").get(pk=found.pk)


def attempt(on: Episode, outcome: str, *, at: datetime.datetime | None = None,
            channel: str = "phone", by: User | None = None):
    """Log a contact attempt through the service (so status rules apply)."""
    return services.log_contact_attempt(on, by=by or on.worker, channel=channel,
                                        outcome=outcome, at=at or timezone.now())


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
