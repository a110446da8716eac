"""Closed-loop community referrals: consent and chosen details, the organisation's side (only
its own referrals, only the shared details), the declared moves with history and audit, the
no-response flag on the plan and Today, capacity updates and the discharge summary."""

import datetime
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import directory as make_service
from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.connect import services
from upstream.service.connect.models import (
    CommunityReferral,
    PartnerMembership,
    ReferralEvent,
    SharedDetail,
)
from upstream.service.connect.states import IllegalMove, Side, Status
from upstream.service.engagement import services as engagement
from upstream.service.referrals.states import Status as EpisodeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One team with a worker and an engaged episode; two organisations, each with a service
    and a partner user."""
    team = make.team()
    worker = make.user(Role.LINK_WORKER, team)
    episode = make.episode(team, worker=worker, status=EpisodeStatus.ENGAGED,
                           needs=("loneliness",), phone="07700900461",
                           given_name="Philippa", family_name="Quorndon-Test",
                           postcode="LS1 4AP")
    ours = make_service.service("Tuesday walking group", "loneliness")
    theirs = make_service.service("Debt advice drop-in", "money")
    partner = make.user(Role.VCSE_PARTNER, username="partner-ours")
    other_partner = make.user(Role.VCSE_PARTNER, username="partner-theirs")
    PartnerMembership.objects.create(user=partner, organization=ours.organization)
    PartnerMembership.objects.create(user=other_partner, organization=theirs.organization)
    return {"team": team, "worker": worker, "episode": episode, "ours": ours, "theirs": theirs,
            "partner": partner, "other_partner": other_partner}


def _refer(w, service=None, details=(SharedDetail.NAME,), **extra):
    return services.refer(w["episode"], service or w["ours"], by=w["worker"],
                          consent_given=True, details=list(details), **extra)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_no_referral_without_consent(world):
    with pytest.raises(services.NoConsent):
        services.refer(world["episode"], world["ours"], by=world["worker"],
                       consent_given=False, details=[SharedDetail.NAME])
    assert not CommunityReferral.objects.exists()


def test_only_the_chosen_details_are_kept_for_the_organisation(world):
    referral = _refer(world, details=[SharedDetail.NAME, SharedDetail.REASON],
                      reason="Wants to walk with others")
    assert referral.shared == {"name": "Philippa Quorndon-Test",
                               "reason": "Wants to walk with others"}
    assert referral.organization == world["ours"].organization
    assert referral.status == Status.REQUESTED
    [event] = referral.events.all()
    assert (event.from_status, event.to_status, event.by) == ("", "requested", world["worker"])
    assert AuditEvent.objects.filter(action=Action.CREATE, record_id=str(referral.pk),
                                     record_type="connect.communityreferral").exists()


def test_the_partner_page_shows_only_the_shared_details(world):
    referral = _refer(world, details=[SharedDetail.NAME])
    body = unescape(_client(world["partner"]).get(
        reverse("connect:partner_referral", args=[referral.pk])).content.decode())
    person = world["episode"].person
    assert "Philippa Quorndon-Test" in body
    for unshared in (person.phone, person.nhs_number, person.nhs_number_display,
                     person.postcode, str(person.date_of_birth.year)):
        assert unshared and unshared not in body, unshared


def test_a_partner_sees_only_their_own_organisations_referrals(world):
    ours = _refer(world)
    theirs = _refer(world, world["theirs"])
    client = _client(world["partner"])
    listing = client.get(reverse("connect:partner_referrals")).content.decode()
    assert f"CR-{ours.pk}" in listing and f"CR-{theirs.pk}" not in listing
    other = reverse("connect:partner_referral", args=[theirs.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, {"move": "accept"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.REQUESTED
    assert AuditEvent.objects.filter(action=Action.REFUSED, user=world["partner"],
                                     record_id=str(theirs.pk)).exists()
    # ... and no person's record or plan page at all.
    for page in (reverse("people:detail", args=[world["episode"].person_id]),
                 reverse("engagement:plan", args=[world["episode"].pk])):
        assert client.get(page).status_code == 403


def test_partner_accepts_then_marks_attended_and_each_change_is_kept(world):
    referral = _refer(world)
    client = _client(world["partner"])
    url = reverse("connect:partner_referral", args=[referral.pk])
    assert client.post(url, {"move": "accept"}).status_code == 302
    assert client.post(url, {"move": "attended"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.IN_PROGRESS
    assert referral.attended_at is not None and referral.responded_at is not None
    history = [(e.from_status, e.to_status, e.by) for e in referral.events.all()]
    assert history == [("", "requested", world["worker"]),
                       ("requested", "accepted", world["partner"]),
                       ("accepted", "in-progress", world["partner"])]
    assert AuditEvent.objects.filter(action=Action.TRANSITION, record_id=str(referral.pk),
                                     detail="accepted -> in-progress").exists()


def test_declining_needs_a_reason(world):
    referral = _refer(world)
    client = _client(world["partner"])
    url = reverse("connect:partner_referral", args=[referral.pk])
    refused = client.post(url, {"move": "decline", "note": ""})
    assert refused.status_code == 400
    assert "Enter the reason for declining" in unescape(refused.content.decode())
    client.post(url, {"move": "decline", "note": "Group is full"})
    referral.refresh_from_db()
    assert (referral.status, referral.status_note) == (Status.REJECTED, "Group is full")
    stale = client.post(url, {"move": "accept"})  # a page from before the decline
    assert stale.status_code == 400
    assert "no longer possible" in unescape(stale.content.decode())


@pytest.mark.parametrize("name, side", [("complete", Side.PARTNER), ("accept", Side.TEAM),
                                        ("cancel", Side.PARTNER)])
def test_moves_not_declared_are_refused_and_change_nothing(world, name, side):
    referral = _refer(world)
    with pytest.raises(IllegalMove):
        services.move(referral, name, by=world["partner"], side=side, note="n")
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED
    assert referral.events.count() == 1


def test_history_is_never_edited(world):
    referral = _refer(world)
    with pytest.raises(PermissionError):
        ReferralEvent.objects.filter(referral=referral).update(note="changed")
    with pytest.raises(PermissionError):
        ReferralEvent.objects.filter(referral=referral).delete()


def test_the_link_worker_sees_the_status_and_cancels(world):
    referral = _refer(world)
    services.move(referral, "accept", by=world["partner"], side=Side.PARTNER)
    client = _client(world["worker"])
    plan = unescape(client.get(reverse("engagement:plan", args=[world["episode"].pk]))
                    .content.decode())
    assert "Tuesday walking group" in plan and "Accepted" in plan
    refused = client.post(reverse("connect:cancel", args=[referral.pk]), {"note": ""},
                          follow=True)
    assert "Enter the reason for cancelling" in unescape(refused.content.decode())
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    client.post(reverse("connect:cancel", args=[referral.pk]), {"note": "Moved away"})
    referral.refresh_from_db()
    assert (referral.status, referral.status_note) == (Status.CANCELLED, "Moved away")


def test_no_response_is_flagged_on_the_plan_and_today(world):
    days = world["team"].no_response_after_days
    assert days == settings.UPSTREAM_DEFAULT_NO_RESPONSE_DAYS
    sent = timezone.now() - datetime.timedelta(days=days + 1)
    late = _refer(world, at=sent)
    fresh = _refer(world, world["theirs"])
    today = timezone.localdate()
    assert list(services.awaiting_response(CommunityReferral.objects.all(), today)) == [late]
    assert services.no_response(late, today) and not services.no_response(fresh, today)
    client = _client(world["worker"])
    plan = unescape(client.get(reverse("engagement:plan", args=[world["episode"].pk]))
                    .content.decode())
    assert plan.count(f"No response in {days} days") == 1
    today_page = unescape(client.get(reverse("schedules:today")).content.decode())
    assert "Chase Tuesday walking group" in today_page
    assert "Chase Debt advice drop-in" not in today_page
    services.move(late, "accept", by=world["partner"], side=Side.PARTNER)
    assert not services.awaiting_response(CommunityReferral.objects.all(), today).exists()


def test_each_team_sets_its_own_days_before_no_response_is_flagged(world):
    """Sent 3 days ago: not late for a team allowing 5 days; late, with the flag saying 2 days,
    for a team allowing 2; the other team's setting leaves it alone."""
    today = timezone.localdate()
    sent = timezone.now() - datetime.timedelta(days=3)
    patient_team = make.team("Five days")
    other = make.episode(patient_team, status=EpisodeStatus.ENGAGED, needs=("loneliness",))
    theirs = services.refer(other, world["ours"], by=world["worker"], consent_given=True,
                            details=[SharedDetail.NAME], at=sent)
    ours = _refer(world, at=sent)
    world["team"].no_response_after_days = 2
    world["team"].save()
    ours.refresh_from_db()
    assert services.response_due_on(ours) == timezone.localdate(sent) + datetime.timedelta(2)
    assert list(services.awaiting_response(CommunityReferral.objects.all(), today)) == [ours]
    assert services.no_response(ours, today) and not services.no_response(theirs, today)
    plan = unescape(_client(world["worker"]).get(
        reverse("engagement:plan", args=[world["episode"].pk])).content.decode())
    assert plan.count("No response in 2 days") == 1
    partner_list = unescape(_client(world["partner"]).get(
        reverse("connect:partner_referrals")).content.decode())
    assert partner_list.count("No response in 2 days") == 1
    assert "No response in 5 days" not in partner_list


