"""The operations and rules of schedules.

- the contact cadence: which attempt is due next, on which channel and date, and when "no
  reply after N attempts" proposes closing as "did not engage";
- screening schedules: enrolment from an index date, screenings due at index + offset, and a
  positive answer or a missed appointment becoming one referral for triage;
- programme shapes: progress through a fixed-length or session-range programme, and when to
  plan the ending;
- huddle decisions: continue, close, escalate or change worker, with who agreed.

Every change is written to the audit log; details hold codes and ids, never identifiers.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.engagement.models import ContactAttempt
from upstream.service.people.models import ContactChannel
from upstream.service.people.services import identity_conflict, match_person
from upstream.service.referrals.models import Episode, Referral, ReferralSource
from upstream.service.referrals.services import (
    CaseloadFull,
    NotATeamWorker,
    allocate,
    bump_version,
    caseload_count,
    refer_person,
    team_workers,
    transition,
)
from upstream.service.referrals.states import Status
from upstream.service.schedules.models import (
    Answer,
    CadenceStep,
    Decision,
    HuddleDecision,
    PlannedSession,
    ProgrammeKind,
    ProgrammeShape,
    Screening,
    ScreeningEnrolment,
    ScreeningQuestion,
    ScreeningSchedule,
    ScreeningStatus,
    monday_of,
)

DAY = datetime.timedelta(days=1)
TRYING = (Status.ALLOCATED, Status.CONTACTING)
"""Statuses in which the cadence runs: the person has a worker and has not yet engaged."""


class ScheduleError(ValueError):
    """A schedule request that cannot be met; the message says why, in plain English."""


# -- contact cadence --------------------------------------------------------------------------

@transaction.atomic
def set_cadence(team, steps: list[tuple[int, str]], *, by) -> list[CadenceStep]:
    """Replace ``team``'s contact cadence with ``steps`` (day, channel). Days must be distinct;
    the steps are kept in day order."""
    days = [d for d, _ in steps]
    if len(set(days)) != len(days):
        raise ScheduleError("Each step needs a different day")
    if any(c not in ContactChannel.values for _, c in steps):
        raise ScheduleError("Select a channel for each step")
    CadenceStep.objects.filter(team=team).delete()
    saved = [CadenceStep.objects.create(team=team, day=d, channel=c) for d, c in sorted(steps)]
    record(by, Action.CHANGE, team, detail=f"contact cadence: {len(saved)} steps")
    return saved


def cadence(team) -> list[CadenceStep]:
    """The team's cadence steps in order (empty when the team has not set one)."""
    return list(CadenceStep.objects.filter(team=team).order_by("day", "id"))


@dataclass(frozen=True)
class DueAttempt:
    """The next contact attempt the cadence asks for."""

    step: int
    """1-based step number."""
    of: int
    """Steps in the cadence."""
    channel: str
    due_on: datetime.date
    today: datetime.date

    @property
    def overdue_days(self) -> int:
        return max((self.today - self.due_on).days, 0)

    @property
    def is_due(self) -> bool:
        return self.due_on <= self.today

    @property
    def channel_label(self) -> str:
        return ContactChannel(self.channel).label


def _attempt_days(episode: Episode) -> list[datetime.date]:
    return sorted(timezone.localdate(a.at) for a in episode.contacts.all())


def next_attempt(episode: Episode, steps: list[CadenceStep],
                 today: datetime.date) -> DueAttempt | None:
    """The cadence step due next for an episode still trying to reach the person, or ``None``
    (no cadence, not trying any more, or every step tried).

    Step 1 is due ``day`` days after allocation; step k is due the gap between steps k-1 and k
    after the date of the (k-1)th attempt, so a late attempt moves the rest of the plan on.
    Uses prefetched ``episode.contacts``.
    """
    if not steps or Status(episode.status) not in TRYING:
        return None
    tried = _attempt_days(episode)
    k = len(tried)
    if k >= len(steps):
        return None
    if k == 0:
        start = timezone.localdate(episode.allocated_at or episode.opened_at)
        due = start + steps[0].day * DAY
    else:
        due = tried[-1] + (steps[k].day - steps[k - 1].day) * DAY
    return DueAttempt(step=k + 1, of=len(steps), channel=steps[k].channel, due_on=due,
                      today=today)


