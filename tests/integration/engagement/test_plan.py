"""What matters, goals and reviews, actions, review dates and sessions."""

import datetime

import pytest

from tests.dates import date_input
from upstream.service.engagement import services
from upstream.service.engagement.models import Goal, GoalStatus, PlanAction
from upstream.service.referrals.services import StaleEpisode
from upstream.service.referrals.states import Status

from . import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 14)
REFERRED = datetime.datetime(2025, 2, 3, 10, 0, tzinfo=datetime.UTC)
"""The referral date of the episodes whose pages record events on fixed dates in March 2025."""


@pytest.mark.parametrize("start", [Status.ENGAGED, Status.CONTACTING])
def test_recording_what_matters_makes_the_episode_active(team, worker, start):
    episode = make.episode(team, worker=worker, status=start)
    services.record_what_matters(episode, by=worker, conversation_on=TODAY,
                                 what_matters="Getting back to the allotment",
                                 strengths="Close to daughter",
                                 needs_confirmed=["loneliness", "physical_activity"])
    episode.refresh_from_db()
    assert episode.status == Status.ACTIVE
    conversation = episode.what_matters.get()
    assert conversation.needs_labels == ["Loneliness and social isolation", "Physical activity"]


def test_what_matters_rejects_unknown_need_codes(team, worker):
    episode = make.episode(team, worker=worker, status=Status.ENGAGED)
    with pytest.raises(ValueError):
        services.record_what_matters(episode, by=worker, conversation_on=TODAY,
                                     what_matters="x", needs_confirmed=["not_a_need"])
    episode.refresh_from_db()
    assert episode.status == Status.ENGAGED


def test_goal_reviews_track_progress_and_the_day_achieved(team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    goal = services.add_goal(episode, by=worker, description="Walk to the shops",
                             need="physical_activity", target_on=TODAY)
    services.review_goal(goal, by=worker, reviewed_on=TODAY - datetime.timedelta(days=7),
                         status=GoalStatus.IN_PROGRESS, progress=4)
    services.review_goal(goal, by=worker, reviewed_on=TODAY, status=GoalStatus.ACHIEVED,
                         progress=10, note="Walks daily now")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert goal.achieved_on == TODAY
    assert [r.progress for r in goal.reviews.all()] == [4, 10]


def test_progress_outside_0_to_10_is_refused(team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    goal = services.add_goal(episode, by=worker, description="Sleep better")
    with pytest.raises(ValueError):
        services.review_goal(goal, by=worker, reviewed_on=TODAY, status="in_progress",
                             progress=11)


def test_actions_and_review_date(team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    action = services.add_action(episode, by=worker, description="Refer to walking group",
                                 onward_service="Parkside Walkers", due_on=TODAY)
    services.complete_action(action, by=worker, done_on=TODAY)
    services.set_review_date(episode, by=worker, next_review_on=TODAY)
    episode.refresh_from_db()
    assert episode.next_review_on == TODAY
    assert PlanAction.objects.get(pk=action.pk).done


def test_each_plan_edit_advances_the_version(team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    before = episode.version
    services.add_goal(episode, by=worker, description="A", expected_version=before)
    with pytest.raises(StaleEpisode):
        services.add_goal(episode, by=worker, description="B", expected_version=before)
    assert list(Goal.objects.filter(episode=episode).values_list("description", flat=True)) == ["A"]


def test_plan_page_adds_and_reviews_goals(client, team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)
    client.force_login(worker)
    url = f"/engagement/episodes/{episode.pk}/plan/"
    response = client.post(url, {"form": "goal", "goal-version": episode.version,
                                 "goal-description": "Join a choir", "goal-need": "loneliness",
                                 **date_input("goal-target_on", "2025-06-01")})
    assert response.status_code == 302
    goal = episode.goals.get()
    episode.refresh_from_db()
    response = client.post(url, {"form": "review", "review-version": episode.version,
                                 "review-goal": goal.pk,
                                 **date_input("review-reviewed_on", "2025-03-10"),
                                 "review-progress": "6", "review-status": "in_progress"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Join a choir" in page
    assert "6 out of 10" in page


def test_plan_page_review_needs_a_score_or_words_and_keeps_input(client, team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    goal = services.add_goal(episode, by=worker, description="Join a choir")
    episode.refresh_from_db()
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/plan/", {
        "form": "review", "review-version": episode.version, "review-goal": goal.pk,
        **date_input("review-reviewed_on", "2025-03-10"), "review-status": "in_progress"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a progress score or describe progress in words" in page
    assert 'href="#id_review-progress"' in page
    assert 'name="review-reviewed_on[day]" type="text" value="10"' in page


def test_plan_page_refuses_stale_edit_and_keeps_input(client, team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)
    stale = episode.version
    services.add_goal(episode, by=worker, description="Saved by a colleague")
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/plan/", {
        "form": "action", "action-version": stale, "action-description": "Call Citizens Advice",
        "action-onward_service": "Citizens Advice", **date_input("action-due_on", "2025-04-01")})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this episode" in page
    assert "Saved by a colleague" in page  # their change is shown
    assert 'value="Call Citizens Advice"' in page  # and the user's input is kept
    assert not episode.actions.exists()


def test_what_matters_page_records_and_activates(client, team, worker):
    episode = make.episode(team, worker=worker, status=Status.ENGAGED, referred_at=REFERRED)
    client.force_login(worker)
    url = f"/engagement/episodes/{episode.pk}/what-matters/"
    response = client.post(url, {"version": episode.version,
                                 **date_input("conversation_on", "2025-03-01"),
                                 "what_matters": "Seeing my grandchildren",
                                 "needs_confirmed": ["loneliness", "money_debt"]})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == Status.ACTIVE
    assert "Seeing my grandchildren" in client.get(url).content.decode()


def test_sessions_page_records_and_counts(client, team, worker):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)
    client.force_login(worker)
    url = f"/engagement/episodes/{episode.pk}/sessions/"
    for held_on in ["2025-03-01", "2025-03-08"]:
        episode.refresh_from_db()
        response = client.post(url, {"version": episode.version, **date_input("held_on", held_on),
                                     "kind": "in_person", "duration_minutes": "45"})
        assert response.status_code == 302
    assert episode.sessions.count() == 2
    assert "2 sessions held, 1 hour 30 minutes in total" in client.get(url).content.decode()
