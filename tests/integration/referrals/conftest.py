"""Fixtures for the referral, triage and allocation tests: two teams, their staff, a referrer."""

import random
from datetime import date

import pytest

from tests.factories.accounts import PathwayFactory, TeamFactory, UserFactory
from upstream.service.accounts.models import Role, Team, User
from upstream.service.people.services import find_or_create_person
from upstream.service.referrals.services import submit_referral
from upstream.standards import nhs_number


@pytest.fixture
def rng():
    return random.Random(20240501)


@pytest.fixture
def heart(db):
    return TeamFactory(name="Heart Centre social prescribing", caseload_limit=2,
                       pathway=PathwayFactory(name="Heart Centre", specialty="Cardiology"))


@pytest.fixture
def diabetes(db):
    return TeamFactory(name="Young adult diabetes link workers",
                       pathway=PathwayFactory(name="Young adult diabetes", specialty="Diabetes"))


def make_user(username: str, role: str, *teams: Team, first_name: str = "") -> User:
    """A user who signs in with ``force_login`` (no password: hashing is slow by design)."""
    return UserFactory(username=username, role=role, first_name=first_name or username.title(),
                       last_name="", teams=list(teams))


@pytest.fixture
def referrer(db):
    return make_user("ann", Role.REFERRER, first_name="Ann")


@pytest.fixture
def other_referrer(db):
    return make_user("ola", Role.REFERRER, first_name="Ola")


@pytest.fixture
def lead(heart):
    return make_user("lee", Role.TEAM_LEAD, heart, first_name="Lee")


@pytest.fixture
def worker(heart):
    return make_user("wes", Role.LINK_WORKER, heart, first_name="Wes")


@pytest.fixture
def second_worker(heart):
    return make_user("val", Role.LINK_WORKER, heart, first_name="Val")


@pytest.fixture
def diabetes_worker(diabetes):
    return make_user("dee", Role.LINK_WORKER, diabetes, first_name="Dee")


@pytest.fixture
def make_person(db, rng):
    def make(given_name="Sam", family_name="Synthetic", **details):
        person, _ = find_or_create_person({
            "nhs_number": nhs_number.synthetic(rng), "given_name": given_name,
            "family_name": family_name, "date_of_birth": date(1970, 1, 1), **details,
        })
        return person
    return make


@pytest.fixture
def refer(make_person, heart, referrer):
    """Submit a referral (new person by default) into the Heart Centre team."""
    def submit(person=None, *, team=None, urgency="routine", by=None, received_at=None):
        return submit_referral(
            person=person or make_person(), team=team or heart, source="pathway_clinician",
            needs=["loneliness"], urgency=urgency, consent_given=True, referrer=by or referrer,
            received_at=received_at,
        )
    return submit


def signed_in(client, user):
    client.force_login(user)
    return client
