"""The open directory API at ``/oruk/`` (issue 11, item 3): every answer validates against the
official HSDS 3.0 and Open Referral UK schemas; filters, paging and parameter errors; open
access (CORS, no key), caching, and a fixed number of queries per page."""

import json
import uuid
from pathlib import Path

import pytest
from django.test import Client

from upstream.service.accounts.models import Role
from upstream.service.directory.importer import import_directory
from upstream.service.directory.models import (
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from upstream.standards import postcode_directory
from upstream.standards.openreferral.validation import check_response

from .conftest import LEGACY_FULL, NORTH_LINCOLNSHIRE, write_json
from .oruk_world import CENTROIDS, build_directory, link, write_centroids

pytestmark = pytest.mark.django_db

LISTS = {
    "/oruk/services": "/services",
    "/oruk/service_at_locations": "/service_at_locations",
    "/oruk/organizations": "/organizations",
    "/oruk/taxonomies": "/taxonomies",
    "/oruk/taxonomy_terms": "/taxonomy_terms",
}
"""Our list URLs and the OpenAPI path whose response schema each answer must meet."""

PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
               "empty", "contents"}


@pytest.fixture
def world(db):
    return build_directory()


@pytest.fixture
def centroids(tmp_path, settings):
    path = tmp_path / "onspd.csv"
    write_centroids(path)
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "postcodes.sqlite3"
    postcode_directory.build(path, settings.UPSTREAM_POSTCODE_DIRECTORY)
    return path


def get(url, client=None, **query):
    response = (client or Client()).get(url, query)
    assert response["Access-Control-Allow-Origin"] == "*", url
    assert response["Content-Type"] == "application/json", url
    return response


def valid(url, openapi_path, **query):
    """GET ``url``, check it is 200 and valid under every standard defining the path."""
    response = get(url, **query)
    assert response.status_code == 200, (url, response.content[:300])
    body = response.json()
    check_response(body, openapi_path)
    return body


def every_page(url, openapi_path, per_page=2, **query) -> list[dict]:
    """Walk every page of a list, validating each; return all items."""
    items, page = [], 1
    while True:
        body = valid(url, openapi_path, page=page, per_page=per_page, **query)
        assert set(body) == PAGE_FIELDS
        assert body["page_number"] == page and body["size"] == len(body["contents"])
        items += body["contents"]
        if body["last_page"]:
            assert body["total_pages"] == page or body["total_items"] == 0
            assert len(items) == body["total_items"]
            return items
        page += 1


def ids(items) -> list[str]:
    return [item["id"] for item in items]


# The bar: every answer validates ------------------------------------------------------------

