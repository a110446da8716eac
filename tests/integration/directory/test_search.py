"""Finding the right service: need (with sub-themes), everyday words, distance, eligibility,
opening day and capacity; ranked, saying why."""

import datetime

import pytest

from tests.factories import directory as make
from upstream.service.directory import search_index
from upstream.service.directory.models import Attribute, Schedule, Service
from upstream.service.directory.search import Point, Query, haversine_miles, search
from upstream.service.directory.search_presenters import why

pytestmark = pytest.mark.django_db

HOME = Point(51.52, -0.06)
MILE = 1 / 69.05  # degrees of latitude
WEDNESDAY_NOON = datetime.datetime(2026, 12, 2, 12, 0)


def names(results):
    return [r.service.name for r in results]


def find(**query):
    return search(Query(**query), WEDNESDAY_NOON)


def test_a_need_finds_services_filed_under_it_or_its_sub_themes_only():
    make.service("Money advice", "debt_advice")
    make.service("Benefits clinic", "benefits_advice")
    make.service("Money theme only", "money_debt")
    make.service("Walking group", "walking_groups")
    assert sorted(names(find(needs=("money_debt",)))) == [
        "Benefits clinic", "Money advice", "Money theme only"]
    assert names(find(needs=("benefits_advice",))) == ["Benefits clinic"]


def test_an_unknown_need_is_refused():
    with pytest.raises(KeyError, match="nonsense"):
        find(needs=("nonsense",))


def test_everyday_words_find_the_services_of_the_terms_they_mean():
    make.service("Money advice", "debt_advice")
    make.service("Housing options", "housing_advice")
    make.service("Walking group", "walking_groups")
    results = find(text="I can't pay my rent")
    assert sorted(names(results)) == ["Housing options", "Money advice"]
    money = next(r for r in results if r.service.name == "Money advice")
    assert [t.code for t in money.terms] == ["debt_advice"]
    assert "can't pay" in money.phrases


def test_text_also_finds_words_in_services_filed_under_no_term():
    make.service("Victor House", description="A safe hub for people who are homeless.")
    make.service("Reading club", description="Books and tea.")
    found = find(text="homeless")
    assert names(found) == ["Victor House"]
    assert found[0].words == ["homeless"] and found[0].terms == []


def test_everyday_words_reach_untagged_services_through_the_terms_synonyms():
    make.service("We Are With You", description="Free support with drug & alcohol problems.")
    make.service("Bar Bonby", description="A friendly pub.")
    found = find(text="struggling with my drinking")
    assert names(found) == ["We Are With You"]
    assert "alcohol" in found[0].words


def test_the_index_follows_an_edited_service():
    club = make.service("Reading club", description="Books and tea.")
    assert find(text="somewhere for the homeless") == []
    club.description = "A warm room for people who are homeless."
    club.save()
    assert names(find(text="somewhere for the homeless")) == ["Reading club"]


def test_the_index_sees_services_added_closed_moved_refiled_and_deleted_after_it_was_built():
    bank = make.service("Food bank", "food_bank")
    assert names(find(needs=("food_bank",))) == ["Food bank"]
    make.service("New pantry", "food_bank")
    assert sorted(names(find(needs=("food_bank",)))) == ["Food bank", "New pantry"]
    bank.status = "temporarily closed"
    bank.save()
    assert names(find(needs=("food_bank",))) == ["New pantry"]
    pantry = Service.objects.get(name="New pantry")
    location = pantry.service_at_locations.get().location
    location.latitude += 10 * MILE
    location.save()
    assert find(needs=("food_bank",), near=HOME) == []
    Attribute.objects.filter(link_id=pantry.id).delete()
    assert find(needs=("food_bank",)) == []
    Schedule.objects.create(service=pantry, freq="WEEKLY", byday="SA")
    assert names(find(open_on="SA")) == ["New pantry"]
    pantry.delete()
    assert find(open_on="SA") == []


def test_a_write_without_signals_is_seen_once_it_records_a_change():
    make.service("Food bank", "food_bank")
    assert names(find(needs=("food_bank",))) == ["Food bank"]
    # A write that sends no signals must record the change itself (search_index.changed):
    # until then this process searches the index as it built it.
    Service.objects.filter(name="Food bank").update(status="defunct")
    assert names(find(needs=("food_bank",))) == ["Food bank"]
    search_index.changed()
    assert find(needs=("food_bank",)) == []


def test_the_stronger_match_ranks_first():
    make.service("Befriending scheme", "befriending")
    make.service("Lunch club", "social_groups")
    assert names(find(text="no one to talk to, maybe a lunch club")) == [
        "Befriending scheme", "Lunch club"]
    assert names(find(text="a lunch club, maybe, with no one to talk to")) == [
        "Befriending scheme", "Lunch club"]
    assert names(find(text="no one to talk to")) == ["Befriending scheme"]


