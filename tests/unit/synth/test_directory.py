"""The synthetic demo directory: valid HSDS 3.0 compiled services across the taxonomy."""

import json
from collections import Counter

import jsonschema
import pytest

from tests.reference import HSDS_SCHEMAS
from upstream.standards.taxonomy import TERMS
from upstream.synth import directory

SCHEMA = HSDS_SCHEMAS / "compiled" / "service.json"


@pytest.fixture(scope="module")
def services():
    return directory.generate(seed=3, services=400)


def test_every_service_validates_against_the_hsds_3_compiled_service_schema(services):
    validator = jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker())
    problems = [f"{s['id']}: {e.json_path}: {e.message}"
                for s in services for e in validator.iter_errors(s)]
    assert problems == []


def test_the_same_seed_gives_the_same_directory_and_another_seed_another(services):
    assert directory.generate(seed=3, services=400) == services
    assert directory.generate(seed=4, services=400) != services


def test_every_sub_theme_has_services_and_ids_are_unique(services):
    filed = Counter(a["taxonomy_term"]["code"] for s in services for a in s["attributes"]
                    if a["link_type"] == "need")
    assert {t.code for t in TERMS.values() if t.parent} <= set(filed)
    assert len({s["id"] for s in services}) == len(services)


def test_informal_provision_and_extensions_are_present(services):
    kinds = Counter(a["taxonomy_term"]["code"] for s in services for a in s["attributes"]
                    if a["link_type"] == "provision")
    assert set(kinds) == {f"provision:{code}" for code in directory.PROVISION_TYPES}
    assert len(services) - sum(kinds.values()) > len(services) / 2  # most are formal
    assert any(s.get("accepting_referrals") is False for s in services)
    assert all("assured_date" in s for s in services)


def test_locations_are_near_the_demo_area_and_postcodes_have_centroids(services):
    for s in services:
        for sal in s["service_at_locations"]:
            location = sal["location"]
            assert 51.4 < location["latitude"] < 51.7 and -0.55 < location["longitude"] < 0.1
            assert directory.demo_centroid(location["addresses"][0]["postal_code"])


def test_demo_centroid_is_fixed_by_the_postcode_and_none_outside_the_area():
    assert directory.demo_centroid("e1 6an") == directory.demo_centroid("E1 6AN")
    assert directory.demo_centroid("E1 6AN") != directory.demo_centroid("E1 6AP")
    assert directory.demo_centroid("LS1 4AP") is None
    assert directory.demo_centroid("not a postcode") is None


def test_write_gives_an_hsds_paginated_list(tmp_path, services):
    page = json.loads(directory.write(tmp_path / "d.json", services[:5]).read_text())
    assert page["total_items"] == 5 and len(page["contents"]) == 5
