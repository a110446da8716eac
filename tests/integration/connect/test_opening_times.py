"""A VCSE partner sets their own service's weekly opening times: only their organisation's
services, every field checked with a clear message, the verification date set, the change
audited, and kept (not duplicated) when the service's feed is next imported."""

import datetime as dt
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import directory as make_service
from tests.integration.directory.conftest import hsds_service, write_json
from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.connect import services
from upstream.service.connect.models import PartnerMembership
from upstream.service.directory.importer import import_directory
from upstream.service.directory.models import Schedule, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ours = make_service.service("Tuesday walking group", "loneliness", byday="TU")
    theirs = make_service.service("Debt advice drop-in", "money", byday="WE")
    Schedule.objects.create(service=ours, freq="MONTHLY", byday="1SA", opens_at=dt.time(10),
                            closes_at=dt.time(12))
    partner = make.user(Role.VCSE_PARTNER, username="partner-ours")
    PartnerMembership.objects.create(user=partner, organization=ours.organization)
    client = Client()
    client.force_login(partner)
    return {"ours": ours, "theirs": theirs, "partner": partner, "client": client}


def _url(service):
    return reverse("connect:partner_opening_times", args=[service.pk])


def _hours(service):
    return sorted((s.byday, s.opens_at, s.closes_at, s.freq)
                  for s in services.organisation_hours(service))


def test_the_form_shows_the_weekly_times_and_lists_the_others_in_words(world):
    body = unescape(world["client"].get(_url(world["ours"])).content.decode())
    assert 'name="TU_opens" type="text" value="09:30"' in body
    assert 'name="TU_closes" type="text" value="12:00"' in body
    assert 'name="MO_opens" type="text" value=""' in body
    assert "Saving replaces them" in body  # the monthly session cannot be shown in the form


def test_a_partner_sets_their_services_opening_times_and_verifies_it(world):
    response = world["client"].post(_url(world["ours"]), {
        "MO_opens": "09:00", "MO_closes": "17:00", "TH_opens": "18:30", "TH_closes": "20:00"})
    assert response.status_code == 302
    assert _hours(world["ours"]) == [("MO", dt.time(9), dt.time(17), "WEEKLY"),
                                     ("TH", dt.time(18, 30), dt.time(20), "WEEKLY")]
    world["ours"].refresh_from_db()
    assert world["ours"].last_verified == timezone.localdate()
    assert AuditEvent.objects.filter(action=Action.CHANGE, record_id=str(world["ours"].pk),
                                     detail="opening times set by the organisation").exists()


def test_another_organisations_service_is_not_found_and_not_changed(world):
    before = _hours(world["theirs"])
    assert world["client"].get(_url(world["theirs"])).status_code == 404
    assert world["client"].post(_url(world["theirs"]), {
        "MO_opens": "09:00", "MO_closes": "17:00"}).status_code == 404
    with pytest.raises(services.NotTheirs):
        services.update_opening_times(world["theirs"], by=world["partner"],
                                      hours={"MO": (dt.time(9), dt.time(17))})
    assert _hours(world["theirs"]) == before
    world["theirs"].refresh_from_db()
    assert world["theirs"].last_verified is None


@pytest.mark.parametrize("posted,field,message", [
    ({}, "MO_opens", "Enter the opening times for at least one day"),
    ({"MO_opens": "09:00"}, "MO_closes", "Enter the time Monday closes"),
    ({"FR_closes": "17:00"}, "FR_opens", "Enter the time Friday opens"),
    ({"TU_opens": "17:00", "TU_closes": "09:00"}, "TU_closes",
     "The closing time on Tuesday must be after the opening time"),
    ({"SU_opens": "nine", "SU_closes": "12:00"}, "SU_opens",
     "Enter a time in the 24-hour clock, like 09:30 or 17:00"),
])
def test_bad_times_are_refused_with_a_message_on_the_field(world, posted, field, message):
    before = _hours(world["ours"])
    response = world["client"].post(_url(world["ours"]), posted)
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert f'href="#id_{field}"' in body and message in body
    assert _hours(world["ours"]) == before


def test_times_the_organisation_set_are_kept_when_the_feed_is_imported_again(tmp_path):
    feed = write_json(tmp_path / "one.json", hsds_service())
    import_directory(feed, "hsds")
    service = Service.objects.get(feed__name="hsds")
    assert _hours(service) and all(s.feed_id for s in services.organisation_hours(service))
    partner = make.user(Role.VCSE_PARTNER)
    PartnerMembership.objects.create(user=partner, organization=service.organization)
    services.update_opening_times(service, by=partner, hours={"WE": (dt.time(9), dt.time(13))})
    outcome = import_directory(feed, "hsds")
    assert _hours(service) == [("WE", dt.time(9), dt.time(13), "WEEKLY")]
    assert [n["table"] for n in outcome.report.not_imported] == ["schedule"]
    assert "set its opening times in Upstream" in outcome.report.not_imported[0]["reason"]
