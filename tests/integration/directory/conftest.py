"""Fixtures for the directory tests: a var folder of the test's own, a full dump of the
directory to compare before and after, and small feeds in each format built from the HSDS 3.0
and Open Referral UK reference examples."""

import copy
import json
from pathlib import Path

import pytest

from upstream.service.directory.models import HSDS_TABLES

DATA = Path(__file__).parent / "data"
NORTH_LINCOLNSHIRE = DATA / "north-lincolnshire-services.json"

#: A compiled HSDS 3.0 service, cut down from the reference example ``service_full.json``.
HSDS_SERVICE = {
    "id": "ac148810-d857-441c-9679-408f346de14b",
    "name": "Community Counselling",
    "alternate_name": "MyCity Counselling Services",
    "description": "<p>Counselling by trained professionals &amp; peer mentors.</p>"
                   "<script>alert('x')</script>",
    "url": "http://example.com/counselling",
    "email": "email@example.com",
    "status": "active",
    "eligibility_description": "People aged 12 and over",
    "minimum_age": 12,
    "maximum_age": 100,
    "assured_date": "2025-01-01",
    "last_modified": "2025-03-15T10:30:45.123Z",
    "phones": [{"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "number": "01632 960123",
                "type": "voice",
                "languages": [{"id": "2989d3ed-c547-48f8-8f9d-432d81c7892e", "name": "Urdu",
                               "code": "ur"}]}],
    "schedules": [{"id": "48102e86-bb50-41c4-8f1e-e269368c41d1", "freq": "WEEKLY",
                   "byday": "TH,FR", "opens_at": "10:00:00", "closes_at": "18:00:00",
                   "valid_from": "2025-01-01"}],
    "service_at_locations": [{
        "id": "e94c9f38-1e8f-4564-91d4-d53501ab1765",
        "location": {
            "id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5", "location_type": "physical",
            "name": "MyCity Civic Center", "latitude": 53.589, "longitude": -0.654,
            "addresses": [{"id": "74bc3a8a-5d41-4b4a-8d5e-4cf3f1ab1c4e",
                           "address_1": "1 High Street", "city": "Scunthorpe",
                           "state_province": "North Lincolnshire", "postal_code": "DN15 6NL",
                           "country": "GB", "address_type": "physical"}],
            "accessibility": [{"id": "9a1d2b41-0d8f-4b5e-9a4d-2b6a7e5d8c11",
                               "description": "Step-free access"}],
        },
    }],
    "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
                     "name": "Example Organization Inc.",
                     "description": "A non-profit organization", "website": "http://example.com",
                     "email": "email@example.com"},
    "cost_options": [{"id": "d9f5d4b0-1f3c-4a9e-8b7b-1b2c3d4e5f60", "option": "Per hour",
                      "currency": "GBP", "amount": 50}],
    "attributes": [{
        "id": "ae58cc39-8b70-4ab1-8aea-786882e5ac8e", "link_type": "need",
        "taxonomy_term": {"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "code": "MH",
                          "name": "Mental health", "description": "Mental health support",
                          "taxonomy_detail": {"id": "5c4d79d7-cc55-470e-9f1f-8cad074e4892",
                                              "name": "Needs", "description": "Needs"}},
    }],
}


def hsds_service(**changes) -> dict:
    service = copy.deepcopy(HSDS_SERVICE)
    service.update(changes)
    return service


#: The HSDS tabular package, cut down from the reference example ``examples/csv``.
CSV_PACKAGE = {
    "organizations.csv": [
        "id,name,description,email,website",
        "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Example Organization Inc.,A non-profit,"
        "email@example.com,http://example.com",
    ],
    "services.csv": [
        "id,organization_id,name,description,status,minimum_age,maximum_age,assured_date",
        "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,"
        "Community Counselling,\"Counselling, <b>free</b>\",active,12,100,2025-01-01",
        "5b0e6b8a-8f7a-4d3e-9a57-5a1c1e6a9d01,,Walking group,Weekly walks,active,,,",
    ],
    "locations.csv": [
        "id,location_type,name,latitude,longitude",
        "3a19ff88-4620-4d17-9830-ac1d859eb5d5,physical,Civic Center,53.589,-0.654",
    ],
    "service_at_location.csv": [
        "id,service_id,location_id",
        "e94c9f38-1e8f-4564-91d4-d53501ab1765,ac148810-d857-441c-9679-408f346de14b,"
        "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
    ],
    "phones.csv": [
        "id,service_id,number",
        "1554f2e2-a373-45db-a3fa-9fc48a61c15e,ac148810-d857-441c-9679-408f346de14b,"
        "01632 960123",
    ],
    "taxonomies.csv": ["id,name,description",
                       "5c4d79d7-cc55-470e-9f1f-8cad074e4892,Needs,Needs"],
    "taxonomy_terms.csv": [
        "id,code,name,description,taxonomy_id",
        "3f7b145d-84af-42d7-8fae-eaca714b02b2,MH,Mental health,Support,"
        "5c4d79d7-cc55-470e-9f1f-8cad074e4892",
    ],
    "attributes.csv": [
        "id,link_id,taxonomy_term_id,link_type,link_entity",
        "ae58cc39-8b70-4ab1-8aea-786882e5ac8e,ac148810-d857-441c-9679-408f346de14b,"
        "3f7b145d-84af-42d7-8fae-eaca714b02b2,need,service",
    ],
    "metadata.csv": ["id,resource_id", "1,2"],
}


