"""Sending from an episode without a Notify key: texts and emails wait in the outbox and
letters print as PDF until the worker marks them sent, which records the contact attempt.
The person's record decides what may be sent, and a refusal says why."""

import datetime
import html

import pytest
from django.urls import reverse

from tests.integration.engagement import factories as make
from tests.pdf import read_pdf
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.engagement.models import ContactAttempt, ContactOutcome
from upstream.service.outreach import services
from upstream.service.outreach.models import MessageKind, MessageStatus, OutreachMessage
from upstream.service.referrals.states import Status

from .conftest import template


def page(response) -> str:
    return html.unescape(response.content.decode())


def send_url(episode) -> str:
    return reverse("outreach:send", kwargs={"episode_id": episode.pk})


@pytest.fixture(autouse=True)
def _no_key(no_notify):
    """Every test here runs without a Notify key."""


def test_worker_sees_the_merged_message_before_sending(client, worker, episode, text_template):
    client.force_login(worker)
    shown = page(client.get(send_url(episode), {"template": text_template.pk}))
    assert "Hello Priya, this is Test User" in shown
    assert "Please call us on 0116 496 0123." in shown
    assert "Send text message" in shown
    assert not OutreachMessage.objects.exists()
    assert AuditEvent.objects.filter(action=Action.VIEW, record_type="referrals.episode",
                                     record_id=str(episode.pk)).exists()


def test_a_text_goes_to_the_outbox_and_marking_it_sent_logs_the_attempt(
        client, worker, episode, text_template):
    client.force_login(worker)
    response = client.post(send_url(episode), {"template": text_template.pk})
    assert response.status_code == 302
    message = OutreachMessage.objects.get()
    assert (message.kind, message.status, message.recipient) == (
        MessageKind.SMS, MessageStatus.TO_SEND, "07700 900123")
    assert message.body.startswith("Hello Priya")
    assert not ContactAttempt.objects.exists()

    outbox = page(client.get(reverse("outreach:outbox")))
    assert "Text message to" in outbox and str(episode.person) in outbox
    mark = reverse("outreach:mark_sent", kwargs={"outreach_message_id": message.pk})
    assert client.post(mark).status_code == 302

    attempt = ContactAttempt.objects.get()
    assert (attempt.channel, attempt.outcome, attempt.by) == (
        "sms", ContactOutcome.LETTER_SENT, worker)
    assert "First contact text" in attempt.note
    message.refresh_from_db()
    assert (message.status, message.contact_attempt) == (MessageStatus.SENT, attempt)
    episode.refresh_from_db()
    assert episode.status == Status.CONTACTING
    assert str(episode.person) not in page(client.get(reverse("outreach:outbox")))
    client.post(mark)
    assert ContactAttempt.objects.count() == 1, "marking twice must not log twice"


