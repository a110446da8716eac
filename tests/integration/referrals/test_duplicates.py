"""Duplicate detection: a second referral while an episode is open is linked, not duplicated;
once the episode has closed, a new referral opens a new episode."""

import pytest

from upstream.service.referrals.models import Episode, EpisodeTransition
from upstream.service.referrals.services import transition

pytestmark = pytest.mark.django_db


def test_second_referral_for_an_open_episode_is_linked(refer, make_person):
    person = make_person()
    first = refer(person)
    second = refer(person)
    assert second.episode == first.episode
    assert second.is_duplicate and not first.is_duplicate
    assert Episode.objects.filter(person=person).count() == 1


def test_a_referral_to_another_team_opens_its_own_episode(refer, make_person, diabetes):
    person = make_person()
    first = refer(person)
    other = refer(person, team=diabetes)
    assert other.episode != first.episode and not other.is_duplicate


def test_after_closure_a_new_referral_opens_a_new_episode(refer, make_person, worker):
    person = make_person()
    first = refer(person)
    transition(first.episode, "not_suitable", by=worker, reason="needs a different service")
    again = refer(person)
    assert again.episode != first.episode and not again.is_duplicate
    assert again.episode.status == "referred"
    assert Episode.objects.filter(person=person).count() == 2


def test_a_new_episode_records_its_first_status(refer, referrer):
    referral = refer()
    (opened,) = EpisodeTransition.objects.filter(episode=referral.episode)
    assert (opened.from_status, opened.to_status, opened.by) == ("", "referred", referrer)
