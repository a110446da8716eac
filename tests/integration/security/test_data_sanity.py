"""Issue 8, finding 7: impossible data was accepted. Contact attempts in 1900 and in year 0001, a
"what matters" conversation in 1066, sessions before the referral, a date of death before the
date of birth, and "<script>" as a phone number were all saved.

Now every date is checked against the person's birth and death, the referral date and today
(``people.dates``, one module used by the web forms and the API), and phone numbers are
validated and normalised with ``phonenumbers`` (``standards.phone``). Each impossible value is
refused with a message naming the field and the bound, and nothing is saved. The API takes a
person's date of birth and phone number (it takes no other date), so those are tried there too.
Synthetic people only: NHS numbers from the 999 test range, phones from Ofcom's drama ranges.
"""

import datetime
import random
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.dates import contact_time, date_input
from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.api.tokens import create_client
from upstream.service.engagement.models import ContactAttempt, Goal, Session, WhatMatters
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.states import Status
from upstream.standards import nhs_number

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
REFERRED = datetime.datetime(2025, 3, 3, 10, 30, tzinfo=LONDON)
"""The referral date of the episode under test: 3 March 2025."""
API = "/api/v1/referrals"


@pytest.fixture
def worker(team):
    return make.user(Role.LINK_WORKER, team)


@pytest.fixture
def episode(team, worker):
    """An episode referred on 3 March 2025, allocated to ``worker``, now being worked on."""
    found = make.episode(team, worker=worker, status=Status.ENGAGED)
    Episode.objects.filter(pk=found.pk).update(opened_at=REFERRED)
    Referral.objects.filter(episode=found).update(received_at=REFERRED)
    return Episode.objects.select_related("person").get(pk=found.pk)


def _post(client, user, url, data):
    client.force_login(user)
    response = client.post(url, data)
    return response, unescape(response.content.decode())


def _refused(response, html, message):
    assert response.status_code in (200, 400), response.status_code  # the form, shown again
    assert "There is a problem" in html
    assert message in html


# -- engagement: contact attempts, what matters, sessions, reviews, plan dates -----------------

@pytest.mark.parametrize("at", ["1900-01-01T09:00", "0001-01-01T09:00", "2025-03-02T23:59"])
def test_a_contact_attempt_before_the_referral_is_refused(client, worker, episode, at):
    response, html = _post(client, worker, reverse("engagement:contacts", args=[episode.pk]), {
        "version": episode.version, **contact_time(at), "channel": "phone", "outcome": "no_answer"})
    _refused(response, html, "Date of the contact attempt must be on or after the referral "
                             "date, 3 March 2025")
    assert not ContactAttempt.objects.filter(episode=episode).exists()


def test_a_contact_attempt_on_the_referral_day_is_saved(client, worker, episode):
    response, _ = _post(client, worker, reverse("engagement:contacts", args=[episode.pk]), {
        "version": episode.version, **contact_time("2025-03-03T11:00"), "channel": "phone",
        "outcome": "no_answer"})
    assert response.status_code == 302
    assert ContactAttempt.objects.filter(episode=episode).count() == 1


def test_a_contact_attempt_in_the_future_is_refused(client, worker, episode):
    later = timezone.localtime() + datetime.timedelta(hours=2)
    response, html = _post(client, worker, reverse("engagement:contacts", args=[episode.pk]), {
        "version": episode.version, **contact_time(later), "channel": "phone",
        "outcome": "no_answer"})
    _refused(response, html, "Date of the contact attempt must not be in the future")
    assert not ContactAttempt.objects.filter(episode=episode).exists()


def test_a_contact_attempt_after_the_person_died_is_refused(client, worker, episode):
    Person.objects.filter(pk=episode.person_id).update(date_of_death=datetime.date(2025, 4, 1))
    response, html = _post(client, worker, reverse("engagement:contacts", args=[episode.pk]), {
        "version": episode.version, **contact_time("2025-04-02T09:00"), "channel": "phone",
        "outcome": "no_answer"})
    _refused(response, html, "Date of the contact attempt must be on or before the date of "
                             "death, 1 April 2025")
    assert not ContactAttempt.objects.filter(episode=episode).exists()


@pytest.mark.parametrize("day", ["1066-10-14", "2025-03-02"])
def test_a_what_matters_conversation_before_the_referral_is_refused(client, worker, episode,
                                                                      day):
    response, html = _post(client, worker, reverse("engagement:what_matters", args=[episode.pk]),
                           {"version": episode.version, **date_input("conversation_on", day),
                            "what_matters": "Getting back to the allotment",
                            "needs_confirmed": ["loneliness"]})
    _refused(response, html, "Date of conversation must be on or after the referral date, "
                             "3 March 2025")
    assert not WhatMatters.objects.filter(episode=episode).exists()


