"""The community service directory: Open Referral HSDS 3.0 tables with the UK profile's fields.

Every model is an HSDS 3.0 table, its fields named as HSDS names them (``Service.minimum_age``,
``Location.latitude``, ``Schedule.opens_at``), and every reverse relation named as HSDS names the
nested array (``service.phones``, ``service.service_at_locations``, ``location.addresses``,
``organization.funding``), so the ``/oruk/`` API serialises with little mapping. ADR 0013 records
the choices; in short:

- ``id`` is the HSDS identifier and the primary key. An imported record keeps the feed's UUID
  when the feed gives one; otherwise it is ``uuid5(feed name + entity + original id)``, so the
  identifier the API publishes is the same after every re-import (``directory.ids``).
- Provenance on every record (``DirectoryRecord``): the ``feed`` it came from, its
  ``original_id`` in that feed, and ``imported_at`` (when an import last created or changed it).
  Records entered in Upstream itself have no feed. ``(feed, original_id)`` is unique per table.
- Service ↔ taxonomy term goes the HSDS 3.0 way: an ``Attribute`` with ``link_entity="service"``,
  ``link_id=<service id>`` and a ``taxonomy_term``. There is no second copy of the link;
  ``Service.objects.with_term(...)`` and ``Attribute.for_records(...)`` query it.
- Extensions beyond HSDS (``Service.accepting_referrals``, ``waiting_time_days``,
  ``last_verified``, ``provision_type``; ``needs_attention`` / ``attention_reasons`` on
  organisations, services and locations) are named so they never clash with an HSDS field, and
  fields a feed sends that HSDS has no place for are kept verbatim in ``extensions``.
- The ``/oruk/`` listings' order, ``(name, id)``, is indexed on services, organisations,
  taxonomies and terms, so a page is read in index order rather than sorted.
- Strings are stored as given (after HTML is turned into plain text); a malformed email, URL or
  postcode is kept and counted in the import's data-quality report, not dropped. A value that
  cannot be stored in its typed column (a date that is no date) is kept in
  ``extensions["unparsed"][field]`` and reported.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


class Feed(models.Model):
    """A published directory Upstream imports (a council's ORUK feed, an HSDS data package)."""

    name = models.SlugField(max_length=100, unique=True,
                            help_text="Short name, part of every imported record's identity.")
    source = models.TextField(help_text="Path or URL the feed was last imported from.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One run of ``upstream directory import``: what came in, what changed, where the report is."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="import_runs")
    source = models.TextField()
    source_format = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True,
                              help_text="Per table: created, updated, unchanged.")
    report_path = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}"


class DirectoryRecord(models.Model):
    """What every directory table has: the HSDS ``id`` and the record's provenance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feed = models.ForeignKey(Feed, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", help_text="Empty for records entered in Upstream.")
    original_id = models.CharField(max_length=255, blank=True, default="",
                                   help_text="The record's identifier in its feed.")
    imported_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When an import last created or changed it.")
    extensions = models.JSONField(default=dict, blank=True,
                                  help_text="Feed fields HSDS has no place for, kept verbatim.")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, "name", "") or self.id)


def _provenance_constraint(table: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["feed", "original_id"], condition=Q(feed__isnull=False) & ~Q(original_id=""),
        name=f"directory_{table}_feed_original_id",
    )


class NeedsAttention(models.Model):
    """Records an import kept although something is wrong with them; a person should look."""

    needs_attention = models.BooleanField(default=False, db_index=True)
    attention_reasons = models.JSONField(default=list, blank=True,
                                         help_text="Plain-English reasons, one per problem.")

    class Meta:
        abstract = True


# --- Organisations ------------------------------------------------------------------------


class Organization(NeedsAttention, DirectoryRecord):
    """HSDS ``organization``. ``is_placeholder``: made by the importer for a service whose feed
    named no organisation (it also needs attention)."""

    name = models.TextField()
    alternate_name = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    email = models.TextField(blank=True, default="")
    website = models.TextField(blank=True, default="")
    tax_status = models.TextField(blank=True, default="")
    tax_id = models.TextField(blank=True, default="")
    year_incorporated = models.IntegerField(null=True, blank=True)
    legal_status = models.TextField(blank=True, default="")
    logo = models.TextField(blank=True, default="")
    uri = models.TextField(blank=True, default="")
    parent_organization = models.ForeignKey("self", on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="child_organizations")
    is_placeholder = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [_provenance_constraint("organization")]
        indexes = [models.Index(fields=["name", "id"], name="directory_org_name_id")]


class OrganizationIdentifier(DirectoryRecord):
    """HSDS ``organization_identifier`` (charity number, company number, org-id.guide scheme)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="organization_identifiers")
    identifier_scheme = models.TextField(blank=True, default="")
    identifier_type = models.TextField(blank=True, default="")
    identifier = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("organizationidentifier")]


