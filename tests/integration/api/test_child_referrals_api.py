"""A child's referral through the API: parent or carer, the safeguarding question and consent
are required under 18 (422 naming each missing field, nothing saved); the reason for referral
is required for everyone."""

from datetime import date

import pytest
from django.utils import timezone

from upstream.service.people.models import Person
from upstream.service.referrals.models import Referral

from .conftest import submission

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"


def post(client, epr, body):
    return client.post(URL, body, content_type="application/json", headers=epr.headers)


def child_body(team, **referral):
    body = submission(team, **referral)
    today = timezone.localdate()
    body["person"]["date_of_birth"] = date(today.year - 12, 1, 15).isoformat()
    return body


CARER = {"name": "Jo Example", "relationship": "Mother", "phone": "07700 900456",
         "parental_responsibility": True}


def test_a_child_without_parent_safeguarding_or_consent_is_422_naming_each(
        client, epr, teams):
    response = post(client, epr, child_body(teams.heart.name))

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["detail"]}
    assert fields == {"referral.parent_carer", "referral.safeguarding_concerns",
                      "referral.consent_by"}
    assert Referral.objects.count() == 0 and Person.objects.count() == 0


def test_safeguarding_concerns_need_details(client, epr, teams):
    response = post(client, epr, child_body(
        teams.heart.name, parent_carer=CARER, safeguarding_concerns=True,
        consent_by="both"))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "referral.safeguarding_details"
    assert error["msg"] == "referral.safeguarding_details: Enter the safeguarding concerns"


def test_a_complete_child_referral_is_stored(client, epr, teams):
    response = post(client, epr, child_body(
        teams.heart.name, parent_carer=CARER, safeguarding_concerns=True,
        safeguarding_details="Known to children's social care", consent_by="parent_carer"))

    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert referral.parent_carer_name == "Jo Example"
    assert referral.parent_carer_relationship == "Mother"
    assert referral.parent_carer_phone == "07700 900456"
    assert referral.parental_responsibility is True
    assert referral.safeguarding_concerns is True
    assert referral.safeguarding_details == "Known to children's social care"
    assert referral.consent_by == "parent_carer"


def test_an_adult_needs_no_parent_details(client, epr, teams):
    assert post(client, epr, submission(teams.heart.name)).status_code == 201
    assert Referral.objects.get().parent_carer_name == ""


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_the_reason_for_referral_is_required(client, epr, teams, reason):
    body = submission(teams.heart.name)
    if reason is None:
        del body["referral"]["reason"]
    else:
        body["referral"]["reason"] = reason

    response = post(client, epr, body)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["referral.reason"]
    assert Referral.objects.count() == 0


def test_a_rejection_as_other_reports_the_reason_in_words(client, epr, teams, admin_user):
    from upstream.service.referrals.services import triage

    created = post(client, epr, submission(teams.heart.name)).json()
    triage(Referral.objects.get(pk=created["referral_id"]), "reject", by=admin_user,
           reject_reason="other", reject_detail="Already supported by the cardiac rehab team")
    status = client.get(f"{URL}/{created['referral_id']}", headers=epr.headers).json()
    assert status["reject_reason"] == "other"
    assert status["reject_detail"] == "Already supported by the cardiac rehab team"


def test_the_gp_practice_can_be_sent_and_its_ods_code_is_checked(client, epr, teams):
    body = submission(teams.heart.name)
    body["person"].update(gp_practice_name="Riverside Surgery", gp_practice_ods="a81 00")
    response = post(client, epr, body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "person.gp_practice_ods"
    assert Person.objects.count() == 0

    body["person"]["gp_practice_ods"] = "a81 001"
    assert post(client, epr, body).status_code == 201
    person = Person.objects.get()
    assert (person.gp_practice_name, person.gp_practice_ods) == ("Riverside Surgery", "A81001")
