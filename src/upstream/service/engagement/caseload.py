"""The team views' rules: which open episodes are due, overdue, out of contact or at risk, and
what the weekly huddle discusses. Pure reads; ``today`` is passed in so the rules are testable
on fixed dates. Display (wording, tags, sorting links) lives in ``presenters``.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from upstream.service.engagement.models import ContactAttempt, Goal, GoalStatus
from upstream.service.engagement.services import needs_attempts_review, unsuccessful_in_a_row
from upstream.service.referrals.models import Episode, Referral, Urgency
from upstream.service.referrals.states import CASELOAD, Status

UNALLOCATED = (Status.REFERRED, Status.TRIAGED, Status.WAITING)


@dataclass
class Case:
    """One open episode with the facts the caseload and huddle decide on."""

    episode: Episode
    today: datetime.date
    attempts: int = 0
    unsuccessful_in_a_row: int = 0
    last_contact: ContactAttempt | None = None
    last_seen_on: datetime.date | None = None
    days_since_contact: int | None = None
    review_overdue: bool = False
    review_due_today: bool = False
    actions_overdue: int = 0
    actions_due_today: int = 0
    next_due: datetime.date | None = None
    no_contact: bool = False
    attempts_review: bool = False
    urgent: bool = False

    @property
    def overdue(self) -> bool:
        return self.review_overdue or self.actions_overdue > 0

    @property
    def due_today(self) -> bool:
        return self.review_due_today or self.actions_due_today > 0

    @property
    def not_yet_contacted(self) -> bool:
        return self.attempts == 0

    @property
    def priority(self) -> tuple:
        """Sort key, most pressing first: overdue, due today, out of contact, needing a
        review of attempts, not yet contacted; then urgent referrals, then the next due date."""
        flags = [self.overdue, self.due_today, self.no_contact, self.attempts_review,
                 self.not_yet_contacted]
        rank = next((i for i, flag in enumerate(flags) if flag), len(flags))
        return (rank, not self.urgent, self.next_due or datetime.date.max, self.episode.pk)


def last_contact_on(episode: Episode) -> datetime.date | None:
    """The last day the team was in touch with the person: a contact attempt, a session held
    or a goal reviewed with them, whichever is latest. Uses prefetched ``contacts``,
    ``sessions`` and ``goals__reviews``."""
    days = [timezone.localdate(a.at) for a in episode.contacts.all()]
    days += [s.held_on for s in episode.sessions.all()]
    days += [r.reviewed_on for g in episode.goals.all() for r in g.reviews.all()]
    return max(days, default=None)


def _case(episode: Episode, today: datetime.date, no_contact_days: int) -> Case:
    contacts = sorted(episode.contacts.all(), key=lambda a: (a.at, a.pk))
    open_actions = [a for a in episode.actions.all() if not a.done and a.due_on]
    case = Case(episode=episode, today=today, attempts=len(contacts),
                unsuccessful_in_a_row=unsuccessful_in_a_row(episode))
    case.last_contact = contacts[-1] if contacts else None
    case.last_seen_on = last_contact_on(episode)
    clock_from = case.last_seen_on or timezone.localdate(episode.allocated_at or episode.opened_at)
    since = (today - clock_from).days
    case.days_since_contact = since if case.last_seen_on else None
    case.no_contact = since >= no_contact_days
    review = episode.next_review_on
    case.review_overdue = review is not None and review < today
    case.review_due_today = review == today
    case.actions_overdue = sum(a.due_on < today for a in open_actions)
    case.actions_due_today = sum(a.due_on == today for a in open_actions)
    due_dates = [d for d in [review, *(a.due_on for a in open_actions)] if d]
    case.next_due = min(due_dates, default=None)
    case.attempts_review = needs_attempts_review(episode)
    case.urgent = any(r.urgency == Urgency.URGENT for r in episode.referrals.all())
    return case


def _with_facts(episodes: QuerySet) -> QuerySet:
    return episodes.select_related("person", "team__practice", "worker").prefetch_related(
        Prefetch("contacts", queryset=ContactAttempt.objects.order_by("at", "id")),
        "actions", "referrals", "sessions", "goals__reviews",
    )


def caseload(user, today: datetime.date, worker=None) -> list[Case]:
    """The episodes on ``worker``'s caseload (``states.CASELOAD``; the user's own by default)
    that ``user`` may see, most pressing first.

    An episode is *overdue* if its review date or an open action's due date has passed, *due
    today* if either falls today, and *out of contact* if there has been no contact attempt for
    ``UPSTREAM_NO_CONTACT_DAYS`` days: no contact attempt, session or goal review
    (``last_contact_on``), counted from allocation when there has been none yet.
    """
    episodes = Episode.objects.for_user(user).filter(worker=worker or user, status__in=CASELOAD)
    days = settings.UPSTREAM_NO_CONTACT_DAYS
    return sorted((_case(e, today, days) for e in _with_facts(episodes)),
                  key=lambda c: c.priority)


@dataclass
class Progress:
    case: Case
    goals_achieved: list = field(default_factory=list)
    goals_reviewed: list = field(default_factory=list)
    strengths: str = ""


@dataclass
class Risk:
    case: Case
    reasons: list[str] = field(default_factory=list)


@dataclass
class Huddle:
    """The weekly huddle list for the user's teams, for the 7 days ending ``today``."""

    week_from: datetime.date
    today: datetime.date
    progress: list[Progress]
    risks: list[Risk]
    endings: list[Case]


