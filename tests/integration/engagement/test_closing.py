"""Closing with a discharge summary; the printable page and the PDF; who may see them."""

import datetime
import re
import zlib

import pytest

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.engagement import services
from upstream.service.engagement.models import DischargeSummary, GoalStatus
from upstream.service.referrals.states import IllegalTransition, Status

from . import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 14)


@pytest.fixture
def referrer():
    return make.user(Role.REFERRER)


@pytest.fixture
def worked_episode(team, worker, referrer):
    """An episode engaged after two attempts, with a plan, a session and an onward service."""
    episode = make.episode(team, worker=worker, referrer=referrer)
    make.attempt(episode, "no_answer")
    make.attempt(episode, "engaged")
    episode.refresh_from_db()
    services.record_what_matters(episode, by=worker, conversation_on=TODAY,
                                 what_matters="Feeling less alone",
                                 needs_confirmed=["loneliness"])
    goal = services.add_goal(episode, by=worker, description="Join the Tuesday lunch club",
                             need="food")
    services.review_goal(goal, by=worker, reviewed_on=TODAY, status=GoalStatus.ACHIEVED,
                         progress=9)
    services.add_action(episode, by=worker, description="Referral made",
                        onward_service="Riverside Lunch Club")
    services.record_session(episode, by=worker, held_on=TODAY, kind="in_person")
    episode.refresh_from_db()
    return episode


def pdf_text(data: bytes) -> str:
    """The text drawn on the PDF's pages (content streams inflated where compressed)."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            chunks.append(stream)
    return b"\n".join(chunks).decode("latin-1")


def test_draft_discharge_is_filled_from_the_record(worked_episode):
    draft = services.draft_discharge(worked_episode)
    assert draft["themes"] == ["loneliness", "food"]
    assert "Achieved: Join the Tuesday lunch club" in draft["goals_summary"]
    assert "Riverside Lunch Club" in draft["onward_services"]


def test_closing_writes_the_summary_and_closes_via_closing(worked_episode, worker):
    summary = services.close_episode(worked_episode, by=worker, outcomes="Goes out weekly",
                                     themes=["loneliness"], today=TODAY,
                                     expected_version=worked_episode.version)
    worked_episode.refresh_from_db()
    assert worked_episode.status == Status.CLOSED
    assert list(worked_episode.transitions.values_list("to_status", flat=True))[-2:] == [
        Status.CLOSING, Status.CLOSED]
    assert summary.session_count == 1
    assert summary.contact_attempts == 2
    assert summary.attempts_to_engage == 2
    assert summary.ended_on == TODAY


def test_closing_an_episode_still_contacting_is_refused(team, worker):
    episode = make.episode(team, worker=worker, status=Status.CONTACTING)
    with pytest.raises(IllegalTransition):
        services.close_episode(episode, by=worker, outcomes="x")
    assert not DischargeSummary.objects.exists()


def test_close_page_closes_and_shows_the_printable_summary(client, worked_episode, worker):
    client.force_login(worker)
    url = f"/engagement/episodes/{worked_episode.pk}/close/"
    assert "Riverside Lunch Club" in client.get(url).content.decode()  # auto-filled
    response = client.post(url, {"form": "close", "close-version": worked_episode.version,
                                 "close-themes": ["loneliness", "food"],
                                 "close-outcomes": "Now attends lunch club every week",
                                 "close-goals_summary": "Achieved: Join the Tuesday lunch club",
                                 "close-onward_services": "Riverside Lunch Club"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Now attends lunch club every week" in page
    assert "upstream-no-print" in page
    assert worked_episode.person.nhs_number_display in page


def test_propose_ending_moves_to_closing(client, worked_episode, worker):
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{worked_episode.pk}/close/",
                           {"form": "propose", "propose-version": worked_episode.version,
                            "propose-reason": "Goals met"})
    assert response.status_code == 302
    worked_episode.refresh_from_db()
    assert worked_episode.status == Status.CLOSING


def test_summary_pdf_contains_the_summary(client, worked_episode, worker, referrer):
    services.close_episode(worked_episode, by=worker, outcomes="Now attends lunch club",
                           themes=["loneliness"], onward_services="Riverside Lunch Club")
    client.force_login(referrer)  # the referrer may read their own referral's summary
    response = client.get(f"/engagement/episodes/{worked_episode.pk}/summary.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in ["Discharge summary", "Now attends lunch club", "Riverside Lunch Club",
                     worked_episode.person.nhs_number_display, "Loneliness and social isolation"]:
        assert expected in text
    assert AuditEvent.objects.filter(action=Action.EXPORT,
                                     record_type="engagement.dischargesummary").exists()


def test_other_referrers_and_teams_cannot_see_the_summary(client, worked_episode, worker):
    services.close_episode(worked_episode, by=worker, outcomes="Done")
    other_team = make.team()
    for outsider in [make.user(Role.REFERRER), make.user(Role.LINK_WORKER, other_team)]:
        client.force_login(outsider)
        for suffix in ["summary/", "summary.pdf"]:
            url = f"/engagement/episodes/{worked_episode.pk}/{suffix}"
            assert client.get(url).status_code == 404
