"""The public "Find support" search is rate limited per client address: over
``UPSTREAM_FIND_SUPPORT_RATE`` a plain 429 page with ``Retry-After``; other clients, the empty
form and service pages are not affected; ``X-Forwarded-For`` cannot buy a fresh allowance; the
count is kept under a keyed hash, never the address."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import directory as make
from upstream.service.directory import public_text as words
from upstream.service.directory.public_limits import FindSupportThrottle

pytestmark = pytest.mark.django_db

SEARCH = {"need": "money_debt"}


@pytest.fixture(autouse=True)
def three_a_minute(settings):
    settings.UPSTREAM_FIND_SUPPORT_RATE = "3/min"
    cache.clear()
    yield
    cache.clear()


def _search(address, **headers):
    return Client(REMOTE_ADDR=address).get(reverse("find_support:find"), SEARCH, **headers)


def test_the_fourth_search_in_a_minute_is_refused_with_a_plain_page():
    make.service("Debt advice", "debt_advice")
    for _ in range(3):
        assert _search("192.0.2.10").status_code == 200
    refused = _search("192.0.2.10")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.content.decode()
    assert f"<h1>{words.TOO_MANY_TITLE}</h1>" in body
    assert "Debt advice" not in body  # no results on the refusal
    assert not refused.cookies


def test_another_address_the_empty_form_and_service_pages_are_not_limited():
    service = make.service("Debt advice", "debt_advice")
    for _ in range(4):
        _search("192.0.2.10")
    assert _search("192.0.2.11").status_code == 200
    client = Client(REMOTE_ADDR="192.0.2.10")
    assert client.get(reverse("find_support:find")).status_code == 200
    assert client.get(reverse("find_support:service", args=[service.pk])).status_code == 200


def test_a_made_up_forwarded_for_header_does_not_reset_the_count():
    for n in range(3):
        _search("192.0.2.10", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert _search("192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_rate_is_a_setting(settings):
    settings.UPSTREAM_FIND_SUPPORT_RATE = "5/min"
    assert [_search("192.0.2.12").status_code for _ in range(6)] == [200] * 5 + [429]


def test_the_count_is_kept_under_a_keyed_hash_not_the_address(rf):
    key = FindSupportThrottle().get_cache_key(rf.get("/", REMOTE_ADDR="192.0.2.10"))
    assert "192.0.2.10" not in key
    assert key != FindSupportThrottle().get_cache_key(rf.get("/", REMOTE_ADDR="192.0.2.11"))
