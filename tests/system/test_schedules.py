"""Schedules in a browser, the way a team meets them (axe on every page):

- Leicester's six-attempt outreach: the lead sets the cadence (call, text, call, letter, call,
  call over three weeks); the link worker follows the "today" page and each next attempt's due
  channel and date (the letter sent from a template through outreach, which records it); five
  go unanswered and the sixth reaches the person, who engages.
- Barts' "difficulty making ends meet" screen: the lead defines it at 1, 4 and 8 weeks after a
  heart attack; a worker enrols a patient from the date of the heart attack and records a
  "yes" at week 1, which puts a referral in the triage queue.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.outreach import MessageTemplateFactory, OutreachSettingsFactory
from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.engagement.models import ContactAttempt
from upstream.service.outreach.models import MessageKind
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.services import submit_referral, transition
from upstream.service.referrals.states import Status
from upstream.service.schedules.models import Screening

LEICESTER = [("0", "Phone call"), ("2", "Text message (SMS)"), ("5", "Phone call"),
             ("7", "Letter"), ("12", "Phone call"), ("19", "Phone call")]
DUE = re.compile(r"Step (\d) of 6: (.+?), due (\d{1,2} \w+ \d{4})")


@pytest.fixture
def team(transactional_db, make_user):
    pathway = Pathway.objects.create(name="Leicester social prescribing", specialty="Primary")
    team = Team.objects.create(name="Leicester link workers", pathway=pathway)
    return {"team": team,
            "lead": make_user("priya.shah", Role.TEAM_LEAD, [team]),
            "worker": make_user("tom.baker", Role.LINK_WORKER, [team])}


def allocated_person(team, worker, *, days_ago: int, given: str, family: str,
                     nhs: str) -> Episode:
    """A person referred and allocated ``days_ago`` days ago (set-up, not under test)."""
    at = timezone.now() - datetime.timedelta(days=days_ago, hours=1)
    person = Person.objects.create(given_name=given, family_name=family, nhs_number=nhs,
                                   date_of_birth=datetime.date(1956, 5, 2),
                                   address="12 Example Road, Leicester", postcode="LE2 1AB")
    referral = submit_referral(person=person, team=team, source="gp", needs=["money"],
                               reason="Worried about money", consent_given=True,
                               received_at=at)
    Referral.objects.filter(pk=referral.pk).update(triage_outcome="accept", triaged_at=at)
    episode = referral.episode
    transition(episode, Status.TRIAGED, reason="set-up")
    Episode.objects.filter(pk=episode.pk).update(worker=worker)
    transition(episode, Status.ALLOCATED, reason="set-up")
    Episode.objects.filter(pk=episode.pk).update(allocated_at=at)
    return episode


def set_cadence(visitor) -> None:
    page = visitor.page
    visitor.follow("Schedules")
    visitor.follow("Change contact cadence for Leicester link workers")
    for n, (day, channel) in enumerate(LEICESTER, start=1):
        page.get_by_label(f"Step {n}: day").fill(day)
        page.get_by_label(f"Step {n}: channel").select_option(label=channel)
    visitor.submit("Save cadence")
    expect(page.locator("main")).to_contain_text("Day 19: Phone call")


def log_attempt(worker, channel: str, outcome: str, on: datetime.date | None = None) -> None:
    """Log an attempt on the contacts page: on ``on`` at 10:30, or now when ``on`` is None."""
    page = worker.page
    if on is not None:
        group = page.get_by_role("group", name="Date of the attempt")
        group.get_by_label("Day").fill(str(on.day))
        group.get_by_label("Month").fill(str(on.month))
        group.get_by_label("Year").fill(str(on.year))
        page.get_by_label("Time of the attempt").fill("10:30")
    page.get_by_label(channel, exact=True).check()
    page.get_by_label(outcome, exact=True).check()
    worker.submit("Log attempt")
    expect(page.locator("main")).to_contain_text("Contact attempt logged")


def next_due(worker, step: int) -> tuple[str, datetime.date]:
    """The channel and date the contacts page says the cadence's ``step`` is due."""
    found = DUE.search(worker.text())
    assert found and int(found[1]) == step, worker.text()
    assert found[2] == LEICESTER[step - 1][1]
    return found[2], datetime.datetime.strptime(found[3], "%d %B %Y").date()


