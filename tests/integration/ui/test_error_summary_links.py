"""Every error-summary link on every form page moves to something that exists: the field the
message is about (its first box, first option or the input itself). Before the UI layer, the
accounts and engagement builders linked to ``#main-content`` (no page has it) and engagement
linked radios to an empty id."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role, User
from upstream.service.engagement import services
from upstream.service.referrals.states import Status

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<ul class="[^"]*nhsuk-error-summary__list[^"]*">.*?</ul>', re.S)


def summary_targets(html: str) -> list[str]:
    """The ``#id`` each error-summary link points to (fails when there is no summary)."""
    found = SUMMARY.search(html)
    assert found, "no error summary on the page"
    return re.findall(r'href="#([^"]+)"', found[0])


def assert_links_land(html: str, expect_at_least: int = 1) -> list[str]:
    targets = summary_targets(html)
    assert len(targets) >= expect_at_least, targets
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    missing = [t for t in targets if t not in ids]
    assert not missing, f"error summary links to ids no element has: {missing}"
    return targets


@pytest.fixture
def episode(team, worker):
    return make.episode(team, worker=worker, status=Status.ACTIVE)


ENGAGEMENT_POSTS = {
    "contacts": ({}, ["id_on-day", "id_channel", "id_outcome"]),
    "sessions": ({}, ["id_held_on-day", "id_kind"]),
    "what_matters": ({}, ["id_what_matters", "id_needs_confirmed"]),
    "plan": ({"form": "review"}, ["id_review-goal", "id_review-reviewed_on-day"]),
    "close": ({"form": "close"}, ["id_close-themes", "id_close-outcomes"]),
}


@pytest.mark.parametrize("page", ENGAGEMENT_POSTS)
def test_engagement_form_errors_link_to_their_fields(client, worker, episode, page):
    data, expected = ENGAGEMENT_POSTS[page]
    services.add_goal(episode, by=worker, description="Walk to the park")  # the plan's review form
    episode.refresh_from_db()
    version = {"version": episode.version}
    if "form" in data:
        version = {f"{data['form']}-version": episode.version}
    client.force_login(worker)
    response = client.post(reverse(f"engagement:{page}", args=[episode.pk]),
                           {**data, **version})
    targets = assert_links_land(unescape(response.content.decode()), len(expected))
    for target in expected:
        assert target in targets


def test_a_stale_form_links_its_problem_to_a_place_on_the_page(client, worker, episode):
    client.force_login(worker)
    response = client.post(reverse("engagement:contacts", args=[episode.pk]), {
        "version": episode.version - 1, "channel": "phone", "outcome": "no_answer",
        "on[day]": "1", "on[month]": "1", "on[year]": "2020", "time": "09:00"})
    assert_links_land(response.content.decode())


def test_referral_form_errors_link_to_their_fields(client, team):
    referrer = make.user(Role.REFERRER)
    client.force_login(referrer)
    response = client.post(reverse("referrals:new"), {"given_name": "A"})
    targets = assert_links_land(response.content.decode(), 3)
    assert any(t.endswith("date_of_birth-day") for t in targets)


def test_person_edit_errors_link_to_their_fields(client, worker, episode):
    client.force_login(worker)
    response = client.post(reverse("people:edit", args=[episode.person_id]), {
        "version": episode.person.version, "given_name": "", "date_of_birth[day]": "31",
        "date_of_birth[month]": "2", "date_of_birth[year]": "1980"})
    targets = assert_links_land(response.content.decode(), 2)
    assert "id_date_of_birth-day" in targets


def test_triage_errors_link_to_their_fields(client, team, lead):
    episode = make.episode(team, status=Status.REFERRED)
    referral = episode.referrals.get()
    client.force_login(lead)
    response = client.post(reverse("referrals:triage_referral", args=[referral.pk]),
                           {"version": referral.version} if hasattr(referral, "version") else {})
    assert_links_land(response.content.decode())


def test_sign_in_errors_link_to_the_username(client, db):
    User.objects.create_user("wes", password="correct horse battery staple", role=Role.REFERRER)
    response = client.post(reverse("accounts:login"), {"username": "wes", "password": "wrong"})
    html = unescape(response.content.decode())
    assert assert_links_land(html) == ["id_username"]
    assert "Enter a correct username and password" in html
    assert "Please enter a correct" not in html


def test_sign_in_with_nothing_typed_names_both_fields(client, db):
    html = unescape(client.post(reverse("accounts:login"), {}).content.decode())
    assert assert_links_land(html, 2) == ["id_username", "id_password"]
    assert "Enter your username" in html and "Enter your password" in html
    assert "This field is required" not in html


def test_password_change_errors_link_to_their_fields(client, worker):
    client.force_login(worker)
    html = unescape(client.post(reverse("accounts:password_change"), {}).content.decode())
    assert assert_links_land(html, 3) == ["id_old_password", "id_new_password1",
                                          "id_new_password2"]
    assert "Enter your current password" in html


def test_an_nhs_number_already_on_another_record_is_said_in_plain_words(client, worker, team):
    first = make.episode(team, worker=worker)
    second = make.episode(team, worker=worker)
    client.force_login(worker)
    person = second.person
    response = client.post(reverse("people:edit", args=[person.pk]), {
        "version": person.version, "nhs_number": first.person.nhs_number,
        "given_name": person.given_name, "family_name": person.family_name,
        "date_of_birth[day]": str(person.date_of_birth.day),
        "date_of_birth[month]": str(person.date_of_birth.month),
        "date_of_birth[year]": str(person.date_of_birth.year),
        "sex": "F", "preferred_channel": "phone", "preferred_language": "English"})
    html = unescape(response.content.decode())
    assert "NHS number is already on another person's record" in html
    assert "already exists" not in html
    assert "id_nhs_number" in assert_links_land(html)
