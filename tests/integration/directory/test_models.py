"""The directory's model: HSDS links through attributes, stable identifiers."""

import uuid

import pytest

from upstream.service.directory.ids import derived_id, record_id
from upstream.service.directory.models import (
    Attribute,
    Organization,
    Service,
    Taxonomy,
    TaxonomyTerm,
)

pytestmark = pytest.mark.django_db


def test_services_are_found_by_taxonomy_term_through_hsds_attributes():
    organization = Organization.objects.create(name="Money Advice North")
    debt, walking = (Service.objects.create(organization=organization, name=name)
                     for name in ("Debt advice", "Walking group"))
    taxonomy = Taxonomy.objects.create(name="Needs")
    money = TaxonomyTerm.objects.create(name="Money", taxonomy=taxonomy)
    Attribute.objects.create(link_entity="service", link_id=debt.id, taxonomy_term=money)
    Attribute.objects.create(link_entity="organization", link_id=walking.id,
                             taxonomy_term=money)  # another table's record: not a service link

    assert list(Service.objects.with_term(money)) == [debt]
    assert [a.taxonomy_term.taxonomy.name
            for a in Attribute.for_records("service", [debt.id, walking.id])] == ["Needs"]
    assert not walking.is_informal


def test_a_feed_uuid_is_kept_and_any_other_id_is_derived_stably():
    feed_uuid = "738f94e0-aa6c-6a5c-2395-7b64421ba2a5"
    assert record_id("north-lincs", "service", feed_uuid) == uuid.UUID(feed_uuid)
    derived = record_id("north-lincs", "taxonomy_term", "35674")
    assert derived == derived_id("north-lincs", "taxonomy_term", "35674")
    assert derived != record_id("another-council", "taxonomy_term", "35674")
    assert derived != record_id("north-lincs", "attribute", "35674")
