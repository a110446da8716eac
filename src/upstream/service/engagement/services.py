"""The operations of engagement: everything that records work with a person in an episode.

Each operation that changes an episode's record takes ``expected_version`` (the version the
user's form was built from): a save against a version that is no longer current raises
``referrals.services.StaleEpisode`` and saves nothing. Status changes go through
``referrals.services.transition``; every change is written to the audit log.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.engagement.models import (
    ContactAttempt,
    ContactOutcome,
    CrisisPlan,
    DischargeSummary,
    Goal,
    GoalReview,
    GoalStatus,
    NetworkEntry,
    NetworkSnapshot,
    PlanAction,
    Session,
    WhatMatters,
)
from upstream.service.practice.models import Conversation
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import bump_version, transition
from upstream.service.referrals.states import OPEN, IllegalTransition, Status
from upstream.standards.vocabularies import NEEDS


class EpisodeNotOpen(Exception):
    """The episode has ended, so nothing more can be recorded against it."""

    def __init__(self, episode: Episode):
        super().__init__(
            f"This episode is '{Status(episode.status).label}', so nothing more can be "
            "recorded against it."
        )


def _check_conversation(conversation: int | None) -> None:
    if conversation is not None and conversation not in Conversation.values:
        raise ValueError(f"Unknown conversation {conversation!r}: the conversations are 1, 2, 3")


# -- contact attempts -------------------------------------------------------------------------

def _chronological(attempts) -> list[ContactAttempt]:
    return sorted(attempts, key=lambda a: (a.at, a.pk or 0))


def attempts_to_engage(episode: Episode) -> int | None:
    """How many contact attempts it took to engage the person: the attempts up to and including
    the first with outcome 'engaged'. ``None`` while nobody has engaged. Uses prefetched
    ``episode.contacts`` when present."""
    for count, attempt in enumerate(_chronological(episode.contacts.all()), start=1):
        if attempt.outcome == ContactOutcome.ENGAGED:
            return count
    return None


def attempts_to_engage_by_episode(episodes) -> dict[int, int | None]:
    """``attempts_to_engage`` for many episodes in one query: episode id -> count or None."""
    counts: dict[int, int] = {}
    engaged: dict[int, int | None] = {pk: None for pk in episodes.values_list("pk", flat=True)}
    rows = (ContactAttempt.objects.filter(episode__in=episodes).order_by("episode", "at", "id")
            .values_list("episode_id", "outcome"))
    for episode_id, outcome in rows:
        counts[episode_id] = counts.get(episode_id, 0) + 1
        if outcome == ContactOutcome.ENGAGED and engaged[episode_id] is None:
            engaged[episode_id] = counts[episode_id]
    return engaged


def unsuccessful_in_a_row(episode: Episode) -> int:
    """Unsuccessful attempts since the person was last reached (or since the first attempt)."""
    streak = 0
    for attempt in _chronological(episode.contacts.all()):
        streak = 0 if attempt.successful else streak + 1
    return streak


def needs_attempts_review(episode: Episode) -> bool:
    """True when an open episode's unsuccessful attempts in a row have reached the team's
    prompt (``Team.attempts_prompt_after``); there is no time limit on trying, only a prompt."""
    threshold = episode.team.attempts_prompt_after
    return episode.is_open and threshold > 0 and unsuccessful_in_a_row(episode) >= threshold


def _locked_open(episode: Episode) -> Episode:
    """The episode's current row, locked for this transaction; refuses an ended episode."""
    current = Episode.objects.select_for_update().get(pk=episode.pk)
    if Status(current.status) not in OPEN:
        raise EpisodeNotOpen(current)
    return current


def _status_after_contact(status: Status, outcome: str) -> Status | None:
    if outcome == ContactOutcome.DECLINED:
        return Status.DECLINED if status in (Status.ALLOCATED, Status.CONTACTING) else None
    if outcome == ContactOutcome.ENGAGED and status in (Status.ALLOCATED, Status.CONTACTING):
        return Status.ENGAGED
    if status == Status.ALLOCATED:
        return Status.CONTACTING
    return None


