"""Teams, API clients and referral payloads for the API tests (synthetic people only)."""

import random
from types import SimpleNamespace

import pytest

from tests.factories.accounts import PathwayFactory, TeamFactory
from upstream.service.api.tokens import create_client
from upstream.standards.nhs_number import synthetic


@pytest.fixture
def teams(db):
    heart = TeamFactory(name="Heart Centre social prescribing",
                        pathway=PathwayFactory(name="Heart Centre cardiology"))
    diabetes = TeamFactory(name="Young adult diabetes", pathway=PathwayFactory(name="Diabetes"))
    return SimpleNamespace(heart=heart, diabetes=diabetes)


def api_client(name: str, teams) -> SimpleNamespace:
    client, token = create_client(name, teams)
    return SimpleNamespace(
        client=client, token=token, headers={"Authorization": f"Bearer {token}"}
    )


@pytest.fixture
def epr(teams):
    """A system that may refer to the Heart Centre team only."""
    return api_client("Barts EPR", [teams.heart])


@pytest.fixture
def rng():
    return random.Random(20240611)


def submission(team, *, nhs_number: str | None = None, **referral) -> dict:
    """A valid referral body for ``team`` (an id or a name)."""
    return {
        "person": {
            "nhs_number": nhs_number,
            "given_name": "Alex",
            "family_name": "Taylor",
            "date_of_birth": "1961-04-23",
            "sex": "F",
            "postcode": "e1 1bb",
            "phone": "07700 900123",
            "email": "alex.taylor@example.org",
            "preferred_channel": "sms",
            "preferred_language": "Bengali",
            "interpreter_needed": True,
            "accessible_information_needs": "Large print",
            "consent_to_share": True,
        },
        "referral": {
            "team": team,
            "source": "pathway_clinician",
            "needs": ["money_debt", "loneliness"],
            "reason": "Three ED attendances this year; lives alone.",
            "urgency": "urgent",
            "consent_given": True,
            "referrer_name": "Dr Sam Okafor",
            "referrer_contact": "bleep 4411",
            "external_id": "EPR-REF-000123",
            **referral,
        },
    }


@pytest.fixture
def nhs_number(rng):
    return synthetic(rng)
