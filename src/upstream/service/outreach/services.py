"""The operations of outreach: keeping a team's templates and settings, writing a message from
a template for a person, sending it (through GOV.UK Notify when configured, otherwise into the
outbox to send by hand) and recording it as a contact attempt.

Every change is audited; audit details name kinds and ids, never the person or the message.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.engagement import services as engagement
from upstream.service.engagement.models import ContactOutcome
from upstream.service.outreach import merge, notify, preferences
from upstream.service.outreach.models import (
    DELIVERY_FINAL,
    KINDS_WITH_SUBJECT,
    SENDABLE_KINDS,
    MessageKind,
    MessageStatus,
    MessageTemplate,
    OutreachMessage,
    OutreachSettings,
)
from upstream.service.practice import conversations
from upstream.service.practice.models import Conversation
from upstream.service.referrals.models import Episode
from upstream.service.ui.format import long_date

SENT_OUTCOME = ContactOutcome.LETTER_SENT
"""The contact outcome of a message sent: "Letter or message sent"."""


class CannotSend(Exception):
    """The message cannot be sent; ``str()`` says why, for the worker."""


def settings_for(team) -> OutreachSettings:
    """The team's outreach settings, made with the defaults the first time they are needed."""
    found, _ = OutreachSettings.objects.get_or_create(team=team)
    return found


def save_settings(settings: OutreachSettings, *, by, **values) -> OutreachSettings:
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    record(by, Action.CHANGE, settings, detail="fields=" + ",".join(sorted(values)))
    return settings


def save_template(template: MessageTemplate, *, by) -> MessageTemplate:
    """Create or update ``template`` (already checked by ``forms.TemplateForm``)."""
    creating = template.pk is None
    if template.kind not in KINDS_WITH_SUBJECT:
        template.subject = ""
    template.updated_at, template.updated_by = timezone.now(), by
    template.save()
    record(by, Action.CREATE if creating else Action.CHANGE, template,
           detail=f"kind={template.kind}")
    return template


def delete_template(template: MessageTemplate, *, by) -> None:
    """Delete ``template``; messages written from it keep their merged text."""
    record(by, Action.CHANGE, template, detail=f"deleted kind={template.kind}")
    template.delete()


def merge_values(team, sender, *, person=None,
                 appointment_date: datetime.date | None = None) -> dict[str, str]:
    """The value of every merge field for a message from ``sender`` in ``team`` to ``person``.
    Without a person, their fields are the sample values (``merge.SAMPLE``), as is the
    appointment date when not given; the team's and the sender's are always the real ones."""
    team_settings = settings_for(team)
    values = dict(merge.SAMPLE)
    values.update(worker_name=sender.display_name, team_name=team.name,
                  today=long_date(timezone.localdate()),
                  team_phone=team_settings.phone or "(team phone not set)",
                  team_email=team_settings.email or "(team email not set)")
    if person is not None:
        values.update(given_name=person.given_name, family_name=person.family_name)
    if appointment_date is not None:
        values["appointment_date"] = appointment_date.strftime("%A ") + long_date(
            appointment_date)
    return values


@dataclass
class Draft:
    """A template merged for one person: what would be sent, to where, and whether it can be."""

    template: MessageTemplate
    episode: Episode
    subject: str
    body: str
    recipient: str | list[str]
    refusal: str | None

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def recipient_text(self) -> str:
        if isinstance(self.recipient, list):
            return "\n".join(self.recipient)
        return self.recipient


def draft(template: MessageTemplate, episode: Episode, sender, *,
          appointment_date: datetime.date | None = None) -> Draft:
    """Merge ``template`` for ``episode``'s person and check it may be sent to them."""
    values = merge_values(episode.team, sender, person=episode.person,
                          appointment_date=appointment_date)
    person = episode.person
    refusal = preferences.refusal(template.kind, person)
    if refusal is None and not episode.is_open:
        refusal = "This episode has ended, so no message can be sent from it."
    if refusal is None and template.team_id != episode.team_id:
        refusal = "This template belongs to another team."
    return Draft(template=template, episode=episode,
                 subject=merge.merge(template.subject, values),
                 body=merge.merge(template.body, values),
                 recipient=preferences.recipient(template.kind, person),
                 refusal=refusal)


