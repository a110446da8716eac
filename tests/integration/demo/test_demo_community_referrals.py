"""The demo's community referrals: a VCSE partner for one demo organisation, signed in like
every demo user, with referrals in several states, one flagged for no response."""

import pytest
from django.db import transaction
from django.utils import timezone

from upstream.service.accounts.models import Role, User
from upstream.service.connect import services
from upstream.service.connect.models import CommunityReferral
from upstream.service.demo.connect import PARTNER_USERNAME
from upstream.service.demo.world import DEMO_PASSWORD, build_demo_world


@pytest.fixture(scope="module")
def logins(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_world(seed=3)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_partner_signs_in_and_sees_referrals_in_several_states(logins):
    partner = User.objects.get(username=PARTNER_USERNAME)
    assert partner.role == Role.VCSE_PARTNER and partner.check_password(DEMO_PASSWORD)
    assert PARTNER_USERNAME in [login.username for login in logins]
    theirs = CommunityReferral.objects.for_partner(partner)
    assert theirs.count() == CommunityReferral.objects.count() >= 5
    assert {"requested", "accepted", "in-progress", "completed", "rejected"} <= set(
        theirs.values_list("status", flat=True))
    assert services.awaiting_response(theirs, timezone.localdate()).count() == 1
    for referral in theirs:
        assert referral.events.first().to_status == "requested"
        assert set(referral.shared) == {"name", "phone", "reason"}
