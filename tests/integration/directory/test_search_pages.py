# ruff: noqa: F811  (pytest fixtures imported from the referrals tests)
"""The staff directory pages: find a service (need, words, postcode distance, filters) and a
service's details; only link workers and team leads."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import directory as make
from tests.integration.referrals.conftest import (  # noqa: F401  (fixtures)
    heart,
    lead,
    referrer,
    rng,
    worker,
)
from upstream.standards import postcode_directory

pytestmark = pytest.mark.django_db

MILE = 1 / 69.05


@pytest.fixture
def postcodes(tmp_path, settings):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "postcodes.sqlite3"
    postcode_directory.write(settings.UPSTREAM_POSTCODE_DIRECTORY,
                             [("E1 6AN", 51.52, -0.06)])


def find(client, data) -> tuple[int, str]:
    response = client.post(reverse("directory_search:find"), data)
    html = unescape(response.content.decode())
    return response.status_code, html[html.index('id="results"'):] if 'id="results"' in html \
        else html


def test_everyday_words_near_a_postcode_find_and_explain(client, worker, postcodes):
    make.service("Money advice", "debt_advice", at=(51.52 + MILE, -0.06), byday="TU",
                 accepting_referrals=True, waiting_time_days=14)
    make.service("Far money advice", "debt_advice", at=(51.52 + 20 * MILE, -0.06))
    make.service("Walking group", "walking_groups")
    client.force_login(worker)
    status, found = find(client, {"text": "can't pay my rent", "postcode": "e1 6an",
                                  "within_miles": "5"})
    assert status == 200 and "1 service found" in found
    assert "Money advice" in found and "Far money" not in found and "Walking" not in found
    assert "Debt advice (“can't pay”) · 1.0 miles" in found
    assert "accepting referrals · waiting about 2 weeks" in found


def test_a_need_link_from_a_plan_searches_by_need(client, worker):
    make.service("Foodbank", "food_bank")
    client.force_login(worker)
    page = unescape(client.get(reverse("directory_search:find") + "?need=food").content.decode())
    assert "1 service found" in page and "Foodbank" in page


def test_problems_name_the_field(client, worker, postcodes):
    client.force_login(worker)
    status, page = find(client, {})
    assert status == 400 and "Select a need, describe it in words, or enter a postcode" in page
    status, page = find(client, {"postcode": "E2 7QX", "need": "food"})
    assert status == 400 and "We do not know where E2 7QX is" in page
    status, page = find(client, {"postcode": "nonsense", "need": "food"})
    assert status == 400 and "Enter a real postcode" in page


def test_without_a_postcode_directory_distance_search_says_so(client, worker, settings,
                                                              tmp_path):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "none.sqlite3"
    client.force_login(worker)
    status, page = find(client, {"postcode": "E1 6AN"})
    assert status == 400 and "needs the ONS postcode directory" in page


def test_service_page_shows_what_a_link_worker_needs(client, lead):
    service = make.service("Women's peer group", "peer_support", "sex:F", byday="WE",
                           minimum_age=18, accepting_referrals=False,
                           last_verified=datetime.date(2024, 6, 1),
                           description="Talk with others who understand.")
    client.force_login(lead)
    page = unescape(client.get(reverse("directory_search:service", args=[service.id]))
                    .content.decode())
    assert "Women's peer group" in page and "Talk with others who understand." in page
    assert "Not accepting referrals" in page and "Women only" in page
    assert "18 and over" in page and "Peer support" in page
    assert "This record may be out of date" in page and "1 June 2024" in page


def test_referrers_cannot_use_the_directory_pages(client, referrer):
    client.force_login(referrer)
    assert client.get(reverse("directory_search:find")).status_code == 403
