"""Schemathesis fuzzes every API operation, as described by the served OpenAPI document, against
the Django WSGI application with a valid token: no input may cause a server error, and every
answer must match the document (status codes and response bodies).

Runs on whichever database the suite uses (SQLite by default, PostgreSQL with DATABASE_URL), so
inputs PostgreSQL is stricter about (NUL characters, over-long text, huge ids) are covered.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from upstream.service.api.schemas import ReferralSubmission
from upstream.service.api.services import submit

from .conftest import submission

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzzing_client(epr, teams):
    """The EPR client with referral 1 already sent, so reads (whose documented example id is
    1) find something."""
    submit(epr.client, ReferralSubmission.model_validate(submission(teams.heart.pk)))
    return epr


@pytest.fixture(autouse=True)
def no_rate_limit_while_fuzzing(settings):
    """Hundreds of requests from one client: the rate limit is tested in test_auth_hardening."""
    settings.UPSTREAM_API_RATE = "100000/min"


@pytest.mark.django_db(transaction=True, reset_sequences=True)
@schema.parametrize()
@settings(
    max_examples=50, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_causes_a_server_error(case, fuzzing_client):
    case.call_and_validate(headers=fuzzing_client.headers, checks=CHECKS)
