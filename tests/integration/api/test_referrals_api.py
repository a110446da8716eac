"""The referral intake API as a referring system meets it: post, read back, list, and refusals."""

import pytest

from upstream.service.api.tokens import revoke
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.services import triage

from .conftest import api_client, submission

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"


def post(client, epr, body):
    return client.post(URL, body, content_type="application/json", headers=epr.headers)


def test_posting_a_referral_creates_person_referral_and_episode(client, epr, teams, nhs_number):
    response = post(client, epr, submission(teams.heart.name, nhs_number=nhs_number))

    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(pk=body["referral_id"])
    assert body == {
        "referral_id": referral.pk,
        "status": "referred",
        "status_label": "Referred, awaiting triage",
    }
    assert referral.team == teams.heart
    assert referral.needs == ["money_debt", "loneliness"]
    assert referral.urgency == "urgent"
    assert referral.external_system == "Barts EPR"
    assert referral.external_id == "EPR-REF-000123"
    person = referral.person
    assert person.nhs_number == nhs_number
    assert person.postcode == "E1 1BB"
    assert person.preferred_channel == "sms"
    assert person.interpreter_needed is True


def test_team_can_be_given_by_id(client, epr, teams):
    response = post(client, epr, submission(teams.heart.pk))

    assert response.status_code == 201, response.content
    assert Referral.objects.get().team == teams.heart


def test_second_referral_for_an_open_episode_is_linked_not_duplicated(
    client, epr, teams, nhs_number
):
    first = post(client, epr, submission(teams.heart.name, nhs_number=nhs_number)).json()
    second = post(
        client, epr, submission(teams.heart.name, nhs_number=nhs_number, external_id="EPR-2")
    )

    assert second.status_code == 201
    # The answer is the same as for a new episode: a client is not told about support already
    # under way (issue 8, finding 1).
    assert second.json() == {**first, "referral_id": second.json()["referral_id"]}
    assert Referral.objects.get(pk=second.json()["referral_id"]).is_duplicate
    assert Person.objects.count() == 1
    assert Episode.objects.count() == 1
    assert Referral.objects.count() == 2


def test_people_without_nhs_number_can_be_referred(client, epr, teams):
    body = submission(teams.heart.name)
    del body["person"]["nhs_number"]

    assert post(client, epr, body).status_code == 201
    assert Person.objects.get().nhs_number is None


def test_invalid_nhs_number_is_422_naming_the_field(client, epr, teams):
    response = post(client, epr, submission(teams.heart.name, nhs_number="9990000019"))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "person.nhs_number"
    assert error["msg"] == (
        "person.nhs_number: NHS number is not valid: the check digit does not match"
    )
    assert Person.objects.count() == 0


def test_several_invalid_fields_are_each_named(client, epr, teams):
    body = submission(teams.heart.name, needs=["money_debt", "astrology"], consent_given=False)
    body["person"]["postcode"] = "XX1 ZZZ"
    del body["person"]["family_name"]

    response = post(client, epr, body)

    assert response.status_code == 422
    fields = {e["field"]: e["msg"] for e in response.json()["detail"]}
    assert set(fields) == {
        "person.family_name", "person.postcode", "referral.needs.1", "referral.consent_given",
    }
    assert fields["person.family_name"] == "person.family_name: this field is required"
    assert "consent" in fields["referral.consent_given"]


def test_control_characters_are_refused_not_stored(client, epr, teams):
    body = submission(teams.heart.name)
    body["person"]["given_name"] = "Al\x00ex"

    response = post(client, epr, body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "person.given_name: must not contain control characters"
    )


def test_future_date_of_birth_is_refused(client, epr, teams):
    body = submission(teams.heart.name)
    body["person"]["date_of_birth"] = "2999-01-01"

    response = post(client, epr, body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "person.date_of_birth"


def test_malformed_json_is_400(client, epr):
    response = client.post(URL, "{not json", content_type="application/json", headers=epr.headers)

    assert response.status_code == 400


def test_team_the_client_may_not_use_is_403(client, epr, teams):
    response = post(client, epr, submission(teams.diabetes.name))

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "This client may not send referrals to Young adult diabetes. "
        "It may refer to: Heart Centre social prescribing."
    )
    assert Referral.objects.count() == 0


def test_unknown_team_is_422_naming_the_field(client, epr, teams):
    response = post(client, epr, submission("No such team"))

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "referral.team"
    assert "There is no team 'No such team'" in error["msg"]


