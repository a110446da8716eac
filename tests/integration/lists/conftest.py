"""Fixtures for the list-page tests: the referral tests' teams, staff and referrer."""

from tests.integration.referrals.conftest import (  # noqa: F401  (fixtures)
    diabetes,
    heart,
    lead,
    make_person,
    refer,
    referrer,
    rng,
    worker,
)
