"""The querysets behind the API: filters from the query parameters, a stable order for paging,
and the prefetches that let ``serialisers`` build a whole page in a fixed number of queries.

Distance ("within ``proximity`` metres of the postcode's centroid", nearest first) is computed
in the database, the same on SQLite and PostgreSQL, with the equirectangular approximation:
``x = Δlongitude · cos(latitude of the centroid)``, ``y = Δlatitude``, distance ∝ √(x² + y²).
Only arithmetic, so no database extension is needed; within the 200 km the API allows, the
error across England is under 0.5 %. A ``proximity`` first narrows locations to the square
around the circle with a range on the indexed coordinates; a service's distance is that of
its nearest location (a correlated subquery, so no grouping).
"""

import math
import uuid
from dataclasses import dataclass

from django.db.models import (
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from upstream.service.directory.models import (
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180
"""Metres in one degree of latitude (mean Earth radius)."""


@dataclass(frozen=True)
class Near:
    """A point and, optionally, how far from it (metres) results may be."""

    latitude: float
    longitude: float
    within: float | None = None


@dataclass(frozen=True)
class ServiceFilters:
    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: object = None
    near: Near | None = None
    minimum_age: float | None = None
    """UK profile: services whose minimum age is at least this."""
    maximum_age: float | None = None
    """UK profile: services whose maximum age is at most this."""
    day: str | None = None
    """UK profile: services with a schedule on this day (iCalendar code, ``MO``)."""
    start_time: object = None
    """UK profile: ... opening at or after this time."""
    end_time: object = None
    """UK profile: ... closing at or before this time."""

    @property
    def by_schedule(self) -> bool:
        return any(v is not None for v in (self.day, self.start_time, self.end_time))


def _scheduled_services(filters: ServiceFilters):
    """Ids of services with one schedule meeting every schedule condition, whether the
    schedule belongs to the service, to it at one of its locations, or to such a location."""
    condition = Q()
    if filters.day:
        condition &= Q(byday__contains=filters.day)
    if filters.start_time is not None:
        condition &= Q(opens_at__gte=filters.start_time)
    if filters.end_time is not None:
        condition &= Q(closes_at__lte=filters.end_time)
    schedules = Schedule.objects.filter(condition)
    owners = ("service_id", "service_at_location__service_id",
              "location__service_at_locations__service_id")
    either = Q()
    for owner in owners:
        either |= Q(id__in=schedules.filter(**{f"{owner}__isnull": False}).values(owner))
    return Service.objects.filter(either).values("id")


def _squared_degrees(near: Near, prefix: str) -> ExpressionWrapper:
    """(distance in degrees of latitude)² from ``near`` to the location at ``prefix``."""
    dlat = F(f"{prefix}latitude") - near.latitude
    dlon = (F(f"{prefix}longitude") - near.longitude) * math.cos(math.radians(near.latitude))
    return ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())


def _words(search: str) -> list[str]:
    return [w for w in search.split() if w]


def _service_filter(filters: ServiceFilters, prefix: str = "") -> Q:
    """The conditions on services (``prefix`` ``"service__"`` when filtering services at
    locations). Every word of ``search`` must appear in the name, alternative name,
    description or organisation name."""
    condition = Q()
    for word in _words(filters.search):
        condition &= (Q(**{f"{prefix}name__icontains": word})
                      | Q(**{f"{prefix}alternate_name__icontains": word})
                      | Q(**{f"{prefix}description__icontains": word})
                      | Q(**{f"{prefix}organization__name__icontains": word}))
    linked = Attribute.objects.filter(link_entity="service")
    if filters.taxonomy_term_id:
        condition &= Q(**{f"{prefix}id__in": linked.filter(
            taxonomy_term_id=filters.taxonomy_term_id).values("link_id")})
    if filters.taxonomy_id:
        condition &= Q(**{f"{prefix}id__in": linked.filter(
            taxonomy_term__taxonomy_id=filters.taxonomy_id).values("link_id")})
    if filters.organization_id:
        condition &= Q(**{f"{prefix}organization_id": filters.organization_id})
    if filters.modified_after is not None:
        condition &= Q(**{f"{prefix}last_modified__gte": filters.modified_after})
    if filters.minimum_age is not None:
        condition &= Q(**{f"{prefix}minimum_age__gte": filters.minimum_age})
    if filters.maximum_age is not None:
        condition &= Q(**{f"{prefix}maximum_age__lte": filters.maximum_age})
    if filters.by_schedule:
        condition &= Q(**{f"{prefix}id__in": _scheduled_services(filters)})
    return condition


def _box(near: Near, prefix: str) -> Q:
    """Locations inside the square around ``near`` that holds its ``within`` circle: a cheap,
    indexed (latitude, longitude) range that the exact distance then narrows."""
    half_lat = near.within / METRES_PER_DEGREE
    half_lon = half_lat / max(math.cos(math.radians(near.latitude)), 0.01)
    return Q(**{f"{prefix}latitude__range": (near.latitude - half_lat, near.latitude + half_lat),
                f"{prefix}longitude__range": (near.longitude - half_lon,
                                              near.longitude + half_lon)})


def _nearest_first(queryset: QuerySet, near: Near | None, tiebreak: list[str]) -> QuerySet:
    """Services at locations ordered by distance from ``near`` (``nearest``: squared degrees),
    keeping only those within its ``within``; without ``near``, just the ``tiebreak`` order."""
    if near is None:
        return queryset.order_by(*tiebreak)
    if near.within is not None:
        queryset = queryset.filter(_box(near, "location__"))
    queryset = queryset.annotate(nearest=_squared_degrees(near, "location__"))
    if near.within is not None:
        queryset = queryset.filter(nearest__lte=(near.within / METRES_PER_DEGREE) ** 2)
    return queryset.order_by(F("nearest").asc(nulls_last=True), *tiebreak)


def _services_nearest_first(queryset: QuerySet, near: Near | None) -> QuerySet:
    """Services ordered by their nearest location's distance from ``near`` (a correlated
    subquery, so no grouping), within its ``within``; services with no location come last."""
    tiebreak = ["name", "id"]
    if near is None:
        return queryset.order_by(*tiebreak)
    located = _nearest_first(ServiceAtLocation.objects.all(), near, [])
    if near.within is not None:
        queryset = queryset.filter(id__in=located.values("service_id"))
    nearest = located.filter(service_id=OuterRef("pk")).order_by("nearest").values("nearest")
    queryset = queryset.annotate(nearest=Subquery(nearest[:1]))
    return queryset.order_by(F("nearest").asc(nulls_last=True), *tiebreak)


# Services ---------------------------------------------------------------------------------

LOCATION_PREFETCH = ("addresses", "phones__languages", "schedules", "languages",
                     "accessibility", "contacts__phones__languages")


def _location_prefetches(prefix: str) -> list[str]:
    return [f"{prefix}{p}" for p in LOCATION_PREFETCH]


def service_at_location_prefetches(prefix: str = "") -> list:
    """What a fully nested service at location needs (``prefix`` when reached from a service)."""
    return [f"{prefix}contacts__phones__languages", f"{prefix}phones__languages",
            f"{prefix}schedules", *_location_prefetches(f"{prefix}location__")]


SERVICE_OWN_PREFETCHES = [
    "phones__languages", "schedules", "service_areas", "languages", "funding", "cost_options",
    "required_documents", "contacts__phones__languages"]
"""A fully nested service's own parts, without its locations."""

SERVICE_PREFETCHES = [
    *SERVICE_OWN_PREFETCHES,
    Prefetch("service_at_locations",
             queryset=ServiceAtLocation.objects.select_related("location").order_by("id")),
    *service_at_location_prefetches("service_at_locations__"),
]
"""Everything a fully nested service shows, fetched in one query per relation."""


def services(filters: ServiceFilters, full: bool = False) -> QuerySet:
    """Services matching ``filters``, nearest first when near a point, else by name."""
    queryset = (Service.objects.filter(_service_filter(filters))
                .select_related("organization", "program"))
    queryset = _services_nearest_first(queryset, filters.near)
    return queryset.prefetch_related(*SERVICE_PREFETCHES) if full else queryset


def service_detail() -> QuerySet:
    return (Service.objects.select_related("organization", "program")
            .prefetch_related(*SERVICE_PREFETCHES))


# Services at locations --------------------------------------------------------------------

def services_at_locations(filters: ServiceFilters, full: bool = False) -> QuerySet:
    queryset = (ServiceAtLocation.objects.filter(_service_filter(filters, "service__"))
                .select_related("location", "service__organization", "service__program"))
    queryset = _nearest_first(queryset, filters.near, ["service__name", "id"])
    if full:
        queryset = queryset.prefetch_related(
            *service_at_location_prefetches(), *[f"service__{p}" for p in SERVICE_OWN_PREFETCHES])
    return queryset


def service_at_location_detail() -> QuerySet:
    return services_at_locations(ServiceFilters(), full=True)


# Organisations ----------------------------------------------------------------------------

ORGANIZATION_PREFETCHES = [
    "funding", "contacts__phones__languages", "phones__languages", "programs",
    "organization_identifiers",
    Prefetch("locations", queryset=Location.objects.order_by("name", "id")),
    *_location_prefetches("locations__"),
    Prefetch("services", queryset=Service.objects.select_related("organization", "program")
             .order_by("name", "id")),
]
"""Everything a fully nested organisation shows (its services as summaries)."""


def organizations(search: str = "", full: bool = False) -> QuerySet:
    condition = Q()
    for word in _words(search):
        condition &= (Q(name__icontains=word) | Q(alternate_name__icontains=word)
                      | Q(description__icontains=word))
    found = Organization.objects.filter(condition).order_by("name", "id")
    return found.prefetch_related(*ORGANIZATION_PREFETCHES) if full else found


def organization_detail() -> QuerySet:
    return organizations(full=True)


# Taxonomies -------------------------------------------------------------------------------

def taxonomies(search: str = "") -> QuerySet:
    condition = Q()
    for word in _words(search):
        condition &= Q(name__icontains=word) | Q(description__icontains=word)
    return Taxonomy.objects.filter(condition).order_by("name", "id")


def taxonomy_terms(search: str = "", taxonomy_id=None, parent_id=None,
                   top_only: bool = False) -> QuerySet:
    condition = Q()
    for word in _words(search):
        condition &= (Q(name__icontains=word) | Q(description__icontains=word)
                      | Q(code__icontains=word))
    if taxonomy_id:
        condition &= Q(taxonomy_id=taxonomy_id)
    if parent_id:
        condition &= Q(parent_id=parent_id)
    if top_only:
        condition &= Q(parent__isnull=True)
    return (TaxonomyTerm.objects.filter(condition).select_related("taxonomy")
            .order_by("name", "id"))
