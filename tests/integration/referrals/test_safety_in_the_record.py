"""Safety in the record: risk, safeguarding and lone-working flags shown at the top of every
staff page about the person (and on the contacts page); case notes as an audited timeline,
never edited in place."""

from html import unescape

import pytest
from django.urls import reverse

from upstream.service.audit.models import Action, AuditEvent
from upstream.service.people.models import SafetyFlag
from upstream.service.people.services import raise_flag
from upstream.service.referrals.case_notes import add_note
from upstream.service.referrals.models import CaseNote

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(refer, worker):
    referral = refer()
    raise_flag(referral.person, kind="lone_working", by=worker,
               note="Large dog at the address: visit in pairs")
    return referral


def html(client, user, url) -> tuple[int, str]:
    response = signed_in(client, user).get(url)
    return response.status_code, unescape(response.content.decode())


def test_an_active_flag_shows_on_every_staff_page_about_the_person(client, flagged, worker):
    person, episode = flagged.person, flagged.episode
    urls = [
        reverse("people:detail", args=[person.pk]),
        reverse("people:edit", args=[person.pk]),
        reverse("referrals:episode", args=[episode.pk]),
        reverse("referrals:detail", args=[flagged.pk]),
        reverse("referrals:triage_referral", args=[flagged.pk]),
        reverse("referrals:notes", args=[episode.pk]),
        reverse("engagement:contacts", args=[episode.pk]),
        reverse("engagement:plan", args=[episode.pk]),
    ]
    for url in urls:
        status, page = html(client, worker, url)
        assert status == 200, url
        assert "nhsuk-warning-callout upstream-safety" in page, url
        assert "Lone-working warning:" in page and "visit in pairs" in page, url


def test_the_referrer_never_sees_the_flags(client, flagged, referrer):
    _, page = html(client, referrer, reverse("referrals:detail", args=[flagged.pk]))
    assert "visit in pairs" not in page


def test_raising_a_flag_on_the_page_names_missing_fields(client, refer, worker):
    person = refer().person
    url = reverse("people:flags", args=[person.pk])
    response = signed_in(client, worker).post(url, {"kind": "", "note": ""})
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "Select what kind of flag it is" in page and "Enter what staff need to know" in page
    assert not SafetyFlag.objects.exists()

    response = client.post(url, {"kind": "risk_to_self", "note": "Said they feel hopeless"})
    assert response.status_code == 302
    flag = SafetyFlag.objects.get()
    assert (flag.kind, flag.raised_by, flag.is_active) == ("risk_to_self", worker, True)
    assert AuditEvent.objects.filter(action=Action.CREATE, record_type="people.safetyflag",
                                     record_id=str(flag.pk)).exists()


def test_resolving_keeps_the_flag_listed_and_clears_the_callout(client, flagged, worker):
    flag = SafetyFlag.objects.get()
    response = signed_in(client, worker).post(
        reverse("people:resolve_flag", args=[flag.pk]), {"resolution_note": "Dog rehomed"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_by == worker and flag.resolution_note == "Dog rehomed"
    _, page = html(client, worker, reverse("referrals:episode", args=[flagged.episode_id]))
    assert "upstream-safety" not in page
    _, flags_page = html(client, worker, reverse("people:flags", args=[flagged.person_id]))
    assert "Resolved flags" in flags_page and "Dog rehomed" in flags_page


def test_another_teams_staff_cannot_see_or_resolve_flags(client, flagged, diabetes_worker):
    flag = SafetyFlag.objects.get()
    status, _ = html(client, diabetes_worker, reverse("people:flags", args=[flag.person_id]))
    assert status == 404
    response = client.post(reverse("people:resolve_flag", args=[flag.pk]))
    assert response.status_code == 404
    flag.refresh_from_db()
    assert flag.is_active


def test_case_notes_are_a_timeline_and_viewing_is_audited(client, refer, worker):
    episode = refer().episode
    url = reverse("referrals:notes", args=[episode.pk])
    signed_in(client, worker).post(url, {"text": "Phoned: no answer, left no message"})
    first = CaseNote.objects.get()
    response = client.post(url, {"text": "Correction: a voicemail was left", "corrects": first.pk})
    assert response.status_code == 302
    correction = CaseNote.objects.exclude(pk=first.pk).get()
    assert correction.corrects == first
    first.refresh_from_db()
    assert first.text == "Phoned: no answer, left no message"  # never edited in place

    before = AuditEvent.objects.filter(action=Action.VIEW, record_id=str(episode.pk)).count()
    _, page = html(client, worker, url)
    assert AuditEvent.objects.filter(action=Action.VIEW, record_id=str(episode.pk)).count() \
        == before + 1
    assert page.index("Correction: a voicemail was left") < page.index("Phoned: no answer")
    assert "Corrected by a later note" in page and "Correction to the note of" in page
    assert "Wes" in page  # who wrote it


def test_an_empty_note_or_a_note_from_another_episode_is_refused(client, refer, worker):
    mine, other = refer().episode, refer().episode
    foreign = add_note(other, text="On another episode", by=worker)
    url = reverse("referrals:notes", args=[mine.pk])
    response = signed_in(client, worker).post(url, {"text": "  "})
    assert response.status_code == 400 and "Enter the note" in response.content.decode()
    response = client.post(url, {"text": "A correction", "corrects": foreign.pk})
    assert response.status_code == 400
    assert "Choose a note from this episode to correct" in unescape(response.content.decode())
    assert CaseNote.objects.filter(episode=mine).count() == 0


def test_referrers_and_other_teams_cannot_read_case_notes(client, refer, worker, referrer,
                                                          diabetes_worker):
    episode = refer().episode
    add_note(episode, text="Private to the team", by=worker)
    for outsider, expected in [(referrer, 403), (diabetes_worker, 404)]:
        status, page = html(client, outsider, reverse("referrals:notes", args=[episode.pk]))
        assert status == expected and "Private to the team" not in page
