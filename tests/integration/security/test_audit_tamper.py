"""Issue 8, finding 5: the audit log can be altered, and list pages and refused attempts leave
no trace.

- Append-only in the database itself: raw SQL cannot update or delete an event (SQLite and
  PostgreSQL triggers) or truncate the table (PostgreSQL); on PostgreSQL the runtime role made
  by ``upstream db-roles`` can only read and append, and cannot switch the triggers off.
- Tamper evidence: a hash chain that ``upstream audit verify`` walks, naming the first altered
  or missing event; existing events are chained by the migration; writers never fork it.
- Coverage: list pages record the ids of the people they show; refused attempts (403, and 404
  on a record's page) by signed-in users are recorded with the page, record and status.
"""

import os
import re
import threading

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from upstream.cli import app
from upstream.service.accounts.models import Role
from upstream.service.audit.chain import GENESIS, event_hash, verify_log
from upstream.service.audit.guard import suspended
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.audit.roles import RoleSetupError, set_up_runtime_role
from upstream.service.audit.services import _listed_detail, record
from upstream.service.people.models import Person
from upstream.service.referrals import services as referral_services
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.states import Status
from upstream.service.referrals.views import SUBMITTED_KEY

from .world import OTHER, OWN, build_world

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="needs PostgreSQL (make test-postgres)")


@pytest.fixture
def world(db):
    return build_world()


def _events(n=5):
    return [record(None, Action.EXPORT, record_type="test.thing", record_id=str(i),
                   detail=f"synthetic {i}", actor_label="Test system") for i in range(n)]


def _verify_cli():
    return CliRunner().invoke(app, ["audit", "verify"])


# --- Append-only in the database ----------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET detail = 'rewritten' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_raw_sql_cannot_update_or_delete_an_event(sql, db):
    """On SQLite (no protection before) and PostgreSQL alike, even as the table's owner."""
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="synthetic 0").exists()


@pytest.mark.postgres
@on_postgresql
def test_postgresql_owner_cannot_truncate_the_audit_table(db):
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the event's foreign key checks
            cursor.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.fixture
def runtime_role(transactional_db):
    """The runtime role made by the project's own set-up, in this test database. Roles belong
    to the server, so the name carries the process id (parallel test processes)."""
    name = f"upstream_app_test_{os.getpid()}"
    made = set_up_runtime_role(name, "synthetic-test-password")
    settings = connection.settings_dict
    conninfo = {"dbname": settings["NAME"], "user": name, "password": made.password,
                "host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432}
    yield name, conninfo
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.mark.postgres
@on_postgresql
@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET detail = 'rewritten'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "SET session_replication_role = replica",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    "DROP TRIGGER audit_event_append_only ON audit_auditevent",
])
def test_postgresql_runtime_role_cannot_rewrite_or_unguard_the_log(sql, runtime_role):
    name, conninfo = runtime_role
    event = _events(1)[0]
    with psycopg.connect(**conninfo, autocommit=True) as app_db:
        assert app_db.execute("SELECT current_user").fetchone()[0] == name
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_db.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk, detail="synthetic 0").exists()


@pytest.mark.postgres
@on_postgresql
def test_postgresql_runtime_role_can_append_and_run_the_service(runtime_role, world):
    """INSERT into the log works, and the role may change the service's own records."""
    _, conninfo = runtime_role
    person = world.get(OWN, Person)
    with psycopg.connect(**conninfo, autocommit=True) as app_db:
        before = app_db.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
        app_db.execute(
            "INSERT INTO audit_auditevent (at, actor_label, action, record_type, record_id, "
            "detail, path, previous_hash, hash) VALUES (now(), 'runtime', 'view', "
            "'people.person', %s, '', '', %s, %s)", [str(person.pk), "f" * 64, "e" * 64])
        after = app_db.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
        app_db.execute("UPDATE people_person SET phone = phone WHERE id = %s", [person.pk])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_db.execute("DELETE FROM django_migrations")
    assert after == before + 1


