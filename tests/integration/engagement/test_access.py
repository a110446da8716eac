"""Who may open the engagement pages, record-level scoping and the audit of each view."""

import pytest

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.referrals.states import Status

from . import factories as make

pytestmark = pytest.mark.django_db
EPISODE_PAGES = ["contacts/", "what-matters/", "plan/", "sessions/", "close/"]


@pytest.fixture
def episode(team):
    return make.episode(team, worker=make.user(Role.LINK_WORKER, team), status=Status.ACTIVE)


@pytest.mark.parametrize("page", EPISODE_PAGES)
def test_other_teams_episode_is_not_found(client, episode, page):
    client.force_login(make.user(Role.LINK_WORKER, make.team()))
    url = f"/engagement/episodes/{episode.pk}/{page}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": episode.version}).status_code == 404


@pytest.mark.parametrize("page", EPISODE_PAGES)
def test_team_lead_of_the_team_sees_the_page_and_the_view_is_audited(client, team, episode, page):
    lead = make.user(Role.TEAM_LEAD, team)
    client.force_login(lead)
    assert client.get(f"/engagement/episodes/{episode.pk}/{page}").status_code == 200
    assert AuditEvent.objects.filter(user=lead, action=Action.VIEW,
                                     record_type="referrals.episode",
                                     record_id=str(episode.pk)).exists()


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.REFERRER])
def test_roles_without_access_are_refused(client, episode, role):
    client.force_login(make.user(role))
    for url in ["/engagement/caseload/", "/engagement/huddle/",
                f"/engagement/episodes/{episode.pk}/contacts/"]:
        assert client.get(url).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client, episode):
    response = client.get(f"/engagement/episodes/{episode.pk}/plan/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_summary_of_an_episode_without_one_is_not_found(client, team, episode):
    client.force_login(make.user(Role.TEAM_LEAD, team))
    assert client.get(f"/engagement/episodes/{episode.pk}/summary/").status_code == 404
