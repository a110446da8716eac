"""Sending through GOV.UK Notify with its official client (``notifications_python_client``).

Configured by settings (environment variables of the same names, see ``config/settings.py``):

- ``UPSTREAM_NOTIFY_API_KEY``: the service's API key. Without it nothing goes to Notify: texts
  and emails wait in the outbox and letters print as PDF (``services``).
- ``UPSTREAM_NOTIFY_BASE_URL``: Notify's API (default the live one; tests point it at a local
  server that implements the same endpoints).
- ``UPSTREAM_NOTIFY_SMS_TEMPLATE_ID``, ``..._EMAIL_TEMPLATE_ID``, ``..._LETTER_TEMPLATE_ID``: one
  generic Notify template per kind whose content is ``((body))`` (and subject ``((subject))``
  for emails and letters). Upstream merges the message itself, so what the worker previews,
  what is measured for reading age and what is sent are the same text (ADR 0009).

Errors from Notify become ``NotifyRefused`` with a message for the worker; nothing about the
person is logged here.
"""

from django.conf import settings
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError

from upstream.service.outreach.models import MessageKind


class NotifyRefused(Exception):
    """Notify did not accept the message. ``str()`` is the explanation for the worker."""

    def __init__(self, message: str, status_code: int):
        super().__init__(message)
        self.status_code = status_code


def configured() -> bool:
    """Whether messages go through Notify (an API key is set)."""
    return bool(settings.UPSTREAM_NOTIFY_API_KEY)


def _client() -> NotificationsAPIClient:
    return NotificationsAPIClient(settings.UPSTREAM_NOTIFY_API_KEY,
                                  base_url=settings.UPSTREAM_NOTIFY_BASE_URL, timeout=15)


def _template_id(kind: str) -> str:
    setting = f"UPSTREAM_NOTIFY_{kind.upper()}_TEMPLATE_ID"
    template_id = getattr(settings, setting, "")
    if not template_id:
        raise NotifyRefused(
            f"{MessageKind(kind).label}s cannot be sent through GOV.UK Notify because "
            f"{setting} is not set. Ask your system administrator to set it.", 0)
    return template_id


def send(kind: str, *, recipient: str | list[str], subject: str, body: str,
         reference: str) -> str:
    """Send one merged message and return Notify's notification id.

    ``recipient`` is the mobile number (text), email address (email) or the address lines,
    name first and postcode last (letter). ``reference`` must not identify the person.
    Raises ``NotifyRefused`` with an explanation when Notify says no or cannot be reached.
    """
    template_id = _template_id(kind)
    client = _client()
    try:
        if kind == MessageKind.SMS:
            response = client.send_sms_notification(
                phone_number=recipient, template_id=template_id,
                personalisation={"body": body}, reference=reference)
        elif kind == MessageKind.EMAIL:
            response = client.send_email_notification(
                email_address=recipient, template_id=template_id,
                personalisation={"subject": subject, "body": body}, reference=reference)
        elif kind == MessageKind.LETTER:
            lines = {f"address_line_{n}": line for n, line in enumerate(recipient, start=1)}
            response = client.send_letter_notification(
                template_id=template_id,
                personalisation={**lines, "subject": subject, "body": body},
                reference=reference)
        else:
            raise ValueError(f"{kind} messages are not sent")
    except APIError as error:
        raise NotifyRefused(explain(error.status_code, error.message), error.status_code) \
            from None
    return str(response["id"])


def status_of(notification_id: str) -> str:
    """Notify's delivery status of a notification (for example 'delivered')."""
    try:
        return str(_client().get_notification_by_id(notification_id)["status"])
    except APIError as error:
        raise NotifyRefused(explain(error.status_code, error.message), error.status_code) \
            from None


def _reasons(message) -> str:
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item)
                         for item in message)
    return str(message)


def explain(status_code: int, message) -> str:
    """What a Notify error means for the worker, by the status codes Notify documents."""
    reasons = _reasons(message)
    if status_code == 400:
        return f"GOV.UK Notify refused the message: {reasons}. The message was not sent."
    if status_code == 403:
        return ("GOV.UK Notify did not accept Upstream's API key, so the message was not sent. "
                "Tell your system administrator.")
    if status_code == 429:
        return ("GOV.UK Notify is limiting how many messages can be sent just now, so the "
                "message was not sent. Try again in a few minutes.")
    return ("GOV.UK Notify is not working just now, so the message was not sent. Try again "
            "later, or send it another way and log the attempt.")
