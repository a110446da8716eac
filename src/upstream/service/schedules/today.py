"""The "today" page's rule: everything due today or overdue for a worker (a team lead: for
every worker in their teams), most overdue first. Pure reads; ``today`` is passed in."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse

from upstream.service.accounts.models import Role
from upstream.service.connect import services as connect
from upstream.service.engagement.models import ContactAttempt
from upstream.service.outcomes import schedule as outcome_schedule
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode
from upstream.service.referrals.states import CASELOAD
from upstream.service.schedules import services
from upstream.service.schedules.models import (
    CadenceStep,
    ProgrammeShape,
    Screening,
    ScreeningEnrolment,
)
from upstream.standards.outcomes import INSTRUMENTS


class Kind:
    ATTEMPT = "Contact attempt"
    REVIEW = "Plan review"
    ACTION = "Plan action"
    SCREENING = "Screening"
    SESSION = "Planned session"
    ENDING = "Plan the ending"
    OUTCOME = "Outcome measure follow-up"
    COMMUNITY = "Community referral"


@dataclass(frozen=True)
class DueItem:
    """One thing to do: what, for whom (the episode, or for a screening of someone the team
    has not taken on, the enrolment), by when, and the page where it is done."""

    kind: str
    what: str
    episode: Episode | None
    due_on: datetime.date
    href: str
    today: datetime.date
    enrolment: ScreeningEnrolment | None = None

    @property
    def person(self) -> Person:
        return self.episode.person if self.episode else self.enrolment.person

    @property
    def worker_name(self) -> str:
        if self.episode is None:
            return "Screening (not on the caseload)"
        return self.episode.worker.display_name if self.episode.worker else "Not allocated"

    @property
    def overdue_days(self) -> int:
        return max((self.today - self.due_on).days, 0)

    @property
    def sort_key(self) -> tuple:
        return (self.due_on, self.person.family_name.lower(), self.kind)


def _episode_url(name: str, episode: Episode) -> str:
    return reverse(name, kwargs={"episode_id": episode.pk})


def _caseload(user, worker=None):
    """The open caseload episodes the list covers: ``worker``'s, the user's own, or (a team
    lead with no worker chosen) everyone's in the lead's teams."""
    episodes = Episode.objects.for_user(user).filter(status__in=[s.value for s in CASELOAD])
    if worker is not None:
        return episodes.filter(worker=worker)
    if user.role == Role.TEAM_LEAD:
        return episodes.filter(team__in=user.teams.all())
    return episodes.filter(worker=user)


def due_items(user, today: datetime.date, worker=None) -> list[DueItem]:
    """Everything due on or before ``today``: the cadence's next contact attempt, the plan's
    review date and open actions, planned sessions not yet recorded as held, screenings not yet
    recorded, programme endings to plan, and outcome measure follow-ups not yet recorded;
    ordered by how overdue (oldest due date first)."""
    episodes = list(
        _caseload(user, worker).select_related("person", "team", "worker").prefetch_related(
            Prefetch("contacts", queryset=ContactAttempt.objects.order_by("at", "id")),
            "sessions", "actions", "planned_sessions", "outcome_administrations"))
    team_ids = {e.team_id for e in episodes}
    steps: dict[int, list[CadenceStep]] = {}
    for step in CadenceStep.objects.filter(team__in=team_ids).order_by("day", "id"):
        steps.setdefault(step.team_id, []).append(step)
    shapes = {s.team_id: s for s in ProgrammeShape.objects.filter(team__in=team_ids)}
    items: list[DueItem] = []
    for episode in episodes:
        items += _episode_items(episode, steps.get(episode.team_id, []),
                                shapes.get(episode.team_id), today)
    items += _screenings(user, today, worker)
    items += _community_referrals_without_response(episodes, today)
    return sorted(items, key=lambda i: i.sort_key)


def _episode_items(episode: Episode, steps, shape, today) -> list[DueItem]:
    items = []
    due = services.next_attempt(episode, steps, today)
    if due is not None and due.is_due:
        items.append(DueItem(Kind.ATTEMPT, f"Step {due.step} of {due.of}: {due.channel_label}",
                             episode, due.due_on, _episode_url("engagement:contacts", episode),
                             today))
    if episode.next_review_on and episode.next_review_on <= today:
        items.append(DueItem(Kind.REVIEW, "Review the plan with the person", episode,
                             episode.next_review_on, _episode_url("engagement:plan", episode),
                             today))
    for action in episode.actions.all():
        if not action.done and action.due_on and action.due_on <= today:
            items.append(DueItem(Kind.ACTION, action.description, episode, action.due_on,
                                 _episode_url("engagement:plan", episode), today))
    for planned in services.sessions_not_yet_held(episode, today):
        items.append(DueItem(Kind.SESSION, planned.get_kind_display()
                             + (f": {planned.note}" if planned.note else ""), episode,
                             planned.on, _episode_url("engagement:sessions", episode), today))
    for follow_up in outcome_schedule.follow_ups_due(episode, today):
        items.append(DueItem(Kind.OUTCOME, f"{INSTRUMENTS[follow_up.instrument].name}: "
                             "12-week follow-up", episode, follow_up.due_on,
                             _episode_url("outcomes:episode", episode), today))
    progress = services.programme_progress(episode, shape, today)
    if progress is not None and progress.plan_ending and episode.status != "closing":
        items.append(DueItem(Kind.ENDING, f"{progress.text}. {progress.prompt}", episode, today,
                             _episode_url("engagement:close", episode), today))
    return items


def _community_referrals_without_response(episodes, today) -> list[DueItem]:
    """Community referrals the organisation has not answered in time (``connect``)."""
    by_id = {e.pk: e for e in episodes}
    waiting = connect.awaiting_response(
        connect.CommunityReferral.objects.filter(episode__in=list(by_id)), today)
    return [DueItem(Kind.COMMUNITY, f"Chase {r.service_name}: no response to the referral",
                    by_id[r.episode_id], connect.response_due_on(r),
                    _episode_url("engagement:plan", by_id[r.episode_id]) + "#community-referrals",
                    today) for r in waiting]


def _screenings(user, today: datetime.date, worker=None) -> list[DueItem]:
    """Screenings due and not yet recorded: a worker's are those of episodes they hold or
    people they enrolled; a team lead sees all of their teams'."""
    found = Screening.objects.for_user(user).filter(status="due", due_on__lte=today)
    who = worker or (None if user.role == Role.TEAM_LEAD else user)
    if who is not None:
        found = found.filter(Q(enrolment__episode__worker=who) | Q(enrolment__enrolled_by=who))
    found = found.select_related("enrolment__schedule", "enrolment__person",
                                 "enrolment__episode__person", "enrolment__episode__worker",
                                 "enrolment__episode__team")
    return [
        DueItem(Kind.SCREENING, f"{s.enrolment.schedule.name}: week {s.week}",
                s.enrolment.episode, s.due_on,
                reverse("schedules:screening", kwargs={"screening_id": s.pk}), today,
                enrolment=s.enrolment)
        for s in found
    ]