def proposes_not_engaged(episode: Episode, steps: list[CadenceStep]) -> bool:
    """"No reply after N attempts": every step of the cadence has been tried (N = steps), the
    person was never reached and the episode is still trying. A proposal for the huddle, never
    an automatic close. A huddle decision recorded after the latest attempt (for example
    "continue") settles it until another attempt goes unanswered. Uses prefetched
    ``episode.contacts`` (and ``episode.huddle_decisions`` when prefetched)."""
    if not steps or Status(episode.status) not in TRYING:
        return False
    attempts = list(episode.contacts.all())
    if len(attempts) < len(steps) or any(a.successful for a in attempts):
        return False
    latest = max(a.at for a in attempts)
    return not any(d.decided_at >= latest for d in episode.huddle_decisions.all())


def close_as_not_engaged(episode: Episode, *, by, note: str = "",
                         expected_version: int | None = None) -> Episode:
    """End an episode that is trying to make contact as "did not engage" (the state machine's
    'not engaged'), with the attempts made as the reason."""
    attempts = ContactAttempt.objects.filter(episode=episode).count()
    reason = f"did not engage after {attempts} contact attempts (agreed at huddle)"
    if note:
        reason = f"{reason}: {note}"[:300]
    if episode.status == Status.ALLOCATED:
        raise ScheduleError("No contact attempt has been made yet, so the person cannot be "
                            "closed as not engaged")
    return transition(episode, Status.NOT_ENGAGED, by=by, reason=reason,
                      expected_version=expected_version)


# -- screening schedules ----------------------------------------------------------------------

def parse_weeks(text: str) -> list[int]:
    """'1, 4, 8' -> [1, 4, 8]. Raises ``ScheduleError`` for anything but distinct whole weeks
    from 0 to 104."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise ScheduleError("Enter the weeks after the index date, like 1, 4, 8")
    if not all(p.isdigit() for p in parts):
        raise ScheduleError("Weeks after the index date must be whole numbers, like 1, 4, 8")
    weeks = sorted(int(p) for p in parts)
    if len(set(weeks)) != len(weeks) or weeks[-1] > 104:
        raise ScheduleError("Weeks after the index date must be different and at most 104")
    return weeks


@transaction.atomic
def define_screening_schedule(team, *, by, name: str, index_event: str, weeks: list[int],
                              questions: list[tuple[str, str]]) -> ScreeningSchedule:
    """Create a screening schedule for ``team``: ``questions`` are (text, positive answer)."""
    if not questions:
        raise ScheduleError("Enter at least one question")
    if ScreeningSchedule.objects.filter(team=team, name=name).exists():
        raise ScheduleError("Your team already has a screen with this name")
    schedule = ScreeningSchedule.objects.create(team=team, name=name, index_event=index_event,
                                                weeks=sorted(weeks), created_by=by)
    for position, (text, positive) in enumerate(questions, start=1):
        ScreeningQuestion.objects.create(schedule=schedule, position=position, text=text,
                                         positive_answer=Answer(positive))
    record(by, Action.CREATE, schedule, detail=f"weeks={','.join(map(str, schedule.weeks))}")
    return schedule


def due_dates(index_date: datetime.date, weeks: list[int]) -> list[datetime.date]:
    """The dates screenings fall due: the index date plus each offset in weeks."""
    return [index_date + datetime.timedelta(weeks=w) for w in weeks]


@transaction.atomic
def enrol(schedule: ScreeningSchedule, episode: Episode, *, index_date: datetime.date,
          by) -> ScreeningEnrolment:
    """Enrol the episode's person in ``schedule`` from ``index_date``: one screening due at
    index + each offset. Only through an episode of the schedule's own team."""
    if episode.team_id != schedule.team_id:
        raise ScheduleError("People can only be enrolled through an episode in the "
                            "screen's team")
    return _enrol(schedule, episode.person, episode, index_date=index_date, by=by)


