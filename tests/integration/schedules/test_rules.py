"""The schedules' rules on fixed dates: the cadence's next attempt, "no reply after N
attempts", screenings due from an index date and the referral a positive or missed screen makes,
programme progress, huddle decisions, and sessions counting as contact on the caseload."""

import datetime

import pytest
from django.utils import timezone

from upstream.service.accounts.models import Role
from upstream.service.audit.models import AuditEvent
from upstream.service.engagement import caseload as team_views
from upstream.service.engagement import services as engagement
from upstream.service.engagement.models import GoalStatus
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.services import CaseloadFull
from upstream.service.referrals.states import Status
from upstream.service.schedules import services
from upstream.service.schedules.models import (
    Decision,
    HuddleDecision,
    ProgrammeKind,
    ScreeningStatus,
)

from ..engagement import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 14)
DAY = datetime.timedelta(days=1)
LEICESTER = [(0, "phone"), (2, "sms"), (5, "phone"), (7, "letter"), (12, "phone"), (19, "phone")]


def allocated(team, worker, days_ago: int, **kwargs):
    return make.episode(team, worker=worker, allocated_at=make.at_noon(TODAY - days_ago * DAY),
                        referred_at=make.at_noon(TODAY - (days_ago + 1) * DAY), **kwargs)


def fresh(episode):
    return Episode.objects.prefetch_related("contacts", "sessions").get(pk=episode.pk)


# -- cadence ----------------------------------------------------------------------------------

def test_first_step_is_due_its_day_after_allocation(team, worker, lead):
    steps = services.set_cadence(team, LEICESTER, by=lead)
    due = services.next_attempt(fresh(allocated(team, worker, 3)), steps, TODAY)
    assert (due.step, due.of, due.channel) == (1, 6, "phone")
    assert due.due_on == TODAY - 3 * DAY and due.overdue_days == 3


def test_each_next_step_is_due_its_gap_after_the_previous_attempt(team, worker, lead):
    steps = services.set_cadence(team, LEICESTER, by=lead)
    episode = allocated(team, worker, 10)
    make.attempt(episode, "no_answer", at=make.at_noon(TODAY - 10 * DAY))
    make.attempt(episode, "no_answer", channel="sms", at=make.at_noon(TODAY - 6 * DAY))
    due = services.next_attempt(fresh(episode), steps, TODAY)
    # step 3 is day 5, step 2 day 2: three days after the second attempt (a late one)
    assert (due.step, due.channel, due.due_on) == (3, "phone", TODAY - 3 * DAY)


def test_no_cadence_or_engaged_person_has_nothing_due(team, worker, lead):
    episode = allocated(team, worker, 3)
    assert services.next_attempt(fresh(episode), [], TODAY) is None
    steps = services.set_cadence(team, LEICESTER, by=lead)
    make.attempt(episode, "engaged", at=make.at_noon(TODAY - DAY))
    assert services.next_attempt(fresh(episode), steps, TODAY) is None


def test_no_reply_after_every_step_proposes_did_not_engage(team, worker, lead):
    steps = services.set_cadence(team, LEICESTER, by=lead)
    episode = allocated(team, worker, 25)
    for day, channel in LEICESTER[:5]:
        make.attempt(episode, "no_answer", channel=channel,
                     at=make.at_noon(TODAY - (25 - day) * DAY))
    assert not services.proposes_not_engaged(fresh(episode), steps)
    make.attempt(episode, "no_answer", at=make.at_noon(TODAY - 6 * DAY))
    assert services.proposes_not_engaged(fresh(episode), steps)
    assert services.next_attempt(fresh(episode), steps, TODAY) is None
    assert Episode.objects.get(pk=episode.pk).status == Status.CONTACTING  # not closed


def test_a_huddle_decision_settles_the_proposal_until_another_attempt_goes_unanswered(
        team, worker, lead):
    steps = services.set_cadence(team, LEICESTER[:2], by=lead)
    episode = allocated(team, worker, 10)
    for days_ago in (8, 6):
        make.attempt(episode, "no_answer", at=make.at_noon(TODAY - days_ago * DAY))
    assert services.proposes_not_engaged(fresh(episode), steps)
    services.record_decision(fresh(episode), by=lead, decision="continue", week_of=TODAY,
                             note="Try after discharge")
    assert not services.proposes_not_engaged(fresh(episode), steps)
    assert episode.pk not in [e.pk for e in services.not_engaged_proposals(lead)]
    make.attempt(episode, "no_answer", at=timezone.now() + DAY)
    assert services.proposes_not_engaged(fresh(episode), steps)
    assert episode.pk in [e.pk for e in services.not_engaged_proposals(lead)]