def test_six_attempts_following_the_cadence_end_in_engagement(visit, team, settings):
    """Allocated a week ago: calls and a text on their due days, the letter (due today) sent
    from a template through outreach, then two more calls; the sixth reaches the person."""
    settings.UPSTREAM_NOTIFY_API_KEY = ""
    episode = allocated_person(team["team"], team["worker"], days_ago=7, given="Meena",
                               family="Patel", nhs="9990000018")
    OutreachSettingsFactory(team=team["team"])
    MessageTemplateFactory(
        team=team["team"], kind=MessageKind.LETTER, name="We tried to reach you",
        subject="We tried to reach you",
        body="Dear ((given_name)),\nWe tried to call you.\nPlease ring us on ((team_phone)).")
    lead = visit("team lead")
    lead.sign_in("priya.shah")
    set_cadence(lead)

    worker = visit("link worker")
    worker.sign_in("tom.baker")
    page = worker.page
    for step in range(1, 5):  # each due by today: taken from the Today page
        worker.follow("Today")
        row = page.get_by_role("row", name=re.compile("Meena Patel"))
        expect(row).to_contain_text(f"Step {step} of 6")
        worker.click(row.get_by_role("link", name=re.compile("Contact attempt")))
        channel, due_on = next_due(worker, step)
        if channel == "Letter":
            assert due_on == timezone.localdate()
            worker.follow("Send a text, email or letter from a template")
            page.get_by_label("Message template").select_option(
                label="We tried to reach you (letter)")
            worker.submit("Show message")
            worker.submit("Send letter")
            worker.follow("Outbox")
            worker.submit("Mark letter to Meena Patel as posted")
        else:
            log_attempt(worker, channel, "No answer", on=due_on)

    worker.follow("Today")
    expect(page.locator("main")).to_contain_text("Nothing is due today or overdue")
    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")
    channel, due_on = next_due(worker, 5)
    assert due_on == timezone.localdate() + datetime.timedelta(days=5)
    log_attempt(worker, channel, "No answer")  # called early: today
    channel, _ = next_due(worker, 6)
    log_attempt(worker, channel, "Engaged: agreed to work together")
    expect(page.locator("main")).to_contain_text("Engaged")

    episode.refresh_from_db()
    assert episode.status == Status.ENGAGED
    attempts = list(ContactAttempt.objects.filter(episode=episode).order_by("id"))
    assert [(a.channel, a.outcome) for a in attempts] == [
        ("phone", "no_answer"), ("sms", "no_answer"), ("phone", "no_answer"),
        ("letter", "letter_sent"), ("phone", "no_answer"), ("phone", "engaged")]
    allocated_on = timezone.localdate(episode.allocated_at)
    assert [(timezone.localdate(a.at) - allocated_on).days for a in attempts] == [
        0, 2, 5, 7, 7, 7]


def fill_date(page, legend: str, day: datetime.date) -> None:
    """Fill the NHS three-field date input whose legend is ``legend``."""
    group = page.get_by_role("group", name=legend)
    for label, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(label).fill(str(value))


