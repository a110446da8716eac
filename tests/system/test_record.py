"""Safety in the record, in a browser: a referrer refers a child to the children's team (the
parent or carer section appears once the date of birth makes them a child, and leaving it out
is refused with each error named); the team lead triages with the conditional radios (the
reject fields only show under Reject), rejecting as Other with the reason in words; the
referrer sees the notification and the reason. axe checks every page on the way."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.notifications.models import Notification
from upstream.service.referrals.models import Referral

CHILD = "Mia Synthetic"


@pytest.fixture
def childrens_team(transactional_db, make_user):
    team = Team.objects.create(
        name="Children and young people's social prescribing", caseload_limit=12,
        pathway=Pathway.objects.create(name="Paediatrics", specialty="Paediatrics"))
    return {
        "team": team,
        "referrer": make_user("nkechi.eze", Role.REFERRER, [team]),
        "lead": make_user("ben.carter", Role.TEAM_LEAD, [team]),
    }


def refer_a_child(visitor) -> None:
    page = visitor.page
    visitor.follow("Refer someone")
    section = page.locator("#child-section")
    expect(section).to_be_hidden()  # an adult needs none of it
    page.get_by_label("First name").fill("Mia")
    page.get_by_label("Last name").fill("Synthetic")
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill(str(timezone.localdate().year - 12))
    expect(section).to_be_visible()  # the date of birth makes her a child
    page.get_by_label("Team to refer to").select_option(
        label="Children and young people's social prescribing")
    page.get_by_label("Mental wellbeing").check()
    page.get_by_label("Reason for referral").fill(
        "Missing school during treatment; isolated from friends.")
    page.get_by_role("group", name="Has the person agreed to be referred?").get_by_label(
        "Yes").check()
    visitor.submit("Send referral")

    # Left out: refused, each error named in the summary and at the field.
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the parent or carer's name")
    expect(summary).to_contain_text("Select whether there are any safeguarding concerns")
    expect(summary).to_contain_text("Select who agreed to the referral")
    assert Referral.objects.count() == 0
    expect(section).to_be_visible()

    page.get_by_label("Parent or carer's full name").fill("Jo Synthetic")
    page.get_by_label("Relationship to the child").fill("Mother")
    page.get_by_label("Parent or carer's phone number").fill("07700 900456")
    page.get_by_role("group", name="Does this person have parental responsibility?") \
        .get_by_label("Yes").check()
    page.get_by_role("group", name="Are there any safeguarding concerns?") \
        .get_by_label("No").check()
    page.get_by_label("The young person and their parent or carer").check()
    visitor.submit("Send referral")
    assert visitor.heading() == "Referral sent"


def triage_reject_as_other(visitor) -> None:
    page = visitor.page
    visitor.follow("Triage")
    visitor.follow(CHILD)
    reason_in_words = page.get_by_label("Reason in words")
    expect(reason_in_words).to_be_hidden()
    expect(page.get_by_label("Allocate to (optional)")).to_be_hidden()
    page.get_by_label("Accept", exact=True).check()
    expect(page.get_by_label("Allocate to (optional)")).to_be_visible()
    page.get_by_label("Reject", exact=True).check()
    expect(reason_in_words).to_be_visible()
    expect(page.get_by_label("Allocate to (optional)")).to_be_hidden()
    page.get_by_label("Why is it not accepted?").select_option(label="Other")
    visitor.submit("Save decision")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the reason in words")
    page.get_by_label("Reject", exact=True).check()
    page.get_by_label("Reason in words").fill(
        "Already supported by the hospital school's wellbeing team")
    visitor.submit("Save decision")
    assert "Referrals awaiting triage" in visitor.heading()


def test_child_referral_triage_and_notification(visit, childrens_team):
    referrer = visit("referrer")
    referrer.sign_in("nkechi.eze")
    refer_a_child(referrer)
    referral = Referral.objects.get()
    assert (referral.parent_carer_name, referral.consent_by) == ("Jo Synthetic", "both")
    assert referral.safeguarding_concerns is False and referral.parental_responsibility

    lead = visit("team lead")
    lead.sign_in("ben.carter")
    triage_reject_as_other(lead)

    referrer.goto("/referrals/mine/")
    bell = referrer.page.get_by_role("link", name=re.compile(r"Notifications \(1 unread\)"))
    expect(bell).to_be_visible()
    referrer.click(bell)
    assert referrer.heading() == "Notifications"
    expect(referrer.page.locator("main")).to_contain_text(
        "not accepted: already supported by the hospital school's wellbeing team")
    referrer.submit("Mark all as read")
    expect(referrer.page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    referrer.follow(re.compile(r"Referral R\d+ to Children"))
    expect(referrer.page.locator("main")).to_contain_text(
        "Not accepted: Already supported by the hospital school's wellbeing team")
