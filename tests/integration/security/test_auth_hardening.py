"""Issue 8, finding 6 (authentication and secure defaults):

- two-factor sign-in is required of administrators always and of every other user unless
  ``UPSTREAM_TWO_FACTOR_FOR_STAFF`` is off, on every page and on the admin site;
- TOTP secrets are never shown after set-up (not in the admin site either);
- a sign-in lasts at most ``UPSTREAM_SESSION_MAX_AGE``, however active;
- the service refuses to start without ``UPSTREAM_SECRET_KEY`` (outside debug and tests);
- production settings pass ``manage.py check --deploy`` with no warnings, and trust the
  proxy's HTTPS header;
- every response is ``Cache-Control: no-store`` (pages, PDFs, API answers);
- the API limits each client's rate (429 with ``Retry-After``) and answers errors in JSON,
  an oversize body with 413.
"""

import os
import secrets
import subprocess
import sys
import time
from base64 import b32encode

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstream.service.accounts.models import Role
from upstream.service.api.tokens import create_client
from upstream.service.audit.models import Action, AuditEvent

from .conftest import PASSWORD
from .test_access_matrix import INTENDED_ROLES, OK, PREPARE, VIEWS, _url
from .world import OWN, build_world

REPO = settings.REPO_DIR
ALL_ROLES = list(Role.values)


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


# 1. Two-factor sign-in required ------------------------------------------------------------

@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_user_without_two_factor_is_sent_to_set_it_up_before_any_page(
        role, make_user, plain_force_login):
    user = make_user(f"no-device-{role}", role=role)
    client = Client()
    assert _sign_in(client, user.username).status_code == 302  # the password is right
    for path in ("/", "/referrals/mine/", "/insights/", "/audit/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:two_factor") + "?next="), path
    page = client.get(reverse("accounts:two_factor"))
    assert "You need to set up two-factor sign-in" in page.content.decode()


def test_setting_up_two_factor_lets_the_user_in_and_goes_on_to_the_page_they_wanted(
        make_user, plain_force_login):
    user = make_user("setting-up-worker", role=Role.LINK_WORKER)
    client = Client()
    _sign_in(client, user.username)
    target = client.get("/engagement/caseload/")["Location"]
    client.get(target)  # the set-up page makes the device
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(target, {"code": _code(device)})
    assert done.status_code == 302 and done["Location"] == "/engagement/caseload/"
    assert client.get("/engagement/caseload/").status_code == 200