def test_a_yes_at_week_one_of_the_barts_screen_reaches_the_triage_queue(visit, team):
    episode = allocated_person(team["team"], team["worker"], days_ago=10, given="Ray",
                               family="Okonjo", nhs="9990000026")
    lead = visit("team lead")
    lead.sign_in("priya.shah")
    page = lead.page
    lead.follow("Schedules")
    lead.follow("Add a screening schedule for Leicester link workers")
    page.get_by_label("Name of the screen").fill("Difficulty making ends meet")
    page.get_by_label("What the index date is").fill("Heart attack")
    page.get_by_label("Weeks after the index date").fill("1, 4, 8")
    page.get_by_label("Question 1", exact=True).fill(
        "Do you have difficulty making ends meet at the end of the month?")
    lead.submit("Save screening schedule")
    expect(page.locator("main")).to_contain_text("weeks 1, 4, 8 after heart attack")

    worker = visit("link worker")
    worker.sign_in("tom.baker")
    page = worker.page
    worker.goto(f"/referrals/episodes/{episode.pk}/")
    worker.follow("Schedules, screenings and huddle decisions")
    fill_date(page, "Index date", timezone.localdate() - datetime.timedelta(days=8))
    worker.submit("Enrol")
    expect(page.locator("main")).to_contain_text("Enrolled in the screen")

    worker.follow("Today")
    row = page.get_by_role("row", name=re.compile("Ray Okonjo"))
    expect(row).to_contain_text("Difficulty making ends meet: week 1")
    expect(row).to_contain_text("1 day overdue")
    worker.click(row.get_by_role("link", name=re.compile("Screening")))
    page.get_by_label("Yes, record the answers").check()
    page.get_by_role("group", name=re.compile("difficulty making ends meet")).get_by_label(
        "Yes").check()
    worker.submit("Save screening")
    expect(page.locator("main")).to_contain_text("the referral is in the triage queue")

    screening = Screening.objects.get(enrolment__episode=episode, week=1)
    assert screening.status == "positive"
    referral = Referral.objects.get(pk=screening.referral_id)
    assert "week 1" in referral.reason

    worker.follow("Triage")
    expect(page.get_by_role("row", name=re.compile("Ray Okonjo"))).to_have_count(1)


def test_a_patient_enrolled_at_discharge_who_misses_week_one_is_referred(visit, team):
    """Barts screens everyone after a heart attack: the lead enrols a patient the team has
    never seen from the screen's page, records the missed week 1 screen from Today, and the
    patient is in the triage queue as a screening referral."""
    from upstream.service.schedules import services

    services.define_screening_schedule(
        team["team"], by=team["lead"], name="Difficulty making ends meet",
        index_event="Heart attack", weeks=[1, 4, 8],
        questions=[("Do you have difficulty making ends meet at the end of the month?", "yes")])
    lead = visit("team lead")
    lead.sign_in("priya.shah")
    page = lead.page
    lead.follow("Schedules")
    lead.follow("Difficulty making ends meet")
    page.get_by_label("NHS number").fill("999 000 0034")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Adeyemi")
    fill_date(page, "Date of birth", datetime.date(1957, 11, 4))
    fill_date(page, "Index date", timezone.localdate() - datetime.timedelta(days=9))
    lead.submit("Enrol")
    expect(page.locator("main")).to_contain_text("Enrolled in Difficulty making ends meet")
    expect(page.get_by_role("row", name=re.compile("Nia Adeyemi"))).to_contain_text("Due")

    lead.follow("Today")
    row = page.get_by_role("row", name=re.compile("Nia Adeyemi"))
    expect(row).to_contain_text("Difficulty making ends meet: week 1")
    expect(row).to_contain_text("Screening (not on the caseload)")
    lead.click(row.get_by_role("link", name=re.compile("Screening")))
    page.get_by_label(re.compile("missed the appointment")).check()
    lead.submit("Save screening")
    expect(page.locator("main")).to_contain_text("the referral is in the triage queue")

    person = Person.objects.get(nhs_number="9990000034")
    referral = Referral.objects.get(episode__person=person)
    assert referral.source == "screening" and "missed appointment" in referral.reason
    lead.follow("Triage")
    expect(page.get_by_role("row", name=re.compile("Nia Adeyemi"))).to_have_count(1)