class Program(DirectoryRecord):
    """HSDS ``program``: a named group of an organisation's services."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="programs")
    name = models.TextField()
    alternate_name = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("program")]


# --- Services -----------------------------------------------------------------------------


class ServiceQuerySet(models.QuerySet):
    def with_term(self, term: TaxonomyTerm | uuid.UUID | str) -> ServiceQuerySet:
        """Services linked to the term by an HSDS attribute (``link_entity="service"``)."""
        return self.filter(id__in=Attribute.objects.filter(
            link_entity="service", taxonomy_term=term).values("link_id"))


class Service(NeedsAttention, DirectoryRecord):
    """HSDS ``service``, with the extensions users of the standard keep asking for."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        INACTIVE = "inactive"
        DEFUNCT = "defunct"
        TEMPORARILY_CLOSED = "temporarily closed"

    class ProvisionType(models.TextChoices):
        """Formal services and the informal provision community links officers grow."""

        FORMAL = "formal", "Formal service"
        COMMUNITY_GROUP = "community_group", "Community group"
        FAITH_GROUP = "faith_group", "Faith group"
        PEER_SUPPORT = "peer_support", "Peer support"
        BEFRIENDING = "befriending", "Befriending"
        VOLUNTEERING = "volunteering", "Volunteering opportunity"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="services")
    program = models.ForeignKey(Program, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="services")
    name = models.TextField(
        blank=True, default="", help_text="Empty only if the feed gave none (needs attention).")
    alternate_name = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    url = models.TextField(blank=True, default="")
    email = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    interpretation_services = models.TextField(blank=True, default="")
    application_process = models.TextField(blank=True, default="")
    fees_description = models.TextField(blank=True, default="")
    wait_time = models.TextField(blank=True, default="", help_text="HSDS free text.")
    fees = models.TextField(blank=True, default="")
    accreditations = models.TextField(blank=True, default="")
    eligibility_description = models.TextField(blank=True, default="")
    minimum_age = models.FloatField(null=True, blank=True)
    maximum_age = models.FloatField(null=True, blank=True)
    assured_date = models.DateField(null=True, blank=True,
                                    help_text="HSDS: when the feed's publisher last checked it.")
    assurer_email = models.TextField(blank=True, default="")
    licenses = models.TextField(blank=True, default="")
    alert = models.TextField(blank=True, default="")
    last_modified = models.DateTimeField(null=True, blank=True, db_index=True,
                                         help_text="HSDS: when the record last changed at source.")
    # Extensions (ADR 0013).
    accepting_referrals = models.BooleanField(null=True, blank=True,
                                              help_text="Unknown (empty), yes or no.")
    waiting_time_days = models.PositiveIntegerField(null=True, blank=True,
                                                    help_text="Typical wait to be seen, in days.")
    capacity_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="When accepting_referrals / waiting_time_days were set.")
    last_verified = models.DateField(
        null=True, blank=True, db_index=True,
        help_text="When anyone last confirmed the record: the feed's assured_date on import, "
                  "the organisation or a link worker afterwards.")
    provision_type = models.CharField(max_length=20, choices=ProvisionType.choices,
                                      default=ProvisionType.FORMAL, db_index=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [_provenance_constraint("service")]
        indexes = [models.Index(fields=["name", "id"], name="directory_service_name_id")]

    @property
    def is_informal(self) -> bool:
        return self.provision_type != self.ProvisionType.FORMAL


class Location(NeedsAttention, DirectoryRecord):
    """HSDS ``location``: latitude/longitude in WGS84 decimal degrees, for distance search."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical"
        POSTAL = "postal"
        VIRTUAL = "virtual"

    location_type = models.CharField(max_length=10, choices=LocationType.choices,
                                     default=LocationType.PHYSICAL)
    url = models.TextField(blank=True, default="")
    organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="locations")
    name = models.TextField(blank=True, default="")
    alternate_name = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    transportation = models.TextField(blank=True, default="")
    latitude = models.FloatField(null=True, blank=True, db_index=True)
    longitude = models.FloatField(null=True, blank=True, db_index=True)
    external_identifier = models.TextField(blank=True, default="")
    external_identifier_type = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("location")]
        indexes = [models.Index(fields=["latitude", "longitude"],
                                name="directory_location_lat_lon")]


class ServiceAtLocation(DirectoryRecord):
    """HSDS ``service_at_location``: a service delivered at a location."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE,
                                related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE,
                                 related_name="service_at_locations")
    description = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("serviceatlocation")]


