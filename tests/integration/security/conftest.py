"""Fixtures for the security tests: a team with a user of each role."""

import pytest
from django.contrib.auth import get_user_model

from upstream.service.accounts.models import Pathway, Role, Team

PASSWORD = "correct horse battery staple"


@pytest.fixture
def team(db):
    return Team.objects.create(name="Heart Centre link workers",
                               pathway=Pathway.objects.create(name="Heart Centre"))


@pytest.fixture
def make_user(db, team):
    def make(username, role=Role.LINK_WORKER, password=PASSWORD, **extra):
        user = get_user_model().objects.create_user(username=username, password=password,
                                                    role=role, **extra)
        if role in (Role.LINK_WORKER, Role.TEAM_LEAD):
            user.teams.add(team)
        return user

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing strength is not under test here; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
