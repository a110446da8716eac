"""A team's outreach settings and message templates, and each message made from a template
for a person (sent through GOV.UK Notify, or waiting in the outbox to be sent by hand).

Templates are scoped by team (``MessageTemplate.objects.for_user``); messages by the episode
they were written for (``OutreachMessage.objects.for_user``). Changes go through ``services``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from upstream.service.accounts.models import STAFF_ROLES, Role, Team
from upstream.service.referrals.models import Episode

DEFAULT_READING_AGE_TARGET = 9
"""The UK average reading age (about 9 years): the target unless a team sets its own."""


class OutreachSettings(models.Model):
    """One team's settings for outreach: the reading-age target its templates are checked
    against and the contact details its messages and letters carry."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="outreach")
    reading_age_target = models.PositiveSmallIntegerField(
        "Reading age target (years)", default=DEFAULT_READING_AGE_TARGET,
        help_text="Templates written above this reading age show a warning. The UK average "
                  "reading age is 9.")
    phone = models.CharField("Team phone number", max_length=30, blank=True)
    email = models.EmailField("Team email address", blank=True)
    address = models.TextField(
        "Team address for letters", blank=True,
        help_text="Printed at the top of letters so people can write back. One line each.")

    class Meta:
        verbose_name_plural = "outreach settings"

    def __str__(self) -> str:
        return f"Outreach settings for {self.team}"


class MessageKind(models.TextChoices):
    CALL_SCRIPT = "call_script", "Call script"
    SMS = "sms", "Text message"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"


SENDABLE_KINDS = (MessageKind.SMS, MessageKind.LETTER, MessageKind.EMAIL)
"""Kinds that are sent to the person; a call script is read out by the worker instead."""

KINDS_WITH_SUBJECT = (MessageKind.LETTER, MessageKind.EMAIL)


class MessageTemplateQuerySet(models.QuerySet):
    def for_user(self, user) -> "MessageTemplateQuerySet":
        """Templates of the user's teams (staff); nobody else sees any."""
        if user.role in STAFF_ROLES:
            return self.filter(team__in=user.teams.all())
        if user.role == Role.ADMIN:
            return self.all()
        return self.none()


class MessageTemplate(models.Model):
    """A team's reusable message. ``body`` (and ``subject``) may hold merge fields written as
    GOV.UK Notify writes them, ``((given_name))``: the known fields are in ``merge.FIELDS``."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="message_templates")
    kind = models.CharField("Type of message", max_length=20, choices=MessageKind.choices)
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField("Message")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = MessageTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"],
                                               name="outreach_template_name_unique_in_team")]

    def __str__(self) -> str:
        return self.name


class MessageStatus(models.TextChoices):
    TO_SEND = "to_send", "To send by hand"
    SENT = "sent", "Sent"


DELIVERY_WORDS: dict[str, str] = {
    "created": "Sending",
    "sending": "Sending",
    "pending": "Sending",
    "sent": "Sent abroad (no delivery receipt)",
    "delivered": "Delivered",
    "permanent-failure": "Not delivered: the number or address is not in use",
    "temporary-failure": "Not delivered: the phone was off or the inbox full",
    "technical-failure": "Not delivered: a problem at GOV.UK Notify",
    "pending-virus-check": "Being checked before printing",
    "virus-scan-failed": "Not sent: the letter failed GOV.UK Notify's virus check",
    "validation-failed": "Not sent: the letter failed GOV.UK Notify's checks",
    "accepted": "Accepted for printing",
    "received": "Printed and posted",
    "cancelled": "Cancelled",
}
"""GOV.UK Notify's delivery statuses (documented for texts, emails and letters) in words."""

DELIVERY_FINAL = frozenset({
    "sent", "delivered", "permanent-failure", "temporary-failure", "technical-failure",
    "virus-scan-failed", "validation-failed", "received", "cancelled"})
"""Statuses Notify will not change again: the message is not asked about any more."""

DELIVERY_FAILED = frozenset({
    "permanent-failure", "temporary-failure", "technical-failure", "virus-scan-failed",
    "validation-failed"})
"""Statuses that mean the person did not get the message: the sender is told."""


class OutreachMessageQuerySet(models.QuerySet):
    def for_user(self, user) -> "OutreachMessageQuerySet":
        """Messages for episodes the user may see (the rule of ``Episode.objects.for_user``),
        staff only: referrers never see the messages a team wrote."""
        if user.role not in (*STAFF_ROLES, Role.ADMIN):
            return self.none()
        return self.filter(episode__in=Episode.objects.for_user(user))


class OutreachMessage(models.Model):
    """One message written to a person from a template, merged as it was sent.

    ``sent_through_notify`` messages carry Notify's notification id; the others wait in the
    outbox (status 'to send') until the worker sends or posts them and marks them sent. Either
    way, sending records a contact attempt (``contact_attempt``).
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="messages")
    template = models.ForeignKey(MessageTemplate, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    recipient = models.TextField(
        help_text="The mobile number, email address or postal address it was written to.")
    status = models.CharField(max_length=20, choices=MessageStatus.choices,
                              default=MessageStatus.TO_SEND)
    notify_id = models.CharField("GOV.UK Notify notification id", max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    delivery_status = models.CharField(
        max_length=30, blank=True,
        help_text="GOV.UK Notify's delivery status, as last asked (messages sent through it).")
    delivery_checked_at = models.DateTimeField(null=True, blank=True)
    contact_attempt = models.OneToOneField(
        "engagement.ContactAttempt", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="outreach_message")

    objects = OutreachMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def sent_through_notify(self) -> bool:
        return bool(self.notify_id)

    @property
    def delivery_text(self) -> str:
        """The delivery status in words ('' when not known: sent by hand or not asked yet)."""
        return DELIVERY_WORDS.get(self.delivery_status, self.delivery_status)

    @property
    def delivery_failed(self) -> bool:
        return self.delivery_status in DELIVERY_FAILED
