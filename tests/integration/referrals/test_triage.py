"""Triage outcomes: accept (to a worker or the waiting list), reject with each reason, redirect;
duplicates only record the decision; the triage queue and form."""

from html import unescape

import pytest
from django.urls import reverse

from upstream.service.referrals.models import Referral
from upstream.service.referrals.services import TriageError, allocate, transition, triage
from upstream.service.referrals.states import Status

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def statuses(episode):
    return [t.to_status for t in episode.transitions.all()]


def test_accept_without_a_worker_puts_the_person_on_the_waiting_list(refer, worker):
    referral = refer()
    result = triage(referral, "accept", by=worker)
    episode = referral.episode
    episode.refresh_from_db()
    assert statuses(episode) == ["referred", "triaged", "waiting"]
    assert episode.waiting_since is not None and episode.worker is None
    assert result.referral.triage_outcome == "accept" and result.referral.triaged_by == worker


def test_accept_with_a_worker_allocates_straight_away(refer, lead, worker):
    referral = refer()
    triage(referral, "accept", by=lead, worker=worker)
    episode = referral.episode
    episode.refresh_from_db()
    assert statuses(episode) == ["referred", "triaged", "allocated"]
    assert episode.worker == worker


def test_accept_with_a_full_worker_waits_and_says_why(refer, lead, worker, heart):
    for _ in range(heart.caseload_limit):
        triage(refer(), "accept", by=lead, worker=worker)
    referral = refer()
    result = triage(referral, "accept", by=lead, worker=worker)
    referral.episode.refresh_from_db()
    assert referral.episode.status == "waiting"
    assert result.caseload_full is not None
    assert "caseload is full (2 of 2)" in str(result.caseload_full)


@pytest.mark.parametrize("reason, ending", [
    ("not_suitable", Status.NOT_SUITABLE),
    ("declined", Status.DECLINED),
    ("deceased", Status.DECEASED),
    ("out_of_area", Status.CLOSED),
    ("duplicate", Status.CLOSED),
    ("other", Status.CLOSED),
])
def test_rejection_reasons_close_the_episode(refer, worker, reason, ending):
    referral = refer()
    triage(referral, "reject", by=worker, reject_reason=reason, note="checked with GP",
           reject_detail="service closed to new referrals" if reason == "other" else "")
    referral.refresh_from_db()
    episode = referral.episode
    episode.refresh_from_db()
    assert episode.status == ending and episode.closed_at is not None
    assert referral.reject_reason == reason and referral.triage_note == "checked with GP"
    assert episode.status_reason.startswith("not accepted:")


def test_reject_needs_a_reason(refer, worker):
    with pytest.raises(TriageError):
        triage(refer(), "reject", by=worker)


def test_redirect_closes_here_and_refers_to_the_other_team(refer, worker, diabetes, referrer):
    referral = refer(urgency="urgent")
    result = triage(referral, "redirect", by=worker, redirect_to=diabetes)
    referral.episode.refresh_from_db()
    assert referral.episode.status == "closed"
    assert referral.episode.status_reason == f"redirected to {diabetes.name}"
    new = result.redirected
    assert new.team == diabetes and new.person == referral.person
    assert new.referrer == referrer and new.urgency == "urgent" and new.needs == referral.needs
    assert new.episode.status == "referred"


def test_a_duplicate_of_an_allocated_episode_only_records_the_decision(refer, make_person,
                                                                        lead, worker):
    person = make_person()
    first = refer(person)
    triage(first, "accept", by=lead, worker=worker)
    duplicate = refer(person)
    assert duplicate.is_duplicate
    result = triage(duplicate, "reject", by=lead, reject_reason="duplicate")
    duplicate.episode.refresh_from_db()
    assert duplicate.episode.status == "allocated"  # untouched, no illegal move attempted
    assert not result.moved_episode
    assert Referral.objects.get(pk=duplicate.pk).triage_outcome == "reject"


def test_a_referral_cannot_be_triaged_twice(refer, worker):
    referral = refer()
    triage(referral, "accept", by=worker)
    with pytest.raises(TriageError, match="already been triaged"):
        triage(referral, "reject", by=worker, reject_reason="other", reject_detail="not needed")


def test_triage_queue_lists_untriaged_referrals_urgent_first(client, refer, worker, diabetes,
                                                             make_person):
    routine = refer(make_person(given_name="Routine"))
    urgent = refer(make_person(given_name="Pressing"), urgency="urgent")
    refer(make_person(given_name="Elsewhere"), team=diabetes)
    done = refer(make_person(given_name="Handled"))
    triage(done, "accept", by=worker)
    html = signed_in(client, worker).get(reverse("referrals:triage")).content.decode()
    assert "Elsewhere" not in html and "Handled" not in html
    rows = html[html.index("<tbody"):]
    assert rows.index("Pressing Synthetic") < rows.index("Routine Synthetic")
    assert urgent.pk and routine.pk


def test_triage_form_accepts_and_allocates(client, refer, lead, worker):
    referral = refer()
    url = reverse("referrals:triage_referral", args=[referral.pk])
    signed_in(client, lead)
    page = client.get(url).content.decode()
    assert "Wes (0 of 2)" in page
    response = client.post(url, {"outcome": "accept", "worker": worker.pk,
                                 "version": referral.episode.version})
    assert response.status_code == 302
    referral.episode.refresh_from_db()
    assert referral.episode.status == "allocated" and referral.episode.worker == worker


def test_triage_form_names_a_missing_reject_reason(client, refer, worker):
    referral = refer()
    response = signed_in(client, worker).post(
        reverse("referrals:triage_referral", args=[referral.pk]),
        {"outcome": "reject", "note": "my note", "version": referral.episode.version})
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Select why the referral is not accepted" in html and "my note" in html


def test_triage_form_refuses_a_stale_page_and_keeps_the_note(client, refer, worker, lead):
    referral = refer()
    stale_version = referral.episode.version
    # Someone else closes the episode in the meantime.
    transition(referral.episode, "declined", by=lead, reason="phoned to decline")
    response = signed_in(client, worker).post(
        reverse("referrals:triage_referral", args=[referral.pk]),
        {"outcome": "accept", "note": "typed carefully", "version": stale_version})
    html = unescape(response.content.decode())
    assert response.status_code == 409
    assert "changed by someone else" in html and "typed carefully" in html
    assert Referral.objects.get(pk=referral.pk).triage_outcome == ""


def test_another_teams_referral_is_not_found(client, refer, diabetes, diabetes_worker):
    referral = refer()
    response = signed_in(client, diabetes_worker).get(
        reverse("referrals:triage_referral", args=[referral.pk]))
    assert response.status_code == 404


def test_an_accepted_person_is_later_allocated_from_the_waiting_list(refer, lead, worker):
    referral = refer()
    triage(referral, "accept", by=lead)
    episode = referral.episode
    episode.refresh_from_db()
    allocate(episode, worker, by=lead, expected_version=episode.version)
    episode.refresh_from_db()
    assert episode.status == "allocated" and episode.worker == worker
    assert statuses(episode) == ["referred", "triaged", "waiting", "allocated"]
