"""A team lead chooses the practice model their team works to; audited; other teams are 404."""

import pytest

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.practice.models import (
    PracticeModel,
    TeamPractice,
    works_to_three_conversations,
)

from ..engagement import factories as make

pytestmark = pytest.mark.django_db


def test_a_lead_turns_3_conversations_on_and_off_for_their_team(client):
    team = make.team()
    lead = make.user(Role.TEAM_LEAD, team)
    client.force_login(lead)
    url = f"/practice/teams/{team.pk}/"
    page = client.get(url).content.decode()
    assert "Which practice model does the team work to?" in page
    assert client.post(url, {"model": PracticeModel.THREE_CONVERSATIONS}).status_code == 302
    assert TeamPractice.objects.get(team=team).model == PracticeModel.THREE_CONVERSATIONS
    assert "3 Conversations" in client.get(url).content.decode()
    settings_page = client.get("/schedules/").content.decode()
    assert f'href="{url}"' in settings_page and "3 Conversations" in settings_page
    assert AuditEvent.objects.filter(user=lead, action=Action.CHANGE,
                                     detail__contains="practice model").exists()
    assert client.post(url, {"model": "none"}).status_code == 302
    team.refresh_from_db()
    assert not works_to_three_conversations(team)


def test_a_choice_is_required_and_names_the_field(client):
    team = make.team()
    client.force_login(make.user(Role.TEAM_LEAD, team))
    response = client.post(f"/practice/teams/{team.pk}/", {"model": "something_else"})
    assert response.status_code == 200
    assert "Select one of the practice models, or none" in response.content.decode()
    assert not TeamPractice.objects.exists()


def test_another_teams_lead_and_link_workers_cannot_change_it(client):
    team = make.team()
    client.force_login(make.user(Role.TEAM_LEAD, make.team()))
    assert client.post(f"/practice/teams/{team.pk}/",
                       {"model": PracticeModel.THREE_CONVERSATIONS}).status_code == 404
    client.force_login(make.user(Role.LINK_WORKER, team))
    assert client.get(f"/practice/teams/{team.pk}/").status_code == 403
    assert not TeamPractice.objects.exists()
