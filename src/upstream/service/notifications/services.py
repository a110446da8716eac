"""Creating and reading in-service notifications.

The referrer hears of the triage decision and of the end of support; the worker hears of an
allocation. Texts name the referral or episode by number and the team, never the person
(see ``models``).

Email: when GOV.UK Notify is configured (``outreach.notify``: an API key and the email
template) and the user has an email address, each notification is also told by email once
the change is committed. The email says only that there is a notification of a kind, never
its text, so nothing about a person leaves the service; a refusal is logged without it.
"""

import logging
from functools import partial

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from upstream.service.notifications.models import Kind, Notification

log = logging.getLogger(__name__)

EMAIL_SUBJECT = "You have a new notification in Upstream"
EMAIL_BODY = (
    "You have a new notification in Upstream: {kind}.\n\n"
    "Sign in to Upstream to read it. For your patients' privacy this email does not say who "
    "it is about."
)


def notify(recipient, kind: str, text: str, link: str) -> Notification | None:
    """Give ``recipient`` (a user; ``None`` or a system sender is skipped) a notification, and
    email them that it is there when Notify is configured (after the transaction commits)."""
    if recipient is None or not getattr(recipient, "pk", None):
        return None
    notice = Notification.objects.create(recipient=recipient, kind=kind, text=text[:300],
                                         link=link)
    if recipient.email and _notify_configured():
        transaction.on_commit(partial(email, notice.pk))
    return notice


def _notify_configured() -> bool:
    if not apps.is_installed("upstream.service.outreach"):
        return False
    from upstream.service.outreach import notify as notify_client

    return notify_client.configured()


def email(notification_id: int) -> bool:
    """Email the recipient of a notification that it is waiting (``EMAIL_BODY``: the kind,
    no text, no person). True when Notify accepted it; a refusal is logged and False."""
    from upstream.service.outreach import notify as notify_client
    from upstream.service.outreach.models import MessageKind

    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        notify_client.send(
            MessageKind.EMAIL, recipient=notice.recipient.email, subject=EMAIL_SUBJECT,
            body=EMAIL_BODY.format(kind=notice.get_kind_display().lower()),
            reference=f"upstream-notification-{notice.pk}")
    except notify_client.NotifyRefused as refused:
        log.warning("Notification %s was not emailed: Notify answered %s", notice.pk,
                    refused.status_code)
        return False
    Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return True


def triage_decided(referral, decision: str) -> Notification | None:
    """Tell the referrer of ``referral`` what triage decided (``decision`` in words)."""
    return notify(
        referral.referrer, Kind.TRIAGE_OUTCOME,
        f"Referral R{referral.pk} to {referral.team.name}: {decision}.",
        reverse("referrals:detail", args=[referral.pk]),
    )


def support_ended(episode, outcome: str) -> list[Notification]:
    """Tell each referrer of ``episode`` that support has ended, with ``outcome`` in words."""
    referrers = {r.referrer for r in episode.referrals.select_related("referrer", "team")
                 if r.referrer_id}
    link = reverse("referrals:episode", args=[episode.pk])
    return [n for n in (
        notify(user, Kind.CLOSED,
               f"Support from {episode.team.name} for your referral (episode {episode.pk}) "
               f"has ended: {outcome}.", link)
        for user in sorted(referrers, key=lambda u: u.pk)) if n]


def allocated(episode, worker) -> Notification | None:
    """Tell ``worker`` an episode has been allocated to them."""
    return notify(worker, Kind.ALLOCATED,
                  f"Episode {episode.pk} in {episode.team.name} has been allocated to you.",
                  reverse("referrals:episode", args=[episode.pk]))


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all, when ``notification_id`` is None) as
    read; returns how many changed. Another user's notification is never touched."""
    mine = Notification.objects.for_user(user).unread()
    if notification_id is not None:
        mine = mine.filter(pk=notification_id)
    return mine.update(read_at=timezone.now())


def message_not_delivered(message) -> Notification | None:
    """Tell whoever sent an outreach message (or the episode's worker) that Notify could not
    deliver it, so they can try another way."""
    episode = message.episode
    return notify(message.created_by or episode.worker, Kind.NOT_DELIVERED,
                  f"A {message.get_kind_display().lower()} to the person in episode {episode.pk} "
                  f"was not delivered: {message.delivery_text.split(': ', 1)[-1]}. "
                  "Try another way and log the attempt.",
                  reverse("engagement:contacts", args=[episode.pk]))
