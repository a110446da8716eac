"""Fixtures for the outreach tests: a team with outreach settings, its lead and a link worker,
an episode on the worker's caseload for a synthetic person who can receive every kind of
message, and (``notify``) the local GOV.UK Notify the service is pointed at."""

import pytest

from tests.factories.outreach import MessageTemplateFactory, OutreachSettingsFactory
from tests.fakes.notify_server import FakeNotify
from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.outreach.models import MessageKind
from upstream.service.referrals.states import Status


@pytest.fixture
def team(db):
    team = make.team("Leicester social prescribing")
    OutreachSettingsFactory(team=team, reading_age_target=7, phone="0116 496 0123",
                            email="team@example.nhs.uk",
                            address="Upstream team\n1 Example Street\nLeicester\nLE1 1AA")
    return team


@pytest.fixture
def lead(team):
    return make.user(Role.TEAM_LEAD, team)


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)


@pytest.fixture
def episode(team, worker):
    found = make.episode(team, worker=worker, status=Status.ALLOCATED)
    person = found.person
    person.given_name, person.phone, person.email = "Priya", "07700 900123", "priya@example.org"
    person.address, person.postcode = "12 Example Road, Leicester", "LE2 1AB"
    person.save()
    return found


def template(team, kind: str, body: str, *, name: str | None = None, subject: str = ""):
    return MessageTemplateFactory(team=team, kind=kind, name=name or f"{kind} template",
                                  subject=subject, body=body)


@pytest.fixture
def text_template(team):
    return template(team, MessageKind.SMS,
                    "Hello ((given_name)), this is ((worker_name)) from ((team_name)). "
                    "Please call us on ((team_phone)).", name="First contact text")


@pytest.fixture
def letter_template(team):
    return template(team, MessageKind.LETTER,
                    "Dear ((given_name)),\nWe tried to call you. Please ring ((team_phone)).",
                    name="We tried to reach you", subject="We tried to reach you")


@pytest.fixture
def email_template(team):
    return template(team, MessageKind.EMAIL, "Hello ((given_name)),\nPlease call us.",
                    name="First email", subject="A message from ((team_name))")


@pytest.fixture
def notify(settings):
    """The local Notify, running, with one generic ``((body))`` template per kind; the
    service's settings point at it."""
    fake = FakeNotify()
    running = fake.serve()
    settings.UPSTREAM_NOTIFY_API_KEY = fake.api_key
    settings.UPSTREAM_NOTIFY_BASE_URL = fake.base_url
    settings.UPSTREAM_NOTIFY_SMS_TEMPLATE_ID = fake.add_template("sms")
    settings.UPSTREAM_NOTIFY_EMAIL_TEMPLATE_ID = fake.add_template("email",
                                                                   subject="((subject))")
    settings.UPSTREAM_NOTIFY_LETTER_TEMPLATE_ID = fake.add_template("letter",
                                                                    subject="((subject))")
    yield fake
    running.stop()


@pytest.fixture
def no_notify(settings):
    settings.UPSTREAM_NOTIFY_API_KEY = ""