@transaction.atomic
def enrol_person(schedule: ScreeningSchedule, details: dict, *, index_date: datetime.date,
                 by) -> ScreeningEnrolment:
    """Enrol the person described by ``details`` (validated Person fields: at least names and
    date of birth) in ``schedule`` without an episode, as a team screening everyone after an
    index event does. The person is matched or created by ``people.services.match_person``;
    when the NHS number belongs to a record whose date of birth or family name disagree,
    nothing is written and ``ScheduleError`` says so (identity never rests on one identifier:
    such a person is referred, where a team lead confirms who they are)."""
    if identity_conflict(details) is not None:
        raise ScheduleError(
            "The NHS number is on a record with a different date of birth or last name: "
            "check the details, or refer the person so a team lead can confirm who they are")
    person = match_person(details, by=by).person
    return _enrol(schedule, person, None, index_date=index_date, by=by)


def _enrol(schedule, person, episode, *, index_date, by) -> ScreeningEnrolment:
    if ScreeningEnrolment.objects.filter(schedule=schedule, person=person,
                                         index_date=index_date).exists():
        raise ScheduleError("This person is already enrolled in this screen from this date")
    enrolment = ScreeningEnrolment.objects.create(schedule=schedule, person=person,
                                                  episode=episode, index_date=index_date,
                                                  enrolled_by=by)
    for week, due in zip(schedule.weeks, due_dates(index_date, schedule.weeks), strict=True):
        Screening.objects.create(enrolment=enrolment, week=week, due_on=due)
    record(by, Action.CREATE, enrolment, detail=f"schedule={schedule.pk}")
    return enrolment


def is_positive(schedule: ScreeningSchedule, answers: dict[str, str]) -> bool:
    """True if any answer is the question's positive answer (``answers``: question id as text
    -> 'yes'/'no')."""
    return any(answers.get(str(q.pk)) == q.positive_answer for q in schedule.questions.all())


@transaction.atomic
def record_screening(screening: Screening, *, by, on: datetime.date,
                     answers: dict[str, str] | None = None, missed: bool = False) -> Screening:
    """Record a screening's answers, or that the person missed the appointment.

    A positive answer or a missed appointment creates one referral for triage into the
    schedule's team through ``referrals.services.refer_person`` (the one intake path), with a
    reason naming the screen and the week. A screening is recorded once: recording it again
    raises ``ScheduleError`` and creates nothing, so there is never a second referral.
    """
    current = Screening.objects.select_for_update().get(pk=screening.pk)
    if not current.is_due:
        raise ScheduleError("This screening has already been recorded")
    schedule = current.enrolment.schedule
    answers = answers or {}
    if not missed:
        missing = [q for q in schedule.questions.all() if str(q.pk) not in answers]
        if missing:
            raise ScheduleError(f"Answer the question: {missing[0].text}")
    positive = missed or is_positive(schedule, answers)
    current.status = (ScreeningStatus.MISSED if missed else
                      ScreeningStatus.POSITIVE if positive else ScreeningStatus.NEGATIVE)
    current.answers, current.recorded_on, current.recorded_by = answers, on, by
    if positive:
        current.referral = _refer_for_triage(current, by=by)
    current.save()
    record(by, Action.CHANGE, current, detail=f"status={current.status}")
    return current


def _refer_for_triage(screening: Screening, *, by) -> Referral:
    enrolment = screening.enrolment
    person = enrolment.person
    what = "missed appointment" if screening.status == ScreeningStatus.MISSED else "positive"
    reason = (f"{enrolment.schedule.name} screen at week {screening.week} after "
              f"{enrolment.schedule.index_event.lower()}: {what}")
    details = {"given_name": person.given_name, "family_name": person.family_name,
               "date_of_birth": person.date_of_birth, "nhs_number": person.nhs_number}
    return refer_person(
        details, team=enrolment.schedule.team, by=by, source=ReferralSource.SCREENING,
        needs=[], reason=reason, consent_given=False, referrer=by,
        external_system="screening", external_id=f"screening-{screening.pk}",
    )


# -- programme shapes -------------------------------------------------------------------------