class Address(DirectoryRecord):
    """HSDS ``address`` of a location."""

    class AddressType(models.TextChoices):
        PHYSICAL = "physical"
        POSTAL = "postal"
        VIRTUAL = "virtual"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="addresses")
    attention = models.TextField(blank=True, default="")
    address_1 = models.TextField(blank=True, default="")
    address_2 = models.TextField(blank=True, default="")
    city = models.TextField(blank=True, default="")
    region = models.TextField(blank=True, default="")
    state_province = models.TextField(blank=True, default="")
    postal_code = models.CharField(max_length=40, blank=True, default="", db_index=True)
    country = models.CharField(max_length=40, blank=True, default="")
    address_type = models.CharField(max_length=10, choices=AddressType.choices,
                                    default=AddressType.PHYSICAL)

    class Meta:
        constraints = [_provenance_constraint("address")]


class Contact(DirectoryRecord):
    """HSDS ``contact``: a named person or role (for an organisation, service or location)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="contacts")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="contacts")
    service_at_location = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE,
                                            null=True, blank=True, related_name="contacts")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="contacts")
    name = models.TextField(blank=True, default="")
    title = models.TextField(blank=True, default="")
    department = models.TextField(blank=True, default="")
    email = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("contact")]


class Phone(DirectoryRecord):
    """HSDS ``phone``, attached to whichever of its owners the feed gave."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="phones")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="phones")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="phones")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="phones")
    service_at_location = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE,
                                            null=True, blank=True, related_name="phones")
    number = models.TextField(blank=True, default="")
    extension = models.IntegerField(null=True, blank=True)
    type = models.CharField(max_length=20, blank=True, default="")
    description = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("phone")]


class Schedule(DirectoryRecord):
    """HSDS ``schedule`` (iCal-style recurrence). ``opens_at`` / ``closes_at`` are local times;
    a feed's UTC offset is kept in ``timezone`` when given (ADR 0013)."""

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY"
        MONTHLY = "MONTHLY"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="schedules")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="schedules")
    service_at_location = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE,
                                            null=True, blank=True, related_name="schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.FloatField(null=True, blank=True, help_text="UTC offset in hours.")
    until = models.DateField(null=True, blank=True)
    count = models.IntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True, default="")
    freq = models.CharField(max_length=10, choices=Frequency.choices, blank=True, default="")
    interval = models.IntegerField(null=True, blank=True)
    byday = models.TextField(blank=True, default="", help_text="e.g. MO,TU or 2MO,-1FR")
    byweekno = models.TextField(blank=True, default="")
    bymonthday = models.TextField(blank=True, default="")
    byyearday = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.TextField(blank=True, default="")
    attending_type = models.TextField(blank=True, default="")
    notes = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("schedule")]


class CostOption(DirectoryRecord):
    """HSDS ``cost_option``: a price, in ``currency`` (GBP expected by Open Referral UK)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.TextField(blank=True, default="")
    currency = models.CharField(max_length=3, blank=True, default="")
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("costoption")]


class ServiceArea(DirectoryRecord):
    """HSDS ``service_area``: where a service is available (free text and/or an extent)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="service_areas")
    name = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    extent = models.TextField(blank=True, default="")
    extent_type = models.CharField(max_length=20, blank=True, default="")
    uri = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("servicearea")]


