"""The UI layer in the browser: each role's pages (axe on every one, nothing fetched from another
host, fonts included), the footer's pages reachable by anyone, the styled error pages, and an
error-summary link that moves focus to its field."""

import datetime
import random

import pytest

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.people.services import find_or_create_person
from upstream.service.referrals import services as referrals
from upstream.standards import nhs_number


@pytest.fixture
def team(transactional_db):
    pathway = Pathway.objects.create(name="Heart Centre cardiology", specialty="Cardiology")
    return Team.objects.create(name="Heart Centre social prescribing", pathway=pathway,
                               caseload_limit=12)


@pytest.fixture
def people(team, make_user):
    """A referrer, a team lead, a link worker with one person allocated, a commissioner."""
    users = {
        Role.REFERRER: make_user("helen.marsh", Role.REFERRER, [team]),
        Role.TEAM_LEAD: make_user("rachel.adeyemi", Role.TEAM_LEAD, [team]),
        Role.LINK_WORKER: make_user("amara.okafor", Role.LINK_WORKER, [team]),
        Role.COMMISSIONER: make_user("claire.dunn", Role.COMMISSIONER),
    }
    person, _ = find_or_create_person({
        "nhs_number": nhs_number.synthetic(random.Random(10)), "given_name": "Joan",
        "family_name": "Smith", "date_of_birth": datetime.date(1958, 3, 14), "postcode": "E1 4NS",
    })
    referral = referrals.submit_referral(
        person=person, team=team, source="pathway_clinician", needs=["loneliness"],
        reason="Lives alone since her husband died", consent_given=True,
        referrer=users[Role.REFERRER])
    referrals.triage(referral, "accept", by=users[Role.TEAM_LEAD],
                     worker=users[Role.LINK_WORKER])
    return users


def _watch_hosts(visitor) -> list[str]:
    """Every request the page makes to a host other than the service's own."""
    outside: list[str] = []

    def seen(request):
        url = request.url
        if not (url.startswith(visitor.base_url) or url.startswith(("data:", "blob:"))):
            outside.append(url)

    visitor.page.on("request", seen)
    return outside


@pytest.mark.parametrize("role", [Role.REFERRER, Role.LINK_WORKER, Role.TEAM_LEAD,
                                  Role.COMMISSIONER])
def test_each_roles_pages_are_accessible_and_load_nothing_from_elsewhere(visit, people, role):
    visitor = visit(role)
    outside = _watch_hosts(visitor)
    visitor.sign_in(people[role].username)
    links = visitor.page.locator(".nhsuk-header__navigation-list a").evaluate_all(
        "links => links.map(a => [a.textContent.trim(), a.getAttribute('href')])")
    visited = [href for text, href in links if not text.startswith("Sign out")]
    assert visited, "no navigation links"
    for href in visited:
        visitor.goto(href)
    fonts = visitor.page.evaluate(
        "getComputedStyle(document.body).fontFamily")
    assert "Frutiger" not in fonts
    assert outside == [], outside
    if role in (Role.LINK_WORKER, Role.TEAM_LEAD):
        texts = [text for text, _ in links]
        caseload_or_board = "My caseload" if role == Role.LINK_WORKER else "Allocation"
        assert texts.index("Triage") < texts.index(caseload_or_board)


def test_footer_pages_are_reachable_by_anyone(visit, transactional_db):
    visitor = visit("anyone")
    outside = _watch_hosts(visitor)
    visitor.goto("/accounts/login/")
    for link, heading in [("Accessibility statement", "Accessibility statement for Upstream"),
                          ("Privacy notice", "Privacy notice"),
                          ("Help and contact", "Help and contact"),
                          ("Service status", "Service status")]:
        visitor.click(visitor.page.locator(".nhsuk-footer").get_by_role("link", name=link))
        assert visitor.heading() == heading
    assert "Upstream is working normally" in visitor.text()
    assert outside == []


def test_a_page_the_role_may_not_see_is_a_styled_page_saying_why(visit, people):
    visitor = visit("referrer")
    visitor.sign_in(people[Role.REFERRER].username)
    response = visitor.page.goto(visitor.url("/referrals/triage/"))
    visitor.check()
    assert response.status == 403
    assert visitor.heading() == "You do not have access to this page"
    assert "Your role does not give access to this page." in visitor.text()
    visitor.click(visitor.page.get_by_role("link", name="Go to your start page"))
    assert visitor.heading() == "My referrals"


def test_an_error_summary_link_moves_focus_to_its_field(visit, people):
    visitor = visit("link worker")
    visitor.sign_in(people[Role.LINK_WORKER].username)
    visitor.goto("/engagement/caseload/")
    visitor.follow("Joan Smith")
    if visitor.heading() != "Contact attempts":
        visitor.follow("Contact attempts")
    visitor.page.get_by_label("Time of the attempt").fill("25:99")
    visitor.submit("Log attempt")
    summary = visitor.page.locator(".nhsuk-error-summary")
    assert summary.is_visible()
    link = summary.get_by_role("link", name="Time of the attempt must be a real time, like 14:30")
    link.click()
    focused = visitor.page.evaluate("document.activeElement.id")
    assert focused == "id_time"
    outcome = summary.get_by_role("link", name="Select what happened")
    outcome.click()
    assert visitor.page.evaluate("document.activeElement.id") == "id_outcome"  # the first radio