@transaction.atomic
def log_contact_attempt(episode: Episode, *, by, channel: str, outcome: str,
                        at: datetime.datetime | None = None, duration_minutes: int | None = None,
                        note: str = "", expected_version: int | None = None,
                        conversation: int | None = None) -> ContactAttempt:
    """Log one attempt to reach the person and move the episode on where the outcome says so.
    ``conversation`` is the 3 Conversations tag (1, 2 or 3), for teams that work to it.

    - an allocated episode moves to 'contacting' on its first attempt;
    - outcome 'engaged' moves an allocated or contacting episode to 'engaged';
    - outcome 'declined' (before engagement) ends it as 'declined'. Once engaged, a person
      stepping back is an ending agreed at huddle, not a contact outcome.
    """
    _check_conversation(conversation)
    current = _locked_open(episode)
    to = _status_after_contact(Status(current.status), outcome)
    if to is None:
        bump_version(episode, expected_version)
    else:
        reason = f"contact attempt: {ContactOutcome(outcome).label.lower()}"
        transition(episode, to, by=by, reason=reason, expected_version=expected_version)
    attempt = ContactAttempt.objects.create(
        episode=episode, at=at or timezone.now(), channel=channel, outcome=outcome,
        duration_minutes=duration_minutes, note=note, by=by, conversation=conversation,
    )
    record(by, Action.CREATE, attempt, detail=f"outcome={outcome} channel={channel}"
           + (f" conversation={conversation}" if conversation else ""))
    return attempt


# -- what matters and the plan ----------------------------------------------------------------

@transaction.atomic
def record_what_matters(episode: Episode, *, by, conversation_on: datetime.date,
                        what_matters: str, strengths: str = "", needs_confirmed=(),
                        expected_version: int | None = None) -> WhatMatters:
    """Record a "what matters to me" conversation. Holding it means the person is working with
    us: an engaged episode becomes active (an allocated or contacting one goes via engaged)."""
    unknown = set(needs_confirmed) - NEEDS.keys()
    if unknown:
        raise ValueError(f"Unknown need codes: {sorted(unknown)}")
    current = Status(_locked_open(episode).status)
    reason = "what matters conversation held"
    if current in (Status.ALLOCATED, Status.CONTACTING):
        transition(episode, Status.ENGAGED, by=by, reason=reason, expected_version=expected_version)
        transition(episode, Status.ACTIVE, by=by, reason=reason)
    elif current == Status.ENGAGED:
        transition(episode, Status.ACTIVE, by=by, reason=reason, expected_version=expected_version)
    else:
        bump_version(episode, expected_version)
    conversation = WhatMatters.objects.create(
        episode=episode, conversation_on=conversation_on, what_matters=what_matters,
        strengths=strengths, needs_confirmed=list(needs_confirmed), by=by,
    )
    record(by, Action.CREATE, conversation, detail="needs=" + ",".join(needs_confirmed))
    return conversation


@transaction.atomic
def add_goal(episode: Episode, *, by, description: str, need: str = "",
             target_on: datetime.date | None = None,
             expected_version: int | None = None) -> Goal:
    """Add a goal to the person's plan."""
    _locked_open(episode)
    bump_version(episode, expected_version)
    goal = Goal.objects.create(episode=episode, description=description, need=need,
                               target_on=target_on, created_by=by)
    record(by, Action.CREATE, goal, detail=f"need={need}")
    return goal


