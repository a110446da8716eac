"""The 3 Conversations on the huddle and on insights: each case's conversation, and how many
people were kept from needing conversation 2 or 3, through disclosure control."""

import datetime
import re

import pytest
from django.utils import timezone

from upstream.service.accounts.models import Role
from upstream.service.engagement import services
from upstream.service.insights.presenters import KEPT_LABEL, NEEDED_LABEL, dashboard
from upstream.service.practice.conversations import kept_from_needing_2_or_3
from upstream.service.referrals.states import Status

from ..engagement import factories as make
from .conftest import REFERRED

pytestmark = pytest.mark.django_db


def _tagged(team, worker, conversations_in_order):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)
    for n, conversation in enumerate(conversations_in_order):
        episode.refresh_from_db()
        services.record_session(episode, by=worker, kind="phone", conversation=conversation,
                                held_on=datetime.date(2025, 3, 1) + datetime.timedelta(days=n))
    return episode


def test_counts_split_people_in_conversation_1_only_from_those_who_needed_2_or_3(
        team, worker):
    for _ in range(12):
        _tagged(team, worker, [1, 1])
    for path in ([1, 2, 1], [3], [1, 3], [2]):
        _tagged(team, worker, path)
    make.episode(team, worker=worker, status=Status.ACTIVE)  # nothing tagged: not counted
    other = make.team()  # works to no practice model: not counted
    _tagged(other, make.user(Role.LINK_WORKER, other), [2])
    found = kept_from_needing_2_or_3(type(team).objects.all())
    assert (found.conversation_1_only, found.needed_2_or_3) == (12, 4)
    assert kept_from_needing_2_or_3(type(team).objects.filter(pk=other.pk)) is None


def test_insights_shows_the_protected_figures_in_the_table_and_the_chart_alt_text(team, worker):
    for _ in range(12):
        _tagged(team, worker, [1])
    for _ in range(3):
        _tagged(team, worker, [1, 2])
    lead = make.user(Role.TEAM_LEAD, team)
    section = dashboard(lead).conversations
    rows = {row[0]: row[1] for row in section.table.rows}
    assert rows[KEPT_LABEL] == "10"  # 12 rounded to the nearest 5
    assert rows[NEEDED_LABEL] == "<10"  # 3 is suppressed
    assert rows["Total"] == "15"
    listed = section.chart_alt.split(": ", 1)[1].split(". Numbers are rounded")[0]
    assert listed == f"{KEPT_LABEL} 10"  # the published figure; the hidden one is left out
    assert section.chart_uri.startswith("data:image/svg+xml;base64,")


def test_insights_page_has_no_section_for_teams_without_the_model(client):
    plain = make.team()
    lead = make.user(Role.TEAM_LEAD, plain)
    assert dashboard(lead).conversations is None
    client.force_login(lead)
    assert "3 Conversations" not in client.get("/insights/").content.decode()


def test_huddle_shows_each_cases_conversation(client, team, worker):
    episode = _tagged(team, worker, [1, 2])
    services.add_action(episode, by=worker, description="Call housing",
                        due_on=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(worker)
    page = client.get("/engagement/huddle/").content.decode()
    assert str(episode.person) in page
    assert "Conversation 2: intensive support in a crisis" in page


def test_huddle_counts_open_cases_kept_in_conversation_1_through_disclosure_control(
        client, team, worker):
    for _ in range(11):
        _tagged(team, worker, [1])
    for _ in range(2):
        _tagged(team, worker, [1, 3])
    client.force_login(worker)
    page = client.get("/engagement/huddle/").content.decode()
    assert "Open cases in conversation 1 only so far" in page
    counts = dict(re.findall(r'__key">([^<]+)</dt><dd class="nhsuk-summary-list__value">'
                             r"([^<]+)</dd>", page))
    assert counts["Open cases in conversation 1 only so far"] == "10"  # 11, rounded
    assert counts["Open cases that needed conversation 2 or 3"] == "&lt;10"  # 2, hidden
    assert counts["Open cases with a conversation recorded"] == "15"  # 13, rounded


def test_huddle_has_no_3_conversations_counts_for_other_teams(client):
    plain = make.team()
    client.force_login(make.user(Role.LINK_WORKER, plain))
    assert "Open cases in conversation 1 only" not in client.get(
        "/engagement/huddle/").content.decode()
