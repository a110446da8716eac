"""Fixtures shared by the engagement tests: a team (prompting after 3 unsuccessful attempts)
and a link worker in it."""

import pytest

from upstream.service.accounts.models import Role

from . import factories as make


@pytest.fixture
def team():
    return make.team()


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)