ENDING_WEEKS = 2
"""A fixed-length programme prompts to plan the ending in its last two weeks."""


@transaction.atomic
def set_programme(team, *, by, kind: str, weeks: int | None = None,
                  min_sessions: int | None = None,
                  max_sessions: int | None = None) -> ProgrammeShape:
    """Set (or replace) ``team``'s programme shape: a length in weeks, or a session range."""
    if kind == ProgrammeKind.WEEKS:
        if not weeks:
            raise ScheduleError("Enter the length of the programme in weeks")
        min_sessions = max_sessions = None
    else:
        if not min_sessions or not max_sessions or min_sessions > max_sessions:
            raise ScheduleError("Enter the fewest and most sessions, the fewest first")
        weeks = None
    shape, _ = ProgrammeShape.objects.update_or_create(
        team=team, defaults={"kind": kind, "weeks": weeks, "min_sessions": min_sessions,
                             "max_sessions": max_sessions})
    record(by, Action.CHANGE, team, detail=f"programme shape: {kind}")
    return shape


@dataclass(frozen=True)
class Progress:
    text: str
    """'Week 5 of 12' or '3 of 4 to 8 sessions'."""
    plan_ending: bool
    """True when it is time to plan the ending with the person."""
    prompt: str = ""


def programme_progress(episode: Episode, shape: ProgrammeShape | None,
                       today: datetime.date) -> Progress | None:
    """Where an engaged or active episode is in its team's programme, or ``None`` (no
    programme, or not started). Weeks count from the first session (or allocation when there
    is none yet), week 1 being the first 7 days; sessions count ``engagement.Session`` rows."""
    if shape is None or Status(episode.status) not in (Status.ENGAGED, Status.ACTIVE,
                                                         Status.CLOSING):
        return None
    sessions = list(episode.sessions.all())
    if shape.kind == ProgrammeKind.WEEKS:
        started = min((s.held_on for s in sessions),
                      default=timezone.localdate(episode.allocated_at or episode.opened_at))
        week = (today - started).days // 7 + 1
        ending = week > shape.weeks - ENDING_WEEKS
        over = week > shape.weeks
        text = (f"Week {week} of {shape.weeks}" if not over
                else f"Week {week}: past the {shape.weeks}-week programme")
        prompt = "Plan the ending: the programme is in its last 2 weeks" if not over else \
            "Plan the ending: the programme has ended"
        return Progress(text, ending, prompt if ending else "")
    count = len(sessions)
    text = f"{count} of {shape.min_sessions} to {shape.max_sessions} sessions"
    ending = count >= shape.min_sessions
    prompt = ("Plan the ending: the most sessions have been held" if count >= shape.max_sessions
              else "Plan the ending: the fewest sessions have been reached")
    return Progress(text, ending, prompt if ending else "")


def programme_for(team) -> ProgrammeShape | None:
    return ProgrammeShape.objects.filter(team=team).first()


# -- huddle decisions -------------------------------------------------------------------------

def iso_week(value: str, today: datetime.date) -> datetime.date:
    """The Monday of ISO week ``value`` ('2026-W49'); this week for an empty or unreadable
    value."""
    try:
        year, week = value.split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, AttributeError):
        return monday_of(today)


@transaction.atomic
def record_decision(episode: Episode, *, by, decision: str, week_of: datetime.date,
                    note: str = "", agreed_with=(), new_worker=None,
                    expected_version: int | None = None) -> HuddleDecision:
    """Record what the huddle decided about ``episode`` and carry it out:

    - *change worker*: reallocate through ``referrals.services.allocate`` (its caseload limit
      and team checks apply; the episode goes back through the waiting list to move);
    - *close*: an episode still trying to make contact ends as 'did not engage'; an engaged or
      active one moves to 'closing' so its worker writes the discharge summary (the close
      flow);
    - *continue* and *escalate* change nothing but are recorded for the worker to see.
    """
    if decision == Decision.CHANGE_WORKER:
        if new_worker is None or new_worker == episode.worker:
            raise ScheduleError("Select the new worker")
        if episode.status not in (Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED,
                                  Status.ACTIVE, Status.CLOSING):
            raise ScheduleError("Only an allocated episode can change worker")
        _reallocate(episode, new_worker, by=by, expected_version=expected_version)
    elif decision == Decision.CLOSE:
        if episode.status in TRYING:
            close_as_not_engaged(episode, by=by, note=note, expected_version=expected_version)
        elif episode.status in (Status.ENGAGED, Status.ACTIVE):
            transition(episode, Status.CLOSING, by=by, expected_version=expected_version,
                       reason="ending agreed at huddle")
        elif episode.status != Status.CLOSING:
            raise ScheduleError("This episode cannot be closed from the huddle")
    found = HuddleDecision.objects.create(
        episode=episode, week_of=monday_of(week_of), decision=decision, note=note,
        new_worker=new_worker if decision == Decision.CHANGE_WORKER else None, decided_by=by)
    found.agreed_with.set(agreed_with)
    record(by, Action.CREATE, found, detail=f"decision={decision}")
    return found


