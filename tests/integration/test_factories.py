"""The factory-boy factories make records the service itself could have made."""

import pytest

from tests.factories.accounts import TeamFactory, UserFactory
from tests.factories.people import PersonFactory
from tests.factories.referrals import PATHS, episode
from upstream.service.accounts.models import Role
from upstream.service.referrals.states import Status
from upstream.standards import nhs_number

pytestmark = pytest.mark.django_db


def test_people_are_synthetic_with_valid_test_range_nhs_numbers():
    people = PersonFactory.create_batch(3)
    numbers = [p.nhs_number for p in people]
    assert len(set(numbers)) == 3
    for number in numbers:
        assert number.startswith("999") and nhs_number.is_valid(number)


def test_users_belong_to_their_teams_and_cannot_sign_in_with_a_password():
    team = TeamFactory()
    lead = UserFactory(role=Role.TEAM_LEAD, teams=[team])
    assert list(lead.teams.all()) == [team]
    assert lead.username.startswith("team_lead-") and not lead.has_usable_password()


@pytest.mark.parametrize("status", [Status.REFERRED, Status.WAITING, Status.ACTIVE])
def test_an_episode_reaches_its_status_through_the_state_machine(status):
    team = TeamFactory()
    worker = UserFactory(teams=[team])
    found = episode(team, worker=worker, status=status, given_name="Joan")
    assert found.status == status and found.person.given_name == "Joan"
    moves = [t.to_status for t in found.transitions.all() if t.reason == "test set-up"]
    assert moves == PATHS[status]
