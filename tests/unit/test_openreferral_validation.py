"""The schema-validation harness (upstream.standards.openreferral.validation): it accepts the
standards' own examples and rejects each kind of broken object, offline."""

import copy
import gzip
import hashlib
import json
from pathlib import Path

import pytest
from referencing.exceptions import Unresolvable

from upstream.standards.openreferral import validation
from upstream.standards.openreferral.validation import (
    HSDS_3,
    STANDARDS,
    UK_PROFILE,
    SchemaViolation,
    check_response,
    response_errors,
    schema_errors,
)

EXAMPLES = Path(__file__).parent / "openreferral_examples"
EXAMPLE_PATHS = {
    "base": "/",
    "service_full": "/services/{id}",
    "service_list": "/services",
    "organization_full": "/organizations/{id}",
    "organization_list": "/organizations",
    "service_at_location_full": "/service_at_locations/{id}",
    "service_at_location_list": "/service_at_locations",
    "taxonomy": "/taxonomies/{id}",
    "taxonomy_list": "/taxonomies",
    "taxonomy_term": "/taxonomy_terms/{id}",
    "taxonomy_term_list": "/taxonomy_terms",
}
"""Each official example file and the API path whose answer it illustrates."""


def _example(name: str, folder: str = "hsds-3.0"):
    return json.loads((EXAMPLES / folder / f"{name}.json").read_text())


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*/*.json")), ids=lambda p: p.stem)
def test_official_examples_are_valid_answers(path):
    used = check_response(json.loads(path.read_text()), EXAMPLE_PATHS[path.stem])
    assert HSDS_3 in used


def test_uk_profile_defines_fewer_paths_and_both_are_checked_where_both_define_one():
    assert "/organizations" in validation.api_paths(HSDS_3)
    assert "/organizations" not in validation.api_paths(UK_PROFILE)
    assert check_response(_example("service_full"), "/services/{id}") == [HSDS_3, UK_PROFILE]


def _broken_service():
    service = _example("service_full")
    service["id"] = "12345"
    del service["name"]
    service["status"] = "open"
    service["url"] = ""
    service["last_modified"] = "2023-03-15 10:30"
    service["phones"][0]["number"] = 441234234567
    service["service_at_locations"][0]["location"]["addresses"][0]["address_type"] = "home"
    return service


def test_a_broken_service_is_rejected_with_every_fault_named():
    errors = response_errors(_broken_service(), "/services/{id}")
    assert errors == [
        "HSDS 3.0: $: 'name' is a required property",
        "HSDS 3.0: $.id: '12345' is not a 'uuid'",
        "HSDS 3.0: $.last_modified: '2023-03-15 10:30' is not a 'date-time'",
        "HSDS 3.0: $.phones[0].number: 441234234567 is not of type 'string'",
        "HSDS 3.0: $.service_at_locations[0].location.addresses[0].address_type: "
        "'home' is not one of ['physical', 'postal', 'virtual']",
        "HSDS 3.0: $.status: 'open' is not one of "
        "['active', 'inactive', 'defunct', 'temporarily closed']",
        "HSDS 3.0: $.url: '' is not a 'uri'",
    ]


def test_check_response_raises_with_the_errors_of_both_standards():
    with pytest.raises(SchemaViolation) as caught:
        check_response(_broken_service(), "/services/{id}")
    assert any(e.startswith("HSDS 3.0: $.id") for e in caught.value.errors)
    assert any(e.startswith("Open Referral UK profile: $.id") for e in caught.value.errors)
    assert "GET /services/{id} breaks" in str(caught.value)


def test_a_page_with_a_wrong_field_type_or_a_broken_item_is_rejected():
    page = _example("service_list")
    assert response_errors(page, "/services") == []
    page["total_items"] = "3"
    page["contents"][0]["minimum_age"] = "twelve"
    assert response_errors(page, "/services") == [
        "HSDS 3.0: $.contents[0].minimum_age: 'twelve' is not of type 'number'",
        "HSDS 3.0: $.total_items: '3' is not of type 'integer'",
    ]


def test_the_root_answer_is_checked():
    assert response_errors({"version": "3.0", "profile": "not a uri"}, "/") == [
        "HSDS 3.0: $.profile: 'not a uri' is not a 'uri'"]


def test_service_at_location_detail_uses_the_corrected_schema():
    """The published OpenAPI says a compiled service (needing name and status); the erratum
    (openreferral/specification PR 574) says a compiled service_at_location."""
    detail = _example("service_at_location_full")
    assert "name" not in detail
    assert response_errors(detail, "/service_at_locations/{id}") == []
    detail["location"]["latitude"] = "53.5"
    assert response_errors(detail, "/service_at_locations/{id}") == [
        "HSDS 3.0: $.location.latitude: '53.5' is not of type 'number'"]


@pytest.mark.parametrize(("fmt", "good", "bad"), [
    ("uuid", "ac148810-d857-441c-9679-408f346de14b", "ac148810d857441c9679408f346de14b"),
    ("email", "info@example.org", "info at example.org"),
    ("uri", "https://example.org/x?y=1", "www.example.org"),
    ("uri", "mailto:info@example.org", "https://"),
    ("date-time", "2023-03-15T10:30:45.123Z", "2023-02-30T10:30:45Z"),
    ("date-time", "2023-03-15T10:30:45+01:00", "2023-03-15T10:30:45"),
])
def test_formats_are_checked(fmt, good, bad):
    assert validation.FORMATS.conforms(good, fmt)
    assert not validation.FORMATS.conforms(bad, fmt)


def test_schema_errors_checks_one_file_and_names_unknown_files():
    assert schema_errors({"id": "ac148810-d857-441c-9679-408f346de14b", "name": "A",
                          "description": "B"}, "taxonomy.json") == []
    assert schema_errors({"id": "ac148810-d857-441c-9679-408f346de14b"}, "taxonomy.json") == [
        "HSDS 3.0: $: 'name' is a required property",
        "HSDS 3.0: $: 'description' is a required property",
    ]
    with pytest.raises(KeyError, match="no schema file 'nonsense.json'"):
        schema_errors({}, "nonsense.json")


def test_references_outside_the_local_files_fail_instead_of_fetching():
    validator = validation.Draft202012Validator(
        {"$ref": "https://example.org/elsewhere.json"}, registry=validation.registry())
    with pytest.raises(Unresolvable):
        validator.validate({})


def test_an_object_the_standards_accept_is_not_mutated_by_checking():
    service = _example("service_full")
    before = copy.deepcopy(service)
    check_response(service, "/services/{id}")
    assert service == before


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.folder)
def test_vendored_schema_files_match_the_official_checksums(standard):
    folder = validation.SCHEMAS_DIR / standard.folder
    expected = dict(reversed(line.split()) for line in
                    (folder / "SHA256SUMS").read_text().splitlines())
    found = {}
    for path in folder.rglob("*.json*"):
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        found[path.relative_to(folder).as_posix().removesuffix(".gz")] = (
            hashlib.sha256(data).hexdigest())
    assert found == expected