@pytest.mark.postgres
@on_postgresql
def test_runtime_role_must_not_be_the_owner(db):
    with pytest.raises(RoleSetupError, match="must differ from the owner"):
        set_up_runtime_role(connection.settings_dict["USER"])
    with pytest.raises(RoleSetupError, match="not allowed"):
        set_up_runtime_role('x"; DROP TABLE audit_auditevent; --')


# --- The hash chain and `upstream audit verify` ----------------------------------------------

def test_each_event_chains_to_the_one_before(db):
    first, second, third = _events(3)
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash and third.previous_hash == second.hash
    stored = AuditEvent.objects.get(pk=second.pk)  # hashed fields survive the round trip
    assert event_hash(stored) == stored.hash == second.hash


def test_verify_passes_an_intact_log(db):
    _events(5)
    verdict = verify_log()
    assert verdict.intact and verdict.checked == 5
    result = _verify_cli()
    assert result.exit_code == 0, result.output
    assert "intact: 5 events checked" in result.output


@pytest.mark.parametrize("column,value", [
    ("detail", "nothing to see"), ("actor_label", "someone else"), ("record_id", "99"),
    ("at", "2020-01-01 00:00:00"),
])
def test_verify_names_the_first_altered_event(column, value, db):
    events = _events(5)
    altered = events[2]
    with suspended(connection), connection.cursor() as cursor:  # as the owner, guards lifted
        cursor.execute(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s",
                       [value, altered.pk])
    verdict = verify_log()
    assert not verdict.intact and verdict.checked == 2
    assert verdict.broken.event_id == altered.pk and "altered" in verdict.broken.what
    result = _verify_cli()
    assert result.exit_code == 1
    assert f"Event {altered.pk} " in result.output and "altered" in result.output


def test_verify_names_a_rewritten_event_even_when_its_hash_was_recomputed(db):
    events = _events(4)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.detail = "forged"
    forged.hash = event_hash(forged)
    with suspended(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = %s, hash = %s WHERE id = %s",
                       [forged.detail, forged.hash, forged.pk])
    verdict = verify_log()
    assert verdict.broken.event_id == events[2].pk
    assert f"event {events[1].pk} was rewritten" in verdict.broken.what


@pytest.mark.parametrize("position", [0, 2])
def test_verify_names_the_event_after_a_missing_one(position, db):
    events = _events(5)
    with suspended(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[position].pk])
    verdict = verify_log()
    follower = events[position + 1]
    assert verdict.broken.event_id == follower.pk and "missing" in verdict.broken.what
    result = _verify_cli()
    assert result.exit_code == 1 and f"Event {follower.pk} " in result.output
    assert "missing" in result.output


def test_the_chain_cannot_fork(db):
    """Two events chained to the same predecessor are refused by the database."""
    first, second = _events(2)
    with suspended(connection), pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditevent (at, actor_label, action, record_type, record_id,"
                " detail, path, previous_hash, hash) VALUES (%s, '', 'view', 't', '', '', '',"
                " %s, %s)", [second.at, first.hash, "a" * 64])


def test_events_cannot_be_bulk_created_unchained(db):
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.bulk_create([AuditEvent(action=Action.VIEW, record_type="t")])


@pytest.mark.postgres
@on_postgresql
def test_concurrent_writers_keep_one_chain(transactional_db):
    """Eight threads, each its own connection, append at once: every insert succeeds (none is
    refused as a fork) and the chain is whole."""
    writers, each, failures = 8, 10, []
    start = threading.Barrier(writers)

    def write(n):
        try:
            start.wait()
            for i in range(each):
                record(None, Action.EXPORT, record_type="test.thread", record_id=f"{n}-{i}")
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    verdict = verify_log()
    assert verdict.intact and verdict.checked == writers * each


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_events_written_before_it():
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_append_only_trigger")])
    with connection.cursor() as cursor:
        for i in range(3):
            cursor.execute(
                "INSERT INTO audit_auditevent (at, actor_label, action, record_type, record_id,"
                " detail, path) VALUES (%s, 'old', 'view', 'people.person', %s, '', '')",
                ["2025-06-0%d 10:00:00.123456+00:00" % (i + 1), str(i)])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.previous_hash for e in events] == [GENESIS, events[0].hash, events[1].hash]
    assert verify_log().intact
    record(None, Action.VIEW, record_type="people.person", record_id="9")
    assert verify_log().checked == 4


