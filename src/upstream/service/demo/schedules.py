"""The demo world's schedules: every team has a contact cadence (Leicester's six attempts over
three weeks for the adult teams), the Heart Centre runs Barts' "difficulty making ends meet"
screen at 1, 4 and 8 weeks after a heart attack with people enrolled at various weeks (past
screens recorded: mostly "no", one "yes" and one missed appointment, each of which referred the
person for triage; some from episodes, more enrolled straight after discharge without one),
the ED high intensity use service runs a 12-week programme and the children's team 4 to 8
sessions, each team's lead recorded huddle decisions last week, and each team has sessions
booked for today and later this week.

Runs after the journeys, through the real services. Deterministic for a given ``rng``.
"""

import datetime
import random

from django.utils import timezone

from upstream.service.demo.people import make_person
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode
from upstream.service.referrals.states import Status
from upstream.service.schedules import services
from upstream.service.schedules.models import Decision, Screening

LEICESTER_CADENCE = [(0, "phone"), (2, "sms"), (5, "phone"), (7, "letter"), (12, "phone"),
                     (19, "phone")]
"""Six attempts over three weeks: call, text, call, letter, call, call."""
CHILDREN_CADENCE = [(0, "phone"), (3, "sms"), (7, "phone"), (10, "letter")]
INDEX_DAYS_AGO = [5, 9, 30, 45, 61]
"""How long ago each enrolled person's heart attack was: before week 1, in weeks 1 to 8, after."""
DISCHARGED_DAYS_AGO = [3, 8, 12, 29, 33, 58]
"""Heart attack patients enrolled at discharge, without an episode: how long ago each was."""
DECISION_NOTES = {
    Decision.CONTINUE: "Making good progress; keep the weekly calls going.",
    Decision.ESCALATE: "Eviction notice received: discuss with the housing options team.",
}


def add_schedules(staff: dict, rng: random.Random, *, heart: str, programme_12_weeks: str,
                  children: str) -> None:
    """Add the schedules to the demo teams in ``staff`` (team name -> ``TeamStaff``)."""
    for name, team_staff in staff.items():
        steps = CHILDREN_CADENCE if name == children else LEICESTER_CADENCE
        services.set_cadence(team_staff.team, steps, by=team_staff.lead)
    services.set_programme(staff[programme_12_weeks].team, by=staff[programme_12_weeks].lead,
                           kind="weeks", weeks=12)
    services.set_programme(staff[children].team, by=staff[children].lead, kind="sessions",
                           min_sessions=4, max_sessions=8)
    _barts_screen(staff[heart], rng)
    for team_staff in staff.values():
        _last_weeks_huddle(team_staff, rng)
        _planned_sessions(team_staff, rng)


def _barts_screen(team_staff, rng: random.Random) -> None:
    lead, today = team_staff.lead, timezone.localdate()
    schedule = services.define_screening_schedule(
        team_staff.team, by=lead, name="Difficulty making ends meet",
        index_event="Heart attack", weeks=[1, 4, 8],
        questions=[("Do you have difficulty making ends meet at the end of the month?", "yes")])
    question = str(schedule.questions.get().pk)
    episodes = list(Episode.objects.filter(team=team_staff.team,
                                           status__in=[Status.ENGAGED, Status.ACTIVE])
                    .select_related("worker").order_by("pk"))
    chosen = rng.sample(episodes, min(len(INDEX_DAYS_AGO), len(episodes)))
    past: list[Screening] = []
    for episode, days_ago in zip(chosen, INDEX_DAYS_AGO, strict=False):
        enrolment = services.enrol(schedule, episode, by=episode.worker or lead,
                                   index_date=today - datetime.timedelta(days=days_ago))
        # the latest screening due stays for the worker's "today" list; earlier ones are done
        due = [s for s in enrolment.screenings.all() if s.due_on <= today]
        past += due[:-1]
    used = set(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
    for days_ago in DISCHARGED_DAYS_AGO:
        person = make_person(rng, ages=(45, 85), today=today, used_numbers=used)
        details = {name: getattr(person, name) for name in (
            "nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "phone")}
        enrolment = services.enrol_person(schedule, details, by=lead,
                                          index_date=today - datetime.timedelta(days=days_ago))
        past += [s for s in enrolment.screenings.all() if s.due_on < today]
    outcomes = ["yes", "missed"] + ["no"] * max(len(past) - 2, 0)
    for screening, outcome in zip(past, outcomes, strict=False):
        episode = screening.enrolment.episode
        worker = (episode.worker if episode else None) or lead
        on = screening.due_on
        if outcome == "missed":
            services.record_screening(screening, by=worker, on=on, missed=True)
        else:
            services.record_screening(screening, by=worker, on=on,
                                      answers={question: outcome})


def _last_weeks_huddle(team_staff, rng: random.Random) -> None:
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    episodes = list(Episode.objects.filter(team=team_staff.team,
                                           status__in=[Status.ENGAGED, Status.ACTIVE])
                    .order_by("pk"))
    for episode, decision in zip(rng.sample(episodes, min(2, len(episodes))),
                                 [Decision.CONTINUE, Decision.ESCALATE], strict=False):
        agreed = [w for w in team_staff.workers if w != episode.worker][:1]
        services.record_decision(episode, by=team_staff.lead, decision=decision,
                                 week_of=last_week, note=DECISION_NOTES[decision],
                                 agreed_with=agreed)


def _planned_sessions(team_staff, rng: random.Random) -> None:
    """Two sessions booked for active people: one today (on the worker's today list), one in
    three days."""
    today = timezone.localdate()
    episodes = list(Episode.objects.filter(team=team_staff.team, status=Status.ACTIVE)
                    .select_related("worker").order_by("pk"))
    for episode, days in zip(rng.sample(episodes, min(2, len(episodes))), [0, 3],
                             strict=False):
        services.plan_session(episode, by=episode.worker or team_staff.lead,
                              on=today + datetime.timedelta(days=days), kind="in_person",
                              note="At the community centre")