@transaction.atomic
def review_goal(goal: Goal, *, by, reviewed_on: datetime.date, status: str,
                progress: int | None = None, note: str = "",
                expected_version: int | None = None) -> GoalReview:
    """Record progress on a goal and set its status. A goal first marked achieved records the
    review date as the day it was achieved."""
    if progress is not None and not 0 <= progress <= 10:
        raise ValueError("Progress is scored from 0 to 10")
    _locked_open(goal.episode)
    bump_version(goal.episode, expected_version)
    review = GoalReview.objects.create(goal=goal, reviewed_on=reviewed_on, progress=progress,
                                       note=note, by=by)
    if status == GoalStatus.ACHIEVED and goal.status != GoalStatus.ACHIEVED:
        goal.achieved_on = reviewed_on
    elif status != GoalStatus.ACHIEVED:
        goal.achieved_on = None
    goal.status = status
    goal.save(update_fields=["status", "achieved_on"])
    record(by, Action.CREATE, review, detail=f"goal={goal.pk} status={status}")
    return review


@transaction.atomic
def add_action(episode: Episode, *, by, description: str, onward_service: str = "",
               due_on: datetime.date | None = None,
               expected_version: int | None = None) -> PlanAction:
    """Add an action (often an onward referral to a community service) to the plan."""
    _locked_open(episode)
    bump_version(episode, expected_version)
    action = PlanAction.objects.create(episode=episode, description=description,
                                       onward_service=onward_service, due_on=due_on,
                                       created_by=by)
    record(by, Action.CREATE, action, detail="onward service" if onward_service else "")
    return action


@transaction.atomic
def complete_action(action: PlanAction, *, by, done_on: datetime.date | None = None,
                    expected_version: int | None = None) -> PlanAction:
    """Mark a plan action done (on ``done_on``, default today)."""
    _locked_open(action.episode)
    bump_version(action.episode, expected_version)
    action.done, action.done_on = True, done_on or timezone.localdate()
    action.save(update_fields=["done", "done_on"])
    record(by, Action.CHANGE, action, detail="done")
    return action


@transaction.atomic
def set_review_date(episode: Episode, *, by, next_review_on: datetime.date | None,
                    expected_version: int | None = None) -> Episode:
    """Set (or clear) the date the plan is next reviewed with the person."""
    _locked_open(episode)
    bump_version(episode, expected_version)
    Episode.objects.filter(pk=episode.pk).update(next_review_on=next_review_on)
    episode.next_review_on = next_review_on
    record(by, Action.CHANGE, episode, detail="next_review_on")
    return episode


@transaction.atomic
def record_session(episode: Episode, *, by, held_on: datetime.date, kind: str,
                   duration_minutes: int | None = None, note: str = "",
                   expected_version: int | None = None,
                   conversation: int | None = None) -> Session:
    """Record a support session held with the person; ``conversation`` is the 3 Conversations
    tag (1, 2 or 3), for teams that work to it."""
    _check_conversation(conversation)
    _locked_open(episode)
    bump_version(episode, expected_version)
    session = Session.objects.create(episode=episode, held_on=held_on, kind=kind,
                                     duration_minutes=duration_minutes, note=note, by=by,
                                     conversation=conversation)
    record(by, Action.CREATE, session, detail=f"kind={kind}"
           + (f" conversation={conversation}" if conversation else ""))
    return session


# -- ending -----------------------------------------------------------------------------------

CLOSABLE = (Status.ENGAGED, Status.ACTIVE, Status.CLOSING)
"""Statuses from which an episode is closed with a discharge summary. Earlier endings
(not engaged, declined) happen on the episode page, not here."""


def propose_ending(episode: Episode, *, by, reason: str = "",
                   expected_version: int | None = None) -> Episode:
    """Move an engaged or active episode to 'closing', for the huddle to agree the ending."""
    return transition(episode, Status.CLOSING, by=by, reason=reason or "ending proposed",
                      expected_version=expected_version)


