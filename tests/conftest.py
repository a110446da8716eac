"""Suite-wide test rules.

In CI (``CI=true``) nothing skips silently: a skipped test is reported as a failure, so a
missing PostgreSQL server or browser fails the run instead of hiding tests.
"""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get("UPSTREAM_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped in CI, which counts as a failure: {reason}"
