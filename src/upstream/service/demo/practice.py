"""The demo world's 3 Conversations and strengths-based practice: the ED high intensity use
team works to the 3 Conversations, its contacts and sessions are tagged (most people are kept
in conversation 1; some move to a crisis and back, or on to building a good life), open
episodes that went through a crisis have a crisis plan, and two people have personal network
snapshots at the start and at a review.

Runs after the journeys, so the tags follow each episode's own contacts and sessions in date
order. Deterministic for a given ``rng``.
"""

import datetime
import random

from django.utils import timezone

from upstream.service.engagement import services as engagement
from upstream.service.engagement.models import ContactAttempt, CrisisPlan
from upstream.service.practice.models import PracticeModel, TeamPractice
from upstream.service.referrals.models import Episode
from upstream.service.referrals.states import Status

PATHS = {(1,): 8, (1, 2, 1): 2, (1, 3): 2, (2, 1): 1, (1, 2): 1}
"""The conversations an episode passes through, and how often each path is drawn."""

START_NETWORK = [
    {"who": "Daughter", "kind": "family", "frequency": "monthly", "helpfulness": 3},
    {"who": "GP", "kind": "professional", "frequency": "rarely", "helpfulness": 2},
    {"who": "Neighbour downstairs", "kind": "neighbour", "frequency": "rarely",
     "helpfulness": 3},
]
REVIEW_NETWORK = [
    {"who": "Daughter", "kind": "family", "frequency": "weekly", "helpfulness": 4},
    {"who": "GP", "kind": "professional", "frequency": "monthly", "helpfulness": 3},
    {"who": "Neighbour downstairs", "kind": "neighbour", "frequency": "weekly",
     "helpfulness": 4},
    {"who": "Tuesday walking group", "kind": "group", "frequency": "weekly", "helpfulness": 5},
    {"who": "Friend from the choir", "kind": "friend", "frequency": "weekly", "helpfulness": 4},
]


def _work_in_order(episode: Episode) -> list:
    items = [(timezone.localdate(a.at), 0, a.pk, a) for a in episode.contacts.all()]
    items += [(s.held_on, 1, s.pk, s) for s in episode.sessions.all()]
    return [item for *_, item in sorted(items, key=lambda row: row[:3])]


def _tag(work: list, path: tuple[int, ...]) -> dict[int, datetime.date]:
    """Tag ``work`` with ``path``'s conversations in equal runs; return each conversation's
    first day."""
    entered: dict[int, datetime.date] = {}
    for index, item in enumerate(work):
        conversation = path[min(index * len(path) // len(work), len(path) - 1)]
        type(item).objects.filter(pk=item.pk).update(conversation=conversation)
        day = timezone.localdate(item.at) if isinstance(item, ContactAttempt) else item.held_on
        entered.setdefault(conversation, day)
    return entered


def _crisis_plan(episode: Episode, on: datetime.date, today: datetime.date) -> None:
    plan = engagement.record_crisis_plan(
        episode, by=episode.worker,
        crisis="Eviction notice after rent arrears; not sleeping and attending ED most nights.",
        actions="Same-day call with the council housing options team; food bank voucher; "
                "daily check-in calls until the housing appointment.",
        by_whom="Link worker, with the person's daughter",
        by_when=max(on + datetime.timedelta(days=7), today),
        review_on=max(on + datetime.timedelta(days=14), today))
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(15, 0)))
    CrisisPlan.objects.filter(pk=plan.pk).update(recorded_at=moment)


def add_practice(team, rng: random.Random) -> None:
    """Make ``team`` work to the 3 Conversations and give its episodes the records of it."""
    today = timezone.localdate()
    TeamPractice.objects.create(team=team, model=PracticeModel.THREE_CONVERSATIONS,
                                since=today - datetime.timedelta(days=400))
    episodes = (Episode.objects.filter(team=team).order_by("pk")
                .select_related("worker", "team").prefetch_related("contacts", "sessions"))
    paths, weights = list(PATHS), list(PATHS.values())
    networks = 0
    for episode in episodes:
        work = _work_in_order(episode)
        if not work:
            continue
        path = rng.choices(paths, weights)[0]
        entered = _tag(work, path)
        if 2 in entered and episode.is_open:
            _crisis_plan(episode, entered[2], today)
        if networks < 2 and episode.status == Status.ACTIVE and len(work) >= 3:
            start = timezone.localdate(episode.allocated_at or episode.opened_at)
            _network(episode, start, today)
            networks += 1


def _network(episode: Episode, start: datetime.date, today: datetime.date) -> None:
    episode.refresh_from_db()
    engagement.record_network_snapshot(
        episode, by=episode.worker, taken_on=start, stage="start",
        strengths=["Good listener", "Cooks for the family"], interests=["Gardening"],
        entries=START_NETWORK)
    episode.refresh_from_db()
    engagement.record_network_snapshot(
        episode, by=episode.worker, taken_on=max(start, today - datetime.timedelta(days=5)),
        stage="review", strengths=["Good listener", "Cooks for the family", "Sings"],
        interests=["Gardening", "Choir", "Walking"], entries=REVIEW_NETWORK)