def test_a_team_cannot_set_zero_days(world):
    from django.core.exceptions import ValidationError

    world["team"].no_response_after_days = 0
    with pytest.raises(ValidationError, match="no_response_after_days"):
        world["team"].full_clean()


def test_refer_page_refuses_without_consent_and_sends_with_it(world):
    client = _client(world["worker"])
    url = reverse("connect:refer", args=[world["episode"].pk, world["ours"].pk])
    refused = client.post(url, {"consent": "no", "details": ["name"]})
    assert refused.status_code == 400
    assert "The person must agree" in unescape(refused.content.decode())
    assert not CommunityReferral.objects.exists()
    sent = client.post(url, {"consent": "yes", "details": ["name", "needs"],
                             "needs": ["loneliness"]})
    assert sent.status_code == 302
    referral = CommunityReferral.objects.get()
    assert referral.shared == {"name": "Philippa Quorndon-Test", "needs": ["loneliness"]}


def test_choose_page_offers_services_for_recorded_needs_and_search(world):
    client = _client(world["worker"])
    url = reverse("connect:choose", args=[world["episode"].pk])
    body = unescape(client.get(url).content.decode())
    assert "Refer to Tuesday walking group" in body
    found = unescape(client.get(url, {"q": "debt"}).content.decode())
    assert "Refer to Debt advice drop-in" in found


