"""3 Conversations and the personal network in a browser: a link worker in a team that works
to the 3 Conversations tags a contact as conversation 2, is taken to the crisis plan and
records it, sees the conversation timeline after a session back in conversation 1, then
records the person's strengths and network and sees the picture. axe checks every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.accounts import PathwayFactory, TeamFactory
from tests.factories.practice import TeamPracticeFactory
from upstream.service.accounts.models import Role
from upstream.service.engagement.models import CrisisPlan, NetworkSnapshot
from upstream.service.people.models import Person
from upstream.service.practice.models import PracticeModel, TeamPractice
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import submit_referral, transition
from upstream.service.referrals.states import Status

PERSON = "Marcus Bellweather"


@pytest.fixture
def leicester(transactional_db, make_user):
    team = TeamFactory(name="ED high intensity use service",
                       pathway=PathwayFactory(name="Emergency department"))
    TeamPracticeFactory(team=team)
    worker = make_user("amara.okafor", Role.LINK_WORKER, [team])
    person = Person.objects.create(nhs_number="9990000018", given_name="Marcus",
                                   family_name="Bellweather",
                                   date_of_birth=datetime.date(1966, 5, 2))
    referral = submit_referral(
        person=person, team=team, source="pathway_clinician", needs=["housing"],
        reason="Frequent ED attendance; housing worries.", consent_given=True,
        received_at=timezone.now() - datetime.timedelta(days=10))
    episode = referral.episode
    Episode.objects.filter(pk=episode.pk).update(worker=worker)
    for step in (Status.TRIAGED, Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED,
                 Status.ACTIVE):
        transition(episode, step, by=worker, reason="set-up")
    return {"episode": episode, "worker": worker}


def _date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_crisis_plan_timeline_and_network_picture(visit, leicester):
    episode = leicester["episode"]
    worker = visit("link worker")
    worker.sign_in("amara.okafor")
    page = worker.page
    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")

    page.get_by_label("Phone call", exact=True).check()
    page.get_by_label("Spoke to the person", exact=True).check()
    expect(page.get_by_text("Intensive, short-term support when the person is at risk")
           ).to_be_visible()
    page.get_by_label("Conversation 2: intensive support in a crisis").check()
    worker.submit("Log attempt")

    assert worker.heading() == "3 Conversations"
    expect(page.locator("main")).to_contain_text("No crisis plan")
    page.get_by_label("What is the crisis?").fill("Eviction notice for Friday.")
    page.get_by_label("What will be done?").fill("Call housing options today; food bank.")
    page.get_by_label("By whom?").fill("Link worker and his sister")
    soon = timezone.localdate() + datetime.timedelta(days=3)
    _date(page, "Date it will be done by", soon)
    _date(page, "Review date", soon + datetime.timedelta(days=4))
    worker.submit("Save crisis plan")
    expect(page.locator("main")).to_contain_text("Eviction notice for Friday.")
    expect(page.locator("main")).not_to_contain_text("No crisis plan")
    plan = CrisisPlan.objects.get(episode=episode)
    assert plan.by_when == soon

    worker.follow("Sessions")
    page.get_by_label("1:1 by phone").check()
    page.get_by_label("Conversation 1: what matters and connecting").check()
    worker.submit("Save session")
    worker.follow("3 Conversations")
    timeline = page.get_by_role("list", name="Conversation timeline")
    expect(timeline).to_contain_text("started in")
    expect(timeline).to_contain_text("Conversation 2 → conversation 1")
    expect(page.locator("main")).to_contain_text("Conversation 1: what matters and connecting")

    worker.follow("Strengths and network")
    page.get_by_label("Strengths (optional)").fill("Fixes bikes\nGood with his nephews")
    page.get_by_label("Interests (optional)").fill("Football")
    for number, (who, kind, often, helpful) in enumerate(
            [("Sister", "Family", "Weekly", "5 (very helpful)"),
             ("Bike club", "Group", "Monthly", "4")], start=1):
        row = page.get_by_role("group", name=f"Contact {number}")
        row.get_by_label("Who").fill(who)
        row.get_by_label("Kind").select_option(label=kind)
        row.get_by_label("How often in contact").select_option(label=often)
        row.get_by_label("How helpful").select_option(label=helpful)
    worker.submit("Save snapshot")

    picture = page.locator("svg.upstream-network")
    expect(picture).to_have_count(1)
    expect(picture.locator("g.network-entry")).to_have_count(2)
    table = page.get_by_role("table", name="Network, Only snapshot: "
                             + f"{timezone.localdate().day} {timezone.localdate():%B %Y}")
    expect(table).to_contain_text("Sister")
    expect(table).to_contain_text("Bike club")
    snapshot = NetworkSnapshot.objects.get(episode=episode)
    assert snapshot.strengths == ["Fixes bikes", "Good with his nephews"]
    assert snapshot.entries.count() == 2


def test_a_lead_turns_on_3_conversations_and_sees_the_huddle_and_insights(visit, leicester,
                                                                          make_user):
    team = leicester["episode"].team
    TeamPractice.objects.filter(team=team).delete()
    make_user("rachel.adeyemi", Role.TEAM_LEAD, [team])
    lead = visit("team lead")
    lead.sign_in("rachel.adeyemi")
    page = lead.page
    lead.goto("/schedules/")
    lead.click(page.get_by_role("link", name=f"Change practice model for {team.name}"))
    assert lead.heading() == "Practice model"
    page.get_by_label("3 Conversations").check()
    lead.submit("Save practice model")
    expect(page.locator("#current-practice-model")).to_have_text("3 Conversations")
    assert TeamPractice.objects.get(team=team).model == PracticeModel.THREE_CONVERSATIONS

    lead.goto("/engagement/huddle/")
    expect(page.get_by_role("heading", name="3 Conversations")).to_be_visible()
    lead.goto("/insights/")
    expect(page.get_by_role("heading", name="3 Conversations")).to_be_visible()
