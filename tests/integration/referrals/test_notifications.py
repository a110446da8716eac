"""In-service notifications: the referrer hears of the triage decision and of the end of
support, the worker of an allocation; a count in the header, a page to read them and mark them
read, each linking to its page; no names or NHS numbers in the texts."""

from html import unescape

import pytest
from django.urls import reverse

from upstream.service.notifications.models import Kind, Notification
from upstream.service.referrals.services import allocate, transition, triage
from upstream.service.referrals.states import Status

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_referrer_is_told_the_triage_decision(refer, worker, referrer):
    referral = refer()
    triage(referral, "reject", by=worker, reject_reason="other",
           reject_detail="Already supported by the community team")
    [notice] = Notification.objects.filter(recipient=referrer)
    assert notice.kind == Kind.TRIAGE_OUTCOME
    assert notice.text == (f"Referral R{referral.pk} to {referral.team.name}: not accepted: "
                           "already supported by the community team.")
    assert notice.link == reverse("referrals:detail", args=[referral.pk])
    person = referral.person
    for identifier in [person.given_name, person.family_name, person.nhs_number]:
        assert identifier not in notice.text


def test_the_worker_is_told_of_an_allocation_and_the_referrer_of_the_ending(refer, lead,
                                                                           worker, referrer):
    referral = refer()
    episode = triage(referral, "accept", by=lead).referral.episode
    allocate(episode, worker, by=lead)
    [allocated] = Notification.objects.filter(recipient=worker)
    assert allocated.kind == Kind.ALLOCATED
    assert allocated.link == reverse("referrals:episode", args=[episode.pk])

    transition(episode, Status.CONTACTING, by=worker)
    transition(episode, Status.NOT_ENGAGED, by=worker, reason="no reply after 6 attempts")
    closed = Notification.objects.get(recipient=referrer, kind=Kind.CLOSED)
    assert "has ended: no reply after 6 attempts" in closed.text
    assert Notification.objects.filter(recipient=referrer).count() == 2  # triage + ending


def test_a_rejection_is_told_once(refer, worker, referrer):
    triage(refer(), "reject", by=worker, reject_reason="out_of_area")
    assert Notification.objects.filter(recipient=referrer).count() == 1


def test_header_count_page_and_mark_read(client, refer, worker, referrer):
    first, second = refer(), refer()
    triage(first, "accept", by=worker)
    triage(second, "accept", by=worker)
    home = unescape(signed_in(client, referrer).get(reverse("referrals:mine")).content.decode())
    assert "Notifications (2 unread)" in home

    inbox = unescape(client.get(reverse("notifications:inbox")).content.decode())
    assert f'href="{reverse("referrals:detail", args=[first.pk])}"' in inbox
    assert "2 unread." in inbox

    notice = Notification.objects.get(recipient=referrer, link__endswith=f"/{first.pk}/")
    assert client.post(reverse("notifications:mark_read"),
                       {"notification": notice.pk}).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Notifications (1 unread)" in unescape(
        client.get(reverse("notifications:inbox")).content.decode())
    client.post(reverse("notifications:mark_read"), {"notification": "all"})
    assert not Notification.objects.filter(recipient=referrer, read_at__isnull=True).exists()


def test_nobody_can_mark_anothers_notification(client, refer, worker, referrer, other_referrer):
    triage(refer(), "accept", by=worker)
    notice = Notification.objects.get(recipient=referrer)
    response = signed_in(client, other_referrer).post(reverse("notifications:mark_read"),
                                                      {"notification": notice.pk})
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert notice.text not in unescape(page)


@pytest.fixture
def notify(settings):
    """The local GOV.UK Notify (``tests/fakes/notify_server``) with an email template."""
    from tests.fakes.notify_server import FakeNotify

    fake = FakeNotify()
    running = fake.serve()
    settings.UPSTREAM_NOTIFY_API_KEY = fake.api_key
    settings.UPSTREAM_NOTIFY_BASE_URL = fake.base_url
    settings.UPSTREAM_NOTIFY_EMAIL_TEMPLATE_ID = fake.add_template("email",
                                                                   subject="((subject))")
    yield fake
    running.stop()


def test_with_notify_configured_the_user_is_emailed_without_the_details(
        refer, worker, referrer, notify, django_capture_on_commit_callbacks):
    referrer.email = "ann.referrer@example.nhs.uk"
    referrer.save()
    referral = refer()
    with django_capture_on_commit_callbacks(execute=True):
        triage(referral, "reject", by=worker, reject_reason="out_of_area")

    [sent] = notify.notifications.values()
    assert sent["type"] == "email" and sent["email_address"] == "ann.referrer@example.nhs.uk"
    assert "You have a new notification in Upstream: triage decision." in sent["body"]
    person = referral.person
    for detail in [person.given_name, person.family_name, person.nhs_number, "out of area",
                   f"R{referral.pk}"]:
        assert detail not in sent["body"] and detail not in (sent["subject"] or "")
    assert Notification.objects.get(recipient=referrer).emailed_at is not None


def test_without_notify_or_an_email_address_nothing_is_emailed(
        refer, worker, referrer, settings, django_capture_on_commit_callbacks):
    settings.UPSTREAM_NOTIFY_API_KEY = ""
    referrer.email = "ann.referrer@example.nhs.uk"
    referrer.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        triage(refer(), "accept", by=worker)
    assert callbacks == []
    assert Notification.objects.get(recipient=referrer).emailed_at is None


def test_a_notify_refusal_keeps_the_notification(refer, worker, referrer, notify,
                                                 django_capture_on_commit_callbacks):
    referrer.email = "ann.referrer@example.nhs.uk"
    referrer.save()
    notify.fail_next(500)
    with django_capture_on_commit_callbacks(execute=True):
        triage(refer(), "accept", by=worker)
    notice = Notification.objects.get(recipient=referrer)
    assert notice.emailed_at is None and not notify.notifications
