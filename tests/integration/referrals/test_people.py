"""A person's record: audited view, scoped to teams working with them; edits validated and
audited by field name."""

from html import unescape

import pytest
from django.urls import reverse

from upstream.service.audit.models import AuditEvent
from upstream.service.people.models import Person

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def edit_data(person, **overrides):
    data = {
        "version": str(person.version),
        "nhs_number": person.nhs_number, "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth[day]": str(person.date_of_birth.day),
        "date_of_birth[month]": str(person.date_of_birth.month),
        "date_of_birth[year]": str(person.date_of_birth.year),
        "sex": person.sex, "gender_identity": person.gender_identity,
        "ethnic_category": person.ethnic_category, "address": "", "postcode": "",
        "gp_practice_ods": "", "phone": "", "email": "", "preferred_channel": "phone",
        "preferred_language": "English", "accessible_information_needs": "",
    }
    data.update(overrides)
    return data


def test_the_record_is_shown_with_episodes_and_audited(client, refer, worker):
    referral = refer()
    person = referral.person
    url = reverse("people:detail", args=[person.pk])
    html = signed_in(client, worker).get(url).content.decode()
    assert person.nhs_number_display in html and referral.team.name in html
    assert AuditEvent.objects.filter(action="view", record_type="people.person",
                                     record_id=str(person.pk), user=worker).count() == 1


def test_other_teams_and_referrers_cannot_open_the_record(client, refer, diabetes_worker, referrer):
    person = refer().person
    url = reverse("people:detail", args=[person.pk])
    assert signed_in(client, diabetes_worker).get(url).status_code == 404
    assert signed_in(client, referrer).get(url).status_code == 403


def test_an_edit_is_saved_and_audited_by_field_name(client, refer, worker):
    person = refer().person
    response = signed_in(client, worker).post(
        reverse("people:edit", args=[person.pk]),
        edit_data(person, phone="07700 900456", postcode="ls1 4ap", interpreter_needed="on"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "07700 900456" and person.postcode == "LS1 4AP"
    assert person.interpreter_needed
    change = AuditEvent.objects.get(action="change", record_type="people.person")
    assert change.detail == "fields:interpreter_needed,phone,postcode"
    assert "07700" not in change.detail


def test_an_invalid_edit_names_the_field_and_keeps_input(client, refer, worker):
    person = refer().person
    response = signed_in(client, worker).post(
        reverse("people:edit", args=[person.pk]),
        edit_data(person, nhs_number="9991234567", address="1 Synthetic Street"))
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "NHS number is not valid" in html and 'href="#id_nhs_number"' in html
    assert "1 Synthetic Street" in html and 'value="9991234567"' in html
    assert Person.objects.get(pk=person.pk).address == ""


def test_an_nhs_number_belonging_to_someone_else_is_refused(client, refer, make_person, worker):
    person = refer().person
    other = make_person(given_name="Other")
    response = signed_in(client, worker).post(reverse("people:edit", args=[person.pk]),
                                              edit_data(person, nhs_number=other.nhs_number))
    assert response.status_code == 400
    assert "NHS number is already on another person's record" in unescape(response.content.decode())


def test_the_gp_practice_is_recorded_with_a_checked_ods_code(client, refer, worker):
    person = refer().person
    url = reverse("people:edit", args=[person.pk])
    response = signed_in(client, worker).post(url, edit_data(
        person, gp_practice_name="Riverside Surgery", gp_practice_ods="A8100"))
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "GP practice ODS code must be a letter followed by 5 numbers, like A81001" in html
    assert 'href="#id_gp_practice_ods"' in html
    assert Person.objects.get(pk=person.pk).gp_practice_name == ""  # nothing partly saved

    response = client.post(url, edit_data(person, gp_practice_name="Riverside Surgery",
                                          gp_practice_ods=" a81 001 "))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.gp_practice_name, person.gp_practice_ods) == ("Riverside Surgery", "A81001")
    page = unescape(client.get(reverse("people:detail", args=[person.pk])).content.decode())
    assert "Riverside Surgery (A81001)" in page


def test_texts_and_voicemail_permissions_are_recorded_and_default_to_not_asked(
        client, refer, worker):
    person = refer().person
    assert (person.texts_allowed, person.voicemail_allowed) == ("not_asked", "not_asked")
    url = reverse("people:edit", args=[person.pk])
    form = signed_in(client, worker).get(url).content.decode()
    assert "May we leave a voicemail?" in form and "Not asked yet" in form
    response = client.post(url, edit_data(person, texts_allowed="yes", voicemail_allowed="no"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.texts_allowed, person.voicemail_allowed) == ("yes", "no")
    refused = client.post(url, edit_data(person, voicemail_allowed="maybe"))
    assert refused.status_code == 400
    assert "Select whether we may leave a voicemail" in unescape(refused.content.decode())
    person.refresh_from_db()
    assert person.voicemail_allowed == "no"
