"""The schedules pages through the web: the today page, the team's cadence, programme and
screens, enrolling and recording a screening, and the huddle's week chooser and decisions."""

import datetime
import html

import pytest
from django.utils import timezone

from upstream.service.accounts.models import Role
from upstream.service.audit.models import AuditEvent
from upstream.service.engagement import services as engagement
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral, ReferralSource
from upstream.service.referrals.states import Status
from upstream.service.schedules import services
from upstream.service.schedules.models import CadenceStep, HuddleDecision, ScreeningSchedule

from ..engagement import factories as make

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def allocated(team, worker, days_ago: int, **kwargs):
    today = timezone.localdate()
    return make.episode(team, worker=worker, allocated_at=make.at_noon(today - days_ago * DAY),
                        referred_at=make.at_noon(today - (days_ago + 1) * DAY), **kwargs)


def nhs(episode) -> str:
    """The NHS number as pages show it: unique, unlike synthetic names, which can contain
    one another ("Alex Synthetic1" in "Alex Synthetic12")."""
    return episode.person.nhs_number_display


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_today_lists_due_attempts_most_overdue_first_with_links(client, team, worker, lead):
    services.set_cadence(team, [(0, "phone"), (2, "sms")], by=lead)
    older = allocated(team, worker, 5)
    newer = allocated(team, worker, 1)
    later = allocated(team, worker, 0)
    make.attempt(later, "no_answer")  # next step (text) due in 2 days: not listed
    client.force_login(worker)
    html = page(client, "/today/")
    assert html.index(nhs(older)) < html.index(nhs(newer))
    assert nhs(later) not in html
    assert f"/engagement/episodes/{older.pk}/contacts/" in html
    assert "5 days overdue" in html and "Step 1 of 2: Phone call" in html
    assert AuditEvent.objects.filter(record_type="schedules.today").exists()


def test_today_shows_reviews_screenings_and_programme_endings(client, team, worker, lead):
    today = timezone.localdate()
    review = allocated(team, worker, 20, status=Status.ACTIVE)
    engagement.set_review_date(review, by=worker, next_review_on=today)
    schedule = services.define_screening_schedule(
        team, by=lead, name="Ends meet", index_event="Heart attack", weeks=[1],
        questions=[("Difficulty making ends meet?", "yes")])
    screened = allocated(team, worker, 20, status=Status.ACTIVE)
    enrolment = services.enrol(schedule, screened, index_date=today - 8 * DAY, by=worker)
    services.set_programme(team, by=lead, kind="sessions", min_sessions=1, max_sessions=2)
    engagement.record_session(screened, by=worker, held_on=today, kind="in_person")
    client.force_login(worker)
    html = page(client, "/today/")
    assert "Plan review" in html and "Ends meet: week 1" in html
    assert f"/schedules/screenings/{enrolment.screenings.get().pk}/" in html
    assert "Plan the ending" in html and "1 of 1 to 2 sessions" in html


def test_today_empty_state_and_a_leads_view_of_their_workers(client, team, worker, lead):
    client.force_login(worker)
    assert "Nothing is due today or overdue" in page(client, "/today/")
    services.set_cadence(team, [(0, "phone")], by=lead)
    episode = allocated(team, worker, 2)
    other_team = make.team()
    services.set_cadence(other_team, [(0, "phone")], by=lead)
    stranger = allocated(other_team, make.user(Role.LINK_WORKER, other_team), 2)
    client.force_login(lead)
    html = page(client, "/today/")
    assert nhs(episode) in html and nhs(stranger) not in html
    assert nhs(episode) in page(client, f"/today/?worker={worker.pk}")
    page(client, f"/today/?worker={stranger.worker.pk}", 404)


def test_today_is_first_in_the_staff_navigation(client, worker, lead):
    for user in (worker, lead):
        client.force_login(user)
        html = page(client, "/engagement/caseload/")
        nav = html[html.index("nhsuk-header__navigation"):]
        assert nav.index('href="/today/"') < nav.index('href="/referrals/triage/"')


def test_lead_sets_the_cadence_and_bad_rows_name_the_field(client, team, lead):
    client.force_login(lead)
    url = f"/schedules/teams/{team.pk}/cadence/"
    assert "Step 1" in page(client, url)
    bad = client.post(url, {"day_1": "0", "channel_1": "phone", "day_2": "two",
                            "channel_2": "sms", "day_3": "5"})
    html = bad.content.decode()
    assert bad.status_code == 200 and "Step 2: the day must be a whole number" in html
    assert "Step 3: select a channel" in html and not CadenceStep.objects.exists()
    good = client.post(url, {"day_1": "0", "channel_1": "phone", "day_2": "2",
                             "channel_2": "sms"})
    assert good.status_code == 302
    assert [(s.day, s.channel) for s in services.cadence(team)] == [(0, "phone"), (2, "sms")]
    assert "Day 2: Text message (SMS)" in page(client, "/schedules/")


def test_lead_of_another_team_cannot_set_this_teams_cadence(client, team):
    other = make.user(Role.TEAM_LEAD, make.team())
    client.force_login(other)
    page(client, f"/schedules/teams/{team.pk}/cadence/", 404)


def test_lead_defines_a_screen_and_sets_the_programme(client, team, lead):
    client.force_login(lead)
    url = f"/schedules/teams/{team.pk}/screens/new/"
    bad = client.post(url, {"name": "Ends meet", "index_event": "Heart attack",
                            "weeks": "1, x"})
    assert "Weeks after the index date must be whole numbers" in bad.content.decode()
    assert "Enter at least one question" in bad.content.decode()
    client.post(url, {"name": "Ends meet", "index_event": "Heart attack", "weeks": "1, 4, 8",
                      "question_1": "Difficulty making ends meet?", "positive_1": "yes"})
    assert ScreeningSchedule.objects.get(team=team).weeks == [1, 4, 8]
    response = client.post(f"/schedules/teams/{team.pk}/programme/",
                           {"kind": "sessions", "min_sessions": "8", "max_sessions": "4"})
    assert "Most sessions must be at least the fewest" in response.content.decode()
    client.post(f"/schedules/teams/{team.pk}/programme/", {"kind": "weeks", "weeks": "12"})
    assert services.programme_for(team).weeks == 12


def test_enrol_and_record_a_positive_screen_refers_for_triage(client, team, worker, lead):
    schedule = services.define_screening_schedule(
        team, by=lead, name="Ends meet", index_event="Heart attack", weeks=[1, 4, 8],
        questions=[("Difficulty making ends meet?", "yes")])
    episode = allocated(team, worker, 10)
    client.force_login(worker)
    url = f"/schedules/episodes/{episode.pk}/"
    bad = client.post(url, {"form": "enrol", "enrol-schedule": schedule.pk,
                            "enrol-index_date[day]": "31",
                            "enrol-index_date[month]": "2", "enrol-index_date[year]": "2025"})
    assert "Index date must be a real date" in bad.content.decode()
    index = timezone.localdate() - 7 * DAY
    client.post(url, {"form": "enrol", "enrol-schedule": schedule.pk,
                      "enrol-index_date[day]": index.day,
                      "enrol-index_date[month]": index.month,
                      "enrol-index_date[year]": index.year})
    screening = schedule.enrolments.get().screenings.first()
    html = page(client, url)
    assert f"/schedules/screenings/{screening.pk}/" in html
    question = schedule.questions.get()
    missing = client.post(f"/schedules/screenings/{screening.pk}/", {"outcome": "answered"})
    assert "Answer: Difficulty making ends meet?" in missing.content.decode()
    done = client.post(f"/schedules/screenings/{screening.pk}/",
                       {"outcome": "answered", f"q{question.pk}": "yes"})
    assert done.status_code == 302
    referral = Referral.objects.get(external_id=f"screening-{screening.pk}")
    assert f"/referrals/{referral.pk}/triage/" in page(client, "/referrals/triage/")
    again = client.post(f"/schedules/screenings/{screening.pk}/", {"outcome": "missed"})
    assert again.status_code == 409
    assert Referral.objects.filter(external_id=f"screening-{screening.pk}").count() == 1


def test_another_teams_screening_is_not_found(client, team, worker, lead):
    schedule = services.define_screening_schedule(
        team, by=lead, name="Ends meet", index_event="Heart attack", weeks=[1],
        questions=[("Difficulty making ends meet?", "yes")])
    enrolment = services.enrol(schedule, allocated(team, worker, 3),
                               index_date=timezone.localdate(), by=worker)
    client.force_login(make.user(Role.LINK_WORKER, make.team()))
    page(client, f"/schedules/screenings/{enrolment.screenings.get().pk}/", 404)