# --- Coverage: list pages and refused attempts ----------------------------------------------

def _listed_ids(event) -> set[int]:
    match = re.fullmatch(r"(\d+) (?:person|people)(?:: ([\d,]+))?(?: \(\+\d+ more\))?",
                         event.detail)
    assert match, event.detail
    return {int(i) for i in (match.group(2) or "").split(",") if i}


def _triaged(world, lead):
    episode = world.get(OWN, Episode)
    return referral_services.transition(episode, Status.TRIAGED, by=lead, reason="accepted")


def _waiting(world, lead):
    referral_services.put_on_waiting_list(_triaged(world, lead), by=lead, reason="full")


def _allocated(world, lead):
    referral_services.allocate(_triaged(world, lead), world.users[Role.LINK_WORKER], by=lead)


LIST_PAGES = [
    # url name, role, set-up so that the own team's person is on the list, audit record type
    ("referrals:triage", Role.LINK_WORKER, None, "referrals.triage_queue"),
    ("referrals:board", Role.TEAM_LEAD, _triaged, "referrals.board"),
    ("referrals:waiting", Role.LINK_WORKER, _waiting, "referrals.waiting"),
    ("referrals:mine", Role.REFERRER, None, "referrals.mine"),
    ("engagement:caseload", Role.LINK_WORKER, _allocated, "engagement.caseload"),
]


@pytest.mark.parametrize("url_name,role,set_up,page", LIST_PAGES, ids=[p[0] for p in LIST_PAGES])
def test_list_pages_record_the_people_they_show(url_name, role, set_up, page, world):
    if set_up is not None:
        set_up(world, world.users[Role.TEAM_LEAD])
    user = world.users[role]
    client = Client()
    client.force_login(user)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    rows = list(AuditEvent.objects.filter(id__gt=last, action=Action.VIEW, record_type=page))
    assert len(rows) == 1, [(e.action, e.record_type) for e in AuditEvent.objects.filter(
        id__gt=last)]
    event = rows[0]
    own, other = world.get(OWN, Person), world.get(OTHER, Person)
    assert event.user == user and event.path == reverse(url_name)
    assert own.family_name in response.content.decode()  # the page does show the person
    assert own.pk in _listed_ids(event) and other.pk not in _listed_ids(event)
    assert own.family_name not in event.detail and own.nhs_number not in event.detail


@pytest.mark.parametrize("url_name,role,page", [
    ("engagement:huddle", Role.LINK_WORKER, "engagement.huddle"),
    ("referrals:identity_queue", Role.TEAM_LEAD, "referrals.identity_queue"),
    ("referrals:break_glass_log", Role.TEAM_LEAD, "referrals.break_glass_log"),
])
def test_other_list_pages_write_a_row_even_when_empty(url_name, role, page, world):
    client = Client()
    client.force_login(world.users[role])
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert client.get(reverse(url_name)).status_code == 200
    event = AuditEvent.objects.get(id__gt=last, record_type=page)
    assert event.action == Action.VIEW and world.get(OTHER, Person).pk not in _listed_ids(event)


