"""Fixtures for the schedules tests: a team, its lead and a link worker, from the engagement
tests' factories."""

import pytest

from upstream.service.accounts.models import Role

from ..engagement import factories as make


@pytest.fixture
def team():
    return make.team()


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)


@pytest.fixture
def lead(team):
    return make.user(Role.TEAM_LEAD, team)
