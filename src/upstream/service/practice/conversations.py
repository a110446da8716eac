"""Where a person is in the 3 Conversations, read from the tags on their contact attempts and
sessions: the latest tag is the conversation they are in, and each change of tag is a move.

Pure reads. ``tags`` takes an episode (using prefetched ``contacts`` and ``sessions`` when
present); ``current`` and ``moves`` work on its result, so they are testable on plain lists.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from upstream.service.engagement.models import ContactAttempt, CrisisPlan, Session
from upstream.service.practice.models import (
    Conversation,
    PracticeModel,
    TeamPractice,
    works_to_three_conversations,
)
from upstream.service.referrals.states import OPEN


@dataclass(frozen=True)
class Tag:
    """One tagged piece of work: the day it happened and the conversation it belonged to."""

    on: datetime.date
    conversation: Conversation


@dataclass(frozen=True)
class Move:
    """The person moved from one conversation to another on ``on``."""

    on: datetime.date
    came_from: Conversation
    to: Conversation


def tags(episode) -> list[Tag]:
    """Every tagged contact attempt and session of ``episode``, oldest first (contact attempts
    before sessions on the same day, each in the order recorded)."""
    found = [(timezone.localdate(a.at), 0, a.at, a.pk, a.conversation)
             for a in episode.contacts.all() if a.conversation]
    found += [(s.held_on, 1, None, s.pk, s.conversation)
              for s in episode.sessions.all() if s.conversation]
    found.sort(key=lambda row: (row[0], row[1], row[2] or 0, row[3]))
    return [Tag(on, Conversation(conversation)) for on, _, _, _, conversation in found]


def current(found: list[Tag]) -> Conversation | None:
    """The conversation the person is in: the latest tag, or None before any."""
    return found[-1].conversation if found else None


def moves(found: list[Tag]) -> list[Move]:
    """Each change of conversation, in order ("1 -> 2 on 3 March")."""
    return [Move(after.on, before.conversation, after.conversation)
            for before, after in zip(found, found[1:], strict=False)
            if before.conversation != after.conversation]


def latest_crisis_plan(episode) -> CrisisPlan | None:
    return episode.crisis_plans.first()


def needs_crisis_plan(episode, found: list[Tag]) -> bool:
    """In conversation 2 with no crisis plan recorded since the day they moved into it."""
    if current(found) != Conversation.CRISIS:
        return False
    plan = latest_crisis_plan(episode)
    return plan is None or timezone.localdate(plan.recorded_at) < entered_on(found)


def entered_on(found: list[Tag]) -> datetime.date:
    """The day the person last moved into their current conversation."""
    day = found[-1].on
    for tag in reversed(found):
        if tag.conversation != found[-1].conversation:
            break
        day = tag.on
    return day


def applies(episode) -> bool:
    """Whether the episode's team works to the 3 Conversations."""
    return works_to_three_conversations(episode.team)


# -- for insights -------------------------------------------------------------------------

@dataclass(frozen=True)
class Kept:
    """For the teams that work to the 3 Conversations: episodes with any tag, split into those
    supported in conversation 1 only and those that needed conversation 2 or 3."""

    conversation_1_only: int
    needed_2_or_3: int


def kept_from_needing_2_or_3(teams, *, open_only: bool = False) -> Kept | None:
    """Counts over the episodes of ``teams`` that work to the 3 Conversations (with
    ``open_only``, only the episodes still open); None when none of ``teams`` does. Two grouped
    queries; no person's row leaves this function."""
    teams = teams.filter(pk__in=TeamPractice.objects.filter(
        model=PracticeModel.THREE_CONVERSATIONS).values("team"))
    if not teams.exists():
        return None
    highest: dict[int, int] = {}
    for model in (ContactAttempt, Session):
        rows = model.objects.filter(episode__team__in=teams, conversation__isnull=False)
        if open_only:
            rows = rows.filter(episode__status__in=[status.value for status in OPEN])
        rows = (rows.order_by().values("episode").annotate(high=Max("conversation")))
        for row in rows:
            highest[row["episode"]] = max(highest.get(row["episode"], 0), row["high"])
    only_one = sum(1 for high in highest.values() if high == Conversation.CONNECT)
    return Kept(conversation_1_only=only_one, needed_2_or_3=len(highest) - only_one)
