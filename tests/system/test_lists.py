"""Lists in a browser: a referrer with 77 referrals pages through "My referrals", sorts it by
name and searches it; a link worker finds a person by family name and date of birth (telling
apart two people with the same name) and by NHS number typed with spaces, and is told when
nobody matches. axe checks every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.people.models import Person
from upstream.service.referrals.services import submit_referral
from upstream.standards import nhs_number

FAMILIES = ["Adeyemi", "Brown", "Chowdhury", "Davies", "Evans", "Fraser", "Gill"]


@pytest.fixture
def heart(transactional_db, make_user):
    team = Team.objects.create(name="Heart Centre social prescribing",
                               pathway=Pathway.objects.create(name="Heart Centre"))
    referrer = make_user("dr.rahman", Role.REFERRER)
    make_user("amara.okafor", Role.LINK_WORKER, [team])
    make_user("nadia.patel", Role.TEAM_LEAD, [team])
    numbers = nhs_number.test_range()
    now = timezone.now()

    def refer(given, family, born, days_ago):
        person = Person.objects.create(nhs_number=next(numbers), given_name=given,
                                       family_name=family, date_of_birth=born)
        return submit_referral(person=person, team=team, source="pathway_clinician",
                               needs=["loneliness"], reason="Lonely since a heart attack",
                               consent_given=True, referrer=referrer,
                               received_at=now - datetime.timedelta(days=days_ago))

    for i in range(75):
        refer(f"Person{i:02d}", FAMILIES[i % len(FAMILIES)], datetime.date(1950, 1, 1)
              + datetime.timedelta(days=200 * i), days_ago=i + 1)
    older = refer("Jo", "Okafor", datetime.date(1958, 4, 2), days_ago=200)
    younger = refer("Jo", "Okafor", datetime.date(1990, 11, 23), days_ago=201)
    return {"older": older.person, "younger": younger.person}


def table_rows(visitor) -> list[str]:
    return visitor.page.locator("main tbody tr").all_inner_texts()


def test_a_referrer_pages_sorts_and_searches_their_referrals(visit, heart):
    referrer = visit("referrer")
    referrer.sign_in("dr.rahman")
    referrer.follow("My referrals")
    page = referrer.page
    expect(page.locator("main")).to_contain_text("Showing 1 to 25 of 77 referrals")
    assert table_rows(referrer)[0].startswith("Person00")  # newest first
    referrer.click(page.get_by_role("link", name="Page 2", exact=True))
    expect(page.locator("main")).to_contain_text("Showing 26 to 50 of 77 referrals")
    assert table_rows(referrer)[0].startswith("Person25")

    referrer.click(page.get_by_role("link", name="Person (sort ascending)"))
    expect(page.get_by_role("columnheader", name="Person")).to_have_attribute(
        "aria-sort", "ascending")
    first = table_rows(referrer)[0]
    assert first.startswith("Person") and "Adeyemi" in first
    referrer.click(page.get_by_role("link", name="Next"))
    expect(page.locator("main")).to_contain_text("Showing 26 to 50 of 77 referrals")
    expect(page.get_by_role("columnheader", name="Person")).to_have_attribute(
        "aria-sort", "ascending")  # the sort is kept from page to page

    page.get_by_label("Name or NHS number").fill("okafor")
    referrer.submit("Apply")
    expect(page.locator("main")).to_contain_text("Showing 1 to 2 of 2 referrals")
    rows = table_rows(referrer)
    assert any("2 April 1958" in r for r in rows) and any("23 November 1990" in r for r in rows)
    referrer.follow("Clear search and filters")
    expect(page.locator("main")).to_contain_text("of 77 referrals")


def test_a_link_worker_finds_a_person(visit, heart):
    worker = visit("link worker")
    worker.sign_in("amara.okafor")
    worker.follow("Find a person")
    page = worker.page
    assert worker.heading() == "Find a person"

    worker.submit("Search")  # nothing typed
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter an NHS number, or a family name and date of birth")

    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label("Day").fill("23")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("1990")
    worker.submit("Search")
    results = page.locator("#results ~ .nhsuk-table-container")
    expect(page.locator("#results")).to_have_text("1 person found")
    expect(results).to_contain_text("Jo Okafor")
    expect(results).to_contain_text("23 November 1990")
    expect(results).not_to_contain_text("2 April 1958")
    expect(results).to_contain_text("Heart Centre social prescribing")

    digits = heart["older"].nhs_number
    page.get_by_label("Family name").fill("")
    for box in ("Day", "Month", "Year"):
        page.get_by_label(box).fill("")
    page.get_by_label("NHS number").fill(f"{digits[:3]} {digits[3:6]} {digits[6:]}")
    worker.submit("Search")
    expect(page.locator("#results")).to_have_text("1 person found")
    expect(results).to_contain_text("2 April 1958")
    expect(results).to_contain_text(f"{digits[:3]} {digits[3:6]} {digits[6:]}")
    worker.click(results.get_by_role("link", name="Jo Okafor", exact=True))
    expect(page.locator("main")).to_contain_text("2 April 1958")

    worker.follow("Find a person")
    page.get_by_label("Family name").fill("Nobody")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("1970")
    worker.submit("Search")
    expect(page.locator("#results")).to_have_text("0 people found")
    expect(page.locator("main")).to_contain_text("refer them")


def test_a_team_lead_uses_every_list_control(visit, heart):
    """Each list page with its search, filters, sortable headers and pagination, axe-checked."""
    lead = visit("team lead")
    lead.sign_in("nadia.patel")
    page = lead.page
    lead.follow("Triage")
    expect(page.locator("main")).to_contain_text("Showing 1 to 25 of 77 referrals")
    page.get_by_label("Urgency").select_option(label="Urgent")
    lead.submit("Apply")
    expect(page.locator("main")).to_contain_text("No referrals awaiting triage match")
    lead.follow("Show all referrals awaiting triage")
    lead.click(page.get_by_role("link", name="Days waiting (sort ascending)"))
    expect(page.get_by_role("columnheader", name="Days waiting")).to_have_attribute(
        "aria-sort", "ascending")
    assert table_rows(lead)[0].startswith("Person00")  # referred yesterday: 1 day
    lead.goto("/referrals/triage/?sort=nonsense")
    expect(page.locator("main")).to_contain_text("cannot be sorted that way")
    for name in ("Waiting list", "Allocation"):
        lead.follow(name)
    lead.follow("Referrals with identity to confirm")
    lead.goto("/referrals/break-glass/")
