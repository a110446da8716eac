"""The GOV.UK Notify contract: with a key configured, sending goes through the official client
over HTTP to a local server implementing Notify's endpoints (``tests/fakes/notify_server.py``),
which checks the JWT and the JSON body as Notify does. A sent message is a contact attempt with
Notify's id; a Notify error is explained to the worker and records nothing."""

import html
import time

import jwt
import pytest
import requests
from django.urls import reverse

from upstream.service.engagement.models import ContactAttempt, ContactOutcome
from upstream.service.outreach import notify as gateway
from upstream.service.outreach.models import MessageStatus, OutreachMessage


def page(response) -> str:
    return html.unescape(response.content.decode())


def send(client, episode, template):
    return client.post(reverse("outreach:send", kwargs={"episode_id": episode.pk}),
                       {"template": template.pk})


def test_a_text_goes_through_notify_and_is_a_contact_attempt(client, worker, episode,
                                                             text_template, notify):
    client.force_login(worker)
    response = send(client, episode, text_template)
    assert response.status_code == 302

    [call] = notify.received
    assert (call.method, call.path) == ("POST", "/v2/notifications/sms")
    assert call.claims["iss"] == notify.service_id
    assert abs(time.time() - call.claims["iat"]) < 30
    assert call.body["phone_number"] == "07700 900123"
    assert call.body["template_id"] == str(gateway.settings.UPSTREAM_NOTIFY_SMS_TEMPLATE_ID)
    assert call.body["personalisation"]["body"].startswith("Hello Priya, this is Test User")
    assert call.body["reference"].startswith("upstream-")
    assert "Priya" not in call.body["reference"]

    message = OutreachMessage.objects.get()
    assert message.notify_id in notify.notifications
    assert message.status == MessageStatus.SENT
    attempt = ContactAttempt.objects.get()
    assert (attempt.channel, attempt.outcome) == ("sms", ContactOutcome.LETTER_SENT)
    assert message.contact_attempt == attempt
    assert "through GOV.UK Notify" in attempt.note
    assert gateway.status_of(message.notify_id) == "delivered"


def test_an_email_goes_through_notify_with_its_subject(client, worker, episode, email_template,
                                                       notify):
    client.force_login(worker)
    send(client, episode, email_template)
    [call] = notify.received
    assert call.path == "/v2/notifications/email"
    assert call.body["email_address"] == "priya@example.org"
    assert call.body["personalisation"]["subject"] == "A message from Leicester social prescribing"
    assert ContactAttempt.objects.get().channel == "email"


def test_a_letter_goes_through_notify_with_the_address_lines(client, worker, episode,
                                                             letter_template, notify):
    client.force_login(worker)
    send(client, episode, letter_template)
    [call] = notify.received
    assert call.path == "/v2/notifications/letter"
    personalisation = call.body["personalisation"]
    assert [personalisation[f"address_line_{n}"] for n in range(1, 5)] == [
        str(episode.person), "12 Example Road", "Leicester", "LE2 1AB"]
    assert personalisation["subject"] == "We tried to reach you"
    assert OutreachMessage.objects.get().status == MessageStatus.SENT
    assert ContactAttempt.objects.get().channel == "letter"


@pytest.mark.parametrize(("status", "explained"), [
    (400, "GOV.UK Notify refused the message: Can't send to this recipient using a team-only "
          "API key"),
    (403, "GOV.UK Notify did not accept Upstream's API key"),
    (429, "GOV.UK Notify is limiting how many messages can be sent just now"),
    (500, "GOV.UK Notify is not working just now"),
])
def test_a_notify_error_is_explained_and_records_nothing(client, worker, episode,
                                                         text_template, notify, status,
                                                         explained):
    notify.fail_next(status)
    client.force_login(worker)
    response = send(client, episode, text_template)
    assert response.status_code == 502
    shown = page(response)
    assert "There is a problem" in shown and explained in shown
    assert not OutreachMessage.objects.exists()
    assert not ContactAttempt.objects.exists()


def test_a_wrong_key_is_refused_by_the_server(client, worker, episode, text_template, notify,
                                              settings):
    settings.UPSTREAM_NOTIFY_API_KEY = notify.api_key[:-36] + "0" * 36  # wrong secret
    client.force_login(worker)
    response = send(client, episode, text_template)
    assert "did not accept Upstream's API key" in page(response)
    assert not notify.received and not ContactAttempt.objects.exists()


def test_the_fake_checks_tokens_as_notify_does(notify):
    url = f"{notify.base_url}/v2/notifications/sms"
    body = {"phone_number": "07700900123",
            "template_id": gateway.settings.UPSTREAM_NOTIFY_SMS_TEMPLATE_ID,
            "personalisation": {"body": "Hi"}}

    def token(secret, iss, iat):
        return jwt.encode({"iss": iss, "iat": iat}, secret, algorithm="HS256")

    now = int(time.time())
    for bad in (token("a-different-secret-of-36-characters!", notify.service_id, now),
                token(notify.secret, "another-service", now),
                token(notify.secret, notify.service_id, now - 120)):
        refused = requests.post(url, json=body, headers={"Authorization": f"Bearer {bad}"},
                                timeout=5)
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["error"] == "AuthError"
    good = token(notify.secret, notify.service_id, now)
    assert requests.post(url, json=body, headers={"Authorization": f"Bearer {good}"},
                         timeout=5).status_code == 201
    missing = requests.post(url, json={**body, "personalisation": {}},
                            headers={"Authorization": f"Bearer {good}"}, timeout=5)
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["message"] == "Missing personalisation: body"
    landline = requests.post(url, json={**body, "phone_number": "01164960000"},
                             headers={"Authorization": f"Bearer {good}"}, timeout=5)
    assert landline.json()["errors"][0]["message"] == "phone_number Not a UK mobile number"


def test_notify_out_of_reach_is_explained_and_records_nothing(client, worker, episode,
                                                              text_template, notify, settings):
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        settings.UPSTREAM_NOTIFY_BASE_URL = f"http://127.0.0.1:{closed.getsockname()[1]}"
    client.force_login(worker)
    response = send(client, episode, text_template)
    assert "GOV.UK Notify is not working just now" in page(response)
    assert not OutreachMessage.objects.exists() and not ContactAttempt.objects.exists()


def test_a_kind_without_its_notify_template_id_says_which_setting(client, worker, episode,
                                                                  email_template, notify,
                                                                  settings):
    settings.UPSTREAM_NOTIFY_EMAIL_TEMPLATE_ID = ""
    client.force_login(worker)
    response = send(client, episode, email_template)
    assert "UPSTREAM_NOTIFY_EMAIL_TEMPLATE_ID is not set" in page(response)
    assert not notify.received and not ContactAttempt.objects.exists()
