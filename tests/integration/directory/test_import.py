"""Importing directory feeds: every format, provenance, idempotence, atomicity, the report."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest

from upstream.service.directory import quality
from upstream.service.directory.ids import derived_id
from upstream.service.directory.importer import FeedError, import_directory
from upstream.service.directory.models import (
    Attribute,
    Feed,
    ImportRun,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

from .conftest import (
    CSV_PACKAGE,
    LEGACY_FULL,
    NORTH_LINCOLNSHIRE,
    dump_directory,
    hsds_service,
    oruk_v1_service,
    write_csv_package,
    write_json,
)

pytestmark = pytest.mark.django_db

SERVICE_ID = uuid.UUID("ac148810-d857-441c-9679-408f346de14b")
TERM_ID = uuid.UUID("3f7b145d-84af-42d7-8fae-eaca714b02b2")


# --- Formats ------------------------------------------------------------------------------


def test_a_compiled_hsds_service_becomes_its_tables_with_the_feeds_ids(tmp_path):
    outcome = import_directory(write_json(tmp_path / "one.json", hsds_service()), "hsds")

    assert outcome.report.source_format == "hsds-3.0-json"
    service = Service.objects.get(id=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.description == "Counselling by trained professionals & peer mentors."
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.assured_date == service.last_verified == dt.date(2025, 1, 1)
    assert service.last_modified == dt.datetime(2025, 3, 15, 10, 30, 45, 123000, tzinfo=dt.UTC)
    assert service.organization.name == "Example Organization Inc."
    assert service.feed.name == "hsds" and service.original_id == str(SERVICE_ID)
    assert service.provision_type == Service.ProvisionType.FORMAL
    phone = Phone.objects.get(service=service)
    assert phone.number == "01632 960123" and phone.languages.get().code == "ur"
    schedule = Schedule.objects.get(service=service)
    assert (schedule.opens_at, schedule.closes_at) == (dt.time(10), dt.time(18))
    at = ServiceAtLocation.objects.get(service=service)
    assert (at.location.latitude, at.location.longitude) == (53.589, -0.654)
    assert at.location.addresses.get().postal_code == "DN15 6NL"
    assert at.location.accessibility.get().description == "Step-free access"
    assert service.cost_options.get().amount == 50
    term = TaxonomyTerm.objects.get(id=TERM_ID)
    assert term.taxonomy.name == "Needs"
    assert list(Service.objects.with_term(term)) == [service]
    attribute = Attribute.objects.get()
    assert (attribute.link_entity, attribute.link_id) == ("service", SERVICE_ID)


def test_a_list_and_a_paginated_page_of_services_are_read(tmp_path):
    second = hsds_service(id="5b0e6b8a-8f7a-4d3e-9a57-5a1c1e6a9d01", name="Walking group",
                          phones=[], schedules=[], service_at_locations=[], cost_options=[],
                          attributes=[])
    import_directory(write_json(tmp_path / "list.json", [hsds_service(), second]), "list")
    assert Service.objects.filter(feed__name="list").count() == 2

    page = {"total_items": 20, "total_pages": 2, "page_number": 1, "size": 1,
            "contents": [hsds_service()]}
    outcome = import_directory(write_json(tmp_path / "page.json", page), "page")
    assert Service.objects.filter(feed__name="page").count() == 1
    assert any("page.json is page 1 of 2" in note for note in outcome.report.notes)
    outcome = import_directory(tmp_path / "page.json", "list")  # one page of the "list" feed
    assert outcome.report.counts["service"]["absent"] == 0
    assert not Service.objects.get(name="Walking group").needs_attention


def test_a_folder_of_saved_pages_is_one_complete_feed(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for number in (1, 2):
        write_json(folder / f"page-{number}.json", {
            "totalElements": 2, "totalPages": 2, "number": number,
            "content": [oruk_v1_service(number)]})
    import_directory(folder, "council")
    write_json(folder / "page-2.json", {"totalElements": 1, "totalPages": 1, "number": 1,
                                        "content": []})
    (folder / "page-1.json").unlink()
    write_json(folder / "page-1.json", {"content": [oruk_v1_service(1)]})

    outcome = import_directory(folder, "council")

    assert outcome.report.source_format == "oruk-v1-json"
    assert Service.objects.filter(feed__name="council").count() == 2
    assert outcome.report.counts["service"]["absent"] == 1  # complete: service 2 has gone
    assert Service.objects.get(original_id=oruk_v1_service(2)["id"]).needs_attention


def test_an_hsds_organization_response_brings_its_services(tmp_path):
    service = hsds_service()
    organization = service.pop("organization")
    organization["services"] = [service]
    import_directory(write_json(tmp_path / "organization.json", organization), "orgs")

    imported = Service.objects.get(id=SERVICE_ID)
    assert imported.organization_id == uuid.UUID(organization["id"])
    assert not imported.organization.is_placeholder and not imported.needs_attention


def test_an_hsds_csv_package_is_read_from_its_folder_or_datapackage(tmp_path):
    folder = write_csv_package(tmp_path / "package")
    outcome = import_directory(folder, "csv")

    assert outcome.report.source_format == "hsds-3.0-tabular"
    service = Service.objects.get(id=SERVICE_ID)
    assert service.description == "Counselling, free"
    assert service.phones.get().number == "01632 960123"
    assert service.service_at_locations.get().location.name == "Civic Center"
    assert list(Service.objects.with_term(TERM_ID)) == [service]
    walking = Service.objects.get(name="Walking group")
    assert walking.organization.is_placeholder and walking.needs_attention
    assert any("metadata.csv" in note for note in outcome.report.notes)

    descriptor = {"name": "demo", "resources": [
        {"name": "organization", "path": "organizations.csv"},
        {"name": "service", "path": "services.csv"}]}
    write_json(folder / "datapackage.json", descriptor)
    outcome = import_directory(folder / "datapackage.json", "package")
    assert outcome.report.counts["service"]["in_feed"] == 2
    assert outcome.report.counts["phone"]["in_feed"] == 0  # only the listed resources


def test_a_legacy_oruk_feed_keeps_vendor_fields_and_flags_what_needs_attention(tmp_path):
    feed = [
        oruk_v1_service(1, deliverable_type="Peer group", pc_targetAudience=[
            {"id": "35674", "audienceType": "Low Income>Unemployed "},
            {"id": "Bereaved", "audienceType": "Bereaved "}]),
        oruk_v1_service(2, name="", organization=None, pc_unknownVendorField={"x": 1}),
        oruk_v1_service(3, email="not-an-email", pc_attendingAccess_additionalInfo="Book first"),
    ]
    outcome = import_directory(write_json(tmp_path / "council.json", feed))

    assert outcome.report.source_format == "oruk-v1-json"
    assert Feed.objects.get().name == "council"
    first, nameless, third = (Service.objects.get(original_id=f["id"]) for f in feed)
    assert first.provision_type == Service.ProvisionType.PEER_SUPPORT
    assert first.description == "Help with debt & money."
    assert first.last_modified.date() == dt.date(2024, 12, 10)
    assert first.assurer_email == "someone@example.org.uk"
    unemployed = TaxonomyTerm.objects.get(name="Unemployed")
    assert unemployed.parent.name == "Low Income"
    assert unemployed.taxonomy.name == "Target audience"
    assert set(Service.objects.with_term(unemployed)) == {first}
    # Empty name and no organisation: kept, flagged, attached to a placeholder, reported.
    assert nameless.name == "" and nameless.needs_attention
    assert nameless.organization.is_placeholder and nameless.organization.needs_attention
    assert nameless.extensions["pc_unknownVendorField"] == {"x": 1}
    reasons = " ".join(nameless.attention_reasons)
    assert "no name" in reasons and "placeholder organisation" in reasons
    assert third.email == "not-an-email" and third.needs_attention
    assert third.application_process == "Book first"
    flagged = {(item.table, item.original_id) for item in outcome.report.attention}
    assert {("service", feed[1]["id"]), ("service", feed[2]["id"])} <= flagged
    assert ("service", feed[0]["id"]) not in flagged


def test_a_full_legacy_oruk_page_maps_onto_the_hsds_tables(tmp_path):
    page = {"totalElements": 1, "totalPages": 1, "number": 1, "content": [LEGACY_FULL]}
    import_directory(write_json(tmp_path / "council.json", page), "council")

    service = Service.objects.get(original_id="4521")
    assert (service.minimum_age, service.maximum_age) == (18, None)
    assert service.eligibility_description == "Adults"
    assert service.provision_type == Service.ProvisionType.BEFRIENDING
    assert service.extensions["holiday_schedules"][0]["closed"] is True
    schedule = service.schedules.get()
    assert (schedule.opens_at, schedule.byday, schedule.valid_from) == (
        dt.time(9), "MO,TU", dt.date(2024, 4, 1))
    assert service.cost_options.get().amount == Decimal("5.50")
    assert service.languages.get().name == "Polish"
    assert service.service_areas.get().name == "North Lincolnshire"
    assert service.funding.get().source == "Council"
    assert service.contacts.get().phones.get().number == "01724 296296"
    location = service.service_at_locations.get().location
    assert (location.latitude, location.longitude) == (53.5886, -0.6544)
    assert location.addresses.get().postal_code == "DN16 1AB"
    assert location.accessibility.get().description == "Wheelchair accessible"
    assert service.organization.website == "mm.example.org"  # kept, and reported malformed
    assert service.organization.needs_attention
    debt = TaxonomyTerm.objects.get(name="Debt advice")
    assert debt.taxonomy.name == "Needs" and list(Service.objects.with_term(debt)) == [service]


def test_non_uuid_ids_get_stable_uuids_per_feed(tmp_path):
    feed = [oruk_v1_service(1, id="12345", organization={"id": "77", "name": "Org"})]
    import_directory(write_json(tmp_path / "a.json", feed), "council-a")
    import_directory(write_json(tmp_path / "b.json", feed), "council-b")

    ids = set(Service.objects.values_list("id", flat=True))
    assert ids == {derived_id("council-a", "service", "12345"),
                   derived_id("council-b", "service", "12345")}


def test_a_uuid_another_feed_owns_is_not_taken_over(tmp_path):
    import_directory(write_json(tmp_path / "a.json", [hsds_service()]), "first")
    outcome = import_directory(write_json(tmp_path / "b.json", [hsds_service()]), "second")

    assert Service.objects.get(id=SERVICE_ID).feed.name == "first"
    second = Service.objects.get(feed__name="second")
    assert second.id == derived_id("second", "service", str(SERVICE_ID))
    assert any("already used" in " ".join(item.reasons) for item in outcome.report.attention)


# --- Idempotence and updates ---------------------------------------------------------------


def test_reimporting_the_same_file_changes_no_row(tmp_path):
    path = write_json(tmp_path / "feed.json", [hsds_service(), *[
        oruk_v1_service(i) for i in range(3)]])
    import_directory(path, "mixed")
    before = dump_directory()
    outcome = import_directory(path, "mixed")

    assert dump_directory() == before
    assert all(c["created"] == c["updated"] == 0 for c in outcome.report.counts.values())
    assert ImportRun.objects.count() == 2


def test_a_changed_record_is_updated_in_place_and_an_absent_one_flagged(tmp_path):
    path = tmp_path / "feed.json"
    write_json(path, [oruk_v1_service(1), oruk_v1_service(2)])
    import_directory(path, "council")
    kept = Service.objects.get(original_id=oruk_v1_service(1)["id"])
    kept.accepting_referrals, kept.waiting_time_days = False, 21  # set by the organisation
    kept.last_verified = dt.date(2025, 6, 1)
    kept.save()

    write_json(path, [oruk_v1_service(1, name="Renamed")])
    outcome = import_directory(path, "council")

    kept.refresh_from_db()
    assert kept.name == "Renamed"
    assert (kept.accepting_referrals, kept.waiting_time_days) == (False, 21)
    assert kept.last_verified == dt.date(2025, 6, 1)  # later than the feed's assured date
    gone = Service.objects.get(original_id=oruk_v1_service(2)["id"])
    assert gone.needs_attention and gone.attention_reasons == ["Not in the feed's latest import."]
    assert outcome.report.counts["service"] == {
        "in_feed": 1, "created": 0, "updated": 1, "unchanged": 0, "absent": 1}


# --- Atomicity ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("broken.json", '[{"id": "1", "name": "x"', "broken.json: not valid JSON"),
    ("scalar.json", '"services"', "scalar.json: expected a list of services, found str"),
    ("object.json", '{"hello": 1}', "object.json: expected a service"),
    ("item.json", '[{"id": "a", "name": "ok"}, 42]', "item.json, record 2: a service must be"),
    ("phones.json", '[{"id": "s1", "name": "x", "phones": {"number": "1"}}]',
     "phones.json, record 1 (id s1), field 'phones': must be a list, found dict"),
    ("location.json", '[{"id": "s1", "service_at_locations": [{"id": "l", "location": [1]}]}]',
     "field 'location': must be an object"),
])
def test_a_malformed_json_file_is_refused_and_changes_nothing(tmp_path, name, content, expected):
    import_directory(write_json(tmp_path / "good.json", [hsds_service()]), "council")
    before = dump_directory()
    (tmp_path / name).write_text(content, encoding="utf-8")

    with pytest.raises(FeedError) as error:
        import_directory(tmp_path / name, "council")

    assert expected in str(error.value)
    assert dump_directory() == before
    assert ImportRun.objects.count() == 1


def test_an_unparseable_csv_row_is_refused_naming_file_and_line(tmp_path):
    import_directory(write_json(tmp_path / "good.json", [hsds_service()]), "council")
    before = dump_directory()
    files = dict(CSV_PACKAGE)
    files["phones.csv"] = [*CSV_PACKAGE["phones.csv"], "extra,ac148810,01632 960999,surplus"]
    folder = write_csv_package(tmp_path / "package", files)

    with pytest.raises(FeedError, match=r"phones\.csv, line 3: has 4 values but the header has 3"):
        import_directory(folder, "council")
    assert dump_directory() == before


def test_a_failure_after_records_were_written_rolls_everything_back(tmp_path, monkeypatch):
    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(quality.QualityReport, "save", fail)
    with pytest.raises(OSError):
        import_directory(write_json(tmp_path / "good.json", [hsds_service()]), "council")
    assert not Service.objects.exists() and not Feed.objects.exists()


# --- The report -----------------------------------------------------------------------------


def test_the_report_counts_valid_missing_and_malformed_values(tmp_path, var_dir):
    services = [
        hsds_service(id=str(uuid.UUID(int=i)), email=email, minimum_age=minimum,
                     maximum_age=maximum, phones=[], schedules=[], cost_options=[],
                     attributes=[], service_at_locations=[
                         {"id": str(uuid.UUID(int=100 + i)),
                          "location": {"id": str(uuid.UUID(int=200 + i)), "latitude": lat,
                                       "longitude": -0.65}}])
        for i, (email, minimum, maximum, lat) in enumerate([
            ("a@example.org", 18, 65, 53.5),   # all valid
            ("", None, None, None),            # missing
            ("not an email", "adults", 10, 1.5),  # malformed: text age, outside UK
            ("b@example.org", 70, 60, 95),     # maximum below minimum; not a latitude
        ])
    ]
    outcome = import_directory(write_json(tmp_path / "quality.json", services), "quality")

    saved = json.loads(outcome.report_json.read_text())
    fields = {(f["table"], f["field"]): f for f in saved["fields"]}
    assert (fields[("service", "email")]["valid"], fields[("service", "email")]["missing"],
            fields[("service", "email")]["malformed"]) == (2, 1, 1)
    assert fields[("service", "email")]["malformed_percent"] == 25.0
    assert fields[("service", "minimum_age")]["malformed"] == 1  # "adults"
    assert fields[("service", "maximum_age")]["malformed"] == 1  # 60 < 70
    latitude = fields[("location", "latitude")]
    assert (latitude["valid"], latitude["missing"], latitude["malformed"]) == (1, 1, 2)
    unstorable = Service.objects.get(id=uuid.UUID(int=2))
    assert unstorable.minimum_age is None
    assert unstorable.extensions["unparsed"]["minimum_age"] == "adults"
    assert Location.objects.get(id=uuid.UUID(int=202)).latitude == 1.5  # kept, reported
    attention = {item["original_id"] for item in saved["needs_attention"]}
    assert str(uuid.UUID(int=2)) in attention and str(uuid.UUID(int=0)) not in attention
    assert outcome.report_json.parent == var_dir / "directory-reports"
    assert outcome.report_json.name.startswith("quality-")
    markdown = outcome.report_markdown.read_text()
    assert "| service | email | 2 (50.0%) | 1 (25.0%) | 1 (25.0%) |" in markdown
    assert ImportRun.objects.get().report_path == str(outcome.report_json)


def test_records_that_cannot_be_stored_are_listed_not_dropped_silently(tmp_path):
    service = hsds_service(service_at_locations=[{"id": "sal-without-location"}])
    outcome = import_directory(write_json(tmp_path / "feed.json", [service]), "council")

    assert outcome.report.not_imported == [{
        "table": "service_at_location", "original_id": "sal-without-location",
        "where": "record 1 (id ac148810-d857-441c-9679-408f346de14b) › service_at_locations[0]",
        "reason": "it names no location"}]
    assert Service.objects.filter(id=SERVICE_ID).exists()


# --- The real feed --------------------------------------------------------------------------


@pytest.mark.slow
def test_the_north_lincolnshire_feed_imports_whole_and_reimports_unchanged(var_dir):
    feed = json.loads(NORTH_LINCOLNSHIRE.read_text())
    outcome = import_directory(NORTH_LINCOLNSHIRE, "north-lincolnshire")

    assert Service.objects.count() == len(feed) == 738
    assert set(Service.objects.values_list("original_id", flat=True)) == {s["id"] for s in feed}
    assert not Service.objects.filter(description__regex=r"<[a-zA-Z/!]").exists()
    assert not Service.objects.filter(description__contains="&amp;").exists()
    assert Organization.objects.count() == len({s["organization"]["id"] for s in feed})
    assert outcome.report_json.exists() and outcome.report_markdown.exists()
    assert outcome.report.not_imported == []
    before = dump_directory()

    again = import_directory(NORTH_LINCOLNSHIRE, "north-lincolnshire")
    assert dump_directory() == before
    assert again.report.counts["service"]["unchanged"] == 738


def test_a_spreadsheet_export_in_windows_1252_is_read_and_noted(tmp_path):
    files = {name: lines for name, lines in CSV_PACKAGE.items() if name == "organizations.csv"}
    folder = write_csv_package(tmp_path / "package", files)
    (folder / "services.csv").write_bytes(
        "id,organization_id,name\ns1,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Café für alle\n"
        .encode("cp1252"))

    outcome = import_directory(folder, "council")

    assert Service.objects.get(original_id="s1").name == "Café für alle"
    assert any("services.csv is not UTF-8" in note for note in outcome.report.notes)


def test_a_quoted_csv_value_may_hold_line_breaks_and_separators(tmp_path):
    files = dict(CSV_PACKAGE)
    files["services.csv"] = [
        "id,organization_id,name,description",
        's1,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Group,"Line one\nline two\u2028, with ""quotes"""',
    ]
    import_directory(write_csv_package(tmp_path / "package", files), "council")

    assert Service.objects.get(original_id="s1").description == \
        'Line one\nline two\u2028, with "quotes"'


def test_very_long_feed_ids_are_stored_stably(tmp_path):
    long_id = "x" * 400
    path = write_json(tmp_path / "feed.json", [oruk_v1_service(1, id=long_id)])
    import_directory(path, "council")
    before = dump_directory()
    import_directory(path, "council")

    assert dump_directory() == before
    service = Service.objects.get()
    assert len(service.original_id) == 255 and service.original_id.startswith("x" * 200)
    assert service.id == derived_id("council", "service", service.original_id)
