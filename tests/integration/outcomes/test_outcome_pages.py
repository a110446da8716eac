"""Recording outcome measures against an episode: the form built from the instrument, the
library's refusals in the error summary, the schedule, audit, scoping, and the cohort table."""

import datetime
import html
import re

import pytest

from tests.dates import date_input
from tests.integration.engagement import factories as make
from upstream.evaluation.outcomes import ALL_PATHWAYS, outcome_change
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.outcomes import services
from upstream.service.outcomes.models import Administration, Timepoint
from upstream.service.referrals.states import Status

pytestmark = pytest.mark.django_db
REFERRED = datetime.datetime(2025, 2, 3, 10, 0, tzinfo=datetime.UTC)


def _phq9(total: int, item9: int = 0) -> dict[str, str]:
    answers, left = {}, total - item9
    for n in range(1, 9):
        answers[f"phq9_{n}"] = min(3, left)
        left -= answers[f"phq9_{n}"]
    answers["phq9_9"] = item9
    return {code: str(value) for code, value in answers.items()}


def _url(episode, instrument="phq9", timepoint="baseline"):
    return (f"/outcomes/episodes/{episode.pk}/record/?instrument={instrument}"
            f"&timepoint={timepoint}")


@pytest.fixture
def episode(team, worker):
    return make.episode(team, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)


def _error_summary(page: str) -> str:
    found = re.search(r'<div class="nhsuk-error-summary.*?</ul>', page, re.S)
    assert found, "no error summary on the page"
    return found.group(0)


def test_recording_a_phq9_baseline_scores_bands_and_audits(client, episode, worker):
    client.force_login(worker)
    page = client.get(_url(episode)).content.decode()
    assert 'name="phq9_1"' in page and "More than half the days" in page
    response = client.post(_url(episode), {**date_input("administered_on", "2025-03-03"),
                                           **_phq9(12)})
    assert response.status_code == 302
    saved = Administration.objects.get(episode=episode)
    assert (saved.instrument, saved.timepoint, saved.scores) == ("phq9", "baseline",
                                                                 {"phq9": 12})
    assert saved.answers["phq9_1"] == 3 and saved.recorded_by == worker
    assert AuditEvent.objects.filter(action=Action.CREATE, record_type="outcomes.administration",
                                     record_id=str(saved.pk)).exists()
    listing = client.get(f"/outcomes/episodes/{episode.pk}/").content.decode()
    assert "PHQ-9 total score: 12 (Moderate)" in listing
    assert "Due 26 May 2025" in listing or "Overdue since 26 May 2025" in listing


def test_a_missing_answer_is_refused_with_the_library_message_and_nothing_saved(
        client, episode, worker):
    client.force_login(worker)
    answers = _phq9(12)
    del answers["phq9_3"]
    response = client.post(_url(episode), {**date_input("administered_on", "2025-03-03"),
                                           **answers})
    assert response.status_code == 200
    summary = _error_summary(response.content.decode())
    assert ("PHQ-9, Sleep (phq9_3): no answer was given (a whole number from 0 to 3 is "
            "needed)") in summary
    assert 'href="#id_phq9_3"' in summary
    assert not Administration.objects.exists()


def test_a_licensed_measure_is_score_entry_with_its_licence_note(client, episode, worker):
    client.force_login(worker)
    page = client.get(_url(episode, "eq5d")).content.decode()
    assert 'id="licence-note"' in page and "EuroQol" in page
    response = client.post(_url(episode, "eq5d"), {**date_input("administered_on", "2025-03-03"),
                                                   "eq5d_index": "1.3", "eq5d_vas": "70"})
    summary = _error_summary(response.content.decode())
    assert "EQ-5D, EQ-5D index value (eq5d_index): 1.3 is out of range" in summary
    response = client.post(_url(episode, "eq5d"), {**date_input("administered_on", "2025-03-03"),
                                                   "eq5d_index": "lots", "eq5d_vas": "70"})
    assert "EQ-5D, EQ-5D index value: 'lots' is not a number" in html.unescape(
        _error_summary(response.content.decode()))
    client.post(_url(episode, "eq5d"), {**date_input("administered_on", "2025-03-03"),
                                        "eq5d_index": "0.62", "eq5d_vas": "70"})
    assert Administration.objects.get().scores == {"eq5d_index": 0.62, "eq5d_vas": 70}


def test_a_follow_up_needs_its_baseline_first_and_comes_after_it(client, episode, worker):
    client.force_login(worker)
    follow_up = _url(episode, timepoint="week_12")
    response = client.post(follow_up, {**date_input("administered_on", "2025-03-03"),
                                       **_phq9(8)})
    assert response.status_code == 409
    assert "Record the PHQ-9 baseline before its 12-week follow-up" in _error_summary(
        response.content.decode())
    client.post(_url(episode), {**date_input("administered_on", "2025-03-03"), **_phq9(18)})
    response = client.post(follow_up, {**date_input("administered_on", "2025-03-03"),
                                       **_phq9(8)})
    assert "must be after the baseline, completed on 3 March 2025" in response.content.decode()
    response = client.post(follow_up, {**date_input("administered_on", "2025-05-26"),
                                       **_phq9(11)})
    assert response.status_code == 302
    listing = client.get(f"/outcomes/episodes/{episode.pk}/").content.decode()
    assert "PHQ-9 total score: 18 to 11, meaningful improvement (threshold 6 points)" in listing
    response = client.post(follow_up, {**date_input("administered_on", "2025-05-27"),
                                       **_phq9(10)})
    assert "already recorded" in response.content.decode()
    assert Administration.objects.count() == 2