class Language(DirectoryRecord):
    """HSDS ``language`` a service, location or phone line is offered in."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="languages")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="languages")
    phone = models.ForeignKey(Phone, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="languages")
    name = models.TextField(blank=True, default="")
    code = models.CharField(max_length=20, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("language")]


class Accessibility(DirectoryRecord):
    """HSDS ``accessibility`` provision at a location."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="accessibility")
    description = models.TextField(blank=True, default="")
    details = models.TextField(blank=True, default="")
    url = models.TextField(blank=True, default="")

    class Meta:
        verbose_name_plural = "accessibility"
        constraints = [_provenance_constraint("accessibility")]


class Funding(DirectoryRecord):
    """HSDS ``funding``: where an organisation's or service's money comes from."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="funding")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="funding")
    source = models.TextField(blank=True, default="")

    class Meta:
        verbose_name_plural = "funding"
        constraints = [_provenance_constraint("funding")]


class RequiredDocument(DirectoryRecord):
    """HSDS ``required_document`` to apply for or receive a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="required_documents")
    document = models.TextField(blank=True, default="")
    uri = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("requireddocument")]


# --- Taxonomies and attributes ------------------------------------------------------------


class Taxonomy(DirectoryRecord):
    """HSDS ``taxonomy``: a vocabulary terms are drawn from."""

    name = models.TextField()
    description = models.TextField(blank=True, default="")
    uri = models.TextField(blank=True, default="")
    version = models.TextField(blank=True, default="")

    class Meta:
        verbose_name_plural = "taxonomies"
        constraints = [_provenance_constraint("taxonomy")]
        indexes = [models.Index(fields=["name", "id"], name="directory_taxonomy_name_id")]


class TaxonomyTerm(DirectoryRecord):
    """HSDS ``taxonomy_term``. HSDS's ``taxonomy`` string is ``taxonomy.name``; its
    ``taxonomy_id`` is this ``taxonomy_id``; ``parent_id`` is ``parent_id``."""

    code = models.TextField(blank=True, default="")
    name = models.TextField()
    description = models.TextField(blank=True, default="")
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="children")
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="taxonomy_terms")
    language = models.CharField(max_length=20, blank=True, default="")
    term_uri = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["name"]
        constraints = [_provenance_constraint("taxonomyterm")]
        indexes = [models.Index(fields=["name", "id"], name="directory_term_name_id")]


class Attribute(DirectoryRecord):
    """HSDS ``attribute``: a taxonomy term (and optional value) applied to any record, named by
    ``link_entity`` (the HSDS table name: ``service``, ``organization``, ``location``, ...) and
    ``link_id`` (that record's ``id``). The one place service ↔ term links live."""

    link_id = models.UUIDField()
    link_entity = models.CharField(max_length=40)
    link_type = models.TextField(blank=True, default="",
                                 help_text="What the term describes (open codelist).")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE,
                                      related_name="attributes")
    value = models.TextField(blank=True, default="")

    class Meta:
        constraints = [_provenance_constraint("attribute")]
        indexes = [
            models.Index(fields=["link_entity", "link_id"], name="directory_attribute_link"),
            models.Index(fields=["taxonomy_term", "link_entity", "link_id"],
                         name="directory_attribute_term"),
        ]

    @classmethod
    def for_records(cls, link_entity: str, ids) -> models.QuerySet:
        """The attributes of the given records of one HSDS table, with their terms."""
        return cls.objects.filter(link_entity=link_entity, link_id__in=list(ids)).select_related(
            "taxonomy_term__taxonomy")


#: HSDS table name → model, for importers and serialisers that walk the schema.
HSDS_TABLES: dict[str, type[DirectoryRecord]] = {
    "organization": Organization,
    "organization_identifier": OrganizationIdentifier,
    "program": Program,
    "service": Service,
    "location": Location,
    "service_at_location": ServiceAtLocation,
    "address": Address,
    "contact": Contact,
    "phone": Phone,
    "schedule": Schedule,
    "cost_option": CostOption,
    "service_area": ServiceArea,
    "language": Language,
    "accessibility": Accessibility,
    "funding": Funding,
    "required_document": RequiredDocument,
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
    "attribute": Attribute,
}