class RiskReason:
    """Codes for why an episode is a risk; ``presenters`` words them."""

    URGENT_WAITING = "urgent_waiting"
    ATTEMPTS = "attempts"
    NO_CONTACT = "no_contact"
    REVIEW_OVERDUE = "review_overdue"
    ACTIONS_OVERDUE = "actions_overdue"


def _risk_reasons(case: Case) -> list[str]:
    if Status(case.episode.status) in UNALLOCATED:
        return [RiskReason.URGENT_WAITING] if case.urgent else []
    checks = [
        (case.attempts_review, RiskReason.ATTEMPTS),
        (case.no_contact, RiskReason.NO_CONTACT),
        (case.review_overdue, RiskReason.REVIEW_OVERDUE),
        (case.actions_overdue > 0, RiskReason.ACTIONS_OVERDUE),
    ]
    return [code for applies, code in checks if applies]


def _quiet_unallocated(week_from: datetime.date, today: datetime.date) -> Q:
    """Episodes without a worker that the huddle has nothing to say about: not urgent and no
    goal achieved or reviewed this week (such an episode is no risk, no ending and no
    progress). Leaving them out in the query keeps the huddle fast with thousands waiting."""
    urgent = Referral.objects.filter(episode=OuterRef("pk"), urgency=Urgency.URGENT)
    goal_news = Goal.objects.filter(episode=OuterRef("pk")).filter(
        Q(achieved_on__range=(week_from, today))
        | Q(reviews__reviewed_on__range=(week_from, today)))
    return Q(status__in=UNALLOCATED) & ~Exists(urgent) & ~Exists(goal_news)


def huddle(user, today: datetime.date) -> Huddle:
    """What the weekly huddle discusses, over the open episodes of the user's teams:

    - *progress and strengths*: goals achieved or reviewed in the last 7 days;
    - *risks*: many unsuccessful attempts in a row, no contact in ``UPSTREAM_NO_CONTACT_DAYS``
      days, overdue reviews or actions, urgent referrals still waiting for a worker;
    - *proposed endings*: episodes in 'closing', or active with every goal achieved.
    """
    week_from = today - datetime.timedelta(days=6)
    episodes = (Episode.objects.for_user(user).open().filter(team__in=user.teams.all())
                .exclude(_quiet_unallocated(week_from, today))
                .prefetch_related("what_matters"))
    days = settings.UPSTREAM_NO_CONTACT_DAYS
    progress, risks, endings = [], [], []
    for episode in _with_facts(episodes):
        case = _case(episode, today, days)
        goals = list(episode.goals.all())
        achieved = [g for g in goals if g.achieved_on and week_from <= g.achieved_on <= today]
        reviewed = [g for g in goals if g not in achieved and any(
            week_from <= r.reviewed_on <= today for r in g.reviews.all())]
        if achieved or reviewed:
            latest = next(iter(episode.what_matters.all()), None)
            progress.append(Progress(case, achieved, reviewed, latest.strengths if latest else ""))
        if reasons := _risk_reasons(case):
            risks.append(Risk(case, reasons))
        all_achieved = goals and all(g.status == GoalStatus.ACHIEVED for g in goals)
        if episode.status == Status.CLOSING or (episode.status == Status.ACTIVE and all_achieved):
            endings.append(case)
    risks.sort(key=lambda r: (not r.case.urgent, -len(r.reasons), r.case.episode.pk))
    return Huddle(week_from, today, progress, risks, endings)