def _reallocate(episode: Episode, worker, *, by, expected_version: int | None) -> None:
    """Give an episode that has a worker to ``worker``, with allocation's checks (a link worker
    in the team, within the caseload limit). An allocated episode goes back through the
    waiting list to ``referrals.services.allocate``, the state machine's route; later in the
    episode the status stays and only the worker changes, audited."""
    if not team_workers(episode.team).filter(pk=worker.pk).exists():
        raise NotATeamWorker(worker, episode.team)
    if episode.status == Status.ALLOCATED:
        transition(episode, Status.WAITING, by=by, reason="worker changed at huddle",
                   expected_version=expected_version)
        allocate(episode, worker, by=by)
        return
    count, limit = caseload_count(worker), episode.team.caseload_limit
    if count >= limit:
        raise CaseloadFull(worker, count, limit)
    bump_version(episode, expected_version)
    Episode.objects.filter(pk=episode.pk).update(worker=worker)
    episode.worker = worker
    record(by, Action.CHANGE, episode, detail="worker changed at huddle")


def decisions_in_week(user, week_of: datetime.date):
    """The huddle decisions the user may see, recorded for the week starting ``week_of``."""
    return (HuddleDecision.objects.for_user(user).filter(week_of=monday_of(week_of))
            .select_related("episode__person", "decided_by", "new_worker")
            .prefetch_related("agreed_with"))


def not_engaged_proposals(user) -> list[Episode]:
    """Episodes of the user's teams where the cadence has run out with no reply: the "did not
    engage" proposals the huddle decides on."""
    episodes = (Episode.objects.for_user(user).filter(team__in=user.teams.all(),
                                                      status__in=[s.value for s in TRYING])
                .select_related("person", "team", "worker")
                .prefetch_related("contacts", "huddle_decisions"))
    steps: dict[int, list[CadenceStep]] = {}
    for step in CadenceStep.objects.filter(team__in=user.teams.all()).order_by("day", "id"):
        steps.setdefault(step.team_id, []).append(step)
    return [e for e in episodes if proposes_not_engaged(e, steps.get(e.team_id, []))]


# -- planned sessions -------------------------------------------------------------------------

@transaction.atomic
def plan_session(episode: Episode, *, by, on: datetime.date, kind: str,
                 note: str = "") -> PlannedSession:
    """Book a session with the person on ``on`` (today or later) for an open episode."""
    if not episode.is_open:
        raise ScheduleError("This episode has ended, so no session can be planned")
    if on < timezone.localdate():
        raise ScheduleError("Date of the session must be today or in the future")
    planned = PlannedSession.objects.create(episode=episode, on=on, kind=kind, note=note,
                                            planned_by=by)
    record(by, Action.CREATE, planned, detail=f"kind={kind}")
    return planned


def sessions_not_yet_held(episode: Episode, today: datetime.date) -> list[PlannedSession]:
    """The episode's planned sessions due by ``today`` with no session recorded on or after
    their day (uses prefetched ``planned_sessions`` and ``sessions``)."""
    held = [s.held_on for s in episode.sessions.all()]
    return [p for p in episode.planned_sessions.all()
            if p.on <= today and not any(day >= p.on for day in held)]