@pytest.mark.parametrize("authorization", [None, "Bearer ups_not-a-real-token", "Basic abc"])
def test_missing_or_wrong_token_is_401(client, teams, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    for response in (
        client.post(URL, submission(teams.heart.name), content_type="application/json",
                    headers=headers),
        client.get(URL, headers=headers),
        client.get(f"{URL}/1", headers=headers),
        client.get("/api/v1/teams", headers=headers),
    ):
        assert response.status_code == 401
    assert Referral.objects.count() == 0


def test_revoked_token_is_401(client, epr, teams):
    revoke(epr.client)

    response = post(client, epr, submission(teams.heart.name))

    assert response.status_code == 401
    assert client.get(URL, headers=epr.headers).status_code == 401


def test_token_use_is_stamped(client, epr):
    assert epr.client.last_used_at is None

    client.get(URL, headers=epr.headers)

    epr.client.refresh_from_db()
    assert epr.client.last_used_at is not None


def test_token_is_stored_only_as_a_hash(epr):
    assert epr.token not in (epr.client.token_hash, epr.client.token_prefix)
    assert epr.token.startswith(epr.client.token_prefix)
    assert len(epr.client.token_hash) == 64


def test_no_csrf_cookie_is_needed(epr, teams):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    assert post(strict, epr, submission(teams.heart.name)).status_code == 201


def test_reading_a_referral_reports_its_status_after_triage(
    client, epr, teams, admin_user, nhs_number
):
    created = post(client, epr, submission(teams.heart.name, nhs_number=nhs_number)).json()
    triage(Referral.objects.get(pk=created["referral_id"]), "reject",
           reject_reason="out_of_area", by=admin_user)

    response = client.get(f"{URL}/{created['referral_id']}", headers=epr.headers)

    assert response.status_code == 200
    status = response.json()
    assert status["referral_id"] == created["referral_id"]
    assert status["external_id"] == "EPR-REF-000123"
    assert status["team"]["name"] == "Heart Centre social prescribing"
    assert status["status"] == "closed"
    assert status["status_label"] == "Closed"
    assert status["status_reason"] == "not accepted: out of area"
    assert status["triage_outcome"] == "reject"
    assert status["reject_reason"] == "out_of_area"
    assert status["reject_reason_label"] == "Out of area"
    assert status["triaged_at"] is not None
    assert status["episode_closed_at"] is not None
    assert nhs_number not in response.content.decode()


def test_another_clients_referral_is_404(client, epr, teams):
    other = api_client("Homerton EPR", [teams.heart])
    created = post(client, other, submission(teams.heart.name)).json()

    response = client.get(f"{URL}/{created['referral_id']}", headers=epr.headers)

    assert response.status_code == 404
    assert client.get(URL, headers=epr.headers).json() == {"count": 0, "items": []}


def test_listing_by_external_id_returns_this_clients_referrals(client, epr, teams):
    other = api_client("Homerton EPR", [teams.heart])
    post(client, epr, submission(teams.heart.name, external_id="A-1"))
    post(client, epr, submission(teams.heart.name, external_id="A-2"))
    post(client, other, submission(teams.heart.name, external_id="A-1"))

    everything = client.get(URL, headers=epr.headers).json()
    only_a1 = client.get(URL, {"external_id": "A-1"}, headers=epr.headers).json()

    assert everything["count"] == 2
    assert [r["external_id"] for r in everything["items"]] == ["A-2", "A-1"]
    assert only_a1["count"] == 1
    assert only_a1["items"][0]["external_id"] == "A-1"


def test_teams_lists_only_permitted_teams(client, epr):
    response = client.get("/api/v1/teams", headers=epr.headers)

    assert [t["name"] for t in response.json()] == ["Heart Centre social prescribing"]


def test_audit_log_has_a_row_for_each_create_and_each_read(client, epr, teams, nhs_number):
    created = post(client, epr, submission(teams.heart.name, nhs_number=nhs_number)).json()
    client.get(f"{URL}/{created['referral_id']}", headers=epr.headers)
    client.get(URL, headers=epr.headers)

    rows = AuditEvent.objects.filter(actor_label="Barts EPR")
    assert all(row.user is None for row in rows)
    referral_rows = rows.filter(record_type="referrals.referral", record_id=created["referral_id"])
    assert sorted(referral_rows.values_list("action", flat=True)) == [
        Action.CREATE, Action.VIEW, Action.VIEW,
    ]
    assert rows.filter(record_type="people.person", action=Action.CREATE).count() == 1


@pytest.mark.parametrize("name", ["\ud800", "x" * 101])
def test_text_the_database_cannot_hold_is_422(client, epr, teams, name):
    body = submission(teams.heart.name)
    body["person"]["given_name"] = name

    response = post(client, epr, body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "person.given_name"


def test_out_of_range_or_nul_query_values_are_422(client, epr):
    too_big = client.get(f"{URL}/{2**63}", headers=epr.headers)
    nul = client.get(URL, {"external_id": "A\x00"}, headers=epr.headers)

    assert too_big.status_code == 422
    assert too_big.json()["detail"][0]["field"] == "referral_id"
    assert nul.status_code == 422
    assert nul.json()["detail"][0]["field"] == "external_id"