@transaction.atomic
def send(message_draft: Draft, *, by) -> OutreachMessage:
    """Send a draft. With Notify configured it goes now and is recorded as a contact attempt
    with Notify's id; otherwise it waits in the outbox until ``mark_sent``.

    Raises ``CannotSend`` for a draft that may not be sent, and ``notify.NotifyRefused`` when
    Notify does not accept it: either way nothing is recorded.
    """
    if message_draft.refusal:
        raise CannotSend(message_draft.refusal)
    if message_draft.kind not in SENDABLE_KINDS:
        raise CannotSend("A call script is read out on a call, not sent: call, then log the "
                         "attempt on the contact attempts page.")
    kind = message_draft.kind
    notify_id = ""
    if notify.configured():
        notify_id = notify.send(kind, recipient=message_draft.recipient,
                                subject=message_draft.subject, body=message_draft.body,
                                reference=f"upstream-{uuid.uuid4().hex}")
    message = OutreachMessage.objects.create(
        episode=message_draft.episode, template=message_draft.template, kind=kind,
        subject=message_draft.subject, body=message_draft.body,
        recipient=message_draft.recipient_text, notify_id=notify_id, created_by=by)
    record(by, Action.CREATE, message,
           detail=f"kind={kind} via={'notify' if notify_id else 'outbox'}")
    if notify_id:
        _record_as_sent(message, by=by)
    return message


@transaction.atomic
def mark_sent(message: OutreachMessage, *, by) -> OutreachMessage:
    """The worker sent (or posted) an outbox message by hand: record it as sent and as a
    contact attempt. A message already sent is refused with ``CannotSend``."""
    message = OutreachMessage.objects.select_for_update().get(pk=message.pk)
    if message.status == MessageStatus.SENT:
        raise CannotSend("This message has already been marked as sent.")
    _record_as_sent(message, by=by)
    return message


def _conversation_for(episode: Episode) -> int | None:
    """The 3 Conversations tag a message sent carries, for teams that work to the model: the
    conversation the person is in, or conversation 1 (what matters and connecting) before any."""
    if not conversations.applies(episode):
        return None
    return conversations.current(conversations.tags(episode)) or Conversation.CONNECT


def _record_as_sent(message: OutreachMessage, *, by) -> None:
    label = MessageKind(message.kind).label.lower()
    name = message.template.name if message.template else "a template"
    via = "through GOV.UK Notify" if message.notify_id else "by hand"
    attempt = engagement.log_contact_attempt(
        message.episode, by=by, channel=message.kind, outcome=SENT_OUTCOME,
        note=f"{label.capitalize()} sent {via}: {name}",
        conversation=_conversation_for(message.episode))
    message.status, message.sent_at, message.contact_attempt = (
        MessageStatus.SENT, attempt.at, attempt)
    message.save(update_fields=["status", "sent_at", "contact_attempt"])
    record(by, Action.CHANGE, message, detail=f"status=sent kind={message.kind}")


NOTIFY_KEEPS = datetime.timedelta(days=7)
"""GOV.UK Notify keeps a notification's status for 7 days; older ones are not asked about."""


@dataclass(frozen=True)
class DeliveryCheck:
    """What one round of ``check_deliveries`` found."""

    asked: int
    changed: int
    failed: int
    unanswered: int


def check_deliveries(*, now: datetime.datetime | None = None) -> DeliveryCheck:
    """Ask GOV.UK Notify for the delivery status of every message sent through it in the last
    7 days whose status may still change; store each answer (audited) and tell the sender of
    each failure with a notification. A message Notify does not answer about is asked again
    next time. Run it every few minutes (``upstream outreach check-deliveries``)."""
    from upstream.service.notifications import services as notifications

    now = now or timezone.now()
    waiting = (OutreachMessage.objects.exclude(notify_id="")
               .exclude(delivery_status__in=DELIVERY_FINAL)
               .filter(sent_at__gte=now - NOTIFY_KEEPS)
               .select_related("episode__worker", "created_by").order_by("pk"))
    asked = changed = failed = unanswered = 0
    for message in waiting:
        asked += 1
        try:
            status = notify.status_of(message.notify_id)
        except notify.NotifyRefused:
            unanswered += 1
            continue
        with transaction.atomic():
            was = message.delivery_status
            message.delivery_status, message.delivery_checked_at = status, now
            message.save(update_fields=["delivery_status", "delivery_checked_at"])
            if status != was:
                changed += 1
                record(None, Action.CHANGE, message, detail=f"delivery={status}",
                       actor_label="GOV.UK Notify delivery check")
                if message.delivery_failed:
                    failed += 1
                    notifications.message_not_delivered(message)
    return DeliveryCheck(asked=asked, changed=changed, failed=failed, unanswered=unanswered)
