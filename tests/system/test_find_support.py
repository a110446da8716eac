"""Finding support without signing in, in a browser: from the sign-in page's footer, a
person searches in their own words near their postcode, opens a service, opens the printable
leaflet and downloads it as a PDF. axe checks every page (zero WCAG 2.2 AA violations), and
no cookie is set along the way."""

import pytest

from tests.factories import directory as make
from upstream.service.directory import public_text as words
from upstream.standards import postcode_directory

MILE = 1 / 69.05


@pytest.fixture
def directory(transactional_db, settings, tmp_path):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "postcodes.sqlite3"
    postcode_directory.write(settings.UPSTREAM_POSTCODE_DIRECTORY, [("E1 6AN", 51.52, -0.06)])
    service = make.service("Riverside money advice", "debt_advice",
                           at=(51.52 + 2 * MILE, -0.06), byday="TU", accepting_referrals=True,
                           description="Free help with debts, bills and rent.")
    make.service("Far away advice", "debt_advice", at=(51.52 + 30 * MILE, -0.06))
    make.service("Walking group", "walking_groups")
    return service


def test_a_person_finds_support_opens_it_and_downloads_the_leaflet(visit, directory):
    person = visit("person")
    page = person.page
    person.goto("/")  # signed out: the sign-in page, whose footer links here
    person.follow(words.SERVICE_NAME)
    assert person.heading() == words.FIND_TITLE
    page.context.clear_cookies()  # the sign-in form's CSRF cookie; these pages set none

    person.submit(words.SEARCH_BUTTON)  # nothing filled in
    assert words.NEED_OR_WORDS_MISSING in person.text()

    page.get_by_label(words.TEXT_LABEL).fill("I can't pay my rent")
    page.get_by_label(words.POSTCODE_LABEL).fill("e1 6an")
    person.submit(words.SEARCH_BUTTON)
    found = person.text()
    assert "Riverside money advice" in found and "Far away advice" not in found
    assert "Walking group" not in found
    assert words.MILES_AWAY.format(miles="2.0") in found and words.TAKING_NEW_PEOPLE in found

    person.follow("Riverside money advice")
    assert person.heading().endswith("Riverside money advice")
    assert "Free help with debts, bills and rent." in person.text()

    person.follow(words.LEAFLET_LINK)
    assert words.LEAFLET_FOOT in person.text()
    with page.expect_download() as download:
        page.get_by_role("link", name=words.LEAFLET_PDF_LINK).click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert page.context.cookies() == []


def test_too_many_searches_get_a_plain_page_that_passes_axe(visit, directory, settings):
    from django.core.cache import cache

    settings.UPSTREAM_FIND_SUPPORT_RATE = "1/min"
    cache.clear()  # the cache table outlives other tests' database flushes
    person = visit("person")
    person.goto("/find-support/?need=money_debt")
    assert "Riverside money advice" in person.text()
    response = person.page.goto(person.url("/find-support/?need=money_debt"))
    assert response.status == 429
    person.check()  # axe on the refusal page
    assert person.heading() == words.TOO_MANY_TITLE
    person.follow(words.TOO_MANY_LINK)
    assert person.heading() == words.FIND_TITLE