def test_a_letter_prints_as_pdf_and_posting_it_logs_the_attempt(
        client, worker, episode, letter_template):
    client.force_login(worker)
    client.post(send_url(episode), {"template": letter_template.pk})
    letter = OutreachMessage.objects.get(kind=MessageKind.LETTER)
    assert letter.recipient.splitlines() == [str(episode.person), "12 Example Road",
                                             "Leicester", "LE2 1AB"]
    pdf = client.get(reverse("outreach:letter_pdf", kwargs={"outreach_message_id": letter.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    printed = read_pdf(pdf.content)
    assert printed.pdfua_part == "1" and printed.marked and printed.lang == "en-GB"
    assert printed.pages == 1
    # the address block, in reading order after "Private and confidential"
    paragraphs = printed.texts("P")
    at = paragraphs.index("Private and confidential")
    assert paragraphs[at + 1:at + 5] == letter.recipient.splitlines()
    assert AuditEvent.objects.filter(action=Action.EXPORT, record_id=str(letter.pk)).exists()
    client.post(reverse("outreach:mark_sent", kwargs={"outreach_message_id": letter.pk}))
    assert ContactAttempt.objects.get().channel == "letter"


def test_the_appointment_date_is_asked_for_when_the_template_uses_it(client, worker, episode,
                                                                      team):
    invite = template(team, MessageKind.SMS, "See you on ((appointment_date)).")
    client.force_login(worker)
    missing = page(client.get(send_url(episode), {"template": invite.pk}))
    assert "Enter the appointment date: this template uses it" in missing
    shown = page(client.get(send_url(episode), {
        "template": invite.pk, "appointment_date[day]": "10", "appointment_date[month]": "3",
        "appointment_date[year]": "2026"}))
    assert "See you on Tuesday 10 March 2026." in shown


@pytest.mark.parametrize(("change", "kind", "reason"), [
    ({"phone": "0116 496 0000"}, MessageKind.SMS, "is not a mobile number"),
    ({"phone": ""}, MessageKind.SMS, "there is no phone number"),
    ({"email": ""}, MessageKind.EMAIL, "there is no email address"),
    ({"address": ""}, MessageKind.LETTER, "no postal address with a postcode"),
    ({"postcode": ""}, MessageKind.LETTER, "no postal address with a postcode"),
    ({"date_of_death": datetime.date(2025, 1, 1)}, MessageKind.SMS, "has died"),
    ({"texts_allowed": "no"}, MessageKind.SMS, "asked not to be sent text messages"),
])
def test_the_record_decides_what_may_be_sent_and_a_refusal_says_why(
        client, worker, episode, team, change, kind, reason):
    person = episode.person
    for name, value in change.items():
        setattr(person, name, value)
    person.save()
    chosen = template(team, kind, "Hello ((given_name))", subject="Hello")
    client.force_login(worker)
    shown = page(client.get(send_url(episode), {"template": chosen.pk}))
    assert "This message cannot be sent" in shown and reason in shown
    refused = client.post(send_url(episode), {"template": chosen.pk})
    assert refused.status_code == 409
    assert reason in page(refused)
    assert not OutreachMessage.objects.exists()


def test_an_interpreter_need_is_a_warning_not_a_refusal(client, worker, episode,
                                                         text_template):
    person = episode.person
    person.interpreter_needed, person.preferred_language = True, "Gujarati"
    person.save()
    client.force_login(worker)
    shown = page(client.get(send_url(episode), {"template": text_template.pk}))
    assert "needs a Gujarati interpreter" in shown
    assert client.post(send_url(episode), {"template": text_template.pk}).status_code == 302


def test_no_template_chosen_is_an_error_naming_the_field(client, worker, episode):
    client.force_login(worker)
    response = client.post(send_url(episode), {})
    assert "Select a message template" in page(response)
    assert not OutreachMessage.objects.exists()


def test_another_teams_episode_template_and_messages_are_out_of_reach(client, worker, episode,
                                                                      text_template):
    other_team = make.team("Other team")
    elsewhere = make.episode(other_team)
    other_template = template(other_team, MessageKind.SMS, "Hi ((given_name))")
    elsewhere.person.phone = "07700 900999"
    elsewhere.person.save()
    client.force_login(worker)
    assert client.get(send_url(elsewhere)).status_code == 404
    assert "Select a message template from the list" in page(
        client.post(send_url(episode), {"template": other_template.pk}))
    theirs = services.send(services.draft(other_template, elsewhere, worker), by=worker)
    assert elsewhere.person.family_name not in page(client.get(reverse("outreach:outbox")))
    assert client.post(reverse("outreach:mark_sent", kwargs={
        "outreach_message_id": theirs.pk})).status_code == 404
    assert client.get(reverse("outreach:letter_pdf", kwargs={
        "outreach_message_id": theirs.pk})).status_code == 404


def test_nothing_is_sent_from_an_ended_episode(client, worker, team, text_template):
    ended = make.episode(team, worker=worker, status=Status.CONTACTING)
    from upstream.service.referrals.services import transition

    transition(ended, Status.NOT_ENGAGED, by=worker, reason="test")
    ended.person.phone = "07700 900456"
    ended.person.save()
    client.force_login(worker)
    assert "This episode has ended" in page(
        client.get(send_url(ended), {"template": text_template.pk}))


def test_the_contacts_page_shows_how_to_reach_the_person(client, worker, episode):
    person = episode.person
    person.interpreter_needed, person.preferred_language = True, "Gujarati"
    person.preferred_channel = "sms"
    person.save()
    client.force_login(worker)
    shown = page(client.get(reverse("engagement:contacts", kwargs={"episode_id": episode.pk})))
    assert "07700 900123 (mobile)" in shown
    assert "Text message (SMS)" in shown
    assert "Mobile number, not asked yet: ask before relying on texts" in shown
    assert "Needed: Gujarati" in shown
    assert "Not asked yet: ask before leaving a message" in shown
    assert send_url(episode) in shown


def test_the_contacts_page_shows_what_the_person_agreed_to(client, worker, episode):
    person = episode.person
    person.texts_allowed, person.voicemail_allowed = "yes", "no"
    person.save()
    client.force_login(worker)
    shown = page(client.get(reverse("engagement:contacts", kwargs={"episode_id": episode.pk})))
    assert "Can be sent (mobile number, agreed)" in shown
    assert "Do not leave a voicemail" in shown


def test_a_call_script_is_shown_to_read_not_sent(client, worker, episode, team):
    script = template(team, MessageKind.CALL_SCRIPT, "Hello, can I speak to ((given_name))?")
    client.force_login(worker)
    shown = page(client.get(send_url(episode), {"template": script.pk}))
    assert "Hello, can I speak to Priya?" in shown
    assert "Read this script when you call" in shown
    assert "Send text message" not in shown
    refused = client.post(send_url(episode), {"template": script.pk})
    assert refused.status_code == 409
    assert "A call script is read out on a call, not sent" in page(refused)
    assert not OutreachMessage.objects.exists()


def test_a_message_other_than_the_preferred_way_carries_a_reminder(client, worker, episode,
                                                                   text_template,
                                                                   letter_template):
    person = episode.person
    person.preferred_channel = "letter"
    person.save()
    client.force_login(worker)
    text = page(client.get(send_url(episode), {"template": text_template.pk}))
    assert "Priya prefers: letter." in text
    letter = page(client.get(send_url(episode), {"template": letter_template.pk}))
    assert "prefers:" not in letter


def test_a_message_sent_carries_the_3_conversations_tag_where_the_team_works_to_it(
        worker, episode, text_template):
    """Sent by a team that tags its work: the person's current conversation (conversation 1
    before any tag). A team that does not tag its work leaves the attempt untagged."""
    from tests.factories.practice import TeamPracticeFactory
    from upstream.service.engagement import services as engagement
    from upstream.service.practice.models import Conversation

    def send_and_mark():
        message = services.send(services.draft(text_template, episode, worker), by=worker)
        return services.mark_sent(message, by=worker).contact_attempt

    assert send_and_mark().conversation is None
    TeamPracticeFactory(team=episode.team)
    episode.team.refresh_from_db()
    assert send_and_mark().conversation == Conversation.CONNECT
    engagement.log_contact_attempt(episode, by=worker, channel="phone",
                                   outcome=ContactOutcome.NO_ANSWER,
                                   conversation=Conversation.CRISIS)
    assert send_and_mark().conversation == Conversation.CRISIS
