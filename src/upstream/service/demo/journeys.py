"""One person's journey through a team, played through the real services.

Every step calls the service a user's action would call (submit a referral, triage, allocate,
log a contact attempt, record what matters, add goals, hold sessions, close with a discharge
summary), so the demo's records are exactly what the service itself makes. The services stamp
everything with "now"; a journey keeps its own clock (time since the referral arrived) and, at
the end, moves every stamp back so the journey ends ``quiet_days`` before the real now.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from upstream.service.demo import content
from upstream.service.engagement import services as engagement
from upstream.service.engagement.models import (
    ContactOutcome,
    DischargeSummary,
    Goal,
    GoalStatus,
    PlanAction,
    SessionKind,
)
from upstream.service.people.models import Person
from upstream.service.referrals import services as referrals
from upstream.service.referrals.models import (
    Episode,
    EpisodeTransition,
    Referral,
    RejectReason,
    TriageOutcome,
)
from upstream.service.referrals.states import OPEN, Status

UNSUCCESSFUL = [ContactOutcome.NO_ANSWER, ContactOutcome.NO_ANSWER, ContactOutcome.MESSAGE_LEFT,
                ContactOutcome.MESSAGE_LEFT, ContactOutcome.LETTER_SENT, ContactOutcome.NOT_AT_HOME,
                ContactOutcome.WRONG_NUMBER]
_CHANNEL_FOR = {
    ContactOutcome.NO_ANSWER: ["phone"], ContactOutcome.MESSAGE_LEFT: ["phone", "sms"],
    ContactOutcome.LETTER_SENT: ["letter", "sms", "email"],
    ContactOutcome.NOT_AT_HOME: ["home_visit"], ContactOutcome.WRONG_NUMBER: ["phone"],
}


@dataclass
class TeamStaff:
    """Who does what in one team in the demo."""

    team: object
    lead: object
    workers: list
    referrer: object
    sources: list[str]

    def least_loaded_worker(self):
        """The worker holding the fewest episodes now (first in order on a tie)."""
        return min(self.workers, key=referrals.caseload_count)


@dataclass
class Journey:
    """Plays one referral through to ``ending`` (a key of ``JOURNEYS``)."""

    rng: random.Random
    staff: TeamStaff
    person: Person
    needs: list[str]
    now: datetime.datetime
    clock: datetime.timedelta = datetime.timedelta(0)
    referral: Referral | None = None
    episode: Episode | None = None
    _stamps: list = field(default_factory=list)
    _settled_transition: int = 0

    # -- the clock ------------------------------------------------------------------------------

    def wait(self, low_days: float, high_days: float) -> None:
        self.clock += datetime.timedelta(days=self.rng.uniform(low_days, high_days))

    def stamp(self, obj: models.Model, name: str, offset_days: float = 0, *, date=False) -> None:
        """Set ``obj.<name>`` to the journey's current time (plus ``offset_days``) at the end."""
        self._stamps.append((type(obj), obj.pk, name, self.clock + datetime.timedelta(
            days=offset_days), date))

    def settle(self) -> None:
        """Stamp the episode's transitions made since the last call with the current time."""
        new = EpisodeTransition.objects.filter(episode=self.episode,
                                               pk__gt=self._settled_transition)
        for pk in new.values_list("pk", flat=True):
            self._stamps.append((EpisodeTransition, pk, "at", self.clock, False))
            self._settled_transition = max(self._settled_transition, pk)

    def finish(self, quiet_days: float) -> Episode:
        """Move every stamp back so the journey's last step was ``quiet_days`` ago, and set
        the episode's own timestamps from its transitions."""
        start = self.now - datetime.timedelta(days=quiet_days) - self.clock
        rows: dict[tuple, dict] = {}
        for model, pk, name, offset, is_date in self._stamps:
            moment = start + offset
            rows.setdefault((model, pk), {})[name] = (
                timezone.localdate(moment) if is_date else moment)
        for (model, pk), values in rows.items():
            model.objects.filter(pk=pk).update(**values)
        moves = list(self.episode.transitions.order_by("at", "pk"))
        times = {"opened_at": moves[0].at}
        for move in moves:
            if move.to_status == Status.WAITING:
                times["waiting_since"] = move.at
            if move.to_status == Status.ALLOCATED:
                times["allocated_at"] = move.at
            if Status(move.to_status) not in OPEN:
                times["closed_at"] = move.at
        Episode.objects.filter(pk=self.episode.pk).update(**times)
        summary = DischargeSummary.objects.filter(episode=self.episode)
        if "closed_at" in times:
            started = times.get("allocated_at", times["opened_at"])
            summary.update(started_on=timezone.localdate(started),
                           ended_on=timezone.localdate(times["closed_at"]),
                           written_at=times["closed_at"])
        self.episode.refresh_from_db()
        return self.episode

    # -- steps -------------------------------------------------------------------------------

    def refer(self, *, source: str | None = None, urgent: bool = False) -> None:
        self.referral = referrals.submit_referral(
            person=self.person, team=self.staff.team,
            source=source or self.rng.choice(self.staff.sources), needs=self.needs,
            reason=" ".join(content.REFERRAL_REASONS[n] for n in self.needs[:2]),
            urgency="urgent" if urgent else "routine", consent_given=True,
            referrer=self.staff.referrer,
        )
        self.episode = self.referral.episode
        self.stamp(self.referral, "received_at")
        self.settle()

    def _triage(self, outcome: str, **kwargs) -> referrals.TriageResult:
        self.wait(0.2, 4)
        result = referrals.triage(self.referral, outcome, by=self.staff.lead, **kwargs)
        self.stamp(self.referral, "triaged_at")
        self.episode.refresh_from_db()
        self.settle()
        return result

    def hold_at_triage(self) -> None:
        """Accepted, not yet placed on the waiting list or allocated."""
        self.wait(0.2, 3)
        referrals.transition(self.episode, Status.TRIAGED, by=self.staff.lead,
                             reason="accepted at triage")
        Referral.objects.filter(pk=self.referral.pk).update(
            triage_outcome=TriageOutcome.ACCEPT, triaged_by=self.staff.lead)
        self.stamp(self.referral, "triaged_at")
        self.settle()

    def accept_to_waiting_list(self) -> None:
        self._triage(TriageOutcome.ACCEPT)

    def reject(self, reason: RejectReason, note: str = "") -> None:
        self._triage(TriageOutcome.REJECT, reject_reason=reason, note=note)

    def redirect(self, team) -> None:
        """Redirect to ``team``: the new referral there arrives when this one is redirected."""
        onward = self._triage(TriageOutcome.REDIRECT, redirect_to=team,
                              note="Cardiac symptoms: better placed with the Heart Centre team.")
        self.stamp(onward.redirected, "received_at")
        self.stamp(onward.redirected.episode, "opened_at")
        for move in onward.redirected.episode.transitions.all():
            self.stamp(move, "at")

    def allocate(self) -> None:
        """Accept at triage straight to a worker, or via some days on the waiting list."""
        worker = self.staff.least_loaded_worker()
        if self.rng.random() < 0.5:
            self._triage(TriageOutcome.ACCEPT, worker=worker)
            return
        self.accept_to_waiting_list()
        self.wait(1, 20)
        referrals.allocate(self.episode, worker, by=self.staff.lead)
        self.settle()

    def contact(self, outcome: str, *, channel: str | None = None, note: str | None = None,
                gap: tuple[float, float] = (1, 5)) -> None:
        self.wait(*gap)
        channel = channel or self.rng.choice(_CHANNEL_FOR.get(outcome, ["phone", "in_clinic"]))
        if note is None:
            note = self.rng.choice(content.UNSUCCESSFUL_NOTES)
        attempt = engagement.log_contact_attempt(
            self.episode, by=self.episode.worker, channel=channel, outcome=outcome,
            duration_minutes=self.rng.choice([None, 2, 5, 10]) if channel == "phone" else None,
            note=note,
        )
        self.stamp(attempt, "at")
        self.settle()

    def try_to_reach(self, attempts: int) -> None:
        for _ in range(attempts):
            self.contact(self.rng.choice(UNSUCCESSFUL))

    def engage(self, failed_first: int) -> None:
        self.try_to_reach(failed_first)
        self.contact(ContactOutcome.ENGAGED, channel=self.rng.choice(["phone", "in_clinic"]),
                     note=self.rng.choice(content.ENGAGED_NOTES))

    def what_matters_and_plan(self) -> list[Goal]:
        """The "what matters" conversation, a plan of one to three goals, onward referrals."""
        self.wait(2, 9)
        confirmed = self.needs[:] + ([self.rng.choice(list(content.GOALS))]
                                     if self.rng.random() < 0.3 else [])
        confirmed = list(dict.fromkeys(confirmed))
        conversation = engagement.record_what_matters(
            self.episode, by=self.episode.worker, conversation_on=self.now.date(),
            what_matters=self.rng.choice(content.WHAT_MATTERS),
            strengths=self.rng.choice(content.STRENGTHS), needs_confirmed=confirmed,
        )
        self.stamp(conversation, "conversation_on", date=True)
        self.stamp(conversation, "recorded_at")
        self.settle()
        goals = []
        for need in confirmed[: self.rng.randint(1, 3)]:
            goal = engagement.add_goal(self.episode, by=self.episode.worker,
                                       description=content.GOALS[need], need=need)
            self.stamp(goal, "created_at")
            self.stamp(goal, "target_on", self.rng.choice([42, 56, 84]), date=True)
            goals.append(goal)
            if self.rng.random() < 0.8:
                service, description = content.ONWARD_SERVICES[need]
                action = engagement.add_action(self.episode, by=self.episode.worker,
                                               description=description, onward_service=service)
                self.stamp(action, "created_at")
                self.stamp(action, "due_on", self.rng.choice([7, 14, 21]), date=True)
        return goals

    def sessions(self, count: int, goals: list[Goal]) -> None:
        for number in range(count):
            self.wait(5, 14)
            session = engagement.record_session(
                self.episode, by=self.episode.worker, held_on=self.now.date(),
                kind=self.rng.choice(list(SessionKind)),
                duration_minutes=self.rng.choice([30, 45, 60, 60, 90]),
                note=self.rng.choice(content.SESSION_NOTES),
            )
            self.stamp(session, "held_on", date=True)
            if goals and number % 2 == 1:
                self.review(self.rng.choice(goals), GoalStatus.IN_PROGRESS)

    def review(self, goal: Goal, status: str) -> None:
        review = engagement.review_goal(
            goal, by=self.episode.worker, reviewed_on=self.now.date(), status=status,
            progress=10 if status == GoalStatus.ACHIEVED else self.rng.randint(2, 8),
            note="Good progress." if status != GoalStatus.NOT_ACHIEVED else "Not a priority now.",
        )
        self.stamp(review, "reviewed_on", date=True)
        if status == GoalStatus.ACHIEVED:
            self.stamp(goal, "achieved_on", date=True)

    def complete_actions(self, share: float = 1.0) -> None:
        """Mark done the plan's open actions (each with probability ``share``)."""
        for action in PlanAction.objects.filter(episode=self.episode, done=False):
            if self.rng.random() >= share:
                continue
            engagement.complete_action(action, by=self.episode.worker)
            self.stamp(action, "done_on", -self.rng.uniform(0, 5), date=True)

    def set_review(self, days_from_today: int) -> None:
        """Set the plan's next review date, counted from the real today (not the clock)."""
        engagement.set_review_date(
            self.episode, by=self.episode.worker,
            next_review_on=timezone.localdate(self.now) + datetime.timedelta(days=days_from_today))

    def check_in(self) -> None:
        self.contact(ContactOutcome.SPOKE, channel="phone",
                     note=self.rng.choice(content.CHECK_IN_NOTES), gap=(3, 10))

    def move(self, to: Status, reason: str, *, by=None) -> None:
        self.wait(1, 10)
        referrals.transition(self.episode, to, by=by or self.episode.worker, reason=reason)
        self.settle()

    def close_with_summary(self, goals: list[Goal]) -> None:
        self.wait(3, 14)
        for goal in goals:
            self.review(goal, self.rng.choice([GoalStatus.ACHIEVED] * 3 + [GoalStatus.IN_PROGRESS,
                                                                           GoalStatus.NOT_ACHIEVED]))
        self.complete_actions()
        self.episode.refresh_from_db()
        draft = engagement.draft_discharge(self.episode)
        engagement.close_episode(self.episode, by=self.episode.worker,
                                 outcomes=self.rng.choice(content.OUTCOMES), **draft)
        self.settle()


