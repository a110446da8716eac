"""Search, filter, sort and pagination for list pages: the one way, driven by the query string.

A list page declares a ``ListSpec``: its columns (the sortable ones name the fields they order
by), the filters it allows (each with a closed set of choices) and, optionally, a free-text
search. ``list_page(request, queryset, spec)`` applies what the query string asks for, within
that whitelist, and returns a ``ListPage`` holding one page of rows and everything the
template needs (``jinja2/_lists.jinja`` renders it):

- ``?sort=<key>`` or ``?sort=-<key>`` (descending) for a sortable column; the ordering always
  ends with the primary key so pages never overlap or skip a row;
- ``?<filter>=<value>`` for a declared filter; an empty value means "all";
- ``?q=<text>`` for the search, when the list has one;
- ``?page=<n>``: ``PAGE_SIZE`` rows a page; a page past the end shows the last page, and
  anything that is not a page number the first.

An unknown sort key or filter value is ignored and said so in ``ListPage.notices`` (shown on
the page), never an error. Every link the page makes (column headers, page numbers) keeps the
rest of the query string; changing the sort goes back to page 1.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.db.models.expressions import BaseExpression, OrderBy
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 25
SORT_PARAM, PAGE_PARAM, SEARCH_PARAM = "sort", "page", "q"


@dataclass(frozen=True)
class Column:
    """A table column. ``order_by`` (field names, ``-name`` for descending, or expressions) is
    the ascending order when the column is sortable; its descending order reverses each part.
    ``key`` is the value of ``?sort=``; it defaults to the label in lower case."""

    label: str
    order_by: tuple[str | BaseExpression, ...] = ()
    key: str = ""
    numeric: bool = False
    hidden_label: bool = False

    @property
    def sort_key(self) -> str:
        return self.key or self.label.lower().replace(" ", "_")

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


@dataclass(frozen=True)
class Filter:
    """A filter offered as a select: ``?<name>=<value>`` for one of ``choices`` (value, text);
    ``apply(queryset, value)`` narrows the list. ``all_text`` is the option meaning no filter."""

    name: str
    label: str
    choices: Sequence[tuple[str, str]]
    apply: Callable[[QuerySet, str], QuerySet]
    all_text: str = "All"


@dataclass(frozen=True)
class Search:
    """A free-text search: ``apply(queryset, text)`` narrows the list to rows matching the
    stripped, non-empty ``text``. The text is never logged or audited."""

    label: str
    apply: Callable[[QuerySet, str], QuerySet]
    hint: str = ""


@dataclass(frozen=True)
class ListSpec:
    """What one list page allows. ``default_sort`` is a column key, ``-`` for descending."""

    columns: Sequence[Column]
    default_sort: str
    filters: Sequence[Filter] = ()
    search: Search | None = None
    noun: tuple[str, str] = ("result", "results")
    page_size: int = PAGE_SIZE

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.sortable and c.sort_key == key), None)


@dataclass(frozen=True)
class Header:
    """One column header: ``href`` (None when not sortable) and ``aria_sort`` (``ascending``,
    ``descending``, ``none`` for a sortable column not in use, None when not sortable)."""

    label: str
    href: str | None
    aria_sort: str | None
    numeric: bool
    hidden_label: bool
    action: str = ""


@dataclass(frozen=True)
class FilterControl:
    """A filter as the NHS.UK select macro takes it."""

    name: str
    label: str
    items: list[dict]


@dataclass
class ListPage:
    rows: list
    page: Page
    headers: list[Header]
    filters: list[FilterControl]
    search: Search | None
    search_text: str
    sort: str
    showing: str
    pagination: dict | None
    notices: list[str] = field(default_factory=list)
    clear_href: str = ""

    @property
    def is_narrowed(self) -> bool:
        """A filter or search is in use (so "nothing found" should say so)."""
        return bool(self.clear_href)

    @property
    def offset(self) -> int:
        """How many rows come before this page (for numbering rows)."""
        return self.page.start_index() - 1 if self.page.paginator.count else 0


def _reverse(part: str | BaseExpression) -> str | BaseExpression:
    if isinstance(part, str):
        return part[1:] if part.startswith("-") else f"-{part}"
    if isinstance(part, OrderBy):
        return OrderBy(part.expression, descending=not part.descending,
                       nulls_first=part.nulls_last, nulls_last=part.nulls_first)
    return part.desc()


def ordering(column: Column, descending: bool) -> list[str | BaseExpression]:
    """The ``order_by`` for ``column`` in either direction, ending with the primary key."""
    parts = [_reverse(p) if descending else p for p in column.order_by]
    return [*parts, F("pk").desc() if descending else F("pk").asc()]


def _href(query: QueryDict, **changes: str | None) -> str:
    """``?`` plus ``query`` with ``changes`` applied (None removes a parameter)."""
    q = query.copy()
    for name, value in changes.items():
        q.pop(name, None)
        if value is not None:
            q[name] = value
    encoded = q.urlencode()
    return f"?{encoded}" if encoded else "?"


def _page_items(page: Page, query: QueryDict, param: str = PAGE_PARAM) -> list[dict | None]:
    """Numbered links: the first and last pages, and two either side of the current one,
    with an ellipsis for any gap."""
    last = page.paginator.num_pages
    wanted = sorted({1, last, *range(page.number - 2, page.number + 3)} & set(range(1, last + 1)))
    items, before = [], 0
    for number in wanted:
        if number - before > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": _href(query, **{param: str(number)}),
                      "current": number == page.number})
        before = number
    return items


def _page(query: QueryDict, items, page_size: int, param: str = PAGE_PARAM) -> Page:
    """The page ``?<param>=`` asks for: past the end, the last; not a page number, the first."""
    wanted = query.get(param, "")
    return Paginator(items, page_size).get_page(int(wanted) if wanted.isdigit() else 1)


def _showing(page: Page, noun: tuple[str, str]) -> str:
    count = page.paginator.count
    singular, plural = noun
    if not count:
        return f"No {plural}"
    return (f"Showing {page.start_index()} to {page.end_index()} of {count} "
            f"{singular if count == 1 else plural}")


def _pagination(page: Page, query: QueryDict, param: str = PAGE_PARAM) -> dict | None:
    """The NHS.UK pagination component's parameters, or None for a single page."""
    if page.paginator.num_pages <= 1:
        return None
    return {
        "previous": {"href": _href(query, **{param: str(page.previous_page_number())})}
        if page.has_previous() else None,
        "next": {"href": _href(query, **{param: str(page.next_page_number())})}
        if page.has_next() else None,
        "items": _page_items(page, query, param),
    }


