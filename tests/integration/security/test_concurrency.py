"""Issue 8, findings 3 and 4: concurrent use without errors and without lost updates.

- Finding 3: parallel saves on the default database (SQLite) got HTTP 500 "database is
  locked". Here a real gunicorn with several worker processes serves a SQLite file, and many
  staff save and an API client posts referrals at the same moment: every request must succeed
  and every write must be in the database.
- Finding 4: an older page of a person's details silently put back the old phone number. Now
  every editable record is saved only from the version the page was built from: the person
  (its own ``version``), and the episode's record (plan, goals, what matters: the episode's
  ``version``). A stale save is refused with 409, the typed values kept and the newer data
  untouched.
"""

import random
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from tests.dates import contact_time, date_input
from tests.integration.engagement import factories as make
from tests.load.server import serve
from upstream.service.accounts.models import Role
from upstream.service.engagement import services as engagement
from upstream.service.engagement.models import Goal, WhatMatters
from upstream.service.people.models import Person
from upstream.service.referrals.states import Status
from upstream.standards.nhs_number import synthetic

pytestmark = pytest.mark.django_db

VERSION = re.compile(r'name="version" value="(\d+)"')
LONDON = ZoneInfo("Europe/London")


def today() -> str:
    return timezone.localdate().isoformat()


# -- finding 3: parallel writes against a real server on SQLite ---------------------------------

def _staff_session(entry: dict) -> requests.Session:
    session = requests.Session()
    session.cookies.update(entry["cookies"])
    session.headers["X-CSRFToken"] = entry["cookies"]["csrftoken"]
    return session


def _api_body(team: str, number: str) -> dict:
    return {
        "person": {"nhs_number": number, "given_name": "Sam", "family_name": "Parallel",
                   "date_of_birth": "1970-05-17", "sex": "F", "postcode": "E1 1BB",
                   "phone": "07700 900123", "consent_to_share": True},
        "referral": {"team": team, "source": "pathway_clinician", "needs": ["loneliness"],
                     "reason": "Concurrency test", "consent_given": True},
    }


@pytest.mark.slow
def test_parallel_web_saves_and_api_posts_on_sqlite_get_no_server_error():
    web_saves, api_posts = 24, 20
    with serve(kind="small", sessions=web_saves, workers=3) as server:
        staff = server.world["staff"]
        sessions = [_staff_session(entry) for entry in staff]
        contact_urls = [f"{server.url}/engagement/episodes/{entry['episodes'][0]}/contacts/"
                        for entry in staff]
        versions = []
        for session, url in zip(sessions, contact_urls):
            page = session.get(url, allow_redirects=False)
            assert page.status_code == 200, (url, page.status_code)
            versions.append(VERSION.search(page.text).group(1))
        at = contact_time(datetime.now(LONDON))
        numbers = [synthetic(random.Random(f"parallel-{n}")) for n in range(api_posts)]
        team = server.world["team_names"][0]
        start = threading.Barrier(web_saves + api_posts)

        def web_save(index: int) -> int:
            start.wait(timeout=60)
            return sessions[index].post(contact_urls[index], data={
                "version": versions[index], **at, "channel": "phone",
                "outcome": "no_answer", "note": f"parallel save {index}",
            }, allow_redirects=False, timeout=60).status_code

        def api_post(index: int) -> int:
            start.wait(timeout=60)
            return requests.post(
                f"{server.url}/api/v1/referrals", json=_api_body(team, numbers[index]),
                headers={"Authorization": f"Bearer {server.world['api_token']}"}, timeout=60,
            ).status_code

        with ThreadPoolExecutor(max_workers=web_saves + api_posts) as pool:
            web = [pool.submit(web_save, i) for i in range(web_saves)]
            api = [pool.submit(api_post, i) for i in range(api_posts)]
            web_statuses = [f.result() for f in web]
            api_statuses = [f.result() for f in api]
        log = server.log_text()
        database = server.database_url.removeprefix("sqlite:///")
        with sqlite3.connect(database) as db:
            attempts = db.execute("SELECT count(*) FROM engagement_contactattempt "
                                  "WHERE note LIKE 'parallel save %'").fetchone()[0]
            referrals = db.execute("SELECT count(*) FROM referrals_referral "
                                   "WHERE reason = 'Concurrency test'").fetchone()[0]
    assert "database is locked" not in log, log[-4000:]
    assert web_statuses == [302] * web_saves, (web_statuses, log[-4000:])
    assert api_statuses == [201] * api_posts, (api_statuses, log[-4000:])
    assert attempts == web_saves  # no lost writes
    assert referrals == api_posts


# -- finding 4: a stale page never overwrites a newer save --------------------------------------


@pytest.fixture
def team():
    return make.team()


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)


@pytest.fixture
def colleague(team):
    return make.user(Role.LINK_WORKER, team)


def _signed_in(client, user):
    client.force_login(user)
    return client


