"""Caseload limits, the waiting list order and the allocation board."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import (
    CaseloadFull,
    NotATeamWorker,
    allocate,
    caseload_counts,
    put_on_waiting_list,
    submit_referral,
    transition,
    waiting_list,
)

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def accepted(refer, by, **kwargs) -> Episode:
    """A referral accepted at triage, left on the accepted (triaged) status."""
    referral = refer(**kwargs)
    transition(referral.episode, "triaged", by=by, reason="accepted")
    return referral.episode


def test_limit_two_refuses_the_third_allocation_and_it_waits(refer, lead, worker, heart):
    assert heart.caseload_limit == 2
    first, second, third = (accepted(refer, lead) for _ in range(3))
    allocate(first, worker, by=lead)
    allocate(second, worker, by=lead)
    with pytest.raises(CaseloadFull, match=r"Wes's caseload is full \(2 of 2\)"):
        allocate(third, worker, by=lead, expected_version=third.version)
    third.refresh_from_db()
    assert third.status == "waiting" and third.worker is None and third.waiting_since
    assert [(load.worker, load.count, load.is_full) for load in caseload_counts(heart)] == [
        (worker, 2, True)
    ]


def test_a_waiting_episode_stays_waiting_when_the_worker_is_full(refer, lead, worker):
    for _ in range(2):
        allocate(accepted(refer, lead), worker, by=lead)
    episode = accepted(refer, lead)
    put_on_waiting_list(episode, by=lead)
    before = episode.waiting_since
    with pytest.raises(CaseloadFull):
        allocate(episode, worker, by=lead)
    episode.refresh_from_db()
    assert episode.status == "waiting" and episode.waiting_since == before


def test_closed_episodes_free_a_place(refer, lead, worker):
    held = [accepted(refer, lead) for _ in range(2)]
    for episode in held:
        allocate(episode, worker, by=lead)
    transition(held[0], "declined", by=worker, reason="changed their mind")
    allocate(accepted(refer, lead), worker, by=lead)
    assert Episode.objects.filter(worker=worker, status="allocated").count() == 2


def test_only_the_teams_link_workers_can_be_allocated(refer, lead, diabetes_worker):
    with pytest.raises(NotATeamWorker):
        allocate(accepted(refer, lead), diabetes_worker, by=lead)


def test_waiting_list_is_urgent_first_then_longest_waiting(refer, lead, heart, make_person):
    now = timezone.now()
    order = {}
    for name, urgency, days_ago in [("Newer", "routine", 2), ("Older", "routine", 9),
                                    ("Urgent new", "urgent", 1), ("Urgent old", "urgent", 4)]:
        episode = accepted(refer, lead, person=make_person(given_name=name), urgency=urgency)
        put_on_waiting_list(episode, by=lead)
        Episode.objects.filter(pk=episode.pk).update(opened_at=now - timedelta(days=days_ago))
        order[episode.pk] = name
    entries = waiting_list(heart, today=timezone.localdate(now))
    assert [order[e.episode.pk] for e in entries] == ["Urgent old", "Urgent new", "Older", "Newer"]
    assert [e.waiting_days for e in entries] == [4, 1, 9, 2]
    assert [e.urgent for e in entries] == [True, True, False, False]


def test_waiting_page_shows_days_waiting(client, refer, lead, make_person):
    episode = accepted(refer, lead, person=make_person(given_name="Patient"))
    put_on_waiting_list(episode, by=lead)
    Episode.objects.filter(pk=episode.pk).update(opened_at=timezone.now() - timedelta(days=12))
    html = signed_in(client, lead).get(reverse("referrals:waiting")).content.decode()
    assert "Patient" in html and ">12<" in html and "Days waiting" in html


def test_the_waiting_clock_starts_at_referral_not_at_triage(client, make_person, heart, lead,
                                                            referrer):
    """Referred 20 days ago, triaged onto the waiting list today: 20 days waiting, and the
    person referred earlier is ahead of one referred later but triaged first."""
    now = timezone.now()
    late = refer_at(make_person(given_name="Later"), heart, referrer, now - timedelta(days=3))
    early = refer_at(make_person(given_name="Earlier"), heart, referrer, now - timedelta(days=20))
    for referral in (late, early):  # the later referral is triaged first
        transition(referral.episode, "triaged", by=lead, reason="accepted")
        put_on_waiting_list(referral.episode, by=lead)
    entries = waiting_list(heart, today=timezone.localdate(now))
    assert [e.episode.person.given_name for e in entries] == ["Earlier", "Later"]
    assert [e.waiting_days for e in entries] == [20, 3]
    html = signed_in(client, lead).get(reverse("referrals:waiting")).content.decode()
    assert ">20<" in html and ">3<" in html


def refer_at(person, team, referrer, received_at):
    return submit_referral(person=person, team=team, source="pathway_clinician",
                           needs=["loneliness"], urgency="routine", consent_given=True,
                           referrer=referrer, received_at=received_at)


def test_board_shows_accepted_waiting_and_caseloads(client, refer, lead, worker, second_worker,
                                                    make_person):
    accepted(refer, lead, person=make_person(given_name="Unallocated"))
    waiting = accepted(refer, lead, person=make_person(given_name="Waiter"))
    put_on_waiting_list(waiting, by=lead)
    allocate(accepted(refer, lead), worker, by=lead)
    html = signed_in(client, lead).get(reverse("referrals:board")).content.decode()
    assert "Unallocated" in html and "Waiter" in html
    assert "1 of 2" in html and "0 of 2" in html
    assert "Wes (1 of 2)" in html and "Val (0 of 2)" in html


def test_allocate_view_allocates_and_refuses_when_full(client, refer, lead, worker, make_person):
    for _ in range(2):
        allocate(accepted(refer, lead), worker, by=lead)
    episode = accepted(refer, lead, person=make_person(given_name="Third"))
    signed_in(client, lead)
    response = client.post(reverse("referrals:allocate", args=[episode.pk]),
                           {"worker": worker.pk, "version": episode.version}, follow=True)
    html = unescape(response.content.decode())
    assert "Third Synthetic was not allocated. Wes's caseload is full (2 of 2)" in html
    episode.refresh_from_db()
    assert episode.status == "waiting"


def test_allocate_view_gives_the_episode_to_the_worker(client, refer, lead, worker):
    episode = accepted(refer, lead)
    response = signed_in(client, lead).post(
        reverse("referrals:allocate", args=[episode.pk]),
        {"worker": worker.pk, "version": episode.version})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.worker == worker and episode.status == "allocated"


def test_link_workers_cannot_use_the_board(client, worker):
    assert signed_in(client, worker).get(reverse("referrals:board")).status_code == 403
