"""A closed-loop community referral in a browser (axe on every page):

A link worker opens a person's plan, chooses a service the directory suggests for the need
recorded, and refers with the person's consent, sharing their name, phone and the reason. The
organisation's VCSE partner signs in, sees the referral with only those details, accepts it and
marks the person as attended. The link worker sees "Attending" on the plan.
"""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import directory as make_service
from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.connect.models import CommunityReferral, PartnerMembership
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.services import submit_referral, transition
from upstream.service.referrals.states import Status


def engaged_person(team, worker) -> Episode:
    """A person referred for loneliness, allocated and engaged (set-up, not under test)."""
    at = timezone.now() - datetime.timedelta(days=3)
    person = Person.objects.create(given_name="Maureen", family_name="Oakley",
                                   nhs_number="9990000026", phone="07700900345",
                                   date_of_birth=datetime.date(1949, 3, 9), postcode="LE2 1AB")
    referral = submit_referral(person=person, team=team, source="gp", needs=["loneliness"],
                               reason="Lonely since her husband died", consent_given=True,
                               received_at=at)
    Referral.objects.filter(pk=referral.pk).update(triage_outcome="accept", triaged_at=at)
    episode = referral.episode
    transition(episode, Status.TRIAGED, reason="set-up")
    Episode.objects.filter(pk=episode.pk).update(worker=worker)
    for status in (Status.ALLOCATED, Status.ENGAGED):
        transition(Episode.objects.get(pk=episode.pk), status, reason="set-up")
    return episode


def test_refer_accept_attend_and_see_it_on_the_plan(visit, make_user):
    pathway = Pathway.objects.create(name="Leicester social prescribing", specialty="Primary")
    team = Team.objects.create(name="Leicester link workers", pathway=pathway)
    worker = make_user("tom.baker", Role.LINK_WORKER, [team])
    partner = make_user("jo.partridge", Role.VCSE_PARTNER)
    walking = make_service.service("Tuesday walking group", "loneliness")
    PartnerMembership.objects.create(user=partner, organization=walking.organization)
    episode = engaged_person(team, worker)
    plan_path = f"/engagement/episodes/{episode.pk}/plan/"

    link_worker = visit("link worker")
    link_worker.sign_in("tom.baker")
    page = link_worker.page
    link_worker.goto(plan_path)
    link_worker.follow("Refer to a community service")
    assert link_worker.heading() == "Refer to a community service"
    link_worker.follow("Refer to Tuesday walking group")
    assert link_worker.heading() == "Refer to Tuesday walking group"
    link_worker.submit("Send referral")  # nothing chosen: the errors say what is missing
    expect(page.get_by_role("alert")).to_contain_text("Select whether the person agreed")
    page.get_by_label("Yes, the person agreed to this referral").check()
    for detail in ("Name", "Phone number", "Reason for the referral (what matters)"):
        page.get_by_label(detail, exact=True).check()
    page.get_by_label("Reason for the referral, for the organisation").fill(
        "Would like to get out walking with others")
    link_worker.submit("Send referral")
    section = page.locator("#community-referral-" + str(CommunityReferral.objects.get().pk))
    expect(section).to_contain_text("Sent, awaiting response")

    organisation = visit("VCSE partner")
    organisation.sign_in("jo.partridge")
    assert organisation.heading() == "Referrals to your organisation"
    organisation.follow("Maureen Oakley")
    text = organisation.text()
    assert "07700900345" in text and "Would like to get out walking with others" in text
    assert "9990000026" not in text and "999 000 0026" not in text and "LE2 1AB" not in text
    organisation.page.get_by_label("Accept referral").check()
    organisation.submit("Save")
    expect(organisation.page.locator("main")).to_contain_text("Accepted")
    organisation.page.get_by_label("Mark as attended").check()
    organisation.submit("Save")
    expect(organisation.page.locator("main")).to_contain_text("Attending")

    link_worker.goto(plan_path)
    expect(section).to_contain_text("Attending")
    expect(section).to_contain_text("attended")
    assert CommunityReferral.objects.get().status == "in-progress"


def test_a_partner_sets_their_services_opening_times(visit, make_user):
    partner = make_user("jo.partridge", Role.VCSE_PARTNER)
    walking = make_service.service("Tuesday walking group", "loneliness", byday="TU")
    PartnerMembership.objects.create(user=partner, organization=walking.organization)

    organisation = visit("VCSE partner")
    organisation.sign_in("jo.partridge")
    organisation.goto("/connect/partner/services/")
    organisation.follow("Opening times of Tuesday walking group")
    assert organisation.heading() == "Opening times"
    page = organisation.page
    expect(page.get_by_label("Tuesday: opens")).to_have_value("09:30")
    page.get_by_label("Thursday: opens").fill("18:30")
    organisation.submit("Save opening times")  # no closing time: the error says so
    expect(page.get_by_role("alert")).to_contain_text("Enter the time Thursday closes")
    page.get_by_label("Thursday: closes").fill("20:00")
    organisation.submit("Save opening times")
    assert organisation.heading() == "Your services"
    expect(page.locator("main")).to_contain_text("updated and verified today")
    assert sorted(walking.schedules.values_list("byday", flat=True)) == ["TH", "TU"]
