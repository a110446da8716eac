"""Suite-wide test rules.

In CI (``CI=true``) nothing skips silently: a skipped test is reported as a failure, so a
missing PostgreSQL server or browser fails the run instead of hiding tests.
"""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get("UPSTREAM_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def two_factor_verified_force_login(request, monkeypatch):
    """``Client.force_login`` signs in as a user who set up two-factor sign-in and entered
    the code: it gives the user a confirmed TOTP device (if they have none) and marks the
    session verified, as the code step does. The service requires this of every user
    (``accounts.middleware.two_factor_required``); tests of that rule itself ask for the
    ``plain_force_login`` fixture to get Django's own ``force_login``.
    """
    if "plain_force_login" in request.fixturenames:
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        original(self, user, backend)
        device = (TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
                  or TOTPDevice.objects.create(user=user, name="Test authenticator",
                                               confirmed=True))
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def plain_force_login():
    """Ask for this to keep Django's own ``Client.force_login``: a signed-in session with no
    two-factor code (see ``two_factor_verified_force_login``)."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped in CI, which counts as a failure: {reason}"


@pytest.fixture(autouse=True, scope="session")
def audit_triggers_lifted_for_flush():
    """Transactional tests end with a flush that empties every table; the audit table's
    append-only triggers (audit/guard.py) would refuse it, so the flush alone lifts them."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from upstream.service.audit.guard import suspended

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with suspended(self.connection):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original
