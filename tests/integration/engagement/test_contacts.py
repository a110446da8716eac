"""Contact attempts: status rules, the review prompt and attempts-to-engage."""

import datetime

import pytest

from tests.dates import date_input
from upstream.service.engagement import services
from upstream.service.engagement.models import ContactAttempt, ContactOutcome
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import StaleEpisode
from upstream.service.referrals.states import Status

from . import factories as make

pytestmark = pytest.mark.django_db
REFERRED = datetime.datetime(2025, 2, 3, 10, 0, tzinfo=datetime.UTC)
"""The referral date of the episodes whose pages log attempts on 14 March 2025."""


def status_of(episode):
    episode.refresh_from_db()
    return episode.status


def test_first_attempt_on_allocated_episode_moves_it_to_contacting(team, worker):
    episode = make.episode(team, worker=worker)
    make.attempt(episode, ContactOutcome.NO_ANSWER)
    assert status_of(episode) == Status.CONTACTING
    make.attempt(episode, ContactOutcome.MESSAGE_LEFT)
    assert status_of(episode) == Status.CONTACTING
    assert episode.transitions.filter(to_status=Status.CONTACTING).count() == 1


@pytest.mark.parametrize("start", [Status.ALLOCATED, Status.CONTACTING])
def test_engaged_outcome_moves_episode_to_engaged(team, worker, start):
    episode = make.episode(team, worker=worker, status=start)
    make.attempt(episode, ContactOutcome.ENGAGED)
    assert status_of(episode) == Status.ENGAGED


def test_declined_outcome_ends_the_episode_as_declined(team, worker):
    episode = make.episode(team, worker=worker, status=Status.CONTACTING)
    make.attempt(episode, ContactOutcome.DECLINED)
    assert status_of(episode) == Status.DECLINED


def test_attempt_on_an_ended_episode_is_refused(team, worker):
    episode = make.episode(team, worker=worker, status=Status.CONTACTING)
    make.attempt(episode, ContactOutcome.DECLINED)
    with pytest.raises(services.EpisodeNotOpen):
        make.attempt(episode, ContactOutcome.NO_ANSWER)
    assert episode.contacts.count() == 1


def test_prompt_appears_when_unsuccessful_attempts_reach_the_team_setting(team, worker):
    episode = make.episode(team, worker=worker)
    for _ in range(2):
        make.attempt(episode, ContactOutcome.NO_ANSWER)
    assert not services.needs_attempts_review(episode)
    make.attempt(episode, ContactOutcome.WRONG_NUMBER)
    assert services.unsuccessful_in_a_row(episode) == 3
    assert services.needs_attempts_review(episode)


def test_reaching_the_person_resets_the_unsuccessful_run(team, worker):
    episode = make.episode(team, worker=worker)
    for outcome in ["no_answer", "no_answer", "spoke", "not_at_home"]:
        make.attempt(episode, outcome)
    assert services.unsuccessful_in_a_row(episode) == 1
    assert not services.needs_attempts_review(episode)


def test_attempts_to_engage_counts_up_to_and_including_first_engaged(team, worker):
    episode = make.episode(team, worker=worker)
    assert services.attempts_to_engage(episode) is None
    for outcome in ["no_answer", "message_left", "spoke", "engaged", "spoke"]:
        make.attempt(episode, outcome)
    assert services.attempts_to_engage(episode) == 4


def test_attempts_to_engage_for_many_episodes_matches_one_by_one(team, worker):
    quick = make.episode(team, worker=worker)
    make.attempt(quick, "engaged")
    slow = make.episode(team, worker=worker)
    for outcome in ["no_answer", "no_answer", "message_left", "engaged"]:
        make.attempt(slow, outcome)
    never = make.episode(team, worker=worker)
    make.attempt(never, "no_answer")
    untried = make.episode(team, worker=worker)
    found = services.attempts_to_engage_by_episode(Episode.objects.filter(team=team))
    assert found == {quick.pk: 1, slow.pk: 4, never.pk: None, untried.pk: None}
    assert all(found[e.pk] == services.attempts_to_engage(e) for e in [quick, slow, never])


def test_stale_version_refuses_the_attempt(team, worker):
    episode = make.episode(team, worker=worker)
    loaded_version = episode.version
    make.attempt(episode, ContactOutcome.NO_ANSWER)  # someone else saves first
    with pytest.raises(StaleEpisode):
        services.log_contact_attempt(episode, by=worker, channel="sms", outcome="no_answer",
                                     expected_version=loaded_version)
    assert ContactAttempt.objects.filter(episode=episode).count() == 1


def test_contacts_page_logs_an_attempt_and_shows_the_prompt(client, team, worker):
    episode = make.episode(team, worker=worker, referred_at=REFERRED)
    for _ in range(2):
        make.attempt(episode, ContactOutcome.NO_ANSWER)
    episode.refresh_from_db()
    client.force_login(worker)
    url = f"/engagement/episodes/{episode.pk}/contacts/"
    response = client.post(url, {"version": episode.version, "time": "09:30",
                                 **date_input("on", "2025-03-14"),
                                 "channel": "home_visit", "outcome": "not_at_home",
                                 "note": "Door knock, no reply"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Door knock, no reply" in page
    assert "3 unsuccessful attempts in a row: review at huddle" in page
    assert "nhsuk-card--warning" in page


def test_contacts_page_keeps_input_and_names_fields_on_errors(client, team, worker):
    episode = make.episode(team, worker=worker)
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/contacts/",
                           {"version": episode.version, "time": "09:30",
                            **date_input("on", "2025-03-14"),
                            "note": "tried the ward"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select how you tried to make contact" in page
    assert 'href="#id_channel"' in page
    assert "tried the ward" in page
    assert episode.contacts.count() == 0


def test_contacts_page_refuses_stale_save_and_keeps_input(client, team, worker):
    episode = make.episode(team, worker=worker, referred_at=REFERRED)
    stale_version = episode.version
    make.attempt(episode, ContactOutcome.NO_ANSWER)
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/contacts/",
                           {"version": stale_version, "time": "09:30",
                            **date_input("on", "2025-03-14"),
                            "channel": "sms", "outcome": "message_left",
                            "note": "my careful note"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this episode" in page
    assert "my careful note" in page
    episode.refresh_from_db()
    assert f'value="{episode.version}"' in page
    assert episode.contacts.count() == 1