def _person_form(person: Person, version, **changes) -> dict:
    """The person edit form as the page posts it, from ``person``'s values and ``version``."""
    born = person.date_of_birth
    data = {
        "version": str(version), "nhs_number": person.nhs_number or "",
        "given_name": person.given_name, "family_name": person.family_name,
        "date_of_birth[day]": str(born.day), "date_of_birth[month]": str(born.month),
        "date_of_birth[year]": str(born.year), "sex": person.sex,
        "gender_identity": person.gender_identity, "ethnic_category": person.ethnic_category,
        "address": person.address, "postcode": person.postcode,
        "gp_practice_ods": person.gp_practice_ods, "phone": person.phone, "email": person.email,
        "preferred_channel": person.preferred_channel,
        "preferred_language": person.preferred_language,
        "accessible_information_needs": person.accessible_information_needs,
    }
    data.update(changes)
    return data


def test_a_stale_person_form_is_refused_and_the_newer_phone_kept(client, team, worker,
                                                                  colleague):
    episode = make.episode(team, worker=worker)
    person = Person.objects.get(pk=episode.person_id)
    Person.objects.filter(pk=person.pk).update(phone="07700 900111")
    person.refresh_from_db()
    url = reverse("people:edit", args=[person.pk])
    page = _signed_in(client, worker).get(url).content.decode()
    seen = VERSION.search(page).group(1)  # the worker's page, before the colleague saves

    saved = _signed_in(client, colleague).post(url, _person_form(person, seen,
                                                                 phone="07700 900222"))
    assert saved.status_code == 302
    stale = _signed_in(client, worker).post(url, _person_form(
        person, seen, email="sam.synthetic@example.org"))

    html = unescape(stale.content.decode())
    assert stale.status_code == 409
    assert "changed by someone else" in html and "nhsuk-error-summary" in html
    assert 'value="sam.synthetic@example.org"' in html  # what the worker typed is kept
    assert "Phone number saved on the record now: 07700 900222" in html
    person.refresh_from_db()
    assert person.phone == "07700 900222" and person.email == ""

    # Having read the newer record, the worker saves again from the version now shown.
    again = _signed_in(client, worker).post(url, _person_form(
        person, VERSION.search(html).group(1), email="sam.synthetic@example.org"))
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.phone == "07700 900222" and person.email == "sam.synthetic@example.org"


def test_a_person_form_without_its_version_is_refused(client, team, worker):
    person = Person.objects.get(pk=make.episode(team, worker=worker).person_id)
    data = _person_form(person, 1, phone="07700 900333")
    del data["version"]
    response = _signed_in(client, worker).post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 400
    assert "This form is out of date" in unescape(response.content.decode())
    assert Person.objects.get(pk=person.pk).phone == ""


def _plan_url(episode) -> str:
    return reverse("engagement:plan", args=[episode.pk])


def test_a_stale_plan_review_date_is_refused_and_the_newer_date_kept(client, team, worker,
                                                                     colleague):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    seen = episode.version
    _signed_in(client, colleague).post(_plan_url(episode), {
        "form": "review_date", "review_date-version": seen,
        **date_input("review_date-next_review_on", "2031-03-01")})
    response = _signed_in(client, worker).post(_plan_url(episode), {
        "form": "review_date", "review_date-version": seen,
        **date_input("review_date-next_review_on", "2030-01-15")})
    assert response.status_code == 409
    html = unescape(response.content.decode())
    assert "Someone else changed this episode" in html
    assert 'name="review_date-next_review_on[year]" type="text" value="2030"' in html
    episode.refresh_from_db()
    assert str(episode.next_review_on) == "2031-03-01"


def test_a_stale_goal_review_is_refused_and_the_newer_status_kept(client, team, worker,
                                                                  colleague):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    goal = engagement.add_goal(episode, by=worker, description="Join a walking group")
    episode.refresh_from_db()
    seen = episode.version
    review = {"form": "review", "review-version": seen, "review-goal": goal.pk,
              **date_input("review-reviewed_on", today()), "review-progress": "8"}
    assert _signed_in(client, colleague).post(
        _plan_url(episode), {**review, "review-status": "achieved"}).status_code == 302
    response = _signed_in(client, worker).post(
        _plan_url(episode), {**review, "review-status": "in_progress",
                             "review-note": "Went twice"})
    assert response.status_code == 409
    assert "Went twice" in unescape(response.content.decode())
    assert Goal.objects.get(pk=goal.pk).status == "achieved"
    assert goal.reviews.count() == 1


def test_a_stale_what_matters_is_refused_and_the_newer_one_kept(client, team, worker,
                                                                colleague):
    episode = make.episode(team, worker=worker, status=Status.ACTIVE)
    url = reverse("engagement:what_matters", args=[episode.pk])
    seen = episode.version
    conversation = {"version": seen, **date_input("conversation_on", today()),
                    "needs_confirmed": ["loneliness"]}
    assert _signed_in(client, colleague).post(url, {
        **conversation, "what_matters": "Seeing my grandchildren"}).status_code == 302
    response = _signed_in(client, worker).post(url, {
        **conversation, "what_matters": "Getting back to work"})
    assert response.status_code == 409
    assert "Getting back to work" in unescape(response.content.decode())
    assert list(WhatMatters.objects.filter(episode=episode)
                .values_list("what_matters", flat=True)) == ["Seeing my grandchildren"]
