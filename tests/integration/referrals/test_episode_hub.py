"""The episode hub: status moves recorded with who/when/why, illegal moves refused with the
state machine's message, stale saves refused with both versions kept, scoping and audit."""

from html import unescape

import pytest
from django.urls import NoReverseMatch, reverse

from upstream.service.audit.models import AuditEvent
from upstream.service.referrals.models import Episode, EpisodeTransition
from upstream.service.referrals.presenters import ENGAGEMENT_PAGES
from upstream.service.referrals.services import allocate, transition

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocated(refer, lead, worker):
    referral = refer()
    episode = referral.episode
    transition(episode, "triaged", by=lead, reason="accepted")
    allocate(episode, worker, by=lead)
    episode.refresh_from_db()
    return episode


def move(client, episode, to, reason="", version=None):
    return client.post(reverse("referrals:transition", args=[episode.pk]),
                       {"to": to, "reason": reason,
                        "version": episode.version if version is None else version})


def test_the_hub_shows_person_status_worker_and_timeline(client, allocated, worker):
    html = unescape(signed_in(client, worker).get(
        reverse("referrals:episode", args=[allocated.pk])).content.decode())
    person = allocated.person
    assert f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}" in html
    assert "Allocated to a worker" in html and "nhsuk-tag--purple" in html
    assert "Accepted to Allocated to a worker" in html and "allocated to Wes" in html
    assert 'value="contacting"' in html and 'value="allocated"' not in html


def test_engagement_links_appear_only_for_pages_that_exist(client, allocated, worker):
    """An open episode has no discharge summary yet, so it shows no link to one (it was a
    link to a "Not Found" page); every other engagement page is linked."""
    html = signed_in(client, worker).get(
        reverse("referrals:episode", args=[allocated.pk])).content.decode()
    for text, name in ENGAGEMENT_PAGES:
        try:
            href = reverse(name, kwargs={"episode_id": allocated.pk})
        except NoReverseMatch:
            assert text not in html
        else:
            if name == "engagement:summary":
                assert f'href="{href}"' not in html and "Discharge summary" not in html
            else:
                assert f'href="{href}"' in html


def test_a_move_is_recorded_with_who_when_and_why(client, allocated, worker):
    response = move(signed_in(client, worker), allocated, "contacting", "first call booked")
    assert response.status_code == 302
    last = EpisodeTransition.objects.filter(episode=allocated).last()
    assert (last.from_status, last.to_status, last.by, last.reason) == (
        "allocated", "contacting", worker, "first call booked")
    assert last.at is not None
    assert AuditEvent.objects.filter(action="transition", record_id=str(allocated.pk)).exists()


def test_an_illegal_move_is_refused_with_the_state_machines_message(client, allocated, worker):
    response = move(signed_in(client, worker), allocated, "closing", "skip ahead")
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert ("An episode that is 'Allocated to a worker' cannot move to 'Closing'. "
            "Allowed next steps:") in html
    assert 'value="skip ahead"' in html
    allocated.refresh_from_db()
    assert allocated.status == "allocated"


def test_allocation_is_not_a_status_button(client, refer, lead):
    episode = refer().episode
    transition(episode, "triaged", by=lead)
    response = move(signed_in(client, lead), episode, "allocated")
    assert "Allocate from the allocation board" in unescape(response.content.decode())
    episode.refresh_from_db()
    assert episode.status == "triaged"


def test_closing_needs_a_reason(client, allocated, worker):
    response = move(signed_in(client, worker), allocated, "declined", "")
    assert response.status_code == 400
    assert "Enter a reason for closing the episode" in response.content.decode()


def test_two_edits_from_the_same_version_second_is_refused_and_both_survive(
        client, allocated, worker, second_worker):
    loaded = allocated.version  # both people open the page at this version
    first = move(signed_in(client, worker), allocated, "contacting", "first: left a voicemail",
                 version=loaded)
    assert first.status_code == 302
    second = move(signed_in(client, second_worker), allocated, "engaged",
                  "second: they rang back and want help", version=loaded)
    html = unescape(second.content.decode())
    assert second.status_code == 409
    assert "changed by someone else while you were editing it" in html
    assert 'value="second: they rang back and want help"' in html  # the second's input kept
    episode = Episode.objects.get(pk=allocated.pk)
    assert episode.status == "contacting"  # the first's save stands
    assert episode.transitions.last().reason == "first: left a voicemail"
    assert "Trying to make contact" in html  # the page now shows the first's change
    assert f'name="version" value="{episode.version}"' in html  # ready to re-apply


def test_viewing_the_hub_is_audited(client, allocated, worker):
    signed_in(client, worker).get(reverse("referrals:episode", args=[allocated.pk]))
    assert AuditEvent.objects.filter(action="view", record_type="referrals.episode",
                                     record_id=str(allocated.pk), user=worker).count() == 1


def test_another_team_gets_404(client, allocated, diabetes_worker):
    response = signed_in(client, diabetes_worker).get(
        reverse("referrals:episode", args=[allocated.pk]))
    assert response.status_code == 404


def test_the_referrer_sees_status_and_outcome_but_not_notes(client, allocated, worker, referrer):
    transition(allocated, "declined", by=worker, reason="does not want support now")
    html = unescape(signed_in(client, referrer).get(
        reverse("referrals:episode", args=[allocated.pk])).content.decode())
    assert "Closed: declined" in html and "does not want support now" in html
    assert "allocated to Wes" not in html and "Change status" not in html
    assert "NHS number" not in html


def test_another_referrer_cannot_see_the_episode(client, allocated, other_referrer):
    response = signed_in(client, other_referrer).get(
        reverse("referrals:episode", args=[allocated.pk]))
    assert response.status_code == 404


def test_referrers_cannot_change_status(client, allocated, referrer):
    assert move(signed_in(client, referrer), allocated, "contacting").status_code == 403
