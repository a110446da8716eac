"""A person's plan suggests directory services for the needs already recorded, near their home
and fitting their age and sex."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import directory as make_service
from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.directory.suggestions import for_episode, recorded_needs
from upstream.service.engagement import services
from upstream.service.referrals.states import Status
from upstream.standards import postcode_directory

pytestmark = pytest.mark.django_db

HOME = (51.52, -0.06)
MILE = 1 / 69.05
NOW = datetime.datetime(2026, 12, 2, 12, 0)


@pytest.fixture
def postcodes(tmp_path, settings):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "postcodes.sqlite3"
    postcode_directory.write(settings.UPSTREAM_POSTCODE_DIRECTORY, [("E1 6AN", *HOME)])


@pytest.fixture
def episode():
    team = make.team()
    worker = make.user(Role.LINK_WORKER, team)
    found = make.episode(team, worker=worker, status=Status.ENGAGED, needs=("housing",),
                         postcode="E1 6AN", sex="F", date_of_birth=datetime.date(1950, 5, 1))
    return found, worker


def test_needs_come_from_what_matters_then_goals_else_the_referral(episode):
    found, worker = episode
    assert recorded_needs(found) == ["housing"]
    services.record_what_matters(found, by=worker, conversation_on=datetime.date.today(),
                                 what_matters="Seeing people", needs_confirmed=["loneliness"])
    services.add_goal(found, by=worker, description="Eat well", need="food")
    assert recorded_needs(found) == ["loneliness", "food"]


def test_suggestions_are_near_home_and_fit_age_and_sex(episode, postcodes):
    found, worker = episode
    services.record_what_matters(found, by=worker, conversation_on=datetime.date.today(),
                                 what_matters="Seeing people", needs_confirmed=["loneliness"])
    make_service.service("Near lunch club", "social_groups",
                         at=(HOME[0] + MILE, HOME[1]))
    make_service.service("Far lunch club", "social_groups", at=(HOME[0] + 30 * MILE, HOME[1]))
    make_service.service("Men's shed", "social_groups", "sex:M", at=HOME)
    make_service.service("Youth club", "befriending", maximum_age=25, at=HOME)
    suggestions = for_episode(found, NOW)
    assert suggestions.near_home
    [need] = suggestions.needs
    assert need.label == "Loneliness and social isolation"
    assert [row.name for row in need.rows] == ["Near lunch club"]
    assert "1.0 miles" in need.rows[0].why


def test_the_plan_page_shows_suggestions_with_a_link_to_search(client, episode, postcodes):
    found, worker = episode
    service = make_service.service("Housing options", "housing_advice", at=HOME)
    client.force_login(worker)
    page = unescape(client.get(reverse("engagement:plan", args=[found.pk])).content.decode())
    assert "Services that may help" in page
    assert "Housing options" in page
    assert reverse("directory_search:service", args=[service.id]) in page
    assert reverse("directory_search:find") + "?need=housing" in page
