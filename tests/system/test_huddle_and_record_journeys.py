"""The huddle that decides, and safety in the record, in a browser (axe on every page):

- The huddle: a case has had every step of the team's contact cadence tried with no reply, so
  the huddle proposes to close it as "did not engage". The team lead looks at last week (no
  decisions), then this week, decides to continue with a note and who agreed, and sees the
  decision in the week's decisions (and not in last week's); the case's link worker then sees
  it on the huddle page and at the top of the episode's schedules page.
- Safety in the record: a link worker raises a risk flag on a person in their team and sees
  the warning callout on the person's page and the episode's contact attempts page; writes a
  case note and a correction to it (both on the timeline, the first marked as corrected); then
  resolves the flag: the callout goes, the flag stays listed as resolved.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.engagement.services import log_contact_attempt
from upstream.service.people.models import SafetyFlag
from upstream.service.referrals.models import CaseNote, Episode
from upstream.service.referrals.states import Status
from upstream.service.schedules import presenters as schedule_presenters
from upstream.service.schedules import services as schedules
from upstream.service.schedules.models import HuddleDecision, monday_of
from upstream.service.ui.format import long_date

from .test_schedules import allocated_person

CADENCE = [(0, "phone"), (2, "sms"), (5, "phone")]
NOTE = "Her daughter says she is in hospital until next week: try again after discharge"
RISK = "Has said she may harm herself when bills arrive: check in at every contact"


@pytest.fixture
def team(transactional_db, make_user):
    pathway = Pathway.objects.create(name="Leicester social prescribing", specialty="Primary")
    team = Team.objects.create(name="Leicester link workers", pathway=pathway)
    return {"team": team,
            "lead": make_user("priya.shah", Role.TEAM_LEAD, [team]),
            "worker": make_user("tom.baker", Role.LINK_WORKER, [team]),
            "colleague": make_user("sam.jones", Role.LINK_WORKER, [team])}


def no_reply_to_every_step(team, worker, episode, days_ago: int) -> None:
    """The team's cadence, each step tried on its day with no answer (set-up)."""
    schedules.set_cadence(team["team"], CADENCE, by=team["lead"])
    for day, channel in CADENCE:
        log_contact_attempt(Episode.objects.get(pk=episode.pk), by=worker, channel=channel,
                            outcome="no_answer",
                            at=timezone.now() - datetime.timedelta(days=days_ago - day))


def choose_week(visitor, monday: datetime.date, this_week: bool = False) -> None:
    label = f"Week of {long_date(monday)}" + (" (this week)" if this_week else "")
    visitor.page.get_by_label("Week", exact=True).select_option(label=label)
    visitor.submit("Show week")
    expect(visitor.page.get_by_label("Week", exact=True)).to_have_value(
        "{}-W{:02d}".format(*monday.isocalendar()[:2]))


def test_the_huddle_decides_on_a_case_with_no_reply(visit, team):
    episode = allocated_person(team["team"], team["worker"], days_ago=10, given="Joan",
                               family="Whitfield", nhs="9990000034")
    no_reply_to_every_step(team, team["worker"], episode, days_ago=10)
    this_monday = monday_of(timezone.localdate())
    last_monday = this_monday - datetime.timedelta(weeks=1)

    lead = visit("team lead")
    lead.sign_in("priya.shah")
    page = lead.page
    lead.goto("/engagement/huddle/")
    assert lead.heading() == "Weekly huddle"
    choose_week(lead, last_monday)
    expect(page.get_by_role("heading", name="Decisions this week (0)")).to_be_visible()
    proposals = page.get_by_role(
        "table", name="People with no reply after every step of the contact cadence")
    row = proposals.get_by_role("row", name=re.compile("Joan Whitfield"))
    expect(row).to_contain_text("Tom Baker")
    expect(row).to_contain_text("No reply after 3 contact attempts")

    choose_week(lead, this_monday, this_week=True)
    expect(page.locator("main")).to_contain_text(
        "No decisions recorded for the week " + schedule_presenters.week_text(this_monday))
    lead.click(proposals.get_by_role("row", name=re.compile("Joan Whitfield"))
               .get_by_role("link", name="Decide for Joan Whitfield"))
    assert lead.heading() == "Huddle decision"
    page.get_by_label("Continue", exact=True).check()
    page.get_by_label("Tom Baker").check()
    page.get_by_label("Sam Jones").check()
    page.get_by_label("Note", exact=True).fill(NOTE)
    lead.submit("Record decision")

    expect(page.locator("main")).to_contain_text("Huddle decision recorded")
    expect(page.get_by_label("Week", exact=True)).to_have_value(
        "{}-W{:02d}".format(*this_monday.isocalendar()[:2]))
    expect(page.get_by_role("heading", name="Decisions this week (1)")).to_be_visible()
    decided = page.get_by_role("table", name="Decisions recorded at this week's huddle")
    row = decided.get_by_role("row", name=re.compile("Joan Whitfield"))
    expect(row).to_contain_text(f"Week of {long_date(this_monday)}")
    expect(row).to_contain_text("Continue")
    expect(row).to_contain_text("Priya Shah, Sam Jones, Tom Baker")
    expect(row).to_contain_text(NOTE)
    choose_week(lead, last_monday)  # recorded for this week, not last
    expect(page.get_by_role("heading", name="Decisions this week (0)")).to_be_visible()

    decision = HuddleDecision.objects.get()
    assert (decision.episode_id, decision.decision, decision.week_of) == (
        episode.pk, "continue", this_monday)
    assert Episode.objects.get(pk=episode.pk).status == Status.CONTACTING  # continue: open

    worker = visit("link worker")
    worker.sign_in("tom.baker")
    page = worker.page
    worker.goto("/engagement/huddle/")
    decided = page.get_by_role("table", name="Decisions recorded at this week's huddle")
    row = decided.get_by_role("row", name=re.compile("Joan Whitfield"))
    expect(row).to_contain_text("Continue")
    expect(row).to_contain_text(NOTE)
    expect(page.get_by_role("link", name=re.compile("^Decide"))).to_have_count(0)  # lead's
    worker.click(row.get_by_role("link", name="Joan Whitfield"))
    assert worker.heading() == "Schedules"
    mine = page.get_by_role("table", name="Huddle decisions on this episode, newest first")
    expect(mine).to_contain_text(f"Week of {long_date(this_monday)}")
    expect(mine).to_contain_text("Continue")
    expect(mine).to_contain_text("Priya Shah, Sam Jones, Tom Baker")
    expect(mine).to_contain_text(NOTE)
    expect(page.get_by_role("link", name="Record a huddle decision")).to_have_count(0)
    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")
    expect(page.locator("main")).to_contain_text(
        f"Continue (week of {long_date(this_monday)}): {NOTE}")