def test_root_names_the_version_profile_and_openapi_document(world):
    body = valid("/oruk/", "/")
    assert body["version"] == "3.0"
    assert body["profile"] == "https://github.com/openreferral/uk-profile"
    assert body["openapi_url"] == "http://testserver/oruk/openapi.json"
    document = get("/oruk/openapi.json").json()
    assert document["servers"] == [{"url": "http://testserver/oruk/"}]
    assert "/service_at_locations" in document["paths"]
    services = {p["$ref"].rsplit("/", 1)[-1]
                for p in document["paths"]["/services"]["get"]["parameters"]}
    assert {"postcode", "proximity", "day", "start_time", "modified_after"} <= services
    assert "minimal" not in services
    assert document["components"]["parameters"]["start_time"]["schema"] == {
        "type": "string", "format": "time"}
    erratum = document["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]
    assert erratum["content"]["application/json"]["schema"]["$ref"].endswith(
        "compiled/service_at_location.json")
    assert document["info"]["title"].startswith("Upstream")


@pytest.mark.parametrize("full", ["false", "true"])
def test_every_page_of_every_list_validates(world, full):
    for url, openapi_path in LISTS.items():
        items = every_page(url, openapi_path, full=full)
        assert items, f"{url} listed nothing"


def test_every_detail_validates_under_both_standards(world):
    details = [
        ("/oruk/services/", "/services/{id}", "/oruk/services"),
        ("/oruk/service_at_locations/", "/service_at_locations/{id}",
         "/oruk/service_at_locations"),
        ("/oruk/organizations/", "/organizations/{id}", "/oruk/organizations"),
        ("/oruk/taxonomies/", "/taxonomies/{id}", "/oruk/taxonomies"),
        ("/oruk/taxonomy_terms/", "/taxonomy_terms/{id}", "/oruk/taxonomy_terms"),
    ]
    for prefix, openapi_path, list_url in details:
        listed = every_page(list_url, LISTS[list_url], per_page=50)
        for item in listed:
            body = valid(prefix + item["id"], openapi_path)
            assert body["id"] == item["id"]


def test_a_service_is_compiled_with_everything_about_it(world):
    debt = world.services[0]
    body = valid(f"/oruk/services/{debt.id}", "/services/{id}")
    assert body["name"] == "Debt advice drop-in" and body["status"] == "active"
    assert body["organization"]["name"] == "Scunthorpe Advice Centre"
    assert body["program"]["name"] == "Money matters"
    assert body["minimum_age"] == 18 and body["maximum_age"] == 120.5
    assert body["assured_date"] == "2025-01-10"
    assert [p["number"] for p in body["phones"]] == ["0800 000 000"]
    assert body["schedules"][0]["byday"] == "1MO"
    assert body["service_areas"][0]["extent"] == "DN15,DN16,DN17"
    assert body["languages"][0]["code"] == "ur"
    assert body["funding"][0]["source"] == "Money and Pensions Service"
    assert body["cost_options"][0] == {
        "id": body["cost_options"][0]["id"], "service_id": str(debt.id), "valid_from": "2025-01-01",
        "option": "Free", "currency": "GBP", "amount": 0.0, "attributes": []}
    assert body["required_documents"][0]["document"] == "Recent bills"
    [at_office] = body["service_at_locations"]
    assert at_office["location"]["addresses"][0]["postal_code"] == "DN15 6AA"
    assert at_office["location"]["accessibility"][0]["description"] == "Step-free access"
    assert at_office["schedules"][0]["opens_at"] == "10:00:00"
    assert at_office["location"]["attributes"][0]["taxonomy_term"]["name"] == "Adults"
    terms = {a["taxonomy_term"]["name"]: a for a in body["attributes"]}
    assert set(terms) == {"Debt advice", "Adults"}
    assert terms["Debt advice"]["taxonomy_term"]["taxonomy"] == "Upstream needs"
    assert terms["Debt advice"]["taxonomy_term"]["parent_id"] == str(world.terms["money"].id)
    assert terms["Adults"]["value"] == "18+"


def test_malformed_values_are_left_out_and_no_personal_data_is_published(world):
    housing = valid(f"/oruk/services/{world.services[1].id}", "/services/{id}")
    assert "url" not in housing and "email" not in housing  # malformed in the directory
    assert housing["status"] == "temporarily closed"
    walkers = valid(f"/oruk/organizations/{world.organizations[1].id}", "/organizations/{id}")
    assert "email" not in walkers and "website" not in walkers
    debt = get(f"/oruk/services/{world.services[0].id}")
    assert b"officer@council.example.org" not in debt.content  # assurer_email
    assert "email" not in debt.json()["contacts"][0]  # "bad-email"


def test_a_service_without_a_name_is_still_published_as_the_schema_requires(world):
    body = valid(f"/oruk/services/{world.services[3].id}", "/services/{id}")
    assert body["name"] == "" and body["organization"]["name"] == "Unknown organisation"


def test_an_organization_lists_its_services_locations_and_identifiers(world):
    body = valid(f"/oruk/organizations/{world.organizations[0].id}", "/organizations/{id}")
    assert [s["name"] for s in body["services"]] == [
        "Debt advice drop-in", "Housing options", "Webchat money advice"]
    assert body["organization_identifiers"][0]["identifier"] == "1234567"
    assert body["locations"][0]["name"] == "Advice centre"
    assert body["phones"][0]["languages"][0]["name"] == "Polish"
    assert body["contacts"][0]["phones"][0]["extension"] == 12


def test_a_taxonomy_term_shows_its_taxonomy(world):
    debt = world.terms["debt"]
    body = valid(f"/oruk/taxonomy_terms/{debt.id}", "/taxonomy_terms/{id}")
    assert body["taxonomy_detail"]["name"] == "Upstream needs"
    assert body["taxonomy_id"] == str(debt.taxonomy_id)
    loose = valid(f"/oruk/taxonomy_terms/{world.terms['walking'].id}", "/taxonomy_terms/{id}")
    assert "taxonomy" not in loose and "taxonomy_id" not in loose


def test_a_service_at_location_detail_has_its_service_and_location(world):
    sal = world.services_at_locations[2]
    body = valid(f"/oruk/service_at_locations/{sal.id}", "/service_at_locations/{id}")
    assert body["service"]["name"] == "Saturday walk"
    assert body["location"]["schedules"][0]["byday"] == "SA"
    assert "wkst" not in body["location"]["schedules"][0]  # "Mo" is not an HSDS weekday


# Filters and paging -------------------------------------------------------------------------

def test_search_matches_every_word_in_name_description_or_organisation(world):
    found = every_page("/oruk/services", "/services", search="debt")
    assert ids(found) == [str(world.services[0].id), str(world.services[4].id)]
    both = every_page("/oruk/services", "/services", search="ARREARS rent")
    assert ids(both) == [str(world.services[1].id)]
    assert every_page("/oruk/services", "/services", search="walkers")[0]["name"] == (
        "Saturday walk")
    assert every_page("/oruk/organizations", "/organizations", search="ashby")[0]["name"] == (
        "Ashby Walkers")


def test_taxonomy_organisation_and_modified_filters(world):
    debt_term, money = world.terms["debt"], world.terms["money"]
    assert ids(every_page("/oruk/services", "/services", taxonomy_term_id=debt_term.id)) == [
        str(world.services[0].id)]
    needs = world.taxonomies[0]
    assert ids(every_page("/oruk/services", "/services", taxonomy_id=needs.id)) == [
        str(s.id) for s in (world.services[0], world.services[1], world.services[4])]
    assert {s["name"] for s in every_page("/oruk/services", "/services",
                                          organization_id=world.organizations[1].id)} == {
        "Saturday walk"}
    recent = world.services[1].last_modified.date().isoformat()
    assert ids(every_page("/oruk/services", "/services", modified_after=recent)) == [
        str(world.services[1].id)]
    at_locations = every_page("/oruk/service_at_locations", "/service_at_locations",
                              taxonomy_term_id=money.id)
    assert [x["service"]["name"] for x in at_locations] == ["Webchat money advice"]
    terms = every_page("/oruk/taxonomy_terms", "/taxonomy_terms", taxonomy_id=needs.id,
                       top_only="true")
    assert [t["name"] for t in terms] == ["Housing", "Money"]
    children = every_page("/oruk/taxonomy_terms", "/taxonomy_terms", parent_id=money.id)
    assert [t["name"] for t in children] == ["Debt advice"]


def test_uk_profile_age_and_schedule_filters(world):
    def names(**query):
        return [s["name"] for s in every_page("/oruk/services", "/services", **query)]

    assert names(minimum_age="18") == ["Debt advice drop-in"]
    assert names(maximum_age="100") == []
    assert names(maximum_age="150") == ["Debt advice drop-in"]
    assert names(day="TU") == ["Debt advice drop-in"]  # at the office, Tuesdays and Thursdays
    assert names(day="monday") == ["Debt advice drop-in"]  # monthly, first Monday
    assert names(day="Saturday") == ["Saturday walk"]  # the hall's own schedule
    assert names(day="TU", start_time="09:30") == ["Debt advice drop-in"]
    assert names(day="TU", start_time="10:30") == []
    assert names(end_time="12:00") == ["Saturday walk"]
    at_locations = every_page("/oruk/service_at_locations", "/service_at_locations", day="SA")
    assert [x["service"]["name"] for x in at_locations] == ["Saturday walk"]


def test_postcode_and_proximity_give_the_nearest_first_within_the_distance(world, centroids):
    services = every_page("/oruk/services", "/services", postcode="dn156aa", proximity="1000")
    # Office (both services there) is ~330 m from DN15 6AA; the hall ~3.3 km; online has none.
    assert [s["name"] for s in services] == ["Debt advice drop-in", "Housing options"]
    near_hall = every_page("/oruk/service_at_locations", "/service_at_locations",
                           postcode="DN16 1AB", proximity="5000")
    assert [x["service"]["name"] for x in near_hall] == [
        "Saturday walk", "Debt advice drop-in", "Housing options"]
    ordered = every_page("/oruk/services", "/services", per_page=50, postcode="DN16 1AB")
    assert [s["name"] for s in ordered][:3] == [
        "Saturday walk", "Debt advice drop-in", "Housing options"]
    assert len(ordered) == len(world.services)  # no proximity: all, unlocated ones last
    assert set(CENTROIDS) >= {"DN15 6AA", "DN16 1AB"}


def test_pages_count_and_end_as_hsds_says(world):
    first = valid("/oruk/services", "/services", per_page=2)
    assert (first["total_items"], first["total_pages"], first["first_page"],
            first["last_page"], first["empty"]) == (5, 3, True, False, False)
    last = valid("/oruk/services", "/services", per_page=2, page=3)
    assert (last["size"], last["first_page"], last["last_page"]) == (1, False, True)
    beyond = valid("/oruk/services", "/services", per_page=2, page=9)
    assert (beyond["size"], beyond["empty"], beyond["last_page"], beyond["contents"]) == (
        0, True, True, [])
    nothing = valid("/oruk/services", "/services", search="zzzz-no-such-thing")
    assert (nothing["total_items"], nothing["total_pages"], nothing["empty"]) == (0, 0, True)
    assert valid("/oruk/services", "/services")["size"] == 5  # default 50 a page


@pytest.mark.parametrize(("query", "parameter", "says"), [
    ({"page": "0"}, "page", "must be 1 or more"),
    ({"page": "two"}, "page", "not a whole number"),
    ({"per_page": "201"}, "per_page", "from 1 to 200"),
    ({"taxonomy_term_id": "35674"}, "taxonomy_term_id", "not an identifier"),
    ({"organization_id": "x"}, "organization_id", "not an identifier"),
    ({"modified_after": "last week"}, "modified_after", "not a date"),
    ({"proximity": "1000"}, "proximity", "needs a postcode"),
    ({"postcode": "DN15 6AA", "proximity": "-5"}, "proximity", "more than 0"),
    ({"postcode": "QQ1 1AA"}, "postcode", "not a UK postcode"),
    ({"search": "x" * 201}, "search", "at most 200 characters"),
    ({"full": "perhaps"}, "full", "not true or false"),
    ({"format": "ndjson"}, "format", "only json"),
    ({"minimum_age": "-1"}, "minimum_age", "from 0 to 150"),
    ({"maximum_age": "old"}, "maximum_age", "not a number"),
    ({"day": "someday"}, "day", "not a day"),
    ({"start_time": "25:00"}, "start_time", "not a time of day"),
    ({"page": ["1", "2"]}, "page", "more than once"),
])
def test_a_bad_parameter_is_a_400_naming_it(world, query, parameter, says):
    response = get("/oruk/services", **query)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert body["error"].startswith(f"{parameter}: ") and says in body["error"]


def test_postcode_search_needs_a_known_postcode_and_a_configured_directory(world, settings,
                                                                          centroids):
    unknown = get("/oruk/service_at_locations", postcode="DN99 9ZZ")  # no grid reference
    assert unknown.status_code == 400 and "not in the postcode directory" in (
        unknown.json()["error"])
    settings.UPSTREAM_POSTCODE_DIRECTORY = centroids.parent / "not-built.sqlite3"
    unconfigured = get("/oruk/services", postcode="DN15 6AA")
    assert unconfigured.status_code == 501
    assert unconfigured.json()["parameter"] == "postcode"


def test_unknown_records_and_paths_are_json_404s(world):
    for url in (f"/oruk/services/{uuid.uuid4()}", "/oruk/services/35674",
                f"/oruk/taxonomies/{world.terms['debt'].id}", "/oruk/nothing-here",
                "/oruk/services/"):
        response = get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]


