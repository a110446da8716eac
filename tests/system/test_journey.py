"""The whole journey in a browser, the way its people meet it: a referrer refers someone; the
team lead triages and allocates; the link worker logs three contact attempts (the third
engages), records what matters and a plan with two goals, and closes the episode with a
discharge summary; the referrer sees the outcome. axe checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.engagement.models import ContactAttempt, DischargeSummary, Goal
from upstream.service.referrals.models import Episode, EpisodeTransition
from upstream.service.referrals.states import Status

PERSON = "Joan Okafor"


@pytest.fixture
def heart_centre(transactional_db, make_user):
    pathway = Pathway.objects.create(name="Heart Centre cardiology", specialty="Cardiology")
    team = Team.objects.create(name="Heart Centre social prescribing", pathway=pathway,
                               caseload_limit=12)
    Team.objects.create(name="ED high intensity use service", caseload_limit=20,
                        pathway=Pathway.objects.create(name="Emergency department"))
    return {
        "team": team,
        "referrer": make_user("helen.marsh", Role.REFERRER, [team],
                              job_title="Advanced clinical practitioner"),
        "lead": make_user("rachel.adeyemi", Role.TEAM_LEAD, [team]),
        "worker": make_user("amara.okafor", Role.LINK_WORKER, [team]),
    }


def refer(visitor) -> None:
    page = visitor.page
    visitor.follow("Refer someone")
    page.get_by_label("NHS number").fill("999 000 0026")
    page.get_by_label("First name").fill("Joan")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("1958")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Postcode").fill("E1 4NS")
    page.get_by_label("Phone number", exact=True).fill("07700 900123")
    page.get_by_label("Team to refer to").select_option(label="Heart Centre social prescribing")
    page.get_by_label("Money, benefits and debt").check()
    page.get_by_label("Loneliness and social isolation").check()
    page.get_by_label("Reason for referral").fill(
        "Struggling to make ends meet since her heart attack.")
    page.get_by_role("group", name="Has the person agreed to be referred?").get_by_label(
        "Yes").check()
    visitor.submit("Send referral")
    assert visitor.heading() == "Referral sent"


def triage_and_allocate(visitor) -> None:
    page = visitor.page
    visitor.follow("Triage")
    visitor.follow(PERSON)
    page.get_by_label("Accept", exact=True).check()
    visitor.submit("Save decision")
    assert "Referrals awaiting triage" in visitor.heading()
    visitor.follow("Allocation")
    choose = page.get_by_label(f"Allocate {PERSON} to")
    choose.select_option(label=choose.locator("option", has_text="Amara Okafor").inner_text())
    visitor.submit(f"Allocate {PERSON}")
    expect(page.get_by_role("row", name=re.compile("Amara Okafor.*1 of 12"))).to_be_visible()


def log_attempt(visitor, channel: str, outcome: str, note: str) -> None:
    page = visitor.page
    page.get_by_label(channel, exact=True).check()
    page.get_by_label(outcome, exact=True).check()
    page.get_by_label("Note (optional)").fill(note)
    visitor.submit("Log attempt")


def work_with_the_person(visitor) -> None:
    page = visitor.page
    assert visitor.heading() == "My caseload"
    visitor.follow(f"Log contact for {PERSON}")
    log_attempt(visitor, "Phone call", "No answer", "No answer; will try in the morning.")
    log_attempt(visitor, "Text message (SMS)", "Message left", "Texted the team number.")
    log_attempt(visitor, "Phone call", "Engaged: agreed to work together",
                "Called back; agreed to meet next week.")
    expect(page.locator("main")).to_contain_text("Engaged")

    visitor.follow("What matters")
    page.get_by_label("What matters to the person").fill(
        "Getting on top of the money worries so I can sleep at night.")
    page.get_by_label("Money, benefits and debt").check()
    page.get_by_label("Loneliness and social isolation").check()
    visitor.submit("Save conversation")

    visitor.follow("Plan")
    for goal in ("Get my benefits sorted", "Go to the lunch club once a week"):
        page.get_by_label("Goal, in the person's words").fill(goal)
        visitor.submit("Add goal")
        expect(page.locator("main")).to_contain_text(goal)

    visitor.follow("Close")
    page.get_by_label("Outcomes", exact=True).fill(
        "Benefits in payment; goes to the lunch club weekly and feels less alone.")
    # Both goals are still "not started": closing asks for them to be reviewed first.
    expect(page.locator("main")).to_contain_text("Goals not started")
    page.get_by_label("I have reviewed these goals: close with them as they are").check()
    visitor.submit("Close episode and write summary")
    expect(page.locator("main")).to_contain_text("Benefits in payment")


def test_referral_to_discharge_summary(visit, heart_centre):
    referrer = visit("referrer")
    referrer.sign_in("helen.marsh")
    refer(referrer)

    lead = visit("team lead")
    lead.sign_in("rachel.adeyemi")
    triage_and_allocate(lead)

    worker = visit("link worker")
    worker.sign_in("amara.okafor")
    work_with_the_person(worker)

    episode = Episode.objects.get(person__family_name="Okafor")
    assert episode.status == Status.CLOSED and episode.worker == heart_centre["worker"]
    assert list(ContactAttempt.objects.filter(episode=episode).values_list(
        "outcome", flat=True)) == ["no_answer", "message_left", "engaged"]
    assert Goal.objects.filter(episode=episode).count() == 2
    summary = DischargeSummary.objects.get(episode=episode)
    assert summary.attempts_to_engage == 3
    moves = list(EpisodeTransition.objects.filter(episode=episode).values_list(
        "to_status", flat=True))
    assert moves == ["referred", "triaged", "waiting", "allocated", "contacting", "engaged",
                     "active", "closing", "closed"]

    referrer.goto("/")
    assert referrer.heading() == "My referrals"
    row = referrer.page.get_by_role("row", name=re.compile(PERSON))
    expect(row).to_contain_text("Closed")
    referrer.follow(PERSON)
    referrer.follow("Follow this episode of support")
    referrer.follow("discharge summary")
    expect(referrer.page.locator("main")).to_contain_text(
        "Benefits in payment; goes to the lunch club weekly")