def _support(journey: Journey, *, sessions: tuple[int, int]) -> list[Goal]:
    journey.allocate()
    journey.engage(failed_first=journey.rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6]))
    goals = journey.what_matters_and_plan()
    journey.sessions(journey.rng.randint(*sessions), goals)
    return goals


def _active(j: Journey) -> None:
    _support(j, sessions=(1, 4))
    j.complete_actions(share=0.7)
    if j.rng.random() < 0.8:
        j.check_in()


def _closing(j: Journey) -> None:
    _support(j, sessions=(3, 6))
    j.wait(1, 10)
    engagement.propose_ending(j.episode, by=j.episode.worker,
                              reason="goals met; ending proposed at huddle")
    j.settle()


def _closed(j: Journey) -> None:
    j.close_with_summary(_support(j, sessions=(3, 8)))


def _contacting(j: Journey) -> None:
    j.allocate()
    j.try_to_reach(j.rng.choice([1, 2, 2, 3, 4, 5, 6, 7]))


def _engaged(j: Journey) -> None:
    j.allocate()
    j.engage(failed_first=j.rng.choice([0, 1, 2, 4]))


def _not_engaged(j: Journey) -> None:
    j.allocate()
    attempts = j.rng.randint(6, 9)
    j.try_to_reach(attempts)
    j.move(Status.NOT_ENGAGED, f"no contact after {attempts} attempts; ending agreed at huddle",
           by=j.staff.lead)