# Open access --------------------------------------------------------------------------------

def test_read_only_with_a_cors_preflight(world):
    client = Client()
    preflight = client.options("/oruk/services", HTTP_ORIGIN="https://elsewhere.example",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    head = client.head("/oruk/services")
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == "*"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/oruk/services")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"
    assert Service.objects.count() == len(world.services)


def test_anonymous_answers_are_cacheable_and_revalidate(world):
    client = Client()
    first = client.get("/oruk/services")
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    assert "no-store" not in first["Cache-Control"]
    assert not first.cookies
    again = client.get("/oruk/services", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_a_signed_in_users_answers_are_not_stored(world, django_user_model):
    user = django_user_model.objects.create_user(username="worker", password=None,
                                                 role=Role.LINK_WORKER)
    client = Client()
    client.force_login(user)
    response = get("/oruk/services", client=client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_session_waiting_for_its_two_factor_code_still_reads_the_api(
        world, django_user_model, plain_force_login):
    user = django_user_model.objects.create_user(username="lead", password=None,
                                                 role=Role.TEAM_LEAD)
    client = Client()
    client.force_login(user)  # signed in, no second factor yet
    page = client.get("/people/search/")
    assert page.status_code == 302 and "/accounts/" in page["Location"]  # to the code step
    assert get("/oruk/services", client=client).status_code == 200


def test_errors_are_not_cached(world):
    response = get("/oruk/services", page="0")
    assert "no-store" in response["Cache-Control"]


# Efficiency ---------------------------------------------------------------------------------

def _many_services(world, count: int):
    """``count`` more services, each with every kind of nested part, at their own location."""
    organization = world.organizations[0]
    for n in range(count):
        service = Service.objects.create(organization=organization, name=f"Service {n:03}",
                                         description="Generated.")
        location = Location.objects.create(name=f"Place {n}", latitude=53.5, longitude=-0.6)
        Address.objects.create(location=location, address_1=f"{n} Road", city="Scunthorpe",
                               postal_code="DN15 6AA", country="GB")
        at = ServiceAtLocation.objects.create(service=service, location=location)
        Schedule.objects.create(service_at_location=at, byday="MO", freq="WEEKLY")
        phone = Phone.objects.create(service=service, number=f"01724 {n:06}")
        Language.objects.create(phone=phone, name="English", code="en")
        Contact.objects.create(service=service, name="Desk")
        CostOption.objects.create(service=service, option="Free")
        link(world.terms["money"], service)


@pytest.mark.parametrize(("url", "query"), [
    ("/oruk/services", {"full": "true"}),
    ("/oruk/services", {}),
    ("/oruk/service_at_locations", {"full": "true"}),
    ("/oruk/organizations", {"full": "true"}),
])
def test_a_page_of_fifty_takes_a_fixed_number_of_queries(world, url, query,
                                                         django_assert_max_num_queries):
    _many_services(world, 50)
    with django_assert_max_num_queries(40):
        body = Client().get(url, {"per_page": 50, **query}).json()
    assert body["size"] == min(50, body["total_items"])
    check_response(body, LISTS[url])


def test_a_full_page_costs_the_same_queries_for_5_or_50_services(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_one_page():
        with CaptureQueriesContext(connection) as captured:
            Client().get("/oruk/services", {"per_page": 100, "full": "true"})
        return len(captured)

    few = queries_for_one_page()
    _many_services(world, 50)
    many = queries_for_one_page()
    print(f"queries for a full page: {few} with 5 services, {many} with 55")
    assert many == few


def test_answers_are_json_that_round_trips(world):
    body = get(f"/oruk/services/{world.services[0].id}").content
    assert json.loads(body)["id"] == str(world.services[0].id)


# A real council feed ------------------------------------------------------------------------

EXAMPLES = Path(__file__).parents[2] / "unit" / "openreferral_examples"


@pytest.fixture
def north_lincolnshire(db):
    return import_directory(NORTH_LINCOLNSHIRE, "north-lincolnshire")


def test_the_north_lincolnshire_feed_is_served_valid_page_by_page_and_service_by_service(
        north_lincolnshire):
    services = every_page("/oruk/services", "/services", per_page=200)
    assert len(services) == Service.objects.count() >= 738
    for url, openapi_path in LISTS.items():  # the feed has no locations: that list is empty
        every_page(url, openapi_path, per_page=200)
    for service in services:
        body = valid(f"/oruk/services/{service['id']}", "/services/{id}")
        assert body["name"] == service["name"]
    for at in every_page("/oruk/service_at_locations", "/service_at_locations", per_page=200):
        valid(f"/oruk/service_at_locations/{at['id']}", "/service_at_locations/{id}")
    for organization in every_page("/oruk/organizations", "/organizations", per_page=200):
        valid(f"/oruk/organizations/{organization['id']}", "/organizations/{id}")
    for term in every_page("/oruk/taxonomy_terms", "/taxonomy_terms", per_page=200):
        valid(f"/oruk/taxonomy_terms/{term['id']}", "/taxonomy_terms/{id}")


def _serves_everything_valid() -> None:
    for url, openapi_path in LISTS.items():
        detail = "/service_at_locations/{id}" if url.endswith("locations") else (
            openapi_path + "/{id}")
        for item in every_page(url, openapi_path, per_page=200):
            valid(f"{url}/{item['id']}", detail)


@pytest.mark.parametrize("example", ["hsds-3.0", "uk-profile"])
def test_an_official_example_service_comes_back_out_as_it_went_in(db, tmp_path, example):
    source = json.loads((EXAMPLES / example / "service_full.json").read_text())
    import_directory(write_json(tmp_path / "example.json", source), f"example-{example}")
    _serves_everything_valid()
    served = valid(f"/oruk/services/{source['id']}", "/services/{id}")
    for name in ("name", "description", "status", "url", "email", "minimum_age",
                 "maximum_age", "assured_date"):
        expected = source.get(name)
        if expected not in (None, ""):  # text is stored without surrounding spaces
            assert served[name] == (expected.strip() if isinstance(expected, str)
                                    else expected), name
    assert "assurer_email" not in served
    assert served["organization"]["id"] == source["organization"]["id"]
    assert sorted(p["id"] for p in served["phones"]) == sorted(
        p["id"] for p in source.get("phones", []))
    assert sorted(x["id"] for x in served["service_at_locations"]) == sorted(
        x["id"] for x in source["service_at_locations"])


def test_a_full_legacy_oruk_page_is_served_valid(db, tmp_path):
    page = {"totalElements": 1, "totalPages": 1, "number": 1, "content": [LEGACY_FULL]}
    import_directory(write_json(tmp_path / "council.json", page), "council")
    _serves_everything_valid()
    [service] = every_page("/oruk/services", "/services")
    body = valid(f"/oruk/services/{service['id']}", "/services/{id}")
    assert body["service_at_locations"][0]["location"]["name"] == "Civic Centre"
    assert {a["taxonomy_term"]["name"] for a in body["attributes"]} >= {
        "Debt advice", "Befriending"}
