"""Issue 8, finding 1 (and the open-episode constraint of finding 3): identity and legitimate
relationship.

A person is matched only when NHS number, date of birth and family name agree; a partial match
is received unlinked, flagged "identity to confirm" for the receiving team's lead, who links,
corrects or keeps apart (audited). Nobody is shown stored demographics they did not enter; an
API client learns only about what it sent; another team's records need break-glass.
Synthetic people only (999 NHS numbers).
"""

import random
from datetime import date
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from upstream.service.accounts.models import Pathway, Role, Team, User
from upstream.service.api.tokens import create_client
from upstream.service.audit.models import AuditEvent
from upstream.service.engagement.models import DischargeSummary
from upstream.service.people.models import Person
from upstream.service.referrals import services
from upstream.service.referrals.models import BreakGlass, Episode, Identity, Referral
from upstream.service.referrals.services import submit_referral, transition
from upstream.standards import nhs_number

pytestmark = pytest.mark.django_db

STORED = {"given_name": "Margaret", "family_name": "O'Brien", "date_of_birth": date(1950, 2, 3),
          "address": "1 Hidden Row, Leeds", "postcode": "LS1 4AP", "phone": "07700 900999",
          "email": "margaret@example.org"}


@pytest.fixture
def rng():
    return random.Random(8)


@pytest.fixture
def heart(db):
    return Team.objects.create(name="Heart Centre link workers",
                               pathway=Pathway.objects.create(name="Heart Centre"))


@pytest.fixture
def diabetes(db):
    return Team.objects.create(name="Diabetes link workers",
                               pathway=Pathway.objects.create(name="Diabetes"))


def user(username, role, *teams):
    made = User.objects.create(username=username, role=role, first_name=username.title())
    made.teams.set(teams)
    return made


@pytest.fixture
def referrer(db):
    return user("ria", Role.REFERRER)


@pytest.fixture
def lead(heart):
    return user("lee", Role.TEAM_LEAD, heart)


@pytest.fixture
def worker(heart):
    return user("wes", Role.LINK_WORKER, heart)


@pytest.fixture
def other_lead(diabetes):
    return user("dora", Role.TEAM_LEAD, diabetes)


@pytest.fixture
def other_worker(diabetes):
    return user("dee", Role.LINK_WORKER, diabetes)


@pytest.fixture
def stored(rng):
    """Someone already known to the service (Diabetes team), with contact details."""
    return Person.objects.create(nhs_number=nhs_number.synthetic(rng), **STORED)


def form(team, number, **overrides):
    data = {
        "nhs_number": nhs_number.format_nhs_number(number), "given_name": "Mary",
        "family_name": "O'Brien", "date_of_birth[day]": "3", "date_of_birth[month]": "2",
        "date_of_birth[year]": "1950", "sex": "F", "postcode": "", "phone": "07700 900123",
        "preferred_channel": "phone", "preferred_language": "English",
        "accessible_information_needs": "", "team": str(team.pk), "source": "pathway_clinician",
        "needs": ["loneliness"], "reason": "Lives alone since a fall", "urgency": "routine",
        "consent": "yes",
    }
    return {**data, **overrides}


