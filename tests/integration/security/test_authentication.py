"""Signing in: password, optional TOTP second step, lockout, sign-in audit, logout, password
change, and the two-factor set-up page."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent

from .conftest import PASSWORD

LOGIN = reverse("accounts:login")


def _code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


@pytest.fixture
def worker_with_totp(make_user):
    user = make_user("tfa-worker")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_password_only_user_is_signed_in_directly(make_user):
    make_user("plain-worker")
    client = Client()
    response = _sign_in(client, "plain-worker")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("accounts:two_factor")).status_code == 200


def test_sign_in_follows_next_only_within_the_site(make_user):
    make_user("next-worker")
    client = Client()
    assert _sign_in(client, "next-worker", next="/insights/")["Location"] == "/insights/"
    client = Client()
    evil = _sign_in(client, "next-worker", next="https://evil.example/")
    assert evil["Location"] == reverse("home")


def test_wrong_password_shows_an_error_and_keeps_the_username(make_user):
    make_user("typo-worker")
    response = _sign_in(Client(), "typo-worker", password="wrong password here")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'value="typo-worker"' in html


def test_totp_user_must_enter_a_code_after_the_password(worker_with_totp):
    user, device = worker_with_totp
    client = Client()
    response = _sign_in(client, user.username)
    assert response["Location"] == reverse("accounts:login_code")
    # Not signed in yet: protected pages still send them to sign in.
    assert client.get(reverse("accounts:two_factor")).status_code == 302
    page = client.get(reverse("accounts:login_code"))
    assert "Enter your security code" in page.content.decode()

    wrong = client.post(reverse("accounts:login_code"), {"code": "000000"
                        if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()

    device.refresh_from_db()
    device.throttling_failure_count = 0  # the device throttles after a wrong code
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(reverse("accounts:login_code"), {"code": _code(device)})
    assert right.status_code == 302 and right["Location"] == reverse("home")
    assert client.get(reverse("accounts:two_factor")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN, user=user).count() == 1
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED,
                                     detail="two-factor code").count() == 1


def test_code_step_without_a_password_first_goes_back_to_sign_in(db):
    response = Client().get(reverse("accounts:login_code"))
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_five_failures_lock_sign_in_with_a_clear_page(make_user):
    make_user("locked-worker")
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "locked-worker", password="not my password").status_code == 200
    locked = _sign_in(client, "locked-worker", password="not my password")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Sign-in is locked for now" in html and "15 minutes" in html
    # Even the right password is refused while locked.
    again = _sign_in(client, "locked-worker")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED,
                                     actor_label="locked-worker").count() >= 5


def test_sign_in_and_failures_are_audited_without_the_password(make_user):
    user = make_user("audited-worker")
    _sign_in(Client(), "audited-worker", password="a-wrong-secret-123")
    _sign_in(Client(), "audited-worker")
    events = AuditEvent.objects.all()
    assert events.filter(action=Action.LOGIN_FAILED, actor_label="audited-worker").count() == 1
    login = events.get(action=Action.LOGIN)
    assert login.user == user and login.record_id == str(user.pk)
    for event in events:
        text = " ".join([event.detail, event.path, event.actor_label, event.record_id])
        assert "a-wrong-secret-123" not in text and PASSWORD not in text


def test_sign_out_link_asks_first_and_only_a_post_signs_out(make_user):
    user = make_user("leaving-worker")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("accounts:logout"))
    assert page.status_code == 200 and "_auth_user_id" in client.session
    html = page.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert client.post(reverse("accounts:logout")).status_code == 403  # no CSRF token
    token = client.cookies["csrftoken"].value
    signed_out = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session


def test_two_factor_set_up_shows_a_qr_code_and_confirms_with_a_code(make_user,
                                                                    plain_force_login):
    user = make_user("setup-worker", role=Role.REFERRER)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor"))
    html = page.content.decode()
    assert page.status_code == 200
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg
    assert "style=" not in svg and "<script" not in svg
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code class="upstream-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]

    bad = client.post(reverse("accounts:two_factor"), {"code": "12345"})
    assert "Enter the code as 6 digits" in bad.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    good = client.post(reverse("accounts:two_factor"), {"code": _code(device)})
    assert good.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Two-factor sign-in is on" in client.get(reverse("accounts:two_factor")).content.decode()
    assert AuditEvent.objects.filter(action=Action.CHANGE, record_id=str(user.pk),
                                     detail="two-factor sign-in turned on").exists()


def test_two_factor_can_be_turned_off_with_a_code_where_not_required(worker_with_totp,
                                                                      settings):
    settings.UPSTREAM_TWO_FACTOR_FOR_STAFF = False
    user, device = worker_with_totp
    client = Client()
    client.force_login(user)
    client.post(reverse("accounts:two_factor"), {"code": _code(device)})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_password_change_applies_the_password_rules(make_user):
    user = make_user("changing-worker", first_name="Changing")
    client = Client()
    client.force_login(user)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "short1",
                             "new_password2": "short1"})
    html = weak.content.decode()
    assert weak.status_code == 200 and "at least 12 characters" in html
    assert 'href="#id_new_password2"' in html or 'href="#id_new_password1"' in html
    strong = "wide meadow lantern 42"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": strong,
                             "new_password2": strong})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)
    assert client.get(reverse("accounts:two_factor")).status_code == 200, "still signed in"
    assert AuditEvent.objects.filter(action=Action.CHANGE, detail="password changed").exists()