def test_reached_person_is_not_proposed_for_closing(team, worker, lead):
    steps = services.set_cadence(team, LEICESTER[:2], by=lead)
    episode = allocated(team, worker, 5)
    make.attempt(episode, "spoke", at=make.at_noon(TODAY - 4 * DAY))
    make.attempt(episode, "no_answer", at=make.at_noon(TODAY - 2 * DAY))
    assert not services.proposes_not_engaged(fresh(episode), steps)


def test_cadence_refuses_two_steps_on_one_day(team, lead):
    with pytest.raises(services.ScheduleError, match="different day"):
        services.set_cadence(team, [(0, "phone"), (0, "sms")], by=lead)


# -- sessions and goal reviews count as contact (defect) ----------------------------------------

def test_a_session_today_is_contact_on_the_caseload_and_huddle(team, worker, lead):
    seen = allocated(team, worker, 30)
    make.attempt(seen, "engaged", at=make.at_noon(TODAY - 20 * DAY))
    engagement.record_session(seen, by=worker, held_on=TODAY, kind="in_person")
    case = team_views.caseload(worker, TODAY)[0]
    assert not case.no_contact and case.days_since_contact == 0
    huddle = team_views.huddle(lead, TODAY)
    assert all(r.case.episode.pk != seen.pk for r in huddle.risks)


def test_a_goal_review_is_contact(team, worker):
    reviewed = allocated(team, worker, 30)
    make.attempt(reviewed, "engaged", at=make.at_noon(TODAY - 20 * DAY))
    goal = engagement.add_goal(reviewed, by=worker, description="Walk to the park")
    engagement.review_goal(goal, by=worker, reviewed_on=TODAY - DAY,
                           status=GoalStatus.IN_PROGRESS, progress=4)
    case = team_views.caseload(worker, TODAY)[0]
    assert not case.no_contact and case.days_since_contact == 1


def test_without_a_session_the_person_is_out_of_contact(team, worker):
    quiet = allocated(team, worker, 30)
    make.attempt(quiet, "engaged", at=make.at_noon(TODAY - 20 * DAY))
    assert team_views.caseload(worker, TODAY)[0].no_contact


# -- screening schedules ----------------------------------------------------------------------

def barts(team, lead):
    return services.define_screening_schedule(
        team, by=lead, name="Difficulty making ends meet", index_event="Heart attack",
        weeks=services.parse_weeks("1, 4, 8"),
        questions=[("Do you have difficulty making ends meet at the end of the month?", "yes")])


def test_barts_schedule_is_due_7_28_and_56_days_after_the_index_date(team, worker, lead):
    schedule = barts(team, lead)
    index = datetime.date(2025, 1, 6)
    enrolment = services.enrol(schedule, allocated(team, worker, 3), index_date=index, by=worker)
    assert [(s.due_on - index).days for s in enrolment.screenings.all()] == [7, 28, 56]
    assert [s.week for s in enrolment.screenings.all()] == [1, 4, 8]


def _first_screening(team, worker, lead):
    schedule = barts(team, lead)
    episode = allocated(team, worker, 3)
    enrolment = services.enrol(schedule, episode, index_date=TODAY - 7 * DAY, by=worker)
    return schedule, enrolment.screenings.first()


def test_a_yes_creates_one_referral_for_triage(team, worker, lead):
    schedule, screening = _first_screening(team, worker, lead)
    question = schedule.questions.get()
    done = services.record_screening(screening, by=worker, on=TODAY,
                                     answers={str(question.pk): "yes"})
    assert done.status == ScreeningStatus.POSITIVE
    referral = Referral.objects.get(screening=done)
    assert referral.triage_outcome == "" and referral.team == team
    assert referral.person_id == screening.enrolment.person_id
    assert "Difficulty making ends meet screen at week 1" in referral.reason
    with pytest.raises(services.ScheduleError, match="already been recorded"):
        services.record_screening(screening, by=worker, on=TODAY,
                                  answers={str(question.pk): "yes"})
    assert Referral.objects.filter(external_id=f"screening-{screening.pk}").count() == 1


def test_a_missed_appointment_creates_a_referral(team, worker, lead):
    _, screening = _first_screening(team, worker, lead)
    done = services.record_screening(screening, by=worker, on=TODAY, missed=True)
    assert done.status == ScreeningStatus.MISSED
    assert "missed appointment" in done.referral.reason


def test_a_no_creates_no_referral(team, worker, lead):
    schedule, screening = _first_screening(team, worker, lead)
    before = Referral.objects.count()
    done = services.record_screening(screening, by=worker, on=TODAY,
                                     answers={str(schedule.questions.get().pk): "no"})
    assert done.status == ScreeningStatus.NEGATIVE and done.referral is None
    assert Referral.objects.count() == before


def test_unanswered_question_is_refused_and_nothing_saved(team, worker, lead):
    _, screening = _first_screening(team, worker, lead)
    with pytest.raises(services.ScheduleError, match="Answer the question"):
        services.record_screening(screening, by=worker, on=TODAY, answers={})
    screening.refresh_from_db()
    assert screening.is_due


