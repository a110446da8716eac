"""Creating and reading in-service notifications.

The referrer hears of the triage decision and of the end of support; the worker hears of an
allocation. Texts name the referral or episode by number and the team, never the person
(see ``models``). Email is not sent from here yet: see the issue 10 report.
"""

from django.urls import reverse
from django.utils import timezone

from upstream.service.notifications.models import Kind, Notification


def notify(recipient, kind: str, text: str, link: str) -> Notification | None:
    """Give ``recipient`` (a user; ``None`` or a system sender is skipped) a notification."""
    if recipient is None or not getattr(recipient, "pk", None):
        return None
    return Notification.objects.create(recipient=recipient, kind=kind, text=text[:300],
                                       link=link)


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
