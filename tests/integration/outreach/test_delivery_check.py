"""Delivery receipts: ``check_deliveries`` asks the local Notify (``tests/fakes``) about each
message sent through it in the last 7 days whose status may still change, stores the answer,
shows it on the contact attempts page and tells the sender when a message was not delivered."""

import datetime
import html

from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from upstream.cli import app
from upstream.service.audit.models import AuditEvent
from upstream.service.notifications.models import Kind, Notification
from upstream.service.outreach import services
from upstream.service.outreach.models import OutreachMessage


def sent(template, episode, worker) -> OutreachMessage:
    return services.send(services.draft(template, episode, worker), by=worker)


def test_statuses_are_stored_shown_and_a_failure_is_told_to_the_sender(
        client, worker, episode, text_template, email_template, letter_template, notify):
    text, email, letter = (sent(t, episode, worker)
                           for t in (text_template, email_template, letter_template))
    notify.set_status(text.notify_id, "permanent-failure")
    notify.set_status(email.notify_id, "sending")

    found = services.check_deliveries()
    assert (found.asked, found.changed, found.failed, found.unanswered) == (3, 3, 1, 0)
    for message, status in ((text, "permanent-failure"), (email, "sending"),
                            (letter, "accepted")):
        message.refresh_from_db()
        assert message.delivery_status == status
    [told] = Notification.objects.filter(kind=Kind.NOT_DELIVERED)
    assert told.recipient == worker and f"episode {episode.pk}" in told.text
    assert "not in use" in told.text and "Priya" not in told.text
    assert AuditEvent.objects.filter(record_type="outreach.outreachmessage",
                                     detail="delivery=permanent-failure").count() == 1

    client.force_login(worker)
    shown = html.unescape(client.get(reverse("engagement:contacts", args=[episode.pk]))
                          .content.decode())
    assert "GOV.UK Notify: Not delivered: the number or address is not in use" in shown
    assert "GOV.UK Notify: Accepted for printing" in shown

    notify.set_status(email.notify_id, "delivered")
    again = services.check_deliveries()
    assert (again.asked, again.changed, again.failed) == (2, 1, 0), \
        "a final status (the failed text) is not asked about again"
    assert Notification.objects.filter(kind=Kind.NOT_DELIVERED).count() == 1


def test_messages_older_than_notify_keeps_are_not_asked_about(worker, episode, text_template,
                                                              notify):
    message = sent(text_template, episode, worker)
    later = timezone.now() + datetime.timedelta(days=8)
    assert services.check_deliveries(now=later).asked == 0
    message.refresh_from_db()
    assert message.delivery_status == ""


def test_a_notify_error_leaves_the_message_to_be_asked_again(worker, episode, text_template,
                                                             notify):
    message = sent(text_template, episode, worker)
    notify.fail_next(500)
    assert services.check_deliveries().unanswered == 1
    message.refresh_from_db()
    assert message.delivery_status == ""
    assert services.check_deliveries().changed == 1


def test_the_command_says_when_notify_is_not_configured(no_notify):
    result = CliRunner().invoke(app, ["outreach", "check-deliveries"])
    assert result.exit_code == 1
    assert "not configured" in result.output
