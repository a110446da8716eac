"""Real concurrency on PostgreSQL: two sessions, each with its own connection, save the same
episode from the same version at the same moment. Exactly one wins; the other is refused.

SQLite serialises whole-database writes, so these races only mean something on PostgreSQL.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection

from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import (
    CaseloadFull,
    StaleEpisode,
    allocate,
    transition,
)

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="row locking races need PostgreSQL: run with "
                       "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"),
    pytest.mark.django_db(transaction=True),
]

REFUSALS = (StaleEpisode, CaseloadFull)


def race(*calls) -> list[str]:
    """Run ``calls`` at once, one thread (and so one database connection) each; return each
    call's outcome: 'saved' or the name of the refusal it raised."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=30)
            call()
            outcomes[index] = "saved"
        except REFUSALS as refused:
            outcomes[index] = type(refused).__name__
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def fresh(episode: Episode) -> Episode:
    return Episode.objects.get(pk=episode.pk)


def test_two_transitions_from_the_same_version_one_wins(refer, lead, worker):
    episode = refer().episode
    transition(episode, "triaged", by=lead)
    allocate(episode, worker, by=lead)
    version = fresh(episode).version
    outcomes = race(
        lambda: transition(fresh(episode), "contacting", by=worker, reason="first",
                           expected_version=version),
        lambda: transition(fresh(episode), "engaged", by=lead, reason="second",
                           expected_version=version),
    )
    assert sorted(outcomes) == ["StaleEpisode", "saved"]
    saved = fresh(episode)
    assert saved.version == version + 1
    assert saved.transitions.count() == 4  # referred, triaged, allocated + exactly one more


def test_two_allocations_of_the_same_episode_one_wins(refer, lead, worker, second_worker):
    episode = refer().episode
    transition(episode, "triaged", by=lead)
    version = fresh(episode).version
    outcomes = race(
        lambda: allocate(fresh(episode), worker, by=lead, expected_version=version),
        lambda: allocate(fresh(episode), second_worker, by=lead, expected_version=version),
    )
    assert sorted(outcomes) == ["StaleEpisode", "saved"]
    saved = fresh(episode)
    assert saved.status == "allocated" and saved.worker in (worker, second_worker)


def test_two_allocations_for_the_last_place_one_wins(refer, lead, worker, heart):
    held = refer().episode
    transition(held, "triaged", by=lead)
    allocate(held, worker, by=lead)  # 1 of 2 taken
    a, b = refer().episode, refer().episode
    for episode in (a, b):
        transition(episode, "triaged", by=lead)
    outcomes = race(
        lambda: allocate(fresh(a), worker, by=lead),
        lambda: allocate(fresh(b), worker, by=lead),
    )
    assert sorted(outcomes) == ["CaseloadFull", "saved"]
    assert Episode.objects.filter(worker=worker, status="allocated").count() == heart.caseload_limit
    assert sorted(e.status for e in (fresh(a), fresh(b))) == ["allocated", "waiting"]
