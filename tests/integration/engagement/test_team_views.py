"""My caseload and the weekly huddle, on fixed dates (``today`` is passed in)."""

import datetime

import pytest
from django.utils import timezone

from upstream.service.accounts.models import Role
from upstream.service.engagement import caseload as team_views
from upstream.service.engagement import services
from upstream.service.engagement.caseload import RiskReason
from upstream.service.engagement.models import GoalStatus
from upstream.service.referrals.states import Status

from . import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 14)
DAY = datetime.timedelta(days=1)


def allocated(team, worker, days_ago: int, **kwargs):
    return make.episode(team, worker=worker, allocated_at=make.at_noon(TODAY - days_ago * DAY),
                        **kwargs)


def by_episode(cases):
    return {case.episode.pk: case for case in cases}


def test_review_or_action_due_today_is_due_today(team, worker):
    review_today = allocated(team, worker, 3)
    services.set_review_date(review_today, by=worker, next_review_on=TODAY)
    action_today = allocated(team, worker, 3)
    services.add_action(action_today, by=worker, description="Call back", due_on=TODAY)
    later = allocated(team, worker, 3)
    services.set_review_date(later, by=worker, next_review_on=TODAY + DAY)
    cases = by_episode(team_views.caseload(worker, TODAY))
    assert cases[review_today.pk].due_today and not cases[review_today.pk].overdue
    assert cases[action_today.pk].due_today
    assert not cases[later.pk].due_today and not cases[later.pk].overdue


def test_past_review_or_open_action_is_overdue(team, worker):
    late_review = allocated(team, worker, 3)
    services.set_review_date(late_review, by=worker, next_review_on=TODAY - DAY)
    late_action = allocated(team, worker, 3)
    services.add_action(late_action, by=worker, description="Send form", due_on=TODAY - 2 * DAY)
    done_action = allocated(team, worker, 3)
    action = services.add_action(done_action, by=worker, description="Done already",
                                 due_on=TODAY - 2 * DAY)
    services.complete_action(action, by=worker)
    cases = by_episode(team_views.caseload(worker, TODAY))
    assert cases[late_review.pk].overdue
    assert cases[late_action.pk].overdue and cases[late_action.pk].actions_overdue == 1
    assert not cases[done_action.pk].overdue


def test_no_contact_in_14_days(team, worker):
    fourteen = allocated(team, worker, 30)
    make.attempt(fourteen, "spoke", at=make.at_noon(TODAY - 14 * DAY))
    thirteen = allocated(team, worker, 30)
    make.attempt(thirteen, "no_answer", at=make.at_noon(TODAY - 13 * DAY))
    never_long_ago = allocated(team, worker, 20)
    never_recent = allocated(team, worker, 2)
    cases = by_episode(team_views.caseload(worker, TODAY))
    assert cases[fourteen.pk].no_contact
    assert not cases[thirteen.pk].no_contact
    assert cases[never_long_ago.pk].no_contact
    assert not cases[never_recent.pk].no_contact
    assert cases[never_recent.pk].not_yet_contacted


def test_caseload_is_the_users_open_episodes_most_pressing_first(team, worker):
    colleague = make.user(Role.LINK_WORKER, team)
    calm = allocated(team, worker, 2)
    make.attempt(calm, "engaged", at=make.at_noon(TODAY - DAY))
    overdue = allocated(team, worker, 2)
    services.set_review_date(overdue, by=worker, next_review_on=TODAY - DAY)
    due = allocated(team, worker, 2)
    services.set_review_date(due, by=worker, next_review_on=TODAY)
    allocated(team, colleague, 2)
    ended = allocated(team, worker, 2)
    make.attempt(ended, "declined", at=make.at_noon(TODAY - DAY))
    order = [case.episode.pk for case in team_views.caseload(worker, TODAY)]
    assert order == [overdue.pk, due.pk, calm.pk]


def test_caseload_page_shows_buckets_and_filters(client, team, worker):
    today = timezone.localdate()
    due = make.episode(team, worker=worker)
    services.set_review_date(due, by=worker, next_review_on=today)
    quiet = make.episode(team, worker=worker,
                         allocated_at=make.at_noon(today - 20 * DAY))
    client.force_login(worker)
    page = client.get("/engagement/caseload/").content.decode()
    assert "My caseload" in page
    assert str(due.person) in page and str(quiet.person) in page
    assert "Due today" in page and "No contact in 14 days" in page
    filtered = client.get("/engagement/caseload/?show=due_today").content.decode()
    assert str(due.person) in filtered and str(quiet.person) not in filtered


