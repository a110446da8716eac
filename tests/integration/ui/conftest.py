"""Fixtures for the UI layer's tests: a team with a link worker, a team lead and a referrer."""

import pytest

from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role


@pytest.fixture
def team(db):
    return make.team()


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)


@pytest.fixture
def lead(team):
    return make.user(Role.TEAM_LEAD, team)


@pytest.fixture
def referrer(db):
    return make.user(Role.REFERRER)
