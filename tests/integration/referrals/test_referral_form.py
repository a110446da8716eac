"""The referral form: validation names the field and keeps input; success confirms; a second
referral for someone with an open episode is linked and the referrer is told."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from upstream.service.people.models import Person
from upstream.service.referrals.models import Referral
from upstream.standards import nhs_number

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def form_data(heart, rng, **overrides):
    data = {
        "nhs_number": nhs_number.format_nhs_number(nhs_number.synthetic(rng)),
        "given_name": "Robin", "family_name": "Example",
        "date_of_birth[day]": "7", "date_of_birth[month]": "11", "date_of_birth[year]": "1961",
        "sex": "F", "postcode": "ls1 4ap", "phone": "07700 900123",
        "preferred_channel": "phone", "preferred_language": "English",
        "accessible_information_needs": "", "team": str(heart.pk),
        "source": "pathway_clinician", "needs": ["loneliness", "money_debt"],
        "reason": "Lives alone after bereavement", "urgency": "routine", "consent": "yes",
    }
    data.update(overrides)
    return data


def test_the_form_renders_with_every_team_and_need(client, referrer, heart, diabetes):
    html = signed_in(client, referrer).get(reverse("referrals:new")).content.decode()
    assert heart.name in html and diabetes.name in html
    assert "Loneliness and social isolation" in html
    assert 'name="date_of_birth[day]"' in html


def test_a_valid_referral_creates_person_and_episode_and_confirms(client, referrer, heart, rng):
    data = form_data(heart, rng)
    response = signed_in(client, referrer).post(reverse("referrals:new"), data)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referrer == referrer and referral.team == heart
    assert referral.needs == ["loneliness", "money_debt"] and referral.consent_given
    assert referral.person.nhs_number == nhs_number.normalise(data["nhs_number"])
    assert referral.person.postcode == "LS1 4AP"
    assert referral.episode.status == "referred"
    page = client.get(response["Location"]).content.decode()
    assert "Referral sent" in page and "nhsuk-panel" in page
    assert "already has an open episode" not in page


def test_a_person_without_an_nhs_number_can_be_referred(client, referrer, heart, rng):
    response = signed_in(client, referrer).post(
        reverse("referrals:new"), form_data(heart, rng, nhs_number=""))
    assert response.status_code == 302
    assert Person.objects.get().nhs_number is None


@pytest.mark.parametrize("field, value, message, anchor", [
    ("nhs_number", "999 123 4567", "NHS number is not valid: the check digit does not match",
     "#id_nhs_number"),
    ("nhs_number", "12345", "NHS number must be 10 digits", "#id_nhs_number"),
    ("postcode", "XX99 ZZZZ", "Postcode must be a real UK postcode", "#id_postcode"),
    ("given_name", "", "Enter the person's first name", "#id_given_name"),
    ("consent", "no", "The person must agree to the referral", "#id_consent"),
    ("needs", [], "Select at least one need", "#id_needs"),
    ("phone", "12", "Phone number must be a UK number", "#id_phone"),
])
def test_an_invalid_field_is_named_and_the_input_kept(client, referrer, heart, rng,
                                                       field, value, message, anchor):
    data = form_data(heart, rng, **{field: value})
    response = signed_in(client, referrer).post(reverse("referrals:new"), data)
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "There is a problem" in html
    assert message in html
    assert f'href="{anchor}"' in html  # the error summary links to the field
    assert 'value="Robin"' in html or field == "given_name"  # what was typed is kept
    assert "Lives alone after bereavement" in html
    assert Referral.objects.count() == 0


def test_a_date_of_birth_in_the_future_is_refused_and_kept(client, referrer, heart, rng):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = form_data(heart, rng, **{"date_of_birth[day]": str(tomorrow.day),
                                    "date_of_birth[month]": str(tomorrow.month),
                                    "date_of_birth[year]": str(tomorrow.year)})
    html = signed_in(client, referrer).post(reverse("referrals:new"), data).content.decode()
    assert "Date of birth must be today or in the past" in html
    assert 'href="#id_date_of_birth-day"' in html
    assert f'value="{tomorrow.year}"' in html
    assert Person.objects.count() == 0


@pytest.mark.parametrize("day, month, year, message", [
    ("31", "2", "1980", "Date of birth must be a real date"),
    ("12", "", "1980", "Date of birth must include a month"),
    ("", "", "", "Enter the person's date of birth"),
])
def test_incomplete_or_impossible_dates_are_named(client, referrer, heart, rng,
                                                  day, month, year, message):
    data = form_data(heart, rng, **{"date_of_birth[day]": day, "date_of_birth[month]": month,
                                    "date_of_birth[year]": year})
    response = signed_in(client, referrer).post(reverse("referrals:new"), data)
    assert message in unescape(response.content.decode())


def test_a_second_referral_for_an_open_episode_is_linked_not_told(client, referrer, heart, rng):
    data = form_data(heart, rng)
    signed_in(client, referrer).post(reverse("referrals:new"), data)
    response = client.post(reverse("referrals:new"), {**data, "given_name": "Robyn"})
    first, second = Referral.objects.order_by("pk")
    assert second.episode == first.episode and second.is_duplicate
    assert Person.objects.count() == 1  # NHS number, birth date and family name agree
    # The referrer is told what they typed, not whether the person is already supported
    # (issue 8, finding 1: that would disclose another referral's episode).
    page = client.get(response["Location"]).content.decode()
    assert "Robyn" in page and "already has an open episode" not in page


def test_commissioners_cannot_refer(client, heart, db):
    from .conftest import make_user
    commissioner = make_user("cam", "commissioner")
    assert signed_in(client, commissioner).get(reverse("referrals:new")).status_code == 403
