"""A team working to the 3 Conversations, a link worker in it, and an active episode."""

import datetime

import pytest

from tests.factories.practice import TeamPracticeFactory
from upstream.service.accounts.models import Role
from upstream.service.referrals.states import Status

from ..engagement import factories as make

REFERRED = datetime.datetime(2025, 2, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def team(db):
    found = make.team("Leicester-like team")
    TeamPracticeFactory(team=found)
    return found


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)


@pytest.fixture
def episode(team, worker):
    return make.episode(team, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)


def date_fields(name: str, day: datetime.date) -> dict:
    """A date as the three fields of an NHS.UK date input posts it."""
    return {f"{name}[day]": str(day.day), f"{name}[month]": str(day.month),
            f"{name}[year]": str(day.year)}