@pytest.mark.parametrize("day, message", [
    ("2025-03-02", "Date of session must be on or after the referral date, 3 March 2025"),
    ("1900-01-01", "Date of session must be on or after the referral date, 3 March 2025"),
    ((timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
     "Date of session must be today or in the past"),
])
def test_a_session_before_the_referral_or_in_the_future_is_refused(client, worker, episode,
                                                                     day, message):
    response, html = _post(client, worker, reverse("engagement:sessions", args=[episode.pk]), {
        "version": episode.version, **date_input("held_on", day), "kind": "in_person"})
    _refused(response, html, message)
    assert not Session.objects.filter(episode=episode).exists()


def test_a_goal_review_before_the_referral_is_refused(client, worker, episode):
    goal = Goal.objects.create(episode=episode, description="Walk to the shops")
    response, html = _post(client, worker, reverse("engagement:plan", args=[episode.pk]), {
        "form": "review", "review-version": episode.version, "review-goal": goal.pk,
        **date_input("review-reviewed_on", "1900-06-01"), "review-progress": "3",
        "review-status": "in_progress"})
    _refused(response, html, "Date of review must be on or after the referral date, "
                             "3 March 2025")
    assert not goal.reviews.exists()


@pytest.mark.parametrize("form, field, day, message", [
    ("goal", "target_on", "1900-01-01",
     "Target date must be on or after the referral date, 3 March 2025"),
    ("goal", "target_on", "9999-12-31", "Target date must be on or before "),
    ("action", "due_on", "0001-01-01",
     "Due date must be on or after the referral date, 3 March 2025"),
    ("review_date", "next_review_on", "2025-03-04", "Next review date must be today or in the "
                                                    "future"),
])
def test_impossible_plan_dates_are_refused(client, worker, episode, form, field, day, message):
    data = {"form": form, f"{form}-version": episode.version, **date_input(f"{form}-{field}", day),
            f"{form}-description": "Join the walking group"}
    response, html = _post(client, worker, reverse("engagement:plan", args=[episode.pk]), data)
    _refused(response, html, message)
    episode.refresh_from_db()
    assert not episode.goals.exists() and not episode.actions.exists()
    assert episode.next_review_on is None


# -- the person: date of birth, date of death, phone ---------------------------------------------

def _person_form(person: Person, **changes) -> dict:
    born = person.date_of_birth
    data = {
        "version": str(person.version), "nhs_number": person.nhs_number or "",
        "given_name": person.given_name, "family_name": person.family_name,
        "date_of_birth[day]": str(born.day), "date_of_birth[month]": str(born.month),
        "date_of_birth[year]": str(born.year), "sex": person.sex,
        "gender_identity": person.gender_identity, "ethnic_category": person.ethnic_category,
        "address": "", "postcode": "", "gp_practice_ods": "", "phone": "", "email": "",
        "preferred_channel": "phone", "preferred_language": "English",
        "accessible_information_needs": "",
    }
    data.update(changes)
    return data


def _dated(name: str, day: datetime.date) -> dict:
    return {f"{name}[day]": str(day.day), f"{name}[month]": str(day.month),
            f"{name}[year]": str(day.year)}


def test_a_date_of_death_before_the_date_of_birth_is_refused(client, worker, episode):
    person = episode.person
    before_birth = person.date_of_birth - datetime.timedelta(days=1)
    response, html = _post(client, worker, reverse("people:edit", args=[person.pk]),
                           _person_form(person, **_dated("date_of_death", before_birth)))
    _refused(response, html, "Date of death must be on or after the date of birth, "
                             f"{person.date_of_birth.day} {person.date_of_birth:%B %Y}")
    assert Person.objects.get(pk=person.pk).date_of_death is None


def test_a_date_of_death_in_the_future_is_refused(client, worker, episode):
    person = episode.person
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response, html = _post(client, worker, reverse("people:edit", args=[person.pk]),
                           _person_form(person, **_dated("date_of_death", tomorrow)))
    _refused(response, html, "Date of death must be today or in the past")
    assert Person.objects.get(pk=person.pk).date_of_death is None


@pytest.mark.parametrize("typed", ["<script>", "<script>alert(1)</script>", "07700 9OO123",
                                   "12", "0770090012345678", "call me"])
def test_a_phone_number_that_is_not_one_is_refused_on_the_person_form(client, worker, episode,
                                                                       typed):
    person = episode.person
    response, html = _post(client, worker, reverse("people:edit", args=[person.pk]),
                           _person_form(person, phone=typed))
    _refused(response, html, "Phone number must be a UK number, like 07700 900123")
    assert Person.objects.get(pk=person.pk).phone == ""


@pytest.mark.parametrize("typed, stored", [
    ("+44 7700 900456", "07700 900456"), ("07700900456", "07700 900456"),
    ("(020) 7946-0018", "020 7946 0018"), ("+353 85 123 4567", "+353 85 123 4567"),
])
def test_a_phone_number_is_stored_in_one_form(client, worker, episode, typed, stored):
    person = episode.person
    response, _ = _post(client, worker, reverse("people:edit", args=[person.pk]),
                        _person_form(person, phone=typed))
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).phone == stored


