"""The endpoints of the HSDS 3.0 OpenAPI document, under ``/oruk/``.

Lists are HSDS pages (``total_items``, ``total_pages``, ``page_number``, ``size``,
``first_page``, ``last_page``, ``empty``, ``contents``) of ``per_page`` items (default 50, at
most 200). Details are fully nested objects. ``full=true`` on a list gives fully nested items.
"""

import math
import uuid

from django.http import Http404
from django.urls import reverse

from upstream.service.directory.oruk import params, postcode_centroids, queries
from upstream.service.directory.oruk.http import json_response, open_endpoint
from upstream.service.directory.oruk.params import BadParameter, Paging
from upstream.service.directory.oruk.serialisers import Compiler
from upstream.standards import postcode as postcodes
from upstream.standards.openreferral.validation import HSDS_3, UK_PROFILE, openapi_document

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
"""The Open Referral UK profile of HSDS 3.0, which this API follows."""


def _page(queryset, paging: Paging, render) -> dict:
    """One HSDS page of ``queryset``, each item drawn by ``render(compiler, record)``."""
    total = queryset.count()
    start = (paging.page - 1) * paging.per_page
    records = list(queryset[start:start + paging.per_page]) if start < total else []
    compiler = Compiler()
    contents = [render(compiler, record) for record in records]
    compiler.finish()
    total_pages = math.ceil(total / paging.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _one(queryset, record_id: str, what: str):
    try:
        key = uuid.UUID(record_id)
    except ValueError:
        raise Http404(f"No {what} has the id {record_id!r}: ids are UUIDs.") from None
    record = queryset.filter(pk=key).first()
    if record is None:
        raise Http404(f"No {what} has the id {record_id}.")
    return record


def _compiled(render, record) -> dict:
    compiler = Compiler()
    body = render(compiler, record)
    compiler.finish()
    return body


def _near(query) -> queries.Near | None:
    """``postcode`` (and optionally ``proximity`` in metres) as a point to measure from."""
    postcode = params.text(query, "postcode", max_length=10)
    within = params.metres(query, "proximity")
    if not postcode:
        if within is not None:
            raise BadParameter("proximity", "needs a postcode to measure from")
        return None
    if not postcodes.is_valid(postcode):
        raise BadParameter("postcode", f"{postcode!r} is not a UK postcode")
    point = postcode_centroids.centroid(postcode)
    if point is None:
        raise BadParameter("postcode",
                           f"{postcodes.normalise(postcode)} is not in the postcode directory")
    return queries.Near(*point, within=within)


def _service_filters(query) -> queries.ServiceFilters:
    return queries.ServiceFilters(
        search=params.text(query, "search"),
        taxonomy_term_id=params.identifier(query, "taxonomy_term_id"),
        taxonomy_id=params.identifier(query, "taxonomy_id"),
        organization_id=params.identifier(query, "organization_id"),
        modified_after=params.date_time(query, "modified_after"),
        near=_near(query),
        minimum_age=params.number(query, "minimum_age"),
        maximum_age=params.number(query, "maximum_age"),
        day=params.weekday(query, "day"),
        start_time=params.time_of_day(query, "start_time"),
        end_time=params.time_of_day(query, "end_time"),
    )


def _list_options(query) -> tuple[Paging, bool]:
    params.format_is_json(query)
    return Paging.from_query(query), params.boolean(query, "full")


@open_endpoint
def root(request):
    """``GET /``: the HSDS version, the profile followed, and this API's OpenAPI document."""
    return json_response({
        "version": HSDS_VERSION,
        "profile": PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
    })


UNSUPPORTED_PARAMETERS = ("minimal", "full_service")
"""HSDS parameters this API ignores; left out of the document it serves."""

UK_PARAMETERS = ("minimum_age", "maximum_age", "day", "start_time", "end_time")
"""UK profile parameters, served on ``/services`` and ``/service_at_locations``."""


def _parameters_of_this_server(document: dict) -> None:
    """Declare what this server accepts: the UK profile's filters and ``postcode`` +
    ``proximity`` on ``/services`` too; not the HSDS parameters it ignores."""
    components = document["components"]["parameters"]
    uk = openapi_document(UK_PROFILE)["components"]["parameters"]
    for name in UK_PARAMETERS:
        components[name] = dict(uk[name])
        if components[name]["schema"] == {"type": "time"}:  # not a JSON type; a time string
            components[name]["schema"] = {"type": "string", "format": "time"}
    for path in ("/services", "/service_at_locations"):
        declared = document["paths"][path]["get"]["parameters"]
        names = {p["$ref"].rsplit("/", 1)[-1] for p in declared}
        extra = [n for n in (*UK_PARAMETERS, "postcode", "proximity") if n not in names]
        declared += [{"$ref": f"#/components/parameters/{name}"} for name in extra]
    for item in document["paths"].values():
        operation = item["get"]
        operation["parameters"] = [
            p for p in operation.get("parameters", [])
            if p.get("$ref", "").rsplit("/", 1)[-1] not in UNSUPPORTED_PARAMETERS]


@open_endpoint
def openapi(request):
    """This API's OpenAPI document: HSDS 3.0's, describing this service."""
    document = openapi_document(HSDS_3)
    _parameters_of_this_server(document)
    document["info"] = {
        "title": "Upstream community service directory (Open Referral UK)",
        "version": HSDS_VERSION,
        "description": "Read-only, open (no key) access to the community services directory, "
                       "following HSDS 3.0 and the Open Referral UK profile.",
        "license": {"name": "Open Government Licence v3.0",
                    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/"
                           "version/3/"},
    }
    document["servers"] = [{"url": request.build_absolute_uri(reverse("oruk:root"))}]
    return json_response(document)


@open_endpoint
def services(request):
    """``GET /services``: filtered by ``search``, ``taxonomy_term_id``, ``taxonomy_id``,
    ``organization_id``, ``modified_after``, ``postcode`` (+ ``proximity``: nearest first),
    and the UK profile's ``minimum_age``, ``maximum_age``, ``day``, ``start_time``,
    ``end_time`` (as the profile words them: a service's minimum age at least, maximum age at
    most the value; a schedule on the day, opening at or after and closing at or before)."""
    paging, full = _list_options(request.GET)
    found = queries.services(_service_filters(request.GET), full=full)
    render = Compiler.service if full else Compiler.service_summary
    return json_response(_page(found, paging, render))


@open_endpoint
def service(request, service_id: str):
    """``GET /services/{id}``: the fully nested service."""
    record = _one(queries.service_detail(), service_id, "service")
    return json_response(_compiled(Compiler.service, record))


@open_endpoint
def services_at_locations(request):
    """``GET /service_at_locations``: the same filters as ``/services``."""
    paging, full = _list_options(request.GET)
    found = queries.services_at_locations(_service_filters(request.GET), full=full)
    render = Compiler.service_at_location if full else Compiler.service_at_location_summary
    return json_response(_page(found, paging, render))


@open_endpoint
def service_at_location(request, service_at_location_id: str):
    """``GET /service_at_locations/{id}``: fully nested, with its location and service."""
    record = _one(queries.service_at_location_detail(), service_at_location_id,
                  "service at location")
    return json_response(_compiled(Compiler.service_at_location, record))


@open_endpoint
def organizations(request):
    """``GET /organizations``: filtered by ``search``."""
    paging, full = _list_options(request.GET)
    found = queries.organizations(params.text(request.GET, "search"), full=full)
    render = Compiler.organization if full else Compiler.organization_summary
    return json_response(_page(found, paging, render))


@open_endpoint
def organization(request, organization_id: str):
    """``GET /organizations/{id}``: fully nested, its services as summaries."""
    record = _one(queries.organization_detail(), organization_id, "organization")
    return json_response(_compiled(Compiler.organization, record))


@open_endpoint
def taxonomies(request):
    """``GET /taxonomies``: filtered by ``search``."""
    paging, _ = _list_options(request.GET)
    found = queries.taxonomies(params.text(request.GET, "search"))
    return json_response(_page(found, paging, Compiler.taxonomy))


@open_endpoint
def taxonomy(request, taxonomy_id: str):
    """``GET /taxonomies/{id}``."""
    record = _one(queries.taxonomies(), taxonomy_id, "taxonomy")
    return json_response(_compiled(Compiler.taxonomy, record))


@open_endpoint
def taxonomy_terms(request):
    """``GET /taxonomy_terms``: filtered by ``search``, ``taxonomy_id``, ``parent_id`` and
    ``top_only`` (terms with no parent)."""
    paging, _ = _list_options(request.GET)
    query = request.GET
    found = queries.taxonomy_terms(
        search=params.text(query, "search"),
        taxonomy_id=params.identifier(query, "taxonomy_id"),
        parent_id=params.identifier(query, "parent_id"),
        top_only=params.boolean(query, "top_only"),
    )
    return json_response(_page(found, paging, Compiler.taxonomy_term))


@open_endpoint
def taxonomy_term(request, taxonomy_term_id: str):
    """``GET /taxonomy_terms/{id}``, with its taxonomy."""
    record = _one(queries.taxonomy_terms(), taxonomy_term_id, "taxonomy term")
    return json_response(_compiled(
        lambda compiler, term: compiler.taxonomy_term(term, detail=True), record))


@open_endpoint
def unknown(request):
    """Any other path under ``/oruk/``: a JSON 404 that says what there is."""
    raise Http404("No such endpoint. See the OpenAPI document at "
                  + request.build_absolute_uri(reverse("oruk:openapi")))
