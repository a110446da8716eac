"""Directory records → HSDS 3.0 JSON objects, as the compiled schemas lay them out.

Rules, so that every answer validates against the official schemas:

- A value is published only when it is present: empty text and nulls are left out (HSDS has no
  nulls), except the fields a schema requires, which are always there (as ``""`` if unknown).
- A value whose HSDS field has a format (``email``, ``uri``) is published only if it conforms
  (the same checks as ``standards.openreferral.validation``); a malformed one stays in the
  directory, counted by the import's quality report, and is left out here.
- ``assurer_email`` (the email of the person who checked the record) is never published, nor
  anything that is not directory data: no people, referrals or users reach this module.
- ``attributes`` of every object are gathered as the objects are built and looked up in one
  query when the ``Compiler`` finishes, so a page costs the same number of queries whatever
  its size.

Callers pass records fetched with the prefetches in ``queries``; these functions follow
relations with ``.all()`` and so issue no query of their own when those are in place.
"""

import datetime
import decimal
import uuid
from collections import defaultdict

from upstream.service.directory.models import Attribute
from upstream.standards.openreferral.validation import FORMATS


def _plain(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _conforms(value, rule) -> bool:
    """``rule``: a schema format name (``"uri"``), or the values an enumeration allows."""
    return FORMATS.conforms(value, rule) if isinstance(rule, str) else value in rule


def _fields(record, names, required=(), formats=None) -> dict:
    """The HSDS fields ``names`` of ``record`` that have a value; ``required`` ones always.
    ``formats``: field → format name or allowed values; a value breaking it is left out."""
    formats = formats or {}
    out = {}
    for name in names:
        value = getattr(record, name)
        if value is None or value == "":
            if name in required:
                out[name] = ""
            continue
        if name in formats and not _conforms(value, formats[name]):
            continue
        out[name] = _plain(value)
    return out


def _id(value) -> str | None:
    return str(value) if value is not None else None


class Compiler:
    """Builds HSDS objects for one answer. Call ``finish()`` once all are built: it fills in
    every object's ``attributes`` with one query."""

    def __init__(self):
        self._waiting: dict[tuple[str, uuid.UUID], list[dict]] = defaultdict(list)

    def _with_attributes(self, entity: str, record, out: dict) -> dict:
        out["attributes"] = []
        self._waiting[(entity, record.id)].append(out)
        return out

    def finish(self) -> None:
        if not self._waiting:
            return
        ids = {link_id for _, link_id in self._waiting}
        found = (Attribute.objects.filter(link_id__in=ids)
                 .select_related("taxonomy_term__taxonomy").order_by("id"))
        for attribute in found:
            for out in self._waiting.get((attribute.link_entity, attribute.link_id), ()):
                out["attributes"].append(self.attribute(attribute))
        self._waiting.clear()

    # Taxonomies -------------------------------------------------------------------------

    def taxonomy(self, taxonomy) -> dict:
        return _fields(taxonomy, ("id", "name", "description", "uri", "version"),
                       required=("name", "description"), formats={"uri": "uri"})

    def taxonomy_term(self, term, detail: bool = False) -> dict:
        out = _fields(term, ("id", "code", "name", "description", "language", "term_uri"),
                      required=("name", "description"), formats={"term_uri": "uri"})
        if term.parent_id:
            out["parent_id"] = str(term.parent_id)
        if term.taxonomy_id:
            out["taxonomy_id"] = str(term.taxonomy_id)
            out["taxonomy"] = term.taxonomy.name
            if detail:
                out["taxonomy_detail"] = self.taxonomy(term.taxonomy)
        return out

    def attribute(self, attribute) -> dict:
        out = _fields(attribute, ("id", "link_id", "link_type", "link_entity", "value"))
        out["taxonomy_term_id"] = str(attribute.taxonomy_term_id)
        out["taxonomy_term"] = self.taxonomy_term(attribute.taxonomy_term)
        return out

    # Small parts ------------------------------------------------------------------------

    def language(self, language) -> dict:
        out = _fields(language, ("id", "name", "code", "note"))
        for owner in ("service_id", "location_id", "phone_id"):
            if getattr(language, owner):
                out[owner] = _id(getattr(language, owner))
        return self._with_attributes("language", language, out)

    def phone(self, phone) -> dict:
        out = _fields(phone, ("id", "number", "extension", "type", "description"),
                      required=("number",))
        for owner in ("location_id", "service_id", "organization_id", "contact_id",
                      "service_at_location_id"):
            if getattr(phone, owner):
                out[owner] = _id(getattr(phone, owner))
        out["languages"] = [self.language(x) for x in phone.languages.all()]
        return self._with_attributes("phone", phone, out)

    def contact(self, contact) -> dict:
        out = _fields(contact, ("id", "name", "title", "department", "email"),
                      formats={"email": "email"})
        for owner in ("organization_id", "service_id", "service_at_location_id", "location_id"):
            if getattr(contact, owner):
                out[owner] = _id(getattr(contact, owner))
        out["phones"] = [self.phone(x) for x in contact.phones.all()]
        return self._with_attributes("contact", contact, out)

    def schedule(self, schedule) -> dict:
        out = _fields(schedule, (
            "id", "valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst",
            "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "description",
            "opens_at", "closes_at", "schedule_link", "attending_type", "notes"),
            formats={"schedule_link": "uri", "wkst": WEEKDAYS,
                     "freq": ("WEEKLY", "MONTHLY")})
        for owner in ("service_id", "location_id", "service_at_location_id"):
            if getattr(schedule, owner):
                out[owner] = _id(getattr(schedule, owner))
        return self._with_attributes("schedule", schedule, out)

    def address(self, address) -> dict:
        out = _fields(address, (
            "id", "attention", "address_1", "address_2", "city", "region", "state_province",
            "postal_code", "country", "address_type"),
            required=("address_1", "city", "state_province", "postal_code", "country",
                      "address_type"))
        if address.location_id:
            out["location_id"] = str(address.location_id)
        return self._with_attributes("address", address, out)

    def accessibility(self, accessibility) -> dict:
        out = _fields(accessibility, ("id", "description", "details", "url"),
                      formats={"url": "uri"})
        if accessibility.location_id:
            out["location_id"] = str(accessibility.location_id)
        return self._with_attributes("accessibility", accessibility, out)

    def cost_option(self, option) -> dict:
        out = _fields(option, ("id", "service_id", "valid_from", "valid_to", "option",
                               "currency", "amount", "amount_description"))
        return self._with_attributes("cost_option", option, out)

    def service_area(self, area) -> dict:
        out = _fields(area, ("id", "name", "description", "extent", "extent_type", "uri"))
        if area.service_id:
            out["service_id"] = str(area.service_id)
        return self._with_attributes("service_area", area, out)

    def funding(self, funding) -> dict:
        out = _fields(funding, ("id", "source"))
        for owner in ("organization_id", "service_id"):
            if getattr(funding, owner):
                out[owner] = _id(getattr(funding, owner))
        return self._with_attributes("funding", funding, out)

    def required_document(self, document) -> dict:
        out = _fields(document, ("id", "document", "uri"), formats={"uri": "uri"})
        if document.service_id:
            out["service_id"] = str(document.service_id)
        return self._with_attributes("required_document", document, out)

    def program(self, program) -> dict:
        out = _fields(program, ("id", "organization_id", "name", "alternate_name",
                                "description"), required=("name", "description"))
        return self._with_attributes("program", program, out)

    def organization_identifier(self, identifier) -> dict:
        out = _fields(identifier, ("id", "organization_id", "identifier_scheme",
                                   "identifier_type", "identifier"),
                      required=("identifier_type", "identifier"))
        return self._with_attributes("organization_identifier", identifier, out)

    # Organisations ----------------------------------------------------------------------

    def organization_summary(self, organization) -> dict:
        """The one-to-one fields (``compiled/organization_list.json``)."""
        out = _fields(organization, (
            "id", "name", "alternate_name", "description", "email", "website", "tax_status",
            "tax_id", "year_incorporated", "legal_status", "logo", "uri"),
            required=("name", "description"),
            formats={"email": "email", "website": "uri", "uri": "uri"})
        if organization.parent_organization_id:
            out["parent_organization_id"] = str(organization.parent_organization_id)
        return out

    def organization(self, organization) -> dict:
        """Fully nested (``compiled/organization.json``), its services as summaries."""
        out = self.organization_summary(organization)
        out["funding"] = [self.funding(x) for x in organization.funding.all()]
        out["contacts"] = [self.contact(x) for x in organization.contacts.all()]
        out["phones"] = [self.phone(x) for x in organization.phones.all()]
        out["locations"] = [self.location(x) for x in organization.locations.all()]
        out["programs"] = [self.program(x) for x in organization.programs.all()]
        out["organization_identifiers"] = [
            self.organization_identifier(x) for x in organization.organization_identifiers.all()]
        out["services"] = [self.service_summary(x) for x in organization.services.all()]
        return self._with_attributes("organization", organization, out)

    # Locations --------------------------------------------------------------------------

    def location_summary(self, location) -> dict:
        out = _fields(location, (
            "id", "location_type", "url", "name", "alternate_name", "description",
            "transportation", "latitude", "longitude", "external_identifier",
            "external_identifier_type"), required=("location_type",), formats={"url": "uri"})
        if location.organization_id:
            out["organization_id"] = str(location.organization_id)
        return out

    def location(self, location) -> dict:
        out = self.location_summary(location)
        out["languages"] = [self.language(x) for x in location.languages.all()]
        out["addresses"] = [self.address(x) for x in location.addresses.all()]
        out["contacts"] = [self.contact(x) for x in location.contacts.all()]
        out["accessibility"] = [self.accessibility(x) for x in location.accessibility.all()]
        out["phones"] = [self.phone(x) for x in location.phones.all()]
        out["schedules"] = [self.schedule(x) for x in location.schedules.all()]
        return self._with_attributes("location", location, out)

    # Services ---------------------------------------------------------------------------

    SERVICE_FIELDS = (
        "id", "name", "alternate_name", "description", "url", "email", "status",
        "interpretation_services", "application_process", "fees_description", "wait_time",
        "fees", "accreditations", "eligibility_description", "minimum_age", "maximum_age",
        "assured_date", "licenses", "alert", "last_modified")

    def service_summary(self, service) -> dict:
        """The one-to-one fields with the organisation and programme
        (``compiled/service_list.json``)."""
        out = _fields(service, self.SERVICE_FIELDS, required=("name", "status"),
                      formats={"url": "uri", "email": "email"})
        out["organization_id"] = str(service.organization_id)
        out["organization"] = self.organization_summary(service.organization)
        if service.program_id:
            out["program_id"] = str(service.program_id)
            out["program"] = self.program(service.program)
        return out

    def service(self, service, with_locations: bool = True) -> dict:
        """Fully nested (``compiled/service.json``)."""
        out = self.service_summary(service)
        out["phones"] = [self.phone(x) for x in service.phones.all()]
        out["schedules"] = [self.schedule(x) for x in service.schedules.all()]
        out["service_areas"] = [self.service_area(x) for x in service.service_areas.all()]
        if with_locations:
            out["service_at_locations"] = [
                self.service_at_location(x, with_service=False)
                for x in service.service_at_locations.all()]
        out["languages"] = [self.language(x) for x in service.languages.all()]
        out["funding"] = [self.funding(x) for x in service.funding.all()]
        out["cost_options"] = [self.cost_option(x) for x in service.cost_options.all()]
        out["required_documents"] = [
            self.required_document(x) for x in service.required_documents.all()]
        out["contacts"] = [self.contact(x) for x in service.contacts.all()]
        return self._with_attributes("service", service, out)

    # Services at locations ---------------------------------------------------------------

    def service_at_location_summary(self, sal) -> dict:
        """``compiled/service_at_location_list.json``: with its location and service."""
        out = _fields(sal, ("id", "service_id", "location_id", "description"))
        out["location"] = self.location_summary(sal.location)
        out["service"] = self.service_summary(sal.service)
        return out

    def service_at_location(self, sal, with_service: bool = True) -> dict:
        """Fully nested (``compiled/service_at_location.json``); inside a service, without the
        service again."""
        out = _fields(sal, ("id", "service_id", "location_id", "description"))
        out["contacts"] = [self.contact(x) for x in sal.contacts.all()]
        out["phones"] = [self.phone(x) for x in sal.phones.all()]
        out["schedules"] = [self.schedule(x) for x in sal.schedules.all()]
        out["location"] = self.location(sal.location)
        if with_service:
            out["service"] = self.service(sal.service, with_locations=False)
        return self._with_attributes("service_at_location", sal, out)