def test_phq9_item_9_shows_a_warning_after_saving(client, episode, worker):
    client.force_login(worker)
    response = client.post(_url(episode), {**date_input("administered_on", "2025-03-03"),
                                           **_phq9(12, item9=1)}, follow=True)
    assert "follow your team's risk procedure today" in html.unescape(response.content.decode())


def test_another_teams_episode_is_not_found(client, episode):
    other_team = make.team("Elsewhere")
    stranger = make.user("link_worker", other_team)
    client.force_login(stranger)
    assert client.get(f"/outcomes/episodes/{episode.pk}/").status_code == 404
    assert client.post(_url(episode), _phq9(3)).status_code == 404
    assert not Administration.objects.exists()


def test_the_episode_pages_link_to_outcomes(client, episode, worker):
    client.force_login(worker)
    page = client.get(f"/engagement/episodes/{episode.pk}/plan/").content.decode()
    assert f'href="/outcomes/episodes/{episode.pk}/"' in page


def test_recorded_administrations_feed_the_cohort_evaluation(team, worker):
    for baseline, follow_up, on in [(18, 11, "2025-03-03"), (12, 13, "2025-03-03"),
                                    (20, None, "2025-03-03"), (15, None, "2025-05-01")]:
        episode = make.episode(team, worker=worker, status=Status.ACTIVE, referred_at=REFERRED)
        services.record_administration(
            episode, by=worker, instrument="phq9", timepoint=Timepoint.BASELINE,
            administered_on=datetime.date.fromisoformat(on),
            answers={k: int(v) for k, v in _phq9(baseline).items()})
        if follow_up is not None:
            services.record_administration(
                episode, by=worker, instrument="phq9", timepoint=Timepoint.WEEK_12,
                administered_on=datetime.date(2025, 5, 26),
                answers={k: int(v) for k, v in _phq9(follow_up).items()})
    # On 1 June 2025 the May baseline's follow-up is not due yet: it is not counted as lost.
    frame = services.cohort_frame(Administration.objects.all(), "phq9",
                                  as_of=datetime.date(2025, 6, 1))
    overall = outcome_change(frame, "phq9").group(ALL_PATHWAYS)
    assert (overall.followed_up, overall.lost, overall.improved) == (2, 1, 1)
    assert overall.mean_change.estimate == pytest.approx(((11 - 18) + (13 - 12)) / 2)


def test_every_error_summary_link_lands_on_its_field(client, episode, worker):
    from tests.integration.ui.test_error_summary_links import assert_links_land

    client.force_login(worker)
    response = client.post(_url(episode, "ons4"), {"life_satisfaction": "11"})
    targets = assert_links_land(response.content.decode())
    # The date and the impossible answer; once answers parse, the library names the first
    # unanswered item.
    assert targets == ["id_administered_on-day", "id_life_satisfaction"]
    response = client.post(_url(episode, "ons4"), {"life_satisfaction": "7"})
    assert assert_links_land(response.content.decode()) == ["id_administered_on-day",
                                                            "id_worthwhile"]
    response = client.post(_url(episode, "hba1c"), {**date_input("administered_on", "2025-03-03"),
                                                    "hba1c": "48.5"})
    assert assert_links_land(response.content.decode()) == ["id_hba1c"]
    assert ("HbA1c, HbA1c (mmol/mol) (hba1c): 48.5 is not a whole number"
            in response.content.decode())
    response = client.post(_url(episode, timepoint="week_12"),
                           {**date_input("administered_on", "2025-03-03"), **_phq9(4)})
    assert assert_links_land(response.content.decode()) == ["record-form"]


def test_a_follow_up_due_shows_on_the_workers_today_page(client, episode, worker):
    services.record_administration(
        episode, by=worker, instrument="gad7", timepoint=Timepoint.BASELINE,
        administered_on=datetime.date(2025, 3, 3),
        answers={f"gad7_{n}": 1 for n in range(1, 8)})
    client.force_login(worker)
    page = html.unescape(client.get("/today/").content.decode())
    assert "GAD-7: 12-week follow-up" in page
    assert f"/outcomes/episodes/{episode.pk}/" in page
    services.record_administration(
        episode, by=worker, instrument="gad7", timepoint=Timepoint.WEEK_12,
        administered_on=datetime.date(2025, 5, 26),
        answers={f"gad7_{n}": 0 for n in range(1, 8)})
    assert "GAD-7: 12-week follow-up" not in html.unescape(client.get("/today/").content.decode())