def test_huddle_proposes_did_not_engage_and_the_lead_decides(client, team, worker, lead):
    services.set_cadence(team, [(0, "phone"), (2, "sms")], by=lead)
    episode = allocated(team, worker, 5)
    make.attempt(episode, "no_answer", at=make.at_noon(timezone.localdate() - 4 * DAY))
    make.attempt(episode, "no_answer", channel="sms")
    client.force_login(lead)
    html = page(client, "/engagement/huddle/")
    assert "proposed to close as did not engage (1)" in html and nhs(episode) in html
    year, week, _ = timezone.localdate().isocalendar()
    decide = f"/schedules/episodes/{episode.pk}/decision/?week={year}-W{week:02d}"
    assert decide.replace("&", "&amp;") in html
    missing = client.post(decide, {"version": episode.version + 2})
    assert "Select the decision" in missing.content.decode()
    episode.refresh_from_db()
    response = client.post(decide, {"version": episode.version, "decision": "close",
                                    "agreed_with": [worker.pk], "note": "Tried everything"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == Status.NOT_ENGAGED
    client.force_login(worker)
    html = page(client, f"/engagement/huddle/?week={year}-W{week:02d}")
    assert "Decisions this week (1)" in html and "Tried everything" in html
    assert "Tried everything" in page(client, f"/schedules/episodes/{episode.pk}/")
    page(client, decide, 403)


def test_stale_decision_is_refused_and_nothing_saved(client, team, worker, lead):
    episode = allocated(team, worker, 5, status=Status.ACTIVE)
    client.force_login(lead)
    response = client.post(f"/schedules/episodes/{episode.pk}/decision/",
                           {"version": episode.version - 1, "decision": "close"})
    assert response.status_code == 409
    assert not HuddleDecision.objects.exists()
    assert Episode.objects.get(pk=episode.pk).status == Status.ACTIVE


def test_huddle_week_chooser_shows_last_weeks_decisions(client, team, worker, lead):
    episode = allocated(team, worker, 20, status=Status.ACTIVE)
    last_week = timezone.localdate() - 7 * DAY
    services.record_decision(episode, by=lead, decision="escalate", week_of=last_week,
                             note="Escalated to the safeguarding lead")
    client.force_login(lead)
    assert "Escalated to the safeguarding lead" not in page(client, "/engagement/huddle/")
    year, week, _ = last_week.isocalendar()
    html = page(client, f"/engagement/huddle/?week={year}-W{week:02d}")
    assert "Escalated to the safeguarding lead" in html


def test_episode_pages_show_progress_next_attempt_and_the_decision(client, team, worker, lead):
    services.set_programme(team, by=lead, kind="weeks", weeks=12)
    episode = allocated(team, worker, 30, status=Status.ACTIVE)
    engagement.record_session(episode, by=worker, held_on=timezone.localdate() - 28 * DAY,
                              kind="in_person")
    services.record_decision(episode, by=lead, decision="continue",
                             week_of=timezone.localdate(), note="Keep going")
    services.set_cadence(team, [(0, "phone"), (2, "sms")], by=lead)
    trying = allocated(team, worker, 3)
    client.force_login(worker)
    html = page(client, f"/engagement/episodes/{episode.pk}/sessions/")
    assert "Week 5 of 12" in html and "Continue (week of" in html and "Keep going" in html
    contacts = page(client, f"/engagement/episodes/{trying.pk}/contacts/")
    assert "Step 1 of 2: Phone call" in contacts and "3 days overdue" in contacts
    hub = page(client, f"/referrals/episodes/{episode.pk}/")
    assert f"/schedules/episodes/{episode.pk}/" in hub


def test_a_planned_session_is_on_today_until_a_session_is_held(client, team, worker):
    episode = allocated(team, worker, 10, status=Status.ACTIVE)
    client.force_login(worker)
    url = f"/schedules/episodes/{episode.pk}/"
    yesterday = timezone.localdate() - DAY
    past = client.post(url, {"form": "session", "session-on[day]": yesterday.day,
                             "session-on[month]": yesterday.month,
                             "session-on[year]": yesterday.year, "session-kind": "phone"})
    assert "Date of the session must be today or in the future" in past.content.decode()
    assert not episode.planned_sessions.exists()
    today = timezone.localdate()
    done = client.post(url, {"form": "session", "session-on[day]": today.day,
                             "session-on[month]": today.month, "session-on[year]": today.year,
                             "session-kind": "in_person", "session-note": "At the library"})
    assert done.status_code == 302
    html = page(client, "/today/")
    assert "Planned session" in html and "1:1 in person: At the library" in html
    assert f"/engagement/episodes/{episode.pk}/sessions/" in html
    engagement.record_session(episode, by=worker, held_on=today, kind="in_person")
    assert "Planned session" not in page(client, "/today/")


def html_text(response) -> str:
    return html.unescape(response.content.decode())


def _enrol_form(index: datetime.date, **person) -> dict:
    born = person.pop("born", datetime.date(1958, 6, 3))
    return {"nhs_number": person.get("nhs_number", ""),
            "given_name": person.get("given_name", "Ada"),
            "family_name": person.get("family_name", "Okafor"),
            "date_of_birth[day]": born.day, "date_of_birth[month]": born.month,
            "date_of_birth[year]": born.year,
            "postcode": "", "phone": "07700 900123",
            "index_date[day]": index.day, "index_date[month]": index.month,
            "index_date[year]": index.year}


def test_a_person_without_an_episode_is_screened_and_a_missed_screen_refers_them(
        client, team, worker, lead):
    """Barts screens everyone after a heart attack, not only people on the caseload: the team
    enrols them from the screen's page, the due screen shows on the lead's today page, and a
    missed appointment refers them for triage as a screening referral."""
    schedule = services.define_screening_schedule(
        team, by=lead, name="Ends meet", index_event="Heart attack", weeks=[1, 4, 8],
        questions=[("Difficulty making ends meet?", "yes")])
    client.force_login(lead)
    url = f"/schedules/screens/{schedule.pk}/"
    assert url in page(client, "/schedules/")
    missing_name = client.post(url, _enrol_form(timezone.localdate(), family_name=""))
    assert missing_name.status_code == 200 and Person.objects.count() == 0
    assert "last name" in html_text(missing_name)
    index = timezone.localdate() - 8 * DAY
    assert client.post(url, _enrol_form(index, nhs_number="999 000 0018")).status_code == 302
    enrolment = schedule.enrolments.get()
    assert enrolment.episode is None and enrolment.person.family_name == "Okafor"
    assert not Episode.objects.exists()
    assert "Okafor" in page(client, url)
    first = enrolment.screenings.get(week=1)
    assert f"/schedules/screenings/{first.pk}/" in page(client, "/today/")
    done = client.post(f"/schedules/screenings/{first.pk}/", {"outcome": "missed"})
    assert done.status_code == 302 and done["Location"] == url
    referral = Referral.objects.get(external_id=f"screening-{first.pk}")
    assert referral.source == ReferralSource.SCREENING
    assert referral.episode.person == enrolment.person
    # another team's worker sees neither the screen nor the screening
    client.force_login(make.user(Role.LINK_WORKER, make.team()))
    page(client, url, 404)
    page(client, f"/schedules/screenings/{enrolment.screenings.get(week=4).pk}/", 404)


def test_enrolling_refuses_an_nhs_number_on_someone_elses_record(client, team, lead):
    """Identity never rests on the NHS number alone: a number held by a record with another
    date of birth is refused, and nothing is written."""
    schedule = services.define_screening_schedule(
        team, by=lead, name="Ends meet", index_event="Heart attack", weeks=[1],
        questions=[("Difficulty making ends meet?", "yes")])
    stored = make.person(nhs_number="9990000018", family_name="Okafor",
                         date_of_birth=datetime.date(1970, 1, 1))
    client.force_login(lead)
    before = (Person.objects.count(), AuditEvent.objects.filter(action="create").count())
    refused = client.post(f"/schedules/screens/{schedule.pk}/",
                          _enrol_form(timezone.localdate(), nhs_number=stored.nhs_number))
    assert refused.status_code == 400
    assert "different date of birth or last name" in html_text(refused)
    assert not schedule.enrolments.exists()
    assert (Person.objects.count(),
            AuditEvent.objects.filter(action="create").count()) == before
    # the same person (number, date of birth and last name agree) is enrolled on their record
    agreed = _enrol_form(timezone.localdate(), nhs_number=stored.nhs_number,
                         born=stored.date_of_birth)
    assert client.post(f"/schedules/screens/{schedule.pk}/", agreed).status_code == 302
    assert schedule.enrolments.get().person == stored