def _declined_on_contact(j: Journey) -> None:
    j.allocate()
    j.try_to_reach(j.rng.randint(0, 2))
    j.contact(ContactOutcome.DECLINED, channel="phone",
              note="Thanked us; does not want support at the moment.")


def _deceased_in_support(j: Journey) -> None:
    _support(j, sessions=(1, 3))
    j.move(Status.DECEASED, "person died; family informed the team", by=j.staff.lead)
    j.stamp(j.person, "date_of_death", -2, date=True)


def _deceased_at_triage(j: Journey) -> None:
    j.reject(RejectReason.DECEASED, "Died before triage (hospital record).")
    j.stamp(j.person, "date_of_death", -1, date=True)


JOURNEYS = {
    "referred": lambda j: None,
    "triaged": lambda j: j.hold_at_triage(),
    "waiting": lambda j: j.accept_to_waiting_list(),
    "allocated": lambda j: j.allocate(),
    "contacting": _contacting,
    "engaged": _engaged,
    "active": _active,
    "closing": _closing,
    "closed": _closed,
    "closed_out_of_area": lambda j: j.reject(RejectReason.OUT_OF_AREA, "Lives outside the area."),
    "not_engaged": _not_engaged,
    "declined_at_triage": lambda j: j.reject(RejectReason.DECLINED, "Declined when called."),
    "declined_on_contact": _declined_on_contact,
    "not_suitable": lambda j: j.reject(RejectReason.NOT_SUITABLE,
                                       j.rng.choice(content.NOT_SUITABLE_NOTES)),
    "deceased_at_triage": _deceased_at_triage,
    "deceased_in_support": _deceased_in_support,
}
"""Each journey's steps after the referral is submitted. ``closed_redirected`` is played by
``world`` because it needs the team to redirect to."""

QUIET_DAYS = {
    "referred": (0, 5), "triaged": (0, 3), "waiting": (2, 40), "allocated": (0, 8),
    "contacting": (0, 6), "engaged": (0, 6), "active": (0, 18), "closing": (0, 6),
}
"""How long ago each open journey's last step was (days); ended journeys: 0 to 300 days."""


def quiet_days(rng: random.Random, journey: str) -> float:
    return rng.uniform(*QUIET_DAYS.get(journey, (0, 300)))
