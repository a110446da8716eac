"""The audit log: append-only, a VIEW row for each view of an identifiable record, a row for
each change, and the administrators' audit page."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AppendOnly, AuditEvent
from upstream.service.audit.services import record
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.services import transition
from upstream.service.referrals.states import Status

from .world import OWN, build_world

RECORD_PAGES = [
    ("people:detail", Person),
    ("referrals:detail", Referral),
    ("referrals:episode", Episode),
]


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("url_name,model", RECORD_PAGES, ids=[n for n, _ in RECORD_PAGES])
def test_viewing_a_record_adds_exactly_one_view_row(url_name, model, world):
    worker = world.users[Role.LINK_WORKER]
    obj = world.get(OWN, model)
    client = Client()
    client.force_login(worker)
    before = AuditEvent.objects.count()
    response = client.get(reverse(url_name, args=[obj.pk]))
    assert response.status_code == 200
    new = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    views = [e for e in new if e.action == Action.VIEW]
    assert len(views) == 1, [(e.action, e.record_type) for e in new]
    event = views[0]
    assert event.user == worker
    assert (event.record_type, event.record_id) == (obj._meta.label_lower, str(obj.pk))
    assert event.path == reverse(url_name, args=[obj.pk])


def test_a_change_adds_a_row(world):
    lead = world.users[Role.TEAM_LEAD]
    episode = world.get(OWN, Episode)
    transition(episode, Status.TRIAGED, by=lead, reason="accepted")
    event = AuditEvent.objects.filter(action=Action.TRANSITION).latest("id")
    assert event.user == lead and event.record_id == str(episode.pk)
    assert event.detail == "referred->triaged"


def test_audit_rows_cannot_be_changed_or_deleted(db):
    event = record(None, Action.EXPORT, record_type="test.thing", record_id="1")
    event.detail = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.bulk_update([event], ["detail"])
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


if connection.vendor == "postgresql":

    @pytest.mark.postgres
    @pytest.mark.parametrize("sql", [
        "UPDATE audit_auditevent SET detail = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ])
    def test_postgresql_trigger_refuses_raw_update_and_delete(sql, db):
        event = record(None, Action.EXPORT, record_type="test.thing", record_id="1")
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_audit_page_lists_and_filters_events_for_administrators_only(world):
    worker = world.users[Role.LINK_WORKER]
    person = world.get(OWN, Person)
    record(worker, Action.VIEW, person)
    record(None, Action.EXPORT, record_type="test.thing", record_id="77", actor_label="EPR")
    admin = Client()
    admin.force_login(world.users[Role.ADMIN])
    url = reverse("audit:events")
    viewed_person = f"people.person {person.pk}"
    everything = admin.get(url).content.decode()
    assert viewed_person in everything and "test.thing 77" in everything
    by_user = admin.get(url, {"user": worker.username}).content.decode()
    assert viewed_person in by_user and "test.thing 77" not in by_user
    by_record = admin.get(url, {"record_type": "test.thing", "record_id": "77"}).content.decode()
    assert "test.thing 77" in by_record and viewed_person not in by_record
    for role in (Role.REFERRER, Role.LINK_WORKER, Role.TEAM_LEAD, Role.COMMISSIONER):
        client = Client()
        client.force_login(world.users[role])
        assert client.get(url).status_code == 403