def test_distance_keeps_services_within_the_radius_nearest_first():
    make.service("Far", "debt_advice", at=(HOME.latitude + 8 * MILE, HOME.longitude))
    make.service("Two miles", "debt_advice", at=(HOME.latitude + 2 * MILE, HOME.longitude))
    make.service("Half a mile", "debt_advice", at=(HOME.latitude - 0.5 * MILE, HOME.longitude))
    make.service("Nowhere", "debt_advice", at=None)
    results = find(needs=("debt_advice",), near=HOME, within_miles=5)
    assert names(results) == ["Half a mile", "Two miles"]
    assert results[0].miles == pytest.approx(0.5, abs=0.01)
    assert results[1].miles == pytest.approx(2.0, abs=0.02)


def test_text_near_a_point_ranks_the_best_nearby_not_the_best_nationally():
    make.service("Debt advice far away", "debt_advice", at=(HOME.latitude + 30 * MILE,
                                                             HOME.longitude))
    make.service("Money help nearby", "debt_advice", at=(HOME.latitude + MILE, HOME.longitude))
    assert names(find(text="debt")) == ["Debt advice far away", "Money help nearby"]
    assert names(find(text="debt", near=HOME)) == ["Money help nearby"]


def test_a_corner_of_the_box_beyond_the_radius_is_left_out():
    corner = (HOME.latitude + 4 * MILE, HOME.longitude + 4 * MILE / 0.6225)
    make.service("Box corner", "debt_advice", at=corner)
    assert haversine_miles(HOME, Point(*corner)) > 5
    assert find(needs=("debt_advice",), near=HOME, within_miles=5) == []


def test_eligibility_by_age_sex_and_condition():
    make.service("Youth club", "youth_work", minimum_age=11, maximum_age=25)
    make.service("Women's group", "peer_support", "sex:F")
    make.service("Men's shed", "social_groups", "sex:M")
    make.service("Diabetes group", "condition_groups", "condition:diabetes")
    make.service("Heart group", "condition_groups", "condition:heart")
    make.service("Anyone's group", "condition_groups")
    assert names(find(needs=("youth_work",), age=40)) == []
    assert names(find(needs=("youth_work",), age=16)) == ["Youth club"]
    assert names(find(needs=("loneliness",), sex="M")) == ["Men's shed"]
    assert names(find(needs=("loneliness",), sex="F")) == ["Women's group"]
    assert sorted(names(find(needs=("condition_groups",), condition="diabetes"))) == [
        "Anyone's group", "Diabetes group"]


def test_capacity_filter_and_ranking_accepting_first_then_shortest_wait():
    make.service("Full", "food_bank", accepting_referrals=False)
    make.service("Long wait", "food_bank", accepting_referrals=True, waiting_time_days=28)
    make.service("Short wait", "food_bank", accepting_referrals=True, waiting_time_days=3)
    make.service("Unknown", "food_bank")
    assert names(find(needs=("food_bank",))) == ["Short wait", "Long wait", "Full", "Unknown"]
    assert names(find(needs=("food_bank",), accepting_only=True)) == ["Short wait", "Long wait"]


def test_open_on_a_day_and_next_opening():
    make.service("Tuesday clinic", "debt_advice", byday="TU")
    make.service("Friday clinic", "debt_advice", byday="FR")
    results = find(needs=("debt_advice",), open_on="TU")
    assert names(results) == ["Tuesday clinic"]
    assert results[0].next_opening.starts == datetime.datetime(2026, 12, 8, 9, 30)


def test_inactive_services_are_not_found():
    make.service("Closed", "food_bank", status="defunct")
    assert find(needs=("food_bank",)) == []


def test_why_says_need_words_distance_opening_capacity_and_wait():
    make.service("Money advice", "debt_advice", at=(HOME.latitude + 1.2 * MILE, HOME.longitude),
                 byday="TU", accepting_referrals=True, waiting_time_days=14,
                 last_verified=datetime.date(2026, 10, 1))
    [result] = find(text="can't pay my bills", near=HOME)
    assert " · ".join(why(result, WEDNESDAY_NOON)) == (
        "Debt advice (“can't pay”) · 1.2 miles · open Tuesday 9:30 · accepting referrals · "
        "waiting about 2 weeks")


def test_why_flags_a_record_not_verified_for_a_year_and_restrictions():
    make.service("Old group", "peer_support", "sex:F", last_verified=datetime.date(2025, 1, 5))
    [result] = find(needs=("peer_support",))
    words = why(result, WEDNESDAY_NOON)
    assert "women only" in words
    assert "last verified 5 January 2025" in words
    assert "capacity not known" in words
