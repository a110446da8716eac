"""3 Conversations: tags required for teams that work to it, the current conversation and
moves, the crisis plan, and nothing of it for other teams."""

import datetime

import pytest
from django.utils import timezone

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.engagement import services
from upstream.service.engagement.models import ContactAttempt, CrisisPlan, Session
from upstream.service.practice import conversations
from upstream.service.practice.models import Conversation
from upstream.service.referrals.states import Status

from ..engagement import factories as make
from .conftest import REFERRED, date_fields

pytestmark = pytest.mark.django_db
MARCH_14 = datetime.date(2025, 3, 14)
SOON = timezone.localdate() + datetime.timedelta(days=7)


def _session(episode, worker, on, conversation):
    episode.refresh_from_db()
    return services.record_session(episode, by=worker, held_on=on, kind="phone",
                                   conversation=conversation)


def _contact(episode, worker, on, conversation):
    return services.log_contact_attempt(episode, by=worker, channel="phone", outcome="spoke",
                                        at=make.at_noon(on), conversation=conversation)


def test_latest_tag_is_the_current_conversation_and_changes_are_moves(episode, worker):
    _contact(episode, worker, datetime.date(2025, 3, 1), 1)
    _session(episode, worker, datetime.date(2025, 3, 3), 2)
    _contact(episode, worker, datetime.date(2025, 3, 5), 2)
    _session(episode, worker, datetime.date(2025, 3, 10), 1)
    found = conversations.tags(episode)
    assert conversations.current(found) == Conversation.CONNECT
    assert [(m.came_from, m.to, m.on) for m in conversations.moves(found)] == [
        (1, 2, datetime.date(2025, 3, 3)), (2, 1, datetime.date(2025, 3, 10))]


def test_service_refuses_an_unknown_conversation(episode, worker):
    with pytest.raises(ValueError):
        _contact(episode, worker, datetime.date(2025, 3, 1), 4)
    assert not ContactAttempt.objects.exists()


def test_contact_form_requires_the_conversation_with_the_descriptions_as_hints(
        client, episode, worker):
    client.force_login(worker)
    url = f"/engagement/episodes/{episode.pk}/contacts/"
    page = client.get(url).content.decode()
    assert "Which conversation was this?" in page
    assert "intensive, short-term support" in page.lower()
    response = client.post(url, {"version": episode.version, "time": "09:30", "channel": "phone",
                                 "outcome": "spoke", **date_fields("on", MARCH_14)})
    assert response.status_code == 200
    assert "Select which conversation this was" in response.content.decode()
    assert not episode.contacts.exists()


def test_tagging_conversation_2_leads_to_the_crisis_plan_and_the_plan_is_recorded(
        client, episode, worker):
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/sessions/", {
        "version": episode.version, **date_fields("held_on", datetime.date(2025, 3, 3)),
        "kind": "phone", "conversation": "2"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/episodes/{episode.pk}/conversations/#crisis-plan")
    assert Session.objects.get().conversation == Conversation.CRISIS
    url = f"/engagement/episodes/{episode.pk}/conversations/"
    page = client.get(url).content.decode()
    assert "No crisis plan" in page
    episode.refresh_from_db()
    response = client.post(url, {
        "version": episode.version, "crisis": "Eviction notice for Friday",
        "actions": "Call the housing team; emergency food parcel", "by_whom": "Link worker",
        **date_fields("by_when", SOON), **date_fields("review_on", SOON)})
    assert response.status_code == 302
    plan = CrisisPlan.objects.get()
    assert (plan.by_whom, plan.by_when, plan.review_on) == ("Link worker", SOON, SOON)
    page = client.get(url).content.decode()
    assert "Eviction notice for Friday" in page
    assert "No crisis plan" not in page
    assert "Started in 2 on 3 March 2025" in page


def test_crisis_plan_names_each_missing_part_and_saves_nothing(client, episode, worker):
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/conversations/", {
        "version": episode.version, "crisis": "Eviction", "by_when[day]": "31",
        "by_when[month]": "2", "by_when[year]": str(SOON.year)})
    page = response.content.decode()
    assert response.status_code == 200
    for message in ["Enter what will be done", "Enter who will do it",
                    "Enter the review date", "Date it will be done by must be a real date"]:
        assert message in page
    assert 'href="#id_actions"' in page
    assert not CrisisPlan.objects.exists()


def test_episode_pages_show_the_conversation_and_the_moves(client, episode, worker):
    _contact(episode, worker, datetime.date(2025, 3, 1), 1)
    _session(episode, worker, datetime.date(2025, 3, 3), 3)
    client.force_login(worker)
    page = client.get(f"/engagement/episodes/{episode.pk}/plan/").content.decode()
    assert "Conversation 3: building a good life" in page
    assert "Started in 1 on 1 March 2025; 1 → 3 on 3 March 2025" in page


def test_conversations_page_is_audited(client, episode, worker):
    client.force_login(worker)
    assert client.get(f"/engagement/episodes/{episode.pk}/conversations/").status_code == 200
    assert AuditEvent.objects.filter(user=worker, action=Action.VIEW,
                                     record_id=str(episode.pk)).exists()


def test_a_team_without_a_practice_model_sees_none_of_it(client):
    plain = make.team()
    worker = make.user(Role.LINK_WORKER, plain)
    episode = make.episode(plain, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)
    client.force_login(worker)
    page = client.get(f"/engagement/episodes/{episode.pk}/contacts/").content.decode()
    assert "Which conversation" not in page
    assert "3 Conversations" not in page
    assert client.get(f"/engagement/episodes/{episode.pk}/conversations/").status_code == 404
    response = client.post(f"/engagement/episodes/{episode.pk}/contacts/", {
        "version": episode.version, "time": "09:30", "channel": "phone", "outcome": "spoke",
        "conversation": "2", **date_fields("on", MARCH_14)})
    assert response.status_code == 302
    assert episode.contacts.get().conversation is None


def test_a_crisis_plan_past_its_review_date_is_flagged_while_in_conversation_2(
        client, episode, worker):
    _contact(episode, worker, datetime.date(2025, 3, 1), 2)
    episode.refresh_from_db()
    plan = services.record_crisis_plan(
        episode, by=worker, crisis="Eviction", actions="Call housing", by_whom="Link worker",
        by_when=SOON, review_on=SOON)
    client.force_login(worker)
    url = f"/engagement/episodes/{episode.pk}/sessions/"
    assert "Crisis plan review due" not in client.get(url).content.decode()
    CrisisPlan.objects.filter(pk=plan.pk).update(
        review_on=timezone.localdate() - datetime.timedelta(days=1))
    assert "Crisis plan review due" in client.get(url).content.decode()
    _session(episode, worker, timezone.localdate(), 1)  # back in conversation 1
    assert "Crisis plan review due" not in client.get(url).content.decode()
