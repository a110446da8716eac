"""Fixtures for the outcomes pages: a team and a link worker in it (as engagement's)."""

import pytest

from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role


@pytest.fixture
def team():
    return make.team()


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)