def test_partner_updates_only_their_own_services_capacity(world):
    client = _client(world["partner"])
    ours = reverse("connect:partner_service", args=[world["ours"].pk])
    assert client.post(ours, {"accepting": "no", "waiting_time_days": "21"}).status_code == 302
    world["ours"].refresh_from_db()
    assert world["ours"].accepting_referrals is False
    assert world["ours"].waiting_time_days == 21
    assert world["ours"].last_verified == timezone.localdate()
    theirs = reverse("connect:partner_service", args=[world["theirs"].pk])
    assert client.post(theirs, {"accepting": "no"}).status_code == 404
    with pytest.raises(services.NotTheirs):
        services.update_capacity(world["theirs"], by=world["partner"],
                                 accepting_referrals=False, waiting_time_days=None)
    world["theirs"].refresh_from_db()
    assert world["theirs"].accepting_referrals is None and world["theirs"].last_verified is None


def test_discharge_summary_lists_community_referrals_and_keeps_free_text(world):
    referral = _refer(world)
    services.move(referral, "accept", by=world["partner"], side=Side.PARTNER)
    episode = world["episode"]
    engagement.close_episode(episode, by=world["worker"], outcomes="Walking weekly",
                             onward_services="Citizens Advice (written before referrals)")
    body = unescape(_client(world["worker"]).get(
        reverse("engagement:summary", args=[episode.pk])).content.decode())
    assert "Community referrals" in body
    assert "Tuesday walking group (Tuesday walking group organisation)" in body
    assert ": Accepted" in body
    assert "Citizens Advice (written before referrals)" in body


def test_the_partner_list_is_paged_and_loses_no_referral(world):
    from upstream.service.ui.lists import PAGE_SIZE

    made = [_refer(world).pk for _ in range(PAGE_SIZE + 2)]
    client = _client(world["partner"])
    url = reverse("connect:partner_referrals")
    shown = client.get(url).content.decode() + client.get(url, {"page": 2}).content.decode()
    assert all(f"CR-{pk}<" in shown for pk in made)
    assert f"1 to {PAGE_SIZE} of {PAGE_SIZE + 2}" in unescape(client.get(url).content.decode())
