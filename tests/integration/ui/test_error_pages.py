"""403, 404 and 500 pages: NHS.UK styled (the base layout), the message the code raised, a way
home; JSON under /api/. Through the Django client with DEBUG off."""

from html import unescape

import pytest
from django.test import Client, override_settings

from .urls_for_errors import NO_SUCH, NOT_YOURS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.integration.ui.urls_for_errors")]


@pytest.fixture
def anyone():
    return Client(raise_request_exception=False)


def _styled(html: str):
    assert 'class="nhsuk-header' in html  # the base layout
    assert "nhsuk-frontend-service.min.css" in html
    assert 'href="/accessibility"' in html  # the footer
    assert 'href="/">Go to your start page</a>' in html


@override_settings(DEBUG=False)
def test_403_shows_the_message_raised(anyone):
    response = anyone.get("/test-errors/refuses")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this page" in html
    assert NOT_YOURS.replace("'", "&#x27;") in html
    _styled(html)


@override_settings(DEBUG=False)
def test_a_role_refused_by_the_access_rule_sees_why(client, referrer):
    client.force_login(referrer)
    response = client.get("/referrals/triage/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your role does not give access to this page." in html
    _styled(html)


@override_settings(DEBUG=False)
def test_404_shows_the_message_raised(anyone):
    response = anyone.get("/test-errors/missing")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and NO_SUCH in html
    _styled(html)


@override_settings(DEBUG=False)
def test_an_unknown_address_gets_the_styled_404_without_djangos_internals(anyone):
    response = anyone.get("/no/such/page")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "check it is correct" in html
    assert "tried" not in html and "urlpatterns" not in html
    _styled(html)


@override_settings(DEBUG=False)
def test_a_record_outside_the_users_teams_is_a_styled_404_without_django_wording(
        client, worker):
    client.force_login(worker)
    response = client.get("/engagement/episodes/999999/contacts/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert "matches the given query" not in html
    _styled(html)


@override_settings(DEBUG=False)
def test_500_is_a_styled_page_in_plain_words(anyone):
    response = anyone.get("/test-errors/breaks")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "a bug" not in html  # no internals
    _styled(html)


@override_settings(DEBUG=False)
def test_api_paths_still_answer_json(anyone):
    response = anyone.get("/api/test-errors/breaks")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}
    assert anyone.get("/api/v1/no-such-thing").json() == {"detail": "Not found."}


@override_settings(DEBUG=False)
def test_a_form_refused_by_the_csrf_check_is_a_styled_page_saying_what_to_do(db):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "a", "password": "b"})
    html = unescape(response.content.decode())
    assert response.status_code == 403
    assert "reload the page and try again" in html
    assert "CSRF" not in html
    _styled(html)
