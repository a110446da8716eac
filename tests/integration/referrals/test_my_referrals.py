"""A referrer sees the status of every referral they made, in plain words, and only theirs."""

from html import unescape

import pytest
from django.urls import reverse

from upstream.service.audit.models import AuditEvent
from upstream.service.referrals.services import allocate, transition, triage

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_each_referral_shows_what_happened(client, refer, make_person, referrer, lead, worker,
                                           diabetes, other_referrer):
    waiting = refer(make_person(given_name="Waiting"))
    triage(waiting, "accept", by=lead)
    engaged = refer(make_person(given_name="Engaged"))
    triage(engaged, "accept", by=lead, worker=worker)
    transition(engaged.episode, "engaged", by=worker, reason="met in clinic")
    rejected = refer(make_person(given_name="Rejected"))
    triage(rejected, "reject", by=lead, reject_reason="out_of_area")
    closed = refer(make_person(given_name="Finished"))
    triage(closed, "accept", by=lead, worker=worker)
    transition(closed.episode, "contacting", by=worker)
    transition(closed.episode, "not_engaged", by=worker, reason="no reply after 6 attempts")
    redirected = refer(make_person(given_name="Moved"))
    triage(redirected, "redirect", by=lead, redirect_to=diabetes)
    refer(make_person(given_name="Someone else's"), by=other_referrer)

    html = unescape(signed_in(client, referrer).get(reverse("referrals:mine")).content.decode())
    assert "Someone else's" not in html
    assert "On waiting list" in html
    assert "Engaged" in html
    assert "Not accepted: out of area" in html
    assert "Closed: did not engage" in html and "no reply after 6 attempts" in html
    assert f"Redirected to {diabetes.name}" in html
    assert "Referred, awaiting triage" in html  # the redirected copy, awaiting triage there


def test_referral_detail_is_scoped_and_audited(client, refer, referrer, other_referrer):
    referral = refer()
    url = reverse("referrals:detail", args=[referral.pk])
    assert signed_in(client, other_referrer).get(url).status_code == 404
    assert signed_in(client, referrer).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="view", record_type="referrals.referral",
                                     record_id=str(referral.pk), user=referrer).exists()


def test_staff_cannot_use_my_referrals(client, worker):
    assert signed_in(client, worker).get(reverse("referrals:mine")).status_code == 403


def test_allocated_shows_for_the_referrer(client, refer, referrer, lead, worker):
    referral = refer()
    transition(referral.episode, "triaged", by=lead)
    allocate(referral.episode, worker, by=lead)
    html = signed_in(client, referrer).get(reverse("referrals:mine")).content.decode()
    assert "Allocated to a worker" in html
