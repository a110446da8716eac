"""How a referral's consent reads on its page."""

import pytest

from upstream.service.referrals.models import Referral, ReferralSource
from upstream.service.referrals.presenters import ReferralPresenter


@pytest.mark.parametrize(("source", "given", "shown"), [
    (ReferralSource.PATHWAY_CLINICIAN, True, "Yes"),
    (ReferralSource.PATHWAY_CLINICIAN, False, "No"),
    (ReferralSource.CASE_FINDING, True, "Yes"),
    (ReferralSource.CASE_FINDING, False,
     "Not yet asked (found by case finding): ask at first contact"),
])
def test_consent_wording_says_when_nobody_has_asked_yet(source, given, shown):
    referral = Referral(source=source, consent_given=given)
    assert ReferralPresenter(referral).consent == shown