def draft_discharge(episode: Episode) -> dict:
    """Initial values for the discharge summary form, filled from the record: the needs
    confirmed and worked on in goals, each goal with its status, and the onward services."""
    latest = episode.what_matters.first()
    goals = list(episode.goals.all())
    themes = list(latest.needs_confirmed) if latest else []
    themes += [g.need for g in goals if g.need and g.need not in themes]
    goal_lines = [f"{g.get_status_display()}: {g.description}" for g in goals]
    services = [
        f"{a.onward_service} ({a.description}{', done' if a.done else ''})"
        for a in episode.actions.all() if a.onward_service
    ]
    return {"themes": themes, "goals_summary": "\n".join(goal_lines),
            "onward_services": "\n".join(services)}


@transaction.atomic
def close_episode(episode: Episode, *, by, outcomes: str, themes=(), goals_summary: str = "",
                  onward_services: str = "", expected_version: int | None = None,
                  today: datetime.date | None = None) -> DischargeSummary:
    """Write the discharge summary and close the episode: engaged or active episodes move to
    'closing' then 'closed'; an episode already 'closing' moves to 'closed'.

    Raises ``IllegalTransition`` for any other status (e.g. still trying to make contact).
    """
    today = today or timezone.localdate()
    current = Status(Episode.objects.select_for_update().get(pk=episode.pk).status)
    if current not in CLOSABLE:
        raise IllegalTransition(current, Status.CLOSING)
    reason = "closed with discharge summary"
    if current != Status.CLOSING:
        transition(episode, Status.CLOSING, by=by, reason=reason,
                   expected_version=expected_version)
        expected_version = None
    transition(episode, Status.CLOSED, by=by, reason=reason, expected_version=expected_version)
    started = episode.allocated_at or episode.opened_at
    summary = DischargeSummary.objects.create(
        episode=episode, themes=list(themes), outcomes=outcomes, goals_summary=goals_summary,
        onward_services=onward_services, started_on=timezone.localdate(started), ended_on=today,
        session_count=episode.sessions.count(), contact_attempts=episode.contacts.count(),
        attempts_to_engage=attempts_to_engage(episode), written_by=by,
    )
    record(by, Action.CREATE, summary, detail="discharge summary")
    return summary


# -- 3 Conversations and the personal network -------------------------------------------------

@transaction.atomic
def record_crisis_plan(episode: Episode, *, by, crisis: str, actions: str, by_whom: str,
                       by_when: datetime.date, review_on: datetime.date,
                       expected_version: int | None = None) -> CrisisPlan:
    """Record the crisis plan for conversation 2 (it replaces the previous one as current)."""
    if not all(text.strip() for text in (crisis, actions, by_whom)):
        raise ValueError("A crisis plan needs the crisis, what will be done and by whom")
    _locked_open(episode)
    bump_version(episode, expected_version)
    plan = CrisisPlan.objects.create(episode=episode, crisis=crisis, actions=actions,
                                     by_whom=by_whom, by_when=by_when, review_on=review_on,
                                     recorded_by=by)
    record(by, Action.CREATE, plan, detail="crisis plan")
    return plan


@transaction.atomic
def record_network_snapshot(episode: Episode, *, by, taken_on: datetime.date, stage: str,
                            strengths=(), interests=(), entries=(),
                            expected_version: int | None = None) -> NetworkSnapshot:
    """Record a dated snapshot of the person's strengths, interests and personal network.
    ``entries`` are dicts with ``who``, ``kind``, ``frequency`` and ``helpfulness`` (1 to 5);
    all are checked before anything is saved."""
    rows = [NetworkEntry(**entry) for entry in entries]
    for row in rows:
        row.full_clean(exclude=["snapshot"])
    if not (rows or strengths or interests):
        raise ValueError("A snapshot needs at least one strength, interest or network entry")
    _locked_open(episode)
    bump_version(episode, expected_version)
    snapshot = NetworkSnapshot.objects.create(
        episode=episode, taken_on=taken_on, stage=stage, strengths=list(strengths),
        interests=list(interests), by=by)
    for row in rows:
        row.snapshot = snapshot
    NetworkEntry.objects.bulk_create(rows)
    record(by, Action.CREATE, snapshot, detail=f"stage={stage} entries={len(rows)}")
    return snapshot