def callout(page):
    return page.locator(".nhsuk-warning-callout", has_text="Safety flag")


def test_a_risk_flag_and_a_corrected_case_note_in_the_record(visit, team):
    episode = allocated_person(team["team"], team["worker"], days_ago=3, given="Edna",
                               family="Clarke", nhs="9990000042")
    person_id = episode.person_id
    worker = visit("link worker")
    worker.sign_in("tom.baker")
    page = worker.page

    worker.goto(f"/people/{person_id}/")
    assert "Edna Clarke" in worker.heading()
    expect(callout(page)).to_have_count(0)
    worker.follow("Safety flags and lone-working notes")
    expect(page.locator("main")).to_contain_text("No active safety flags.")
    worker.submit("Raise flag")  # nothing chosen: refused, each error named
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Select what kind of flag it is")
    expect(summary).to_contain_text("Enter what staff need to know")
    page.get_by_label("Risk to self", exact=True).check()
    page.get_by_label("What staff need to know").fill(RISK)
    worker.submit("Raise flag")
    expect(page.locator("main")).to_contain_text("Safety flag raised")
    expect(page.get_by_role("heading", name="Active flags")).to_be_visible()

    worker.goto(f"/people/{person_id}/")
    expect(callout(page)).to_be_visible()
    expect(callout(page)).to_contain_text(f"Risk to self: {RISK}")
    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")
    expect(callout(page)).to_contain_text(f"Risk to self: {RISK}")

    worker.goto(f"/referrals/episodes/{episode.pk}/notes/")
    expect(callout(page)).to_contain_text(RISK)
    expect(page.locator("main")).to_contain_text("No notes yet.")
    page.get_by_label("Note", exact=True).fill("Spoke to Edna: she owes £400 on gas")
    worker.submit("Add note")
    expect(page.locator("main")).to_contain_text("Note added.")
    worker.click(page.get_by_role("link", name=re.compile("^Add a correction")).first)
    expect(page.get_by_label("This note corrects (optional)")).not_to_have_value("")
    page.get_by_label("Note", exact=True).fill("Correction: she owes £400 on electricity")
    worker.submit("Add note")

    notes = page.locator(".upstream-case-notes > li")
    expect(notes).to_have_count(2)
    newest, first = notes.nth(0), notes.nth(1)
    expect(newest).to_contain_text("Correction: she owes £400 on electricity")
    expect(newest).to_contain_text("Correction to the note of")
    expect(newest).not_to_contain_text("Corrected by a later note")
    expect(first).to_contain_text("Spoke to Edna: she owes £400 on gas")
    expect(first).to_contain_text("Corrected by a later note")
    original, correction = CaseNote.objects.order_by("pk")
    assert correction.corrects_id == original.pk

    worker.follow("Safety flags and lone-working notes")
    page.get_by_label("Why is it resolved? (optional)").fill(
        "Reviewed with her GP: a plan is in place")
    worker.submit("Mark as resolved (flag: Risk to self)")
    expect(page.locator("main")).to_contain_text("Flag resolved: Risk to self.")
    expect(callout(page)).to_have_count(0)
    expect(page.locator("main")).to_contain_text("No active safety flags.")
    expect(page.get_by_role("heading", name="Active flags")).to_have_count(0)
    expect(page.get_by_role("heading", name="Resolved flags")).to_be_visible()
    resolved = page.locator("main li", has_text=RISK)
    expect(resolved).to_have_count(1)
    expect(resolved).to_contain_text(f"Risk to self: {RISK}")
    expect(resolved).to_contain_text("Resolved by Tom Baker")
    expect(resolved).to_contain_text("Reviewed with her GP: a plan is in place")
    assert SafetyFlag.objects.get().resolved_at is not None

    worker.goto(f"/people/{person_id}/")
    expect(callout(page)).to_have_count(0)
    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")
    expect(callout(page)).to_have_count(0)
