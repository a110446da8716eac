"""The ``/oruk/`` listings are read in the order of an index, ``(name, id)``, not sorted row by
row: the database's own query plan says so, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from upstream.service.directory.oruk import queries
from upstream.service.directory.oruk.queries import ServiceFilters

pytestmark = pytest.mark.django_db

LISTINGS = {
    "directory_service_name_id": lambda: queries.services(ServiceFilters()),
    "directory_org_name_id": lambda: queries.organizations(),
    "directory_taxonomy_name_id": lambda: queries.taxonomies(),
    "directory_term_name_id": lambda: queries.taxonomy_terms(),
}


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # an empty table is cheaper to scan: ask for the
            cursor.execute("SET LOCAL enable_seqscan = off")  # plan a large one would get
            return queryset[:50].explain()
    return queryset[:50].explain()


@pytest.mark.parametrize("index", sorted(LISTINGS))
def test_the_listing_is_read_in_index_order(index):
    plan = _plan(LISTINGS[index]())
    assert index in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # SQLite: no sort step
    assert "Sort" not in plan.split("Index")[0], plan  # PostgreSQL: no sort above the scan
