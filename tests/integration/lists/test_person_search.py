"""Person search: staff find people their teams work with by NHS number (any spacing) or by
family name and date of birth; nobody else; the search is audited without its terms."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from upstream.service.audit.models import AuditEvent
from upstream.service.referrals.services import transition

pytestmark = pytest.mark.django_db

URL = "people:search"


def by_name(family: str, born: date) -> dict:
    return {"family_name": family, "date_of_birth[day]": str(born.day),
            "date_of_birth[month]": str(born.month), "date_of_birth[year]": str(born.year)}


def search(client, data) -> tuple[int, str]:
    response = client.post(reverse(URL), data)
    return response.status_code, unescape(response.content.decode())


def results(html: str) -> str:
    return html[html.index('id="results"'):] if 'id="results"' in html else ""


@pytest.fixture
def twins(refer, make_person, lead):
    """Two Jo Okafors born on different days, in the heart team; one with an episode moved on."""
    older = refer(make_person(given_name="Jo", family_name="Okafor",
                              date_of_birth=date(1958, 4, 2)))
    younger = refer(make_person(given_name="Jo", family_name="Okafor",
                                date_of_birth=date(1990, 11, 23)))
    transition(younger.episode, "triaged", by=lead, reason="accepted")
    return older, younger


def test_by_nhs_number_with_any_spacing(client, worker, twins):
    older, _ = twins
    digits = older.person.nhs_number
    client.force_login(worker)
    status, html = search(client, {"nhs_number": f" {digits[:3]} {digits[3:6]} {digits[6:]} "})
    found = results(html)
    assert status == 200 and "1 person found" in found
    assert "2 April 1958" in found and "23 November 1990" not in found
    assert f"{digits[:3]} {digits[3:6]} {digits[6:]}" in found  # formatted


def test_by_family_name_and_date_of_birth_tells_twins_apart(client, worker, twins):
    client.force_login(worker)
    status, html = search(client, by_name("OKAFOR", date(1990, 11, 23)))
    found = results(html)
    assert status == 200 and "1 person found" in found
    assert "Jo Okafor" in found and "23 November 1990" in found and "2 April 1958" not in found
    assert "Heart Centre social prescribing" in found and "Accepted" in found


def test_people_known_only_to_another_team_are_not_found(client, refer, make_person, worker,
                                                         diabetes, twins):
    elsewhere = refer(make_person(given_name="Ysoldine", family_name="Hidden",
                                  date_of_birth=date(1970, 1, 1)), team=diabetes)
    client.force_login(worker)
    _, html = search(client, {"nhs_number": elsewhere.person.nhs_number})
    assert "0 people found" in results(html) and "Ysoldine" not in html
    assert "refer them" in results(html)
    _, html = search(client, by_name("Hidden", date(1970, 1, 1)))
    assert "0 people found" in results(html) and "Ysoldine" not in html


def test_nobody_found_suggests_a_referral(client, worker, twins):
    client.force_login(worker)
    _, html = search(client, by_name("Okafor", date(1958, 4, 3)))
    found = results(html)
    assert "Nobody your teams work with matches that family name and date of birth" in found
    assert reverse("referrals:new") in found


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "nhs_number", "Enter an NHS number, or a family name and date of birth"),
    ({"nhs_number": "999 123 4567"}, "nhs_number", "NHS number must be 10 digits with a valid"),
    ({"family_name": "Okafor"}, "date_of_birth",
     "Enter the date of birth to search with the family name"),
    (by_name("", date(1958, 4, 2)), "family_name",
     "Enter the family name to search with the date of birth"),
    ({"family_name": "Okafor", "date_of_birth[day]": "31", "date_of_birth[month]": "2",
      "date_of_birth[year]": "1980"}, "date_of_birth", "Date of birth must be a real date"),
])
def test_bad_input_names_the_field(client, worker, twins, data, field, message):
    client.force_login(worker)
    status, html = search(client, data)
    assert status == 400
    assert "There is a problem" in html and message in html
    anchor = f"#id_{field}-day" if field == "date_of_birth" else f"#id_{field}"
    assert f'href="{anchor}"' in html
    assert 'id="results"' not in html
    assert not AuditEvent.objects.filter(record_type="people.search").exists()


def test_searches_are_audited_without_their_terms(client, worker, twins):
    older, _ = twins
    client.force_login(worker)
    search(client, by_name("Okafor", date(1958, 4, 2)))
    search(client, {"nhs_number": "999 000 0018"})
    first, second = AuditEvent.objects.filter(record_type="people.search").order_by("pk")
    assert first.detail == f"1 person: {older.person.pk}" and first.user == worker
    assert second.detail == "0 people"
    for event in AuditEvent.objects.all():
        assert "Okafor" not in event.detail + event.path and "1958" not in event.detail
        assert "9990000018" not in event.detail + event.path


def test_the_page_is_for_staff_and_in_their_navigation(client, worker, referrer):
    client.force_login(worker)
    page = client.get(reverse(URL)).content.decode()
    assert "Find a person" in page and 'id="results"' not in page
    client.force_login(referrer)
    assert client.get(reverse(URL)).status_code == 403