def test_the_audit_page_finds_the_lists_that_showed_a_person(world):
    worker = world.users[Role.LINK_WORKER]
    person, other = world.get(OWN, Person), world.get(OTHER, Person)
    client = Client()
    client.force_login(worker)
    client.get(reverse("referrals:triage"))
    admin = Client()
    admin.force_login(world.users[Role.ADMIN])
    url = reverse("audit:events")
    found = admin.get(url, {"record_type": "people.person", "record_id": person.pk})
    assert "referrals.triage_queue" in found.content.decode()
    not_found = admin.get(url, {"record_type": "people.person", "record_id": other.pk})
    assert "referrals.triage_queue" not in not_found.content.decode()


def test_the_sent_referral_page_records_a_view(world):
    referrer = world.users[Role.REFERRER]
    referral = world.get(OWN, Referral)
    client = Client()
    client.force_login(referrer)
    session = client.session
    session[SUBMITTED_KEY] = referral.pk
    session.save()
    assert client.get(reverse("referrals:submitted")).status_code == 200
    event = AuditEvent.objects.filter(action=Action.VIEW).latest("id")
    assert (event.record_type, event.record_id) == ("referrals.referral", str(referral.pk))


def test_the_listed_detail_is_bounded():
    ids = [str(n) for n in range(100000, 100200)]
    detail = _listed_detail(ids)
    assert len(detail) <= 400 and detail.startswith("200 people: 100000,100001,")
    shown = int(re.search(r"\(\+(\d+) more\)$", detail).group(1))
    assert len(detail.split(": ")[1].split(" ")[0].split(",")) + shown == 200


@pytest.mark.parametrize("url_name,side", [
    ("people:detail", OTHER), ("referrals:detail", OTHER), ("referrals:episode", OTHER),
])
def test_a_404_on_another_teams_record_is_recorded_as_refused(url_name, side, world):
    worker = world.users[Role.LINK_WORKER]
    model = {"people:detail": Person, "referrals:detail": Referral,
             "referrals:episode": Episode}[url_name]
    target = world.get(side, model)
    client = Client()
    client.force_login(worker)
    url = reverse(url_name, args=[target.pk])
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.latest("id")
    assert event.action == Action.REFUSED and event.user == worker
    assert (event.record_type, event.record_id) == (url_name, str(target.pk))
    assert event.path == url and event.detail == "status 404"


def test_a_403_is_recorded_as_refused(world):
    commissioner = world.users[Role.COMMISSIONER]
    person = world.get(OWN, Person)
    client = Client()
    client.force_login(commissioner)
    url = reverse("people:detail", args=[person.pk])
    assert client.get(url).status_code == 403
    event = AuditEvent.objects.latest("id")
    assert event.action == Action.REFUSED and event.user == commissioner
    assert (event.record_type, event.record_id, event.path, event.detail) == (
        "people:detail", str(person.pk), url, "status 403")


def test_anonymous_probes_and_unknown_urls_are_not_recorded(world):
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    assert Client().get("/no-such-page/").status_code == 404
    assert Client().get("/static/no-such-file.css").status_code == 404
    signed_in = Client()
    signed_in.force_login(world.users[Role.LINK_WORKER])
    assert signed_in.get("/people/not-a-number/").status_code == 404
    assert not AuditEvent.objects.filter(id__gt=last, action=Action.REFUSED).exists()


def test_an_api_client_asking_for_another_clients_referral_is_recorded_as_refused(world):
    from upstream.service.api.tokens import create_client

    _, token = create_client("Probe EPR", [])
    target = world.get(OTHER, Referral)
    url = f"/api/v1/referrals/{target.pk}"
    assert Client().get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 404
    event = AuditEvent.objects.latest("id")
    assert event.action == Action.REFUSED and event.user is None
    assert event.actor_label == "Probe EPR"
    assert (event.record_id, event.path, event.detail) == (str(target.pk), url, "status 404")


def test_an_api_call_without_a_valid_token_is_not_recorded(world):
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    target = world.get(OTHER, Referral)
    response = Client().get(f"/api/v1/referrals/{target.pk}",
                            headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert not AuditEvent.objects.filter(id__gt=last).exists()