@dataclass
class RowsPage:
    """One page of rows already in memory (``sequence_page``)."""

    rows: list
    page: Page
    showing: str
    pagination: dict | None


def sequence_page(request: HttpRequest, rows: Sequence, *, noun: tuple[str, str],
                  param: str = PAGE_PARAM, page_size: int = PAGE_SIZE) -> RowsPage:
    """One page of ``rows``, a list already built and ordered in Python (for pages, such as
    the huddle, whose rows are decided in code rather than by a query). ``param`` names the
    page parameter, so a page can page several lists; other parameters are kept."""
    page = _page(request.GET, rows, page_size, param)
    return RowsPage(list(page.object_list), page, _showing(page, noun),
                    _pagination(page, request.GET, param))


def list_page(request: HttpRequest, queryset: QuerySet, spec: ListSpec) -> ListPage:
    """One page of ``queryset`` as the request's query string asks, within ``spec``."""
    query = request.GET
    notices: list[str] = []
    narrowed = False

    for flt in spec.filters:
        value = query.get(flt.name, "")
        if not value:
            continue
        if value in {v for v, _ in flt.choices}:
            queryset = flt.apply(queryset, value)
            narrowed = True
        else:
            notices.append(f"{flt.label}: that choice is not available, so all are shown.")

    search_text = query.get(SEARCH_PARAM, "").strip() if spec.search else ""
    if search_text:
        queryset = spec.search.apply(queryset, search_text)
        narrowed = True

    sort = query.get(SORT_PARAM, "") or spec.default_sort
    column = spec.column(sort.removeprefix("-"))
    if column is None:
        notices.append("The list cannot be sorted that way, so it is in its usual order.")
        sort = spec.default_sort
        column = spec.column(sort.removeprefix("-"))
    descending = sort.startswith("-")
    queryset = queryset.order_by(*ordering(column, descending))

    page = _page(query, queryset, spec.page_size)

    headers = []
    for col in spec.columns:
        if not col.sortable:
            headers.append(Header(col.label, None, None, col.numeric, col.hidden_label))
            continue
        current = col.sort_key == column.sort_key
        next_sort = col.sort_key if not current or descending else f"-{col.sort_key}"
        state = ("descending" if descending else "ascending") if current else "none"
        action = ("sort descending" if current and not descending else "sort ascending")
        headers.append(Header(col.label, _href(query, **{SORT_PARAM: next_sort, PAGE_PARAM: None}),
                              state, col.numeric, col.hidden_label, action))

    filters = [
        FilterControl(flt.name, flt.label, [
            {"value": v, "text": t, "selected": query.get(flt.name, "") == v}
            for v, t in [("", flt.all_text), *flt.choices]
        ])
        for flt in spec.filters
    ]

    clear = _href(query, q=None, page=None, **{f.name: None for f in spec.filters})
    return ListPage(
        rows=list(page.object_list), page=page, headers=headers, filters=filters,
        search=spec.search, search_text=search_text, sort=sort, showing=_showing(page, spec.noun),
        pagination=_pagination(page, query), notices=notices, clear_href=clear if narrowed else "",
    )