def test_team_lead_opens_a_workers_caseload_from_their_own_teams_only(client, team, worker):
    case = make.episode(team, worker=worker)
    other_team = make.team()
    stranger = make.user(Role.LINK_WORKER, other_team)
    make.episode(other_team, worker=stranger)
    lead = make.user(Role.TEAM_LEAD, team)
    client.force_login(lead)
    board = client.get("/referrals/board/").content.decode()
    assert f"/engagement/caseload/?worker={worker.pk}" in board
    page = client.get(f"/engagement/caseload/?worker={worker.pk}").content.decode()
    assert f"Caseload of {worker.display_name}" in page and str(case.person) in page
    assert f"?worker={worker.pk}&amp;show=due_today" in page
    assert client.get(f"/engagement/caseload/?worker={stranger.pk}").status_code == 404
    client.force_login(worker)
    assert client.get(f"/engagement/caseload/?worker={worker.pk}").status_code == 404


def test_huddle_buckets(team, worker):
    lead = make.user(Role.TEAM_LEAD, team)
    progressing = allocated(team, worker, 40, status=Status.ACTIVE)
    goal = services.add_goal(progressing, by=worker, description="Attend a class")
    services.review_goal(goal, by=worker, reviewed_on=TODAY - 2 * DAY,
                         status=GoalStatus.IN_PROGRESS, progress=5)
    make.attempt(progressing, "spoke", at=make.at_noon(TODAY - 2 * DAY))
    reviewed_long_ago = allocated(team, worker, 40, status=Status.ACTIVE)
    old = services.add_goal(reviewed_long_ago, by=worker, description="Old goal")
    services.review_goal(old, by=worker, reviewed_on=TODAY - 16 * DAY, status="in_progress",
                         progress=3)  # a review is contact: 16 days ago is out of contact
    unreachable = allocated(team, worker, 5)
    for days in (3, 2, 1):
        make.attempt(unreachable, "no_answer", at=make.at_noon(TODAY - days * DAY))
    urgent_waiting = make.episode(team, status=Status.WAITING, urgency="urgent")
    all_achieved = allocated(team, worker, 40, status=Status.ACTIVE)
    make.attempt(all_achieved, "spoke", at=make.at_noon(TODAY - 3 * DAY))
    done = services.add_goal(all_achieved, by=worker, description="Done goal")
    services.review_goal(done, by=worker, reviewed_on=TODAY - 20 * DAY, status=GoalStatus.ACHIEVED)
    closing = allocated(team, worker, 40, status=Status.CLOSING)
    other_team_episode = make.episode(make.team(), status=Status.WAITING, urgency="urgent")

    result = team_views.huddle(lead, TODAY)

    assert [p.case.episode.pk for p in result.progress] == [progressing.pk]
    risks = {r.case.episode.pk: r.reasons for r in result.risks}
    assert RiskReason.ATTEMPTS in risks[unreachable.pk]
    assert risks[urgent_waiting.pk] == [RiskReason.URGENT_WAITING]
    assert RiskReason.NO_CONTACT in risks[reviewed_long_ago.pk]
    assert other_team_episode.pk not in risks
    assert progressing.pk not in risks
    assert {c.episode.pk for c in result.endings} == {all_achieved.pk, closing.pk}


def test_huddle_page_renders_sections(client, team, worker):
    lead = make.user(Role.TEAM_LEAD, team)
    make.episode(team, status=Status.WAITING, urgency="urgent")
    client.force_login(lead)
    page = client.get("/engagement/huddle/").content.decode()
    for heading in ["Progress and strengths", "Risks (1)", "Proposed endings"]:
        assert heading in page
    assert "Urgent referral waiting for a worker" in page


def test_the_huddles_urgent_wait_counts_from_referral_not_triage(client, team, worker):
    lead = make.user(Role.TEAM_LEAD, team)
    referred = timezone.now() - 9 * DAY
    make.episode(team, status=Status.WAITING, urgency="urgent", referred_at=referred)
    client.force_login(lead)
    page = client.get("/engagement/huddle/").content.decode()
    assert "Urgent referral waiting for a worker for 9 days since referral" in page