def test_enrolment_only_through_the_schedules_team(team, worker, lead):
    schedule = barts(team, lead)
    other = make.team()
    elsewhere = make.episode(other, worker=make.user(Role.LINK_WORKER, other))
    with pytest.raises(services.ScheduleError, match="team"):
        services.enrol(schedule, elsewhere, index_date=TODAY, by=worker)


def test_weeks_are_parsed_and_checked():
    assert services.parse_weeks("8, 1; 4") == [1, 4, 8]
    for bad in ["", "one", "1, 1", "200"]:
        with pytest.raises(services.ScheduleError):
            services.parse_weeks(bad)


# -- programme shapes -------------------------------------------------------------------------

def test_twelve_week_programme_shows_the_week_and_prompts_in_the_last_two(team, worker, lead):
    shape = services.set_programme(team, by=lead, kind=ProgrammeKind.WEEKS, weeks=12)
    episode = allocated(team, worker, 90, status=Status.ACTIVE)
    engagement.record_session(episode, by=worker, held_on=TODAY - 28 * DAY, kind="in_person")
    progress = services.programme_progress(fresh(episode), shape, TODAY)
    assert progress.text == "Week 5 of 12" and not progress.plan_ending
    late = services.programme_progress(fresh(episode), shape, TODAY + 63 * DAY)
    assert late.text == "Week 14: past the 12-week programme" or late.plan_ending
    week_11 = services.programme_progress(fresh(episode), shape, TODAY + 42 * DAY)
    assert week_11.text == "Week 11 of 12" and week_11.plan_ending


def test_session_range_counts_sessions_and_prompts_at_the_fewest(team, worker, lead):
    shape = services.set_programme(team, by=lead, kind=ProgrammeKind.SESSIONS,
                                   min_sessions=4, max_sessions=8)
    episode = allocated(team, worker, 30, status=Status.ACTIVE)
    for n in range(3):
        engagement.record_session(episode, by=worker, held_on=TODAY - (10 - n) * DAY,
                                  kind="in_person")
    progress = services.programme_progress(fresh(episode), shape, TODAY)
    assert progress.text == "3 of 4 to 8 sessions" and not progress.plan_ending
    engagement.record_session(episode, by=worker, held_on=TODAY, kind="in_person")
    assert services.programme_progress(fresh(episode), shape, TODAY).plan_ending


# -- huddle decisions -------------------------------------------------------------------------

def test_close_decision_ends_an_unreached_person_as_did_not_engage(team, worker, lead):
    episode = allocated(team, worker, 25)
    make.attempt(episode, "no_answer", at=make.at_noon(TODAY - 5 * DAY))
    found = services.record_decision(episode, by=lead, decision=Decision.CLOSE,
                                     week_of=TODAY, note="Six attempts", agreed_with=[worker])
    episode.refresh_from_db()
    assert episode.status == Status.NOT_ENGAGED
    assert "did not engage after 1 contact attempts" in episode.status_reason
    assert list(found.agreed_with.all()) == [worker]
    assert found.week_of == datetime.date(2025, 3, 10)  # the Monday
    assert AuditEvent.objects.filter(record_type__icontains="huddledecision").exists()


def test_close_decision_on_active_episode_goes_to_the_close_flow(team, worker, lead):
    episode = allocated(team, worker, 25, status=Status.ACTIVE)
    services.record_decision(episode, by=lead, decision=Decision.CLOSE, week_of=TODAY)
    episode.refresh_from_db()
    assert episode.status == Status.CLOSING


def test_change_worker_reallocates(team, worker, lead):
    other = make.user(Role.LINK_WORKER, team)
    episode = allocated(team, worker, 5)
    services.record_decision(episode, by=lead, decision=Decision.CHANGE_WORKER, week_of=TODAY,
                             new_worker=other)
    episode.refresh_from_db()
    assert episode.worker == other and episode.status == Status.ALLOCATED


def test_change_to_a_full_worker_is_refused_and_nothing_saved(team, worker, lead):
    team.caseload_limit = 1
    team.save()
    other = make.user(Role.LINK_WORKER, team)
    allocated(team, other, 5, status=Status.ACTIVE)
    episode = allocated(team, worker, 5, status=Status.ACTIVE)
    with pytest.raises(CaseloadFull):
        services.record_decision(episode, by=lead, decision=Decision.CHANGE_WORKER,
                                 week_of=TODAY, new_worker=other)
    episode.refresh_from_db()
    assert episode.worker == worker and not HuddleDecision.objects.exists()


def test_iso_week_defaults_to_this_week():
    assert services.iso_week("2025-W02", TODAY) == datetime.date(2025, 1, 6)
    assert services.iso_week("nonsense", TODAY) == datetime.date(2025, 3, 10)
    assert timezone.now()  # settings loaded
