"""Directory services for search tests: an organisation, a service filed under taxonomy terms
(``standards.taxonomy`` codes, or eligibility codes such as ``sex:F``), one location at a
given point, and optionally a weekly schedule."""

import datetime
import itertools

from upstream.service.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from upstream.standards import taxonomy

_postcodes = itertools.count(1)


def term(code: str) -> TaxonomyTerm:
    """The term ``code`` of the Upstream needs taxonomy (or an eligibility term), made once."""
    known = taxonomy.TERMS.get(code)
    tax, _ = Taxonomy.objects.get_or_create(
        name=taxonomy.TAXONOMY_NAME if known else taxonomy.ELIGIBILITY_TAXONOMY)
    found, _ = TaxonomyTerm.objects.get_or_create(
        code=code, defaults={"name": known.label if known else code, "taxonomy": tax,
                             "parent": term(known.parent) if known and known.parent else None})
    return found


def service(name: str, *codes: str, at: tuple[float, float] | None = (51.52, -0.06),
            description: str = "", byday: str = "", opens_at=datetime.time(9, 30),
            closes_at=datetime.time(12), **fields) -> Service:
    organization = Organization.objects.create(name=f"{name} organisation")
    made = Service.objects.create(organization=organization, name=name,
                                  description=description, **fields)
    for code in codes:
        Attribute.objects.create(link_entity="service", link_id=made.id, taxonomy_term=term(code),
                                 link_type="eligibility" if ":" in code else "need")
    if at is not None:
        location = Location.objects.create(name=name, latitude=at[0], longitude=at[1])
        Address.objects.create(location=location, address_1="1 High Street", city="London",
                               postal_code=f"E1 {next(_postcodes) % 9 + 1}AA")
        ServiceAtLocation.objects.create(service=made, location=location)
    if byday:
        Schedule.objects.create(service=made, freq="WEEKLY", byday=byday, opens_at=opens_at,
                                closes_at=closes_at)
    return made
