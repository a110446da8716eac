"""Strengths, interests and personal network: dated snapshots, the pictures side by side with
the comparison, errors that name the row, and scoping."""

import datetime

import pytest

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.engagement import services
from upstream.service.engagement.models import NetworkEntry, NetworkSnapshot

from ..engagement import factories as make
from .conftest import date_fields

pytestmark = pytest.mark.django_db


def _row(n, who, kind, frequency, helpfulness):
    return {f"entry-{n}-who": who, f"entry-{n}-kind": kind,
            f"entry-{n}-frequency": frequency, f"entry-{n}-helpfulness": str(helpfulness)}


def test_first_snapshot_is_recorded_and_drawn_with_its_table(client, episode, worker):
    client.force_login(worker)
    url = f"/engagement/episodes/{episode.pk}/network/"
    response = client.post(url, {
        "version": episode.version, **date_fields("taken_on", datetime.date(2025, 3, 1)),
        "stage": "start", "strengths": "Good cook\n\nKind to neighbours", "interests": "Gardening",
        **_row(1, "Sister", "family", "monthly", 4), **_row(2, "GP", "professional", "rarely", 3)})
    assert response.status_code == 302
    snapshot = NetworkSnapshot.objects.get()
    assert snapshot.strengths == ["Good cook", "Kind to neighbours"]
    assert snapshot.interests == ["Gardening"]
    assert [(e.who, e.helpfulness) for e in snapshot.entries.all()] == [("Sister", 4), ("GP", 3)]
    page = client.get(url).content.decode()
    assert page.count('class="network-entry"') == 2
    assert "<td class=\"nhsuk-table__cell\">Sister</td>" in page
    assert "Good cook" in page
    # The next snapshot's rows start from this one's entries.
    assert 'value="Sister"' in page


def test_latest_is_shown_beside_the_start_with_a_plain_comparison(client, episode, worker):
    services.record_network_snapshot(
        episode, by=worker, taken_on=datetime.date(2025, 3, 1), stage="start",
        entries=[{"who": "Sister", "kind": "family", "frequency": "monthly", "helpfulness": 3}])
    episode.refresh_from_db()
    services.record_network_snapshot(
        episode, by=worker, taken_on=datetime.date(2025, 5, 1), stage="review",
        entries=[{"who": "Sister", "kind": "family", "frequency": "weekly", "helpfulness": 4},
                 {"who": "Walking group", "kind": "group", "frequency": "weekly",
                  "helpfulness": 5},
                 {"who": "Neighbour", "kind": "neighbour", "frequency": "daily",
                  "helpfulness": 4}])
    client.force_login(worker)
    page = client.get(f"/engagement/episodes/{episode.pk}/network/").content.decode()
    assert "At the start: 1 March 2025" in page
    assert "Latest: 1 May 2025" in page
    assert page.count('<svg class="upstream-network"') == 2
    assert "3 more contacts at least weekly than at the start (0)." in page
    assert "2 more people and groups in the network than at the start (1)." in page


def test_a_started_row_needs_every_part_and_nothing_is_saved(client, episode, worker):
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/network/", {
        "version": episode.version, **date_fields("taken_on", datetime.date(2025, 3, 1)),
        "stage": "start", **_row(1, "Sister", "family", "weekly", 4),
        "entry-2-who": "Choir"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select what kind of contact 2 is" in page
    assert "Select how helpful contact 2 is, from 1 to 5" in page
    assert 'href="#id_entry-2-kind"' in page
    assert 'value="Choir"' in page
    assert not NetworkSnapshot.objects.exists()
    assert not NetworkEntry.objects.exists()


def test_an_empty_snapshot_is_refused(client, episode, worker):
    client.force_login(worker)
    response = client.post(f"/engagement/episodes/{episode.pk}/network/", {
        "version": episode.version, **date_fields("taken_on", datetime.date(2025, 3, 1)),
        "stage": "start"})
    assert "Enter at least one strength, interest or person" in response.content.decode()
    assert not NetworkSnapshot.objects.exists()


def test_service_refuses_helpfulness_outside_1_to_5(episode, worker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.record_network_snapshot(
            episode, by=worker, taken_on=datetime.date(2025, 3, 1), stage="start",
            entries=[{"who": "Sister", "kind": "family", "frequency": "weekly",
                      "helpfulness": 6}])
    assert not NetworkSnapshot.objects.exists()


def test_network_page_is_audited_and_other_teams_get_404(client, episode, worker):
    client.force_login(worker)
    assert client.get(f"/engagement/episodes/{episode.pk}/network/").status_code == 200
    assert AuditEvent.objects.filter(user=worker, action=Action.VIEW,
                                     record_id=str(episode.pk)).exists()
    client.force_login(make.user(Role.LINK_WORKER, make.team()))
    assert client.get(f"/engagement/episodes/{episode.pk}/network/").status_code == 404