def test_a_signed_in_user_whose_session_has_no_code_is_sent_to_the_code_step(
        make_user, plain_force_login):
    user = make_user("unverified-lead", role=Role.TEAM_LEAD)
    device = _enrolled(user)
    client = Client()
    client.force_login(user)  # e.g. signed in before two-factor became required
    response = client.get("/referrals/board/")
    assert response.status_code == 302
    code_step = response["Location"]
    assert code_step.startswith(reverse("accounts:login_code") + "?next=")

    wrong = client.post(code_step, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "The code is not right" in wrong.content.decode()
    assert client.get("/referrals/board/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, detail="two-factor code",
                                     actor_label=user.username).exists()

    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    right = client.post(code_step, {"code": _code(device)})
    assert right.status_code == 302 and right["Location"] == "/referrals/board/"
    assert client.get("/referrals/board/").status_code == 200


def test_a_user_with_two_factor_signs_in_with_the_code_and_reaches_pages(make_user):
    user = make_user("coded-worker", role=Role.LINK_WORKER)
    device = _enrolled(user)
    client = Client()
    assert _sign_in(client, user.username)["Location"] == reverse("accounts:login_code")
    assert client.post(reverse("accounts:login_code"), {"code": _code(device)}).status_code == 302
    assert client.get("/engagement/caseload/").status_code == 200


def test_the_setting_can_turn_the_rule_off_for_staff_but_never_for_administrators(
        make_user, settings, plain_force_login):
    settings.UPSTREAM_TWO_FACTOR_FOR_STAFF = False
    worker = make_user("optional-worker", role=Role.LINK_WORKER)
    client = Client()
    client.force_login(worker)
    assert client.get("/engagement/caseload/").status_code == 200

    administrator = make_user("always-admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(administrator)
    for path in ("/audit/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor")), path


def test_the_admin_site_itself_refuses_a_session_without_a_code(make_user, plain_force_login):
    """Defence in depth: the admin site checks verification itself, as OTPAdminSite does."""
    administrator = make_user("admin-site-admin", role=Role.ADMIN, is_staff=True,
                              is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = administrator
    administrator.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    administrator.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_two_factor_cannot_be_turned_off_where_it_is_required(make_user):
    user = make_user("keeps-device-worker", role=Role.LINK_WORKER)
    device = _enrolled(user)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "cannot be turned off" in page and "Turn off two-factor sign-in" not in page
    refused = client.post(reverse("accounts:two_factor"), {"code": _code(device)})
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# 2. TOTP secrets never shown after set-up ---------------------------------------------------

def test_the_admin_site_never_shows_or_hands_out_a_totp_secret(make_user):
    administrator = make_user("secret-admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    victim = make_user("victim-worker", role=Role.LINK_WORKER)
    device = _enrolled(victim)
    client = Client()
    client.force_login(administrator)
    base32 = b32encode(device.bin_key).decode().rstrip("=")
    pages = [
        client.get(reverse("admin:otp_totp_totpdevice_changelist")),
        client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert "victim-worker" in html
        assert device.key not in html and base32 not in html and "otpauth://" not in html
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    # Nor can an administrator set a key of their choosing on someone's device.
    changed = client.post(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
                          {"user": victim.pk, "name": "phone", "confirmed": "on",
                           "key": "00" * 20, "step": 30, "t0": 0, "digits": 6, "tolerance": 1})
    assert changed.status_code == 403
    device.refresh_from_db()
    assert device.key != "00" * 20
    with pytest.raises(NoReverseMatch):  # django-otp's QR code page for a device
        reverse("admin:otp_totp_totpdevice_config", args=[device.pk])


# 3. Absolute session lifetime ---------------------------------------------------------------

def _signed_in_at_key() -> str:
    from upstream.service.accounts.middleware import SIGNED_IN_AT  # new in this change

    return SIGNED_IN_AT


def _age_sign_in(client, seconds: float) -> None:
    session = client.session
    SIGNED_IN_AT = _signed_in_at_key()
    session[SIGNED_IN_AT] = time.time() - seconds
    session.save()


def test_a_sign_in_ends_after_the_absolute_lifetime_however_active(make_user):
    assert settings.UPSTREAM_SESSION_MAX_AGE == 10 * 60 * 60
    client = Client()
    client.force_login(make_user("long-day-worker", role=Role.LINK_WORKER))
    _age_sign_in(client, settings.UPSTREAM_SESSION_MAX_AGE - 60)
    assert client.get("/engagement/caseload/").status_code == 200  # still within the day
    _age_sign_in(client, settings.UPSTREAM_SESSION_MAX_AGE + 1)
    response = client.get("/engagement/caseload/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    # Signed out for good: the next page also needs signing in.
    assert client.get("/engagement/caseload/")["Location"].startswith(reverse("accounts:login"))


def test_a_session_with_no_sign_in_time_is_not_accepted(make_user):
    client = Client()
    client.force_login(make_user("timeless-worker", role=Role.LINK_WORKER))
    session = client.session
    del session[_signed_in_at_key()]
    session.save()
    assert client.get("/engagement/caseload/")["Location"].startswith(reverse("accounts:login"))


def test_signing_in_with_a_password_stamps_the_sign_in_time(make_user):
    user = make_user("stamped-worker", role=Role.REFERRER)
    _enrolled(user)
    client = Client()
    before = time.time()
    _sign_in(client, user.username)
    client.post(reverse("accounts:login_code"),
                {"code": _code(TOTPDevice.objects.get(user=user))})
    assert before <= client.session[_signed_in_at_key()] <= time.time()


# 4. Secret key required, 5. production settings ---------------------------------------------

def _clean_env(tmp_path, **extra) -> dict:
    """An environment as a server has it: no test runner, no debug, no key unless given."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_VERSION", "UPSTREAM_DEBUG", "UPSTREAM_SECRET_KEY",
                        "UPSTREAM_PRODUCTION", "UPSTREAM_SECURE_COOKIES", "DATABASE_URL",
                        "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(UPSTREAM_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               DJANGO_SETTINGS_MODULE="upstream.service.config.settings", **extra)
    return env


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)


SETUP = "import django; django.setup(); print('started')"


def test_the_service_refuses_to_start_without_a_secret_key(tmp_path):
    refused = _run(_clean_env(tmp_path), "-c", SETUP)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "UPSTREAM_SECRET_KEY is not set" in refused.stderr
    started = _run(_clean_env(tmp_path, UPSTREAM_SECRET_KEY=secrets.token_urlsafe(50)),
                   "-c", SETUP)
    assert started.returncode == 0 and "started" in started.stdout, started.stderr
    debug = _run(_clean_env(tmp_path, UPSTREAM_DEBUG="1"), "-c", SETUP)
    assert debug.returncode == 0, debug.stderr


def test_no_secret_key_is_written_in_the_code():
    source = (REPO / "src/upstream/service/config/settings.py").read_text()
    assert "insecure-demo-key-change-me-in-production" not in source


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    env = _clean_env(tmp_path, UPSTREAM_PRODUCTION="1",
                     UPSTREAM_SECRET_KEY=secrets.token_urlsafe(50))
    result = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    # Without the production switch the same check does warn (HTTPS, HSTS, cookies).
    plain = _run(_clean_env(tmp_path, UPSTREAM_SECRET_KEY=secrets.token_urlsafe(50)),
                 "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert plain.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in plain.stderr + plain.stdout


PROXY_PROBE = """
import django; django.setup()
from django.test import Client
plain = Client().get('/healthz')
proxied = Client().get('/healthz', headers={'X-Forwarded-Proto': 'https'})
print(plain.status_code, plain.get('Location'), proxied.status_code,
      proxied.get('Strict-Transport-Security'))
"""


def test_production_redirects_plain_http_and_trusts_the_proxy_https_header(tmp_path):
    env = _clean_env(tmp_path, UPSTREAM_PRODUCTION="1",
                     UPSTREAM_SECRET_KEY=secrets.token_urlsafe(50))
    result = _run(env, "-c", PROXY_PROBE)
    assert result.returncode == 0, result.stderr
    plain_status, location, proxied_status, *hsts = result.stdout.split()
    assert plain_status == "301" and location == "https://testserver/healthz"
    assert proxied_status == "200"
    assert " ".join(hsts) == "max-age=31536000; includeSubDomains; preload"


# 6. Cache-Control: no-store -----------------------------------------------------------------

def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def test_every_page_a_signed_in_user_sees_is_no_store(db):
    world = build_world()
    checked, missing = 0, []
    for route in VIEWS:
        roles = INTENDED_ROLES.get(route.name) or [Role.LINK_WORKER]
        role = sorted(roles)[0]
        client = Client()
        client.force_login(world.users[role])
        if route.name in PREPARE:
            PREPARE[route.name](client, world, world.users[role])
        response = client.get(_url(route, world, OWN))
        if response.status_code in OK:
            checked += 1
            if not _no_store(response):
                missing.append(f"{route.name} ({response.status_code})")
    assert checked >= 20, "too few pages answered to check"
    assert not missing, "Pages without Cache-Control: no-store: " + ", ".join(missing)


def test_the_discharge_summary_pdf_is_no_store(db):
    world = build_world()
    route = next(r for r in VIEWS if r.name == "engagement:summary_pdf")
    client = Client()
    client.force_login(world.users[Role.LINK_WORKER])
    response = client.get(_url(route, world, OWN))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _no_store(response)


# 7. API: rate limit and JSON errors ---------------------------------------------------------

@pytest.fixture
def api_clients(team):
    first = create_client("Rate-limited EPR", [team])
    second = create_client("Another EPR", [team])
    return [{"Authorization": f"Bearer {token}"} for _, token in (first, second)]


def test_api_responses_are_no_store(api_clients):
    response = Client().get("/api/v1/referrals", headers=api_clients[0])
    assert response.status_code == 200 and _no_store(response)


def test_each_api_client_is_rate_limited_with_429_and_retry_after(api_clients, settings):
    settings.UPSTREAM_API_RATE = "3/min"
    first, second = api_clients
    client = Client()
    for _ in range(3):
        assert client.get("/api/v1/referrals", headers=first).status_code == 200
    limited = client.get("/api/v1/referrals", headers=first)
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith("application/json")
    assert limited.json() == {"detail": "Too many requests."}
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Counted per client: another system is not held up by the first.
    assert client.get("/api/v1/referrals", headers=second).status_code == 200


def test_the_api_rate_limit_lives_in_a_cache_shared_by_all_workers():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend not in ("django.core.cache.backends.locmem.LocMemCache",
                           "django.core.cache.backends.dummy.DummyCache")


def test_an_oversize_api_body_gets_413_in_json(api_clients):
    body = b'{"person": {"given_name": "' + b"x" * (3 * 1024 * 1024) + b'"}}'
    response = Client().post("/api/v1/referrals", data=body, content_type="application/json",
                             headers=api_clients[0])
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]


def test_other_api_errors_are_json_not_html(api_clients, db):
    missing = Client().get("/api/v1/no-such-thing", headers=api_clients[0])
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json() == {"detail": "Not found."}
    outside = Client().get("/api/nowhere")
    assert outside.status_code == 404 and outside.json() == {"detail": "Not found."}
    # Pages outside the API keep their HTML error pages.
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and not page["Content-Type"].startswith("application/json")