def write_csv_package(folder: Path, files: dict[str, list[str]] = CSV_PACKAGE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


#: A legacy ORUK v1 list feed as councils publish it, modelled on North Lincolnshire's.
def oruk_v1_service(index: int, **changes) -> dict:
    service = {
        "id": f"0000000{index}-aa6c-6a5c-2395-7b64421ba2a5",
        "name": f"Service {index}",
        "description": "<p>Help with <strong>debt</strong> &amp; money.</p>",
        "url": "https://www.example.org.uk/",
        "email": f"service{index}@example.org.uk",
        "status": "active",
        "fees": "", "accreditations": "", "deliverable_type": "", "attending_type": "",
        "attending_access": "", "pc_attendingAccess_additionalInfo": "",
        "assured_date": "2024-12-10",
        "organization": {"id": "20da2f9a-59de-622c-3b63-78d899ba0d94", "name": "Victor House",
                         "description": "A safe hub", "url": "https://www.example.org.uk/",
                         "logo": "", "uri": ""},
        "pc_metadata": {"date_created": "2024-12-09", "date_modified": "2024-12-10",
                        "date_assured": "2024-12-10", "assured_by": "someone@example.org.uk"},
        "pc_targetAudience": [],
    }
    service.update(changes)
    return service


#: One service of a legacy ORUK v1 API page with every nested array councils' vendors publish.
LEGACY_FULL = {
    "id": 4521, "name": "Money Matters", "description": "Debt advice",
    "url": "https://mm.example.org", "email": "help@mm.example.org", "status": "active",
    "fees": "Free", "assured_date": "2024-05-01", "attending_type": "Venue",
    "attending_access": "Drop-in", "deliverable_type": "Advice",
    "contacts": [{"id": 77, "name": "Reception", "phones": [{"id": 88, "number": "01724 296296"}]}],
    "cost_options": [{"id": 1, "option": "Session", "amount": "5.50",
                      "amount_description": "per session"}],
    "eligibilitys": [{"id": "e1", "eligibility": "Adults", "minimum_age": 18,
                      "maximum_age": None}],
    "fundings": [{"id": "f1", "source": "Council"}],
    "holiday_schedules": [{"id": "h1", "closed": True, "start_date": "2024-12-25",
                           "end_date": "2024-12-26"}],
    "languages": [{"id": "l1", "language": "Polish"}],
    "organization": {"id": 12, "name": "Money Matters CIO", "description": "<p>A charity</p>",
                     "email": "", "url": "mm.example.org", "logo": "", "uri": "", "reviews": []},
    "regular_schedules": [{"id": "r1", "opens_at": "09:00", "closes_at": "17:00",
                           "byday": "MO,TU", "freq": "WEEKLY", "interval": 1,
                           "valid_from": "01/04/2024"}],
    "service_areas": [{"id": "a1", "service_area": "North Lincolnshire", "extent": None}],
    "service_at_locations": [{"id": "sal1", "location": {
        "id": "loc1", "name": "Civic Centre", "latitude": "53.5886", "longitude": "-0.6544",
        "physical_addresses": [{"id": "pa1", "address_1": "Ashby Road", "city": "Scunthorpe",
                                "postal_code": "dn16 1ab", "country": "England"}],
        "accessibility_for_disabilities": [{"id": "ac1",
                                            "accessibility": "Wheelchair accessible"}]}}],
    "service_taxonomys": [
        {"id": "st1", "taxonomy": {"id": "debt", "name": "Debt advice", "vocabulary": "Needs",
                                   "parent": None}},
        {"id": "st2", "taxonomy": {"id": "befriend", "name": "Befriending",
                                   "vocabulary": "Needs", "parent": None}}],
}


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def dump_directory() -> dict[str, list[dict]]:
    """Every row of every directory table, all fields, in id order."""
    return {table: [dict(row) for row in model.objects.order_by("id").values()]
            for table, model in HSDS_TABLES.items()}


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR
