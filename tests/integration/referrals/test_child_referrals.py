"""Referring a child on the web form: the parent or carer section, the safeguarding question
and consent are required when the date of birth makes the person under 18 (server-side, each
error naming its field, nothing saved); the reason for referral is required for everyone."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from upstream.service.people.models import Person
from upstream.service.referrals.children import is_child, missing_child_details
from upstream.service.referrals.models import Referral

from .conftest import signed_in
from .test_referral_form import form_data

pytestmark = pytest.mark.django_db


def child_data(heart, rng, **overrides):
    year = timezone.localdate().year - 11
    return form_data(heart, rng, **{
        "date_of_birth[day]": "3", "date_of_birth[month]": "2", "date_of_birth[year]": str(year),
        **overrides})


CHILD_ANSWERS = {
    "child-parent_carer_name": "Jo Example", "child-parent_carer_relationship": "Father",
    "child-parent_carer_phone": "07700 900456", "child-parental_responsibility": "yes",
    "child-safeguarding_concerns": "no", "child-consent_by": "both",
}


def test_is_child_counts_the_18th_birthday():
    assert is_child(date(2008, 6, 2), date(2026, 6, 1))
    assert not is_child(date(2008, 6, 2), date(2026, 6, 2))


def test_missing_child_details_treats_no_as_an_answer():
    answers = {"parent_carer_name": "Jo", "parent_carer_relationship": "Father",
               "parent_carer_phone": "07700 900456", "parental_responsibility": False,
               "safeguarding_concerns": False, "consent_by": "young_person"}
    assert missing_child_details(answers) == {}
    assert set(missing_child_details({**answers, "safeguarding_concerns": True})) == {
        "safeguarding_details"}


def test_a_child_without_parent_details_is_refused_naming_each_field(client, referrer, heart,
                                                                       rng):
    response = signed_in(client, referrer).post(reverse("referrals:new"), child_data(heart, rng))

    assert response.status_code == 400
    html = unescape(response.content.decode())
    for message in ["Enter the parent or carer's name",
                    "Enter the parent or carer's relationship to the child",
                    "Enter the parent or carer's phone number",
                    "Select whether the parent or carer has parental responsibility",
                    "Select whether there are any safeguarding concerns",
                    "Select who agreed to the referral"]:
        assert message in html
    assert 'href="#id_child-parent_carer_name"' in html  # the summary links to the field
    assert 'data-child="yes"' in html  # the section stays shown with its errors
    assert Referral.objects.count() == 0 and Person.objects.count() == 0


def test_safeguarding_yes_needs_the_concerns(client, referrer, heart, rng):
    data = child_data(heart, rng, **{**CHILD_ANSWERS, "child-safeguarding_concerns": "yes"})
    response = signed_in(client, referrer).post(reverse("referrals:new"), data)

    assert response.status_code == 400
    assert "Enter the safeguarding concerns" in unescape(response.content.decode())
    assert Referral.objects.count() == 0


def test_a_complete_child_referral_is_saved_and_shown_to_staff(client, referrer, worker,
                                                                heart, rng):
    data = child_data(heart, rng, **CHILD_ANSWERS)
    response = signed_in(client, referrer).post(reverse("referrals:new"), data)

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.parent_carer_name, referral.parent_carer_relationship) == (
        "Jo Example", "Father")
    assert referral.parental_responsibility is True and referral.safeguarding_concerns is False
    assert referral.consent_by == "both"
    page = unescape(signed_in(client, worker).get(
        reverse("referrals:detail", args=[referral.pk])).content.decode())
    assert "Jo Example, Father, 07700 900456" in page
    assert "The young person and their parent or carer" in page


def test_an_adult_referral_ignores_the_child_section(client, referrer, heart, rng):
    response = signed_in(client, referrer).post(reverse("referrals:new"), form_data(heart, rng))
    assert response.status_code == 302
    assert Referral.objects.get().parent_carer_name == ""


def test_the_reason_for_referral_is_required(client, referrer, heart, rng):
    response = signed_in(client, referrer).post(
        reverse("referrals:new"), form_data(heart, rng, reason="  "))

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Enter the reason for referral" in html and 'href="#id_reason"' in html
    assert Referral.objects.count() == 0


def test_the_form_offers_the_child_section_and_its_script(client, referrer, heart):
    html = signed_in(client, referrer).get(reverse("referrals:new")).content.decode()
    assert 'id="child-section"' in html and 'data-child="no"' in html
    assert "upstream/referral-child.js" in html
    assert "Are there any safeguarding concerns?" in html


def test_safeguarding_concerns_are_called_out_at_triage_and_on_the_episode(
        client, referrer, worker, heart, rng):
    data = child_data(heart, rng, **{**CHILD_ANSWERS, "child-safeguarding_concerns": "yes",
                                     "child-safeguarding_details": "Known to social care"})
    signed_in(client, referrer).post(reverse("referrals:new"), data)
    referral = Referral.objects.get()
    for url in [reverse("referrals:triage_referral", args=[referral.pk]),
                reverse("referrals:episode", args=[referral.episode_id])]:
        page = unescape(signed_in(client, worker).get(url).content.decode())
        assert "Safeguarding concerns at referral" in page and "Known to social care" in page
