"""Outcome measures in the browser (axe on every page): a link worker records a PHQ-9 baseline
from the episode's pages, meets the library's refusal in the error summary, follows it to the
unanswered item, and sees the score and its band; a licensed measure shows its licence note."""

import datetime
import random

import pytest

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.people.services import find_or_create_person
from upstream.service.referrals import services as referrals
from upstream.standards import nhs_number

pytestmark = pytest.mark.system

FREQUENCY = ["Not at all", "Several days", "More than half the days", "Nearly every day"]


@pytest.fixture
def worker(transactional_db, make_user):
    pathway = Pathway.objects.create(name="Diabetes", specialty="Diabetes")
    team = Team.objects.create(name="Diabetes wellbeing", pathway=pathway, caseload_limit=12)
    lead = make_user("rachel.adeyemi", Role.TEAM_LEAD, [team])
    worker = make_user("amara.okafor", Role.LINK_WORKER, [team])
    person, _ = find_or_create_person({
        "nhs_number": nhs_number.synthetic(random.Random(12)), "given_name": "Joan",
        "family_name": "Smith", "date_of_birth": datetime.date(1958, 3, 14), "postcode": "E1 4NS",
    })
    referral = referrals.submit_referral(
        person=person, team=team, source="pathway_clinician", needs=["loneliness"],
        reason="Low mood since retiring", consent_given=True, referrer=lead)
    referrals.triage(referral, "accept", by=lead, worker=worker)
    return worker


def test_a_worker_records_a_phq9_baseline_and_fixes_a_missed_item(visit, worker):
    visitor = visit("link worker")
    visitor.sign_in(worker.username)
    visitor.goto("/engagement/caseload/")
    visitor.follow("Joan Smith")
    if visitor.heading() != "Contact attempts":
        visitor.follow("Contact attempts")
    visitor.follow("Outcome measures")
    assert visitor.heading() == "Outcome measures"
    assert "No outcome measures recorded yet." in visitor.text()
    visitor.page.get_by_label("Outcome measure").select_option(label="PHQ-9")
    visitor.page.get_by_label("Baseline", exact=True).check()
    visitor.submit("Continue")
    assert visitor.heading() == "PHQ-9: baseline"

    today = datetime.date.today()
    visitor.page.get_by_label("Day", exact=True).fill(str(today.day))
    visitor.page.get_by_label("Month", exact=True).fill(str(today.month))
    visitor.page.get_by_label("Year", exact=True).fill(str(today.year))
    groups = visitor.page.locator("fieldset.nhsuk-fieldset").filter(has_text="Not at all")
    for index in range(9):
        if index == 4:
            continue  # the appetite item is missed
        answer = "2: More than half the days" if index < 4 else "1: Several days"
        if index == 8:
            answer = "0: Not at all"
        groups.nth(index).get_by_label(answer, exact=True).check()
    visitor.submit("Save PHQ-9")

    summary = visitor.page.locator(".nhsuk-error-summary")
    link = summary.get_by_role("link", name="PHQ-9, Appetite (phq9_5): no answer was given "
                                            "(a whole number from 0 to 3 is needed)")
    link.click()
    assert visitor.page.evaluate("document.activeElement.id") == "id_phq9_5"
    groups.nth(4).get_by_label("3: Nearly every day", exact=True).check()
    visitor.submit("Save PHQ-9")

    assert visitor.heading() == "Outcome measures"
    # 4 x 2 + 3 + 3 x 1 + 0 = 14: moderate.
    assert "PHQ-9 total score: 14 (Moderate)" in visitor.text()


def test_a_licensed_measure_is_score_entry_with_its_licence_note(visit, worker):
    visitor = visit("link worker")
    visitor.sign_in(worker.username)
    visitor.goto("/engagement/caseload/")
    visitor.follow("Joan Smith")
    if visitor.heading() != "Contact attempts":
        visitor.follow("Contact attempts")
    visitor.follow("Outcome measures")
    visitor.page.get_by_label("Outcome measure").select_option(label="Patient Activation Measure")
    visitor.page.get_by_label("Baseline", exact=True).check()
    visitor.submit("Continue")
    assert "Insignia Health" in visitor.page.locator("#licence-note").inner_text()
    assert visitor.page.get_by_label("PAM activation score").is_visible()
