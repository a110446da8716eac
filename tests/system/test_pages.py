"""Key pages pass axe (WCAG 2.2 AA) at laptop and tablet sizes: sign-in, a link worker's
caseload, and the commissioner's insights."""

import datetime
import random

import pytest

from tests.system.conftest import LAPTOP, TABLET
from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.engagement import services as engagement
from upstream.service.people.services import find_or_create_person
from upstream.service.referrals import services as referrals
from upstream.standards import nhs_number

VIEWPORTS = [pytest.param(LAPTOP, id="laptop"), pytest.param(TABLET, id="tablet")]


@pytest.fixture
def team(transactional_db):
    pathway = Pathway.objects.create(name="Heart Centre cardiology", specialty="Cardiology")
    return Team.objects.create(name="Heart Centre social prescribing", pathway=pathway,
                               caseload_limit=12)


@pytest.fixture
def caseload(team, make_user):
    """A link worker holding three episodes: just allocated, trying to make contact, engaged."""
    lead = make_user("rachel.adeyemi", Role.TEAM_LEAD, [team])
    worker = make_user("amara.okafor", Role.LINK_WORKER, [team])
    referrer = make_user("helen.marsh", Role.REFERRER, [team])
    rng = random.Random(3)
    people = [("Joan", "Smith"), ("Tunde", "Mensah"), ("Fatima", "Begum")]
    for count, (given, family) in enumerate(people):
        person, _ = find_or_create_person({
            "nhs_number": nhs_number.synthetic(rng), "given_name": given,
            "family_name": family, "date_of_birth": datetime.date(1961, 4, count + 1),
            "postcode": "E1 4NS",
        })
        referral = referrals.submit_referral(person=person, team=team, source="pathway_clinician",
                                             needs=["money_debt"], consent_given=True,
                                             referrer=referrer)
        referrals.triage(referral, "accept", by=lead, worker=worker)
        episode = referral.episode
        episode.refresh_from_db()
        for outcome in ["no_answer", "engaged"][:count]:
            engagement.log_contact_attempt(episode, by=worker, channel="phone", outcome=outcome)
    return worker


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_sign_in_page_is_accessible(visit, viewport):
    visitor = visit("anyone", viewport)
    visitor.goto("/accounts/login/")
    assert visitor.heading() == "Sign in to Upstream"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_link_worker_caseload_is_accessible(visit, caseload, viewport):
    worker = visit("link worker", viewport)
    worker.sign_in(caseload.username)
    worker.goto("/engagement/caseload/")
    assert worker.heading() == "My caseload"
    for name in ("Joan Smith", "Tunde Mensah", "Fatima Begum"):
        assert name in worker.text()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_commissioner_insights_are_accessible_and_de_identified(visit, caseload, make_user,
                                                                viewport):
    make_user("claire.dunn", Role.COMMISSIONER)
    commissioner = visit("commissioner", viewport)
    commissioner.sign_in("claire.dunn")
    commissioner.goto("/insights/")
    page_text = commissioner.text()
    for name in ("Joan", "Smith", "Tunde", "Mensah", "Fatima", "Begum"):
        assert name not in page_text
