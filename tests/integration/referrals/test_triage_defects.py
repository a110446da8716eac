"""Triage defects from issue 10: notes are shown to staff (and in the episode history), a
rejection as "Other" needs the reason in words and the referrer sees it, the form reveals each
decision's fields under its radio, and a lead can allocate an urgent case over a full caseload
with a recorded (audited) reason."""

from html import unescape

import pytest
from django.urls import reverse

from upstream.service.audit.models import AuditEvent
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import (
    CaseloadFull,
    OverrideRefused,
    TriageError,
    allocate,
    triage,
)
from upstream.service.referrals.states import Status

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def page(client, user, name, *args) -> str:
    return unescape(signed_in(client, user).get(reverse(name, args=args)).content.decode())


def test_triage_note_is_shown_to_staff_on_the_episode_and_referral(client, refer, worker,
                                                                    referrer):
    referral = refer()
    triage(referral, "accept", by=worker, note="Spoke to the ward: prefers mornings")

    hub = page(client, worker, "referrals:episode", referral.episode_id)
    assert "Triage note: Spoke to the ward: prefers mornings" in hub  # the episode history
    assert "Triage of referral R" in hub
    detail = page(client, worker, "referrals:detail", referral.pk)
    assert "Spoke to the ward: prefers mornings" in detail
    # The note is for the team: the referrer does not see it.
    assert "prefers mornings" not in page(client, referrer, "referrals:detail", referral.pk)


def test_rejecting_as_other_needs_the_reason_in_words(refer, worker):
    referral = refer()
    with pytest.raises(TriageError, match="Say why"):
        triage(referral, "reject", by=worker, reject_reason="other", reject_detail="  ")
    referral.refresh_from_db()
    assert referral.triage_outcome == ""  # nothing saved


def test_the_form_names_the_missing_reason_in_words(client, refer, worker):
    referral = refer()
    response = signed_in(client, worker).post(
        reverse("referrals:triage_referral", args=[referral.pk]),
        {"outcome": "reject", "reject_reason": "other", "reject_detail": "",
         "version": referral.episode.version})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Enter the reason in words" in html and 'href="#id_reject_detail"' in html


def test_the_referrer_sees_the_reason_in_words(client, refer, worker, referrer):
    referral = refer()
    triage(referral, "reject", by=worker, reject_reason="other",
           reject_detail="The service is for people over 65")

    mine = page(client, referrer, "referrals:mine")
    assert "Not accepted: The service is for people over 65" in mine
    assert "Not accepted: other" not in mine
    assert "Not accepted: The service is for people over 65" in page(
        client, referrer, "referrals:detail", referral.pk)


def test_the_triage_form_reveals_fields_under_each_decision(client, refer, worker):
    html = page(client, worker, "referrals:triage_referral", refer().pk)
    # NHS.UK conditional radios: each decision controls its own hidden panel.
    for value in ["accept", "reject", "redirect"]:
        assert f'value="{value}"' in html
    assert html.count('data-aria-controls="conditional-') == 3
    assert html.count("nhsuk-radios__conditional--hidden") == 3
    reject_panel = html.split('id="conditional-id_outcome-2"')[1].split("</div>\n    </div>")[0]
    assert 'name="reject_reason"' in reject_panel and 'name="reject_detail"' in reject_panel


def test_a_full_caseload_is_still_refused_without_an_override(refer, lead, worker, heart):
    for _ in range(heart.caseload_limit):
        allocate(triage(refer(), "accept", by=lead).referral.episode, worker, by=lead)
    episode = triage(refer(urgency="urgent"), "accept", by=lead).referral.episode
    with pytest.raises(CaseloadFull):
        allocate(episode, worker, by=lead)
    episode.refresh_from_db()
    assert episode.status == Status.WAITING and episode.worker is None


def test_a_lead_can_override_a_full_caseload_for_an_urgent_case(client, refer, lead, worker,
                                                                 heart):
    for _ in range(heart.caseload_limit):
        allocate(triage(refer(), "accept", by=lead).referral.episode, worker, by=lead)
    episode = triage(refer(urgency="urgent"), "accept", by=lead).referral.episode
    episode.refresh_from_db()

    response = signed_in(client, lead).post(
        reverse("referrals:allocate", args=[episode.pk]),
        {"worker": worker.pk, "version": episode.version,
         "override_reason": "Discharged today, high risk of readmission"})

    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == Status.ALLOCATED and episode.worker == worker
    assert episode.caseload_override_reason == "Discharged today, high risk of readmission"
    assert "over a full caseload (2 of 2): Discharged today" in (
        episode.transitions.last().reason)
    assert AuditEvent.objects.filter(record_id=str(episode.pk),
                                     detail="caseload-override:2/2").exists()


def test_an_override_is_refused_for_routine_cases_and_for_workers(refer, lead, worker, heart,
                                                                   second_worker):
    for _ in range(heart.caseload_limit):
        allocate(triage(refer(), "accept", by=lead).referral.episode, worker, by=lead)
    routine = triage(refer(), "accept", by=lead).referral.episode
    with pytest.raises(OverrideRefused, match="only for an urgent referral"):
        allocate(routine, worker, by=lead, override_reason="Because it is important")
    urgent = triage(refer(urgency="urgent"), "accept", by=lead).referral.episode
    with pytest.raises(OverrideRefused, match="Only a team lead"):
        allocate(urgent, worker, by=second_worker, override_reason="Because it is important")
    with pytest.raises(OverrideRefused, match="at least 10 characters"):
        allocate(urgent, worker, by=lead, override_reason="urgent")
    assert Episode.objects.filter(worker=worker).count() == heart.caseload_limit


def test_the_lead_can_override_at_triage(client, refer, lead, worker, heart):
    for _ in range(heart.caseload_limit):
        allocate(triage(refer(), "accept", by=lead).referral.episode, worker, by=lead)
    referral = refer(urgency="urgent")
    html = page(client, lead, "referrals:triage_referral", referral.pk)
    assert 'name="override_reason"' in html

    response = signed_in(client, lead).post(
        reverse("referrals:triage_referral", args=[referral.pk]),
        {"outcome": "accept", "worker": worker.pk, "version": referral.episode.version,
         "override_reason": "Chest pain admissions twice this month"})
    assert response.status_code == 302
    referral.episode.refresh_from_db()
    assert referral.episode.worker == worker
