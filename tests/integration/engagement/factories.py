"""The engagement tests' shorthand (``make.team()``, ``make.user(role, team)``,
``make.episode(team, status=...)``, ``make.attempt(...)``) over the factory-boy factories in
``tests/factories``, where the data is defined."""

from tests.factories.accounts import TeamFactory, UserFactory
from tests.factories.engagement import at_noon, attempt
from tests.factories.people import PersonFactory
from tests.factories.referrals import PATHS, episode
from upstream.service.accounts.models import Role, Team, User

__all__ = ["PATHS", "at_noon", "attempt", "episode", "person", "team", "user"]


def team(name: str | None = None, *, attempts_prompt_after: int = 3) -> Team:
    return TeamFactory(attempts_prompt_after=attempts_prompt_after,
                       **({"name": name} if name else {}))


def user(role: str = Role.LINK_WORKER, *teams: Team, username: str | None = None) -> User:
    return UserFactory(role=role, teams=list(teams), **({"username": username} if username else {}))


def person(**overrides):
    return PersonFactory(**overrides)
