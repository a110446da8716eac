"""Finding support without signing in (issue 11, item 7): anyone searches the directory by
need, in their own words, near a postcode; opens a service; prints or downloads a one-page
leaflet.

Open pages (``@public``) that store nothing about the person searching: the form is sent
with GET (no session, no CSRF cookie; Django sets no cookie on these pages), nothing is
written to the database or logged by these views, and every page says so in plain words.
Bad input gets a message in plain words and a 400, never a server error; what was typed is
only ever shown escaped. Only active services are shown.
"""

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import public
from upstream.service.directory import public_presenters as presenters
from upstream.service.directory import public_text as words
from upstream.service.directory.models import Attribute, Service
from upstream.service.directory.public_forms import FIELDS, FindSupportForm
from upstream.service.directory.public_limits import over_limit
from upstream.service.directory.public_pdf import leaflet_pdf
from upstream.service.directory.search import search
from upstream.service.ui.errors import error_summary

PER_PAGE = 10
MOST_PAGES = 10
"""Results are shown ten to a page, at most ten pages (the best 100 matches)."""


def _now():
    return timezone.localtime().replace(tzinfo=None)


def _page_number(raw: str | None) -> int | None:
    """The page asked for (1 when not given), or None when it is not a page that can exist."""
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or len(raw) > 3:
        return None
    number = int(raw)
    return number if 1 <= number <= MOST_PAGES else None


def _codes(service_ids) -> dict:
    """Each service's taxonomy codes, in one query."""
    codes: dict = {}
    for attribute in Attribute.for_records("service", service_ids):
        codes.setdefault(attribute.link_id, []).append(attribute.taxonomy_term.code)
    return codes


def find_page(form: FindSupportForm, page: int, now) -> tuple[list, bool]:
    """One page of results for a valid form: the cards and whether there are more. The search
    module ranks the best ``page * PER_PAGE + 1`` services; this page is cut from them."""
    results = search(form.query(limit=page * PER_PAGE + 1), now)
    shown = results[(page - 1) * PER_PAGE:page * PER_PAGE]
    prefetch_related_objects([r.service for r in shown], "phones", "cost_options")
    codes = _codes([r.service.id for r in shown])
    return ([presenters.card(r, codes.get(r.service.id, []), now) for r in shown],
            len(results) > page * PER_PAGE)


def _link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return "?" + query.urlencode()


def _summary(cards: list, page: int, more: bool) -> str:
    """How many were found (on one page), or which ones this page shows."""
    if not cards:
        return words.RESULTS_NONE
    if page == 1 and not more:
        return (words.RESULTS_FOUND_ONE if len(cards) == 1
                else words.RESULTS_FOUND.format(count=len(cards)))
    first = (page - 1) * PER_PAGE + 1
    return words.RESULTS_SHOWN.format(first=first, last=first + len(cards) - 1)


def _find_url(request) -> str:
    return request.build_absolute_uri(reverse("find_support:find"))


@public
@require_GET
def find(request):
    """The search form, and results when the form is filled in; a client searching more
    often than ``UPSTREAM_FIND_SUPPORT_RATE`` gets a 429 page instead (``public_limits``)."""
    asked = any(name in request.GET for name in FIELDS)
    form = FindSupportForm(request.GET if asked else None)
    page = _page_number(request.GET.get("page"))
    context = {"form": form, "words": words, "cards": None, "problem": None}
    status = 200
    if page is None:
        context["problem"] = words.PAGE_NOT_A_NUMBER.format(most=MOST_PAGES)
        status = 400
    elif form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound and (wait := over_limit(request)) is not None:
        response = render(request, "directory/public/too_many.jinja", {"words": words},
                          status=429)
        response["Retry-After"] = str(wait)
        return response
    elif form.is_bound:
        cards, more = find_page(form, page, _now())
        context.update(cards=cards, summary=_summary(cards, page, more),
                       previous=_link(request, page - 1) if page > 1 else None,
                       next=_link(request, page + 1) if more and page < MOST_PAGES else None)
    context["errors"] = error_summary(form, problem=context["problem"])
    return render(request, "directory/public/find.jinja", context, status=status)


def _service(service_id) -> Service:
    try:
        return Service.objects.select_related("organization").prefetch_related(
            "phones", "schedules", "cost_options", "languages",
            "service_at_locations__schedules", "service_at_locations__location__addresses",
            "service_at_locations__location__accessibility",
        ).get(pk=service_id, status=Service.Status.ACTIVE)
    except Service.DoesNotExist:
        raise Http404(words.SERVICE_NOT_FOUND) from None


def _card(service_id):
    service = _service(service_id)
    return presenters.page(service, list(Attribute.for_records("service", [service.id])),
                           _now())


@public
@require_GET
def service(request, service_id):
    """One service: what it is, where, when, cost, how to get in touch, new people."""
    return render(request, "directory/public/service.jinja",
                  {"card": _card(service_id), "words": words})


@public
@require_GET
def leaflet(request, service_id):
    """The service on one printable page (a print stylesheet hides everything else)."""
    card = _card(service_id)
    return render(request, "directory/public/leaflet.jinja", {
        "card": card, "words": words, "find_url": _find_url(request),
        "leaflet_description": presenters.shortened(card.description,
                                                    presenters.LEAFLET_LENGTH)})


@public
@require_GET
def leaflet_download(request, service_id):
    """The leaflet as a tagged PDF (language, title, real text)."""
    card = _card(service_id)
    pdf = leaflet_pdf(card, _find_url(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="leaflet-{card.service_id}.pdf"'
    return response