def refer_on_web(client, who, data) -> tuple[Referral, str]:
    """Post the referral form as ``who``; the referral and the confirmation page."""
    client.force_login(who)
    response = client.post(reverse("referrals:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    return Referral.objects.latest("pk"), page


def stored_details_absent(page: str) -> bool:
    return not any(value in page for value in ("Margaret", "Hidden Row", "900999", "margaret@"))


# --- Matching ----------------------------------------------------------------------------------

@pytest.mark.parametrize("wrong", [
    {"date_of_birth[day]": "4"},
    {"family_name": "Smith"},
])
def test_a_partial_match_is_received_unlinked_and_shows_only_what_was_typed(
        client, referrer, heart, stored, wrong):
    referral, page = refer_on_web(client, referrer, form(heart, stored.nhs_number, **wrong))

    assert referral.person != stored
    assert referral.identity == Identity.TO_CONFIRM and referral.identity_candidate == stored
    assert referral.person.nhs_number is None  # the number stays unique to the stored record
    assert referral.person.given_name == "Mary" and referral.person.phone != stored.phone
    assert "Mary" in page and stored_details_absent(page)
    for name in ("referrals:mine", "referrals:detail"):
        args = [referral.pk] if name.endswith("detail") else []
        assert stored_details_absent(client.get(reverse(name, args=args)).content.decode())


def test_a_full_match_links_but_the_referrer_still_sees_only_what_they_typed(
        client, referrer, heart, stored):
    referral, page = refer_on_web(client, referrer, form(heart, stored.nhs_number))

    assert referral.person == stored and referral.identity == Identity.CONFIRMED
    assert "Mary O'Brien" in unescape(page)
    assert stored_details_absent(page)
    episode_page = client.get(reverse("referrals:episode", args=[referral.episode_id]))
    assert stored_details_absent(episode_page.content.decode())


@pytest.mark.parametrize(("stored_name", "typed_name"), [
    ("O'Brien", "OBRIEN"), ("Smith-Jones", "smith jones"), ("smith jones", "SMITH-JONES"),
])
def test_family_names_match_ignoring_case_spaces_hyphens_apostrophes(
        client, referrer, heart, rng, stored_name, typed_name):
    person = Person.objects.create(nhs_number=nhs_number.synthetic(rng),
                                   **{**STORED, "family_name": stored_name})
    referral, _ = refer_on_web(client, referrer,
                               form(heart, person.nhs_number, family_name=typed_name))
    assert referral.person == person and referral.identity == Identity.CONFIRMED


# --- Resolution by the team lead ---------------------------------------------------------------

@pytest.fixture
def to_confirm(client, referrer, heart, stored) -> Referral:
    referral, _ = refer_on_web(client, referrer,
                               form(heart, stored.nhs_number, **{"date_of_birth[year]": "1951"}))
    client.logout()
    return referral


def identity_audit(referral) -> list[str]:
    return list(AuditEvent.objects.filter(
        record_type="referrals.referral", record_id=str(referral.pk),
        detail__startswith="identity:").values_list("detail", flat=True))


def test_triage_is_refused_until_identity_is_confirmed(client, to_confirm, lead, worker):
    with pytest.raises(services.TriageError, match="identity of this person must be confirmed"):
        services.triage(to_confirm, "accept", by=lead)
    client.force_login(worker)
    response = client.get(reverse("referrals:triage_referral", args=[to_confirm.pk]), follow=True)
    assert "must be confirmed by a team lead" in response.content.decode()
    queue = client.get(reverse("referrals:triage")).content.decode()
    assert "Identity to confirm" in queue


def test_the_lead_sees_both_records_and_links_them(client, to_confirm, lead, stored):
    client.force_login(lead)
    assert to_confirm.person.given_name in client.get(
        reverse("referrals:identity_queue")).content.decode()
    page = client.get(reverse("referrals:identity", args=[to_confirm.pk])).content.decode()
    assert "Mary" in page and "Margaret" in page and "1951" in page and "1950" in page
    assert "Hidden Row" not in page and "900999" not in page  # identity fields only
    typed = to_confirm.person

    response = client.post(reverse("referrals:identity", args=[to_confirm.pk]),
                           {"decision": "link"})

    assert response.status_code == 302
    to_confirm.refresh_from_db()
    assert to_confirm.person == stored and to_confirm.episode.person == stored
    assert to_confirm.identity == Identity.LINKED and to_confirm.identity_resolved_by == lead
    assert not Person.objects.filter(pk=typed.pk).exists()  # typed details discarded
    assert identity_audit(to_confirm) == ["identity:linked"]
    services.triage(to_confirm, "accept", by=lead)  # now allowed


def test_linking_onto_an_open_episode_joins_it(client, to_confirm, lead, stored, heart):
    open_one = submit_referral(person=stored, team=heart, source="gp", needs=[],
                               consent_given=True).episode
    client.force_login(lead)
    client.post(reverse("referrals:identity", args=[to_confirm.pk]), {"decision": "link"})
    to_confirm.refresh_from_db()
    assert to_confirm.episode == open_one and to_confirm.is_duplicate
    assert Episode.objects.filter(person=stored, team=heart).open().count() == 1


def test_the_lead_corrects_the_nhs_number(client, to_confirm, lead, stored, rng):
    client.force_login(lead)
    taken = client.post(reverse("referrals:identity", args=[to_confirm.pk]),
                        {"decision": "correct", "nhs_number": stored.nhs_number})
    assert taken.status_code == 409 and "another record already has" in taken.content.decode()
    bad = client.post(reverse("referrals:identity", args=[to_confirm.pk]),
                      {"decision": "correct", "nhs_number": "9990000019"})
    assert bad.status_code == 400
    right = nhs_number.synthetic(rng)

    client.post(reverse("referrals:identity", args=[to_confirm.pk]),
                {"decision": "correct", "nhs_number": right})

    to_confirm.refresh_from_db()
    assert to_confirm.identity == Identity.CORRECTED
    assert to_confirm.person.nhs_number == right and to_confirm.person != stored
    assert identity_audit(to_confirm) == ["identity:corrected"]
    assert not any(right in e.detail or stored.nhs_number in e.detail
                   for e in AuditEvent.objects.all())


def test_the_lead_keeps_them_apart(client, to_confirm, lead, stored):
    client.force_login(lead)
    client.post(reverse("referrals:identity", args=[to_confirm.pk]), {"decision": "apart"})
    to_confirm.refresh_from_db()
    assert to_confirm.identity == Identity.KEPT_APART and to_confirm.person != stored
    assert to_confirm.person.nhs_number is None
    assert identity_audit(to_confirm) == ["identity:kept_apart"]
    again = client.post(reverse("referrals:identity", args=[to_confirm.pk]), {"decision": "link"})
    assert again.status_code == 302  # decided once only: sent to the referral, nothing changed
    to_confirm.refresh_from_db()
    assert to_confirm.identity == Identity.KEPT_APART and identity_audit(to_confirm) == [
        "identity:kept_apart"]


def test_another_teams_lead_and_link_workers_cannot_resolve(client, to_confirm, other_lead,
                                                            worker):
    client.force_login(other_lead)
    assert client.get(reverse("referrals:identity", args=[to_confirm.pk])).status_code == 404
    assert client.post(reverse("referrals:identity", args=[to_confirm.pk]),
                       {"decision": "link"}).status_code == 404
    assert to_confirm.person.given_name not in client.get(
        reverse("referrals:identity_queue")).content.decode()
    client.force_login(worker)
    assert client.get(reverse("referrals:identity", args=[to_confirm.pk])).status_code == 403
    to_confirm.refresh_from_db()
    assert to_confirm.identity == Identity.TO_CONFIRM


# --- The API answers about its own referrals only ----------------------------------------------

def test_an_api_client_learns_nothing_of_an_episode_it_did_not_create(client, heart, stored,
                                                                      lead):
    other_source = submit_referral(person=stored, team=heart, source="gp", needs=[],
                                   consent_given=True)
    transition(other_source.episode, "not_suitable", by=lead, reason="secret clinical reason")
    reopened = submit_referral(person=stored, team=heart, source="gp", needs=[],
                               consent_given=True)
    services.triage(reopened, "accept", by=lead)  # now on the waiting list, with a reason
    _, token = create_client("Probe EPR", [heart])
    body = {
        "person": {"nhs_number": stored.nhs_number, "given_name": "M",
                   "family_name": "OBRIEN", "date_of_birth": "1950-02-03"},
        "referral": {"team": heart.name, "source": "pathway_clinician", "needs": ["loneliness"],
                     "reason": "Lives alone", "consent_given": True, "external_id": "PROBE-1"},
    }
    headers = {"Authorization": f"Bearer {token}"}

    created = client.post("/api/v1/referrals", body, content_type="application/json",
                          headers=headers)
    assert created.status_code == 201, created.content
    read = client.get(f"/api/v1/referrals/{created.json()['referral_id']}", headers=headers)

    assert Referral.objects.get(pk=created.json()["referral_id"]).episode == reopened.episode
    for answer in (created.json(), read.json()):
        text = str(answer)
        assert "linked_to_existing_episode" not in text and "On waiting list" not in text
        assert "awaiting allocation" not in text and "secret" not in text
        assert answer.get("episode_id") is None
        assert answer["status"] == "referred"


# --- Legitimate relationship and break-glass -------------------------------------------------

@pytest.fixture
def known_elsewhere(stored, diabetes, heart, other_worker, referrer):
    """``stored`` had an episode in Diabetes (closed, with a discharge summary) and is now
    referred to Heart with matching details."""
    old = submit_referral(person=stored, team=diabetes, source="gp", needs=[],
                          consent_given=True).episode
    transition(old, "not_suitable", by=other_worker, reason="diabetes only")
    DischargeSummary.objects.create(episode=old, outcomes="Private diabetes outcome",
                                    started_on=date(2024, 1, 1), ended_on=date(2024, 2, 1))
    submit_referral(person=stored, team=heart, source="gp", needs=[], consent_given=True,
                    referrer=referrer)
    return old


def test_other_teams_episodes_are_counted_not_shown(client, worker, stored, known_elsewhere):
    client.force_login(worker)
    page = client.get(reverse("people:detail", args=[stored.pk])).content.decode()
    assert "Known to other services" in page and "1 other episode" in page
    assert "Diabetes" not in page
    assert client.get(reverse("referrals:episode",
                              args=[known_elsewhere.pk])).status_code == 404
    assert client.get(reverse("engagement:summary",
                              args=[known_elsewhere.pk])).status_code == 404
    history = client.get(reverse("referrals:history", args=[stored.pk])).content.decode()
    assert "Private diabetes outcome" not in history and "Diabetes" not in history


def test_break_glass_needs_a_reason_is_audited_and_shown_to_the_lead(
        client, worker, lead, stored, known_elsewhere):
    client.force_login(worker)
    url = reverse("referrals:history", args=[stored.pk])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and "Enter why you need" in refused.content.decode()
    assert not BreakGlass.objects.exists()

    client.post(url, {"reason": "Checking previous support before first contact"})

    opening = BreakGlass.objects.get()
    assert (opening.user, opening.person) == (worker, stored)
    assert AuditEvent.objects.filter(user=worker, record_type="people.person",
                                     record_id=str(stored.pk),
                                     detail=f"break-glass:{opening.pk}").exists()
    assert not AuditEvent.objects.filter(detail__contains="Checking previous").exists()
    history = client.get(url).content.decode()
    assert "Diabetes link workers" in history and "Private diabetes outcome" in history
    client.force_login(lead)
    log = client.get(reverse("referrals:break_glass_log")).content.decode()
    assert "Checking previous support before first contact" in log and "Wes" in log


def test_a_break_glass_opening_expires(client, worker, stored, known_elsewhere):
    client.force_login(worker)
    url = reverse("referrals:history", args=[stored.pk])
    client.post(url, {"reason": "Checking previous support before first contact"})
    BreakGlass.objects.update(expires_at=BreakGlass.objects.get().opened_at)
    assert "Private diabetes outcome" not in client.get(url).content.decode()


def test_a_partial_match_gives_no_route_to_the_stored_person(client, to_confirm, worker,
                                                             stored):
    client.force_login(worker)
    assert client.get(reverse("people:detail", args=[stored.pk])).status_code == 404
    assert client.get(reverse("referrals:history", args=[stored.pk])).status_code == 404
    page = client.get(reverse("people:detail", args=[to_confirm.person_id])).content.decode()
    assert stored_details_absent(page)


# --- One open episode per person per team, in the database -------------------------------------

def test_the_database_refuses_a_second_open_episode(heart, stored, lead):
    first = Episode.objects.create(person=stored, team=heart, status="referred")
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(person=stored, team=heart, status="waiting")
    transition(first, "not_suitable", by=lead)
    Episode.objects.create(person=stored, team=heart, status="referred")  # closed one is fine


def test_a_referral_that_loses_the_race_joins_the_winning_episode(heart, stored, monkeypatch):
    """The moment two submissions both found no open episode: the second insert is refused by
    the constraint and the referral joins the episode that won."""
    winner = Episode.objects.create(person=stored, team=heart, status="referred")
    real = services.open_episode_for
    calls = []

    def not_yet(person, team):
        calls.append(1)
        return None if len(calls) == 1 else real(person, team)

    monkeypatch.setattr(services, "open_episode_for", not_yet)
    referral = submit_referral(person=stored, team=heart, source="gp", needs=[],
                               consent_given=True)
    assert referral.episode == winner and referral.is_duplicate
    assert Episode.objects.filter(person=stored, team=heart).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_referrals_open_one_episode_on_postgres(heart, stored):
    """Real concurrency: several sessions, each with its own connection, refer one person to
    one team at the same moment. One episode opens; every other referral joins it."""
    from django.conf import settings
    from django.db import connection

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")
    import threading

    start, errors = threading.Barrier(4), []

    def refer():
        try:
            start.wait(timeout=30)
            submit_referral(person=stored, team=heart, source="gp", needs=[],
                            consent_given=True)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=refer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Episode.objects.filter(person=stored, team=heart).count() == 1
    assert Referral.objects.filter(person=stored, is_duplicate=False).count() == 1
    assert Referral.objects.filter(person=stored).count() == 4
