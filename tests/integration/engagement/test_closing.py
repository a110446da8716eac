"""Closing with a discharge summary; the printable page and the PDF; who may see them."""

import datetime
from html import unescape

import pytest

from tests.pdf import read_pdf
from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.engagement import services
from upstream.service.engagement.models import DischargeSummary, GoalStatus
from upstream.service.people.models import Person
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
    """The text on the PDF's pages."""
    return read_pdf(data).text


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


# -- issue 10: readiness to share, goals not started, the PDF's contents and tags --------------


def close(episode, worker):
    return services.close_episode(episode, by=worker, outcomes="Goes to lunch club weekly",
                                  themes=["loneliness"])


def summary_page(client, user, episode) -> str:
    client.force_login(user)
    return unescape(client.get(f"/engagement/episodes/{episode.pk}/summary/").content.decode())


def test_summary_is_ready_to_share_only_with_consent_and_gp(client, worked_episode, worker):
    close(worked_episode, worker)
    person = worked_episode.person
    Person.objects.filter(pk=person.pk).update(consent_to_share=False, gp_practice_ods="")

    page = summary_page(client, worker, worked_episode)
    assert "Not ready to share with the GP: record the person's consent to share with their " \
           "GP and their GP practice" in page
    assert "Ready to share with the GP." not in page

    Person.objects.filter(pk=person.pk).update(consent_to_share=True)
    page = summary_page(client, worker, worked_episode)
    assert "Not ready to share with the GP: record their GP practice" in page

    Person.objects.filter(pk=person.pk).update(gp_practice_ods="A81001",
                                               gp_practice_name="Riverside Surgery")
    page = summary_page(client, worker, worked_episode)
    assert "Ready to share with the GP." in page and "Not ready" not in page
    assert "Riverside Surgery (A81001)" in page


def test_closing_message_does_not_claim_ready_without_consent(client, worked_episode, worker):
    Person.objects.filter(pk=worked_episode.person_id).update(consent_to_share=False)
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{worked_episode.pk}/close/", {
        "form": "close", "close-version": worked_episode.version,
        "close-themes": ["loneliness"], "close-outcomes": "Goes out weekly",
        "close-goals_summary": "", "close-onward_services": ""}, follow=True)
    page = unescape(response.content.decode())
    assert "Episode closed. Not ready to share with the GP" in page
    assert "ready to share." not in page.lower().replace("not ready to share", "")


def test_goals_not_started_prompt_a_review_before_closing(client, worked_episode, worker):
    services.add_goal(worked_episode, by=worker, description="Try the walking group")
    worked_episode.refresh_from_db()
    client.force_login(worker)
    url = f"/engagement/episodes/{worked_episode.pk}/close/"
    data = {"form": "close", "close-version": worked_episode.version,
            "close-themes": ["loneliness"], "close-outcomes": "Goes out weekly",
            "close-goals_summary": "", "close-onward_services": ""}

    refused = client.post(url, data)
    page = unescape(refused.content.decode())
    assert "1 goal is still not started" in page and "Try the walking group" in page
    assert 'href="#id_close-goals_reviewed"' in page, "the error summary links to the checkbox"
    assert f'href="/engagement/episodes/{worked_episode.pk}/plan/"' in page
    assert not DischargeSummary.objects.exists()
    worked_episode.refresh_from_db()
    assert worked_episode.status != Status.CLOSED

    confirmed = client.post(url, {**data, "close-goals_reviewed": "on"})
    assert confirmed.status_code == 302
    assert DischargeSummary.objects.filter(episode=worked_episode).exists()


def test_pdf_has_contact_marking_reason_what_matters_and_tags(client, worked_episode, worker):
    close(worked_episode, worker)
    referral = worked_episode.referrals.get()
    referral.reason = "Lives alone since a heart attack"
    referral.save()
    client.force_login(worker)
    data = client.get(f"/engagement/episodes/{worked_episode.pk}/summary.pdf").content
    text = pdf_text(data)

    assert text.count("OFFICIAL-SENSITIVE: personal") >= 2  # header and footer
    assert worked_episode.team.name in text
    assert "Reason for referral" in text and "Lives alone since a heart attack" in text
    assert "What matters to the person" in text and "Feeling less alone" in text
    # Tagged PDF/UA-1 for screen readers: language, title, a heading per section, paragraphs
    # and the person's details as a table with row headers.
    found = read_pdf(data)
    assert (found.lang, found.title, found.displays_title) == ("en-GB", "Discharge summary", True)
    assert found.pdfua_part == "1" and found.marked
    assert found.texts("H1") == ["Discharge summary"]
    assert found.texts("H2") == [
        "Reason for referral", "What matters to the person", "Needs worked on", "Outcomes",
        "Goals", "Community referrals", "Onward services"]
    assert "Lives alone since a heart attack" in found.texts("P")
    assert found.count("P") >= 7 and found.count("TH") >= 5


def test_team_contact_details_come_from_outreach_settings_when_set(client, worked_episode,
                                                                    worker):
    settings_model = pytest.importorskip("upstream.service.outreach.models").OutreachSettings
    settings_model.objects.create(team=worked_episode.team, phone="020 7946 0000",
                                  email="team@example.org", address="Heart Centre\nLondon E1")
    close(worked_episode, worker)
    page = summary_page(client, worker, worked_episode)
    assert "Phone: 020 7946 0000" in page and "Email: team@example.org" in page
    client.force_login(worker)
    text = pdf_text(client.get(f"/engagement/episodes/{worked_episode.pk}/summary.pdf").content)
    assert "Phone: 020 7946 0000" in text


def test_open_episode_hub_has_no_summary_link(client, team, worker):
    episode = make.episode(team, worker=worker, status=Status.ENGAGED)
    client.force_login(worker)
    page = client.get(f"/referrals/episodes/{episode.pk}/").content.decode()
    assert f"/engagement/episodes/{episode.pk}/summary/" not in page
    close(episode, worker)
    page = client.get(f"/referrals/episodes/{episode.pk}/").content.decode()
    assert f"/engagement/episodes/{episode.pk}/summary/" in page


def test_referrer_summary_page_shows_marking(client, worked_episode, worker):
    close(worked_episode, worker)
    referrer = make.user(Role.REFERRER)
    worked_episode.referrals.update(referrer=referrer)
    assert "OFFICIAL-SENSITIVE: personal" in summary_page(client, referrer, worked_episode)
