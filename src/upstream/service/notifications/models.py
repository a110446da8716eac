"""In-service notifications: a short message for one user, linking to the page it is about.

The text never holds a person's name or NHS number: it names the referral or episode by its
number and the team, and the linked page (scoped and audited) shows who it is.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    TRIAGE_OUTCOME = "triage_outcome", "Triage decision"
    CLOSED = "closed", "Support ended"
    ALLOCATED = "allocated", "Allocated to you"
    NOT_DELIVERED = "not_delivered", "Message not delivered"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        """A user's own notifications; nobody sees anyone else's."""
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, help_text="path of the page the notice is about")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="when GOV.UK Notify accepted the email telling of it")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"Notification {self.pk}"
