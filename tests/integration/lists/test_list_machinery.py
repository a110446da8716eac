"""``ui.lists``: search, filter, sort and pagination from the query string, within a whitelist."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from upstream.service.people.models import Person
from upstream.service.ui.lists import Column, Filter, ListSpec, Search, list_page

pytestmark = pytest.mark.django_db

SPEC = ListSpec(
    columns=(
        Column("Name", ("family_name", "given_name")),
        Column("Born", ("date_of_birth",)),
        Column("Notes"),
    ),
    default_sort="name",
    filters=(Filter("sex", "Sex", [("F", "Female"), ("M", "Male")],
                    lambda qs, v: qs.filter(sex=v)),),
    search=Search("Name", lambda qs, text: qs.filter(family_name__icontains=text)),
    noun=("person", "people"),
)


@pytest.fixture
def people(db):
    """77 people: family names P00..P76, born a day apart, alternately F and M."""
    return Person.objects.bulk_create([
        Person(given_name="Sam", family_name=f"P{i:02d}", sex="FM"[i % 2],
               date_of_birth=date(1950, 1, 1) + timedelta(days=i))
        for i in range(77)
    ])


def page(query: str):
    request = RequestFactory().get(f"/people/?{query}")
    return list_page(request, Person.objects.all(), SPEC)


def names(lst) -> list[str]:
    return [p.family_name for p in lst.rows]


def test_pages_of_25_with_showing_text(people):
    second = page("page=2")
    assert names(second) == [f"P{i:02d}" for i in range(25, 50)]
    assert second.showing == "Showing 26 to 50 of 77 people"
    assert page("page=4").showing == "Showing 76 to 77 of 77 people"
    assert page("page=99").showing == "Showing 76 to 77 of 77 people"  # past the end: last
    assert page("page=nonsense").showing == "Showing 1 to 25 of 77 people"


def test_pagination_links_keep_the_query_string(people):
    lst = page("sex=F&q=P&sort=-born&page=2")  # 39 people: two pages
    assert lst.pagination["next"] is None
    assert lst.pagination["previous"]["href"] == "?sex=F&q=P&sort=-born&page=1"
    assert [i["number"] for i in lst.pagination["items"]] == [1, 2]
    assert [i["current"] for i in lst.pagination["items"]] == [False, True]
    middle = page("q=P&sort=-born&page=2")  # 77 people: four pages
    links = [middle.pagination["previous"]["href"], middle.pagination["next"]["href"],
             *(i["href"] for i in middle.pagination["items"])]
    assert all("q=P" in href and "sort=-born" in href for href in links)
    assert middle.pagination["next"]["href"].endswith("page=3")


def test_one_page_has_no_pagination(people):
    assert page("q=P0").pagination is None  # P00..P09


def test_numbered_pages_elide_the_middle(db):
    Person.objects.bulk_create([Person(given_name="A", family_name=f"N{i:03d}",
                                       date_of_birth=date(1960, 1, 1)) for i in range(250)])
    items = page("page=5").pagination["items"]
    assert [i.get("number", "…") for i in items] == [1, "…", 3, 4, 5, 6, 7, "…", 10]


def test_sort_both_ways_and_headers_say_so(people):
    descending = page("sort=-born")
    assert names(descending)[:2] == ["P76", "P75"]
    name, born, notes = descending.headers
    assert born.aria_sort == "descending" and name.aria_sort == "none"
    assert notes.aria_sort is None and notes.href is None
    assert born.href == "?sort=born"  # clicking again sorts ascending, from page 1
    ascending = page("sort=born&page=3")
    assert ascending.headers[1].aria_sort == "ascending"
    assert ascending.headers[1].href == "?sort=-born"


def test_unknown_sort_is_ignored_with_a_notice(people):
    lst = page("sort=password")
    assert names(lst)[0] == "P00"
    assert lst.notices == ["The list cannot be sorted that way, so it is in its usual order."]
    assert page("sort=notes").notices  # a column that is not sortable


def test_filter_and_search_narrow_and_offer_a_way_back(people):
    women = page("sex=F")
    assert women.page.paginator.count == 39 and {p.sex for p in women.rows} == {"F"}
    assert women.is_narrowed and women.clear_href == "?"
    found = page("q=P7&sort=-born")
    assert names(found) == [f"P7{i}" for i in range(6, -1, -1)]
    assert found.clear_href == "?sort=-born"  # clearing keeps the sort
    assert found.filters[0].items[0] == {"value": "", "text": "All", "selected": True}


def test_unknown_filter_value_is_ignored_with_a_notice(people):
    lst = page("sex=X")
    assert lst.page.paginator.count == 77 and not lst.is_narrowed
    assert lst.notices == ["Sex: that choice is not available, so all are shown."]


def test_nothing_found(people):
    lst = page("q=Nobody")
    assert lst.rows == [] and lst.showing == "No people" and lst.pagination is None


def test_equal_sort_values_never_repeat_or_skip_a_row_across_pages(db):
    born = timezone.localdate() - timedelta(days=10000)
    Person.objects.bulk_create([Person(given_name="Same", family_name="Same",
                                       date_of_birth=born) for _ in range(60)])
    seen = [p.pk for n in (1, 2, 3) for p in page(f"sort=born&page={n}").rows]
    assert len(seen) == len(set(seen)) == 60