# -- the referral form and the referral API -------------------------------------------------------

@pytest.fixture
def referrer(db):
    return make.user(Role.REFERRER)


@pytest.fixture
def epr(team):
    _, token = create_client("Synthetic EPR", [team])
    return {"Authorization": f"Bearer {token}"}


def _number() -> str:
    return nhs_number.synthetic(random.Random(8))


def _referral_form(team, **changes) -> dict:
    data = {
        "nhs_number": _number(), "given_name": "Robin", "family_name": "Example",
        **_dated("date_of_birth", datetime.date(1961, 11, 7)), "sex": "F", "postcode": "",
        "phone": "07700 900123", "preferred_channel": "phone", "preferred_language": "English",
        "accessible_information_needs": "", "team": str(team.pk), "source": "pathway_clinician",
        "needs": ["loneliness"], "reason": "Lives alone since a fall", "urgency": "routine",
        "consent": "yes",
    }
    data.update(changes)
    return data


def _api_body(team, **person) -> dict:
    return {
        "person": {"nhs_number": _number(), "given_name": "Robin", "family_name": "Example",
                   "date_of_birth": "1961-11-07", "phone": "07700 900123", **person},
        "referral": {"team": team.name, "needs": ["loneliness"], "reason": "Lives alone",
                     "consent_given": True},
    }


def _api_refused(client, epr, body, field, message):
    response = client.post(API, body, content_type="application/json", headers=epr)
    assert response.status_code == 422, response.content
    errors = {error["field"]: error["msg"] for error in response.json()["detail"]}
    assert message in errors[field], errors
    assert not Referral.objects.exists() and not Person.objects.exists()


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _impossible_births():
    today = timezone.localdate()
    too_old = today.replace(year=today.year - 131)
    return [
        (today + datetime.timedelta(days=1), "Date of birth must be today or in the past"),
        (too_old, "Date of birth must be on or after "),
        (datetime.date(1066, 10, 14), "Date of birth must be on or after "),
    ]


@pytest.mark.parametrize("born, message", _impossible_births())
def test_an_impossible_date_of_birth_is_refused_by_the_form_and_the_api(
        client, referrer, team, epr, born, message):
    response, html = _post(client, referrer, reverse("referrals:new"),
                           _referral_form(team, **_dated("date_of_birth", born)))
    _refused(response, html, message)
    assert not Person.objects.exists()
    _api_refused(client, epr, _api_body(team, date_of_birth=born.isoformat()),
                 "person.date_of_birth", message)


def test_the_oldest_date_of_birth_names_its_bound(client, referrer, team):
    today = timezone.localdate()
    response, html = _post(client, referrer, reverse("referrals:new"), _referral_form(
        team, **_dated("date_of_birth", datetime.date(today.year - 131, 1, 1))))
    bound = today.replace(year=today.year - 130) if (today.month, today.day) != (2, 29) \
        else datetime.date(today.year - 130, 2, 28)
    _refused(response, html, f"Date of birth must be on or after {_long(bound)}")


@pytest.mark.parametrize("typed", ["<script>", "07700 900123<script>", "abc", "12",
                                   "0770090012345678"])
def test_a_phone_number_that_is_not_one_is_refused_by_the_form_and_the_api(
        client, referrer, team, epr, typed):
    response, html = _post(client, referrer, reverse("referrals:new"),
                           _referral_form(team, phone=typed))
    _refused(response, html, "Phone number must be a UK number, like 07700 900123")
    assert not Person.objects.exists()
    _api_refused(client, epr, _api_body(team, phone=typed), "person.phone",
                 "Phone number must be a UK number, like 07700 900123")


def test_the_api_stores_a_phone_number_in_the_same_form_as_the_web(client, team, epr):
    response = client.post(API, _api_body(team, phone="+447700900789"),
                           content_type="application/json", headers=epr)
    assert response.status_code == 201, response.content
    assert Person.objects.get().phone == "07700 900789"
