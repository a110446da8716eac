"""Secure headers with a nonce-based Content Security Policy, CSRF on POST, session expiry and
the password rules."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upstream.service.accounts.models import Role

from .conftest import PASSWORD


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz"])
def test_responses_carry_the_secure_headers(url, db):
    response = Client().get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_csp_allows_scripts_only_by_nonce_and_no_inline_code(db):
    response = Client().get("/accounts/login/")
    csp = _directives(response["Content-Security-Policy"])
    nonces = [s for s in csp["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    html = response.content.decode()
    nonce = nonces[0][len("'nonce-"):-1]
    # Every script on the page carries this response's nonce.
    assert html.count("<script") == html.count(f'nonce="{nonce}"') >= 1


def test_each_response_gets_a_fresh_nonce(db):
    first = Client().get("/accounts/login/")["Content-Security-Policy"]
    second = Client().get("/accounts/login/")["Content-Security-Policy"]
    assert first != second


def test_csrf_is_enforced_on_post(make_user):
    user = make_user("csrf-worker")
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("accounts:login"), {"username": user.username,
                                                   "password": PASSWORD}).status_code == 403
    client.force_login(user)
    assert client.post(reverse("accounts:logout")).status_code == 403
    page = client.get(reverse("accounts:password_change"))
    token = page.context["csrf_token"] if page.context else client.cookies["csrftoken"].value
    done = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": str(token)})
    assert done.status_code == 302


def test_session_settings_expire_idle_sessions_after_30_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_an_expired_session_is_signed_out(make_user):
    client = Client()
    client.force_login(make_user("idle-worker", role=Role.REFERRER))
    url = reverse("accounts:two_factor")
    assert client.get(url).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login"))


def test_activity_keeps_the_session_alive(make_user):
    client = Client()
    client.force_login(make_user("busy-worker", role=Role.REFERRER))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1))
    client.get(reverse("accounts:two_factor"))
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + datetime.timedelta(minutes=29)


@pytest.mark.parametrize("weak", ["short1A!", "password1234", "123456789012", "leadworker2024"])
def test_password_rules_reject_weak_passwords(weak, make_user):
    user = make_user("leadworker2024x", role=Role.REFERRER)
    with pytest.raises(ValidationError):
        validate_password(weak, user)


def test_password_rules_accept_a_long_passphrase(make_user):
    validate_password("wide meadow lantern 42", make_user("meadow-worker"))
