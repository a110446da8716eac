"""A small but rich directory for the ``/oruk/`` API tests: every HSDS table has rows, with
the awkward cases feeds bring (an empty service name, a malformed email and URL, a service
with no location, terms in a hierarchy, attributes on services and on a location)."""

import datetime
import decimal
from dataclasses import dataclass, field

from django.utils import timezone

from upstream.service.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

CENTROIDS = {
    # Made-up centroids along a line of latitude; 0.01 degree of longitude is about 660 m here.
    "DN15 6AA": (53.5900, -0.6500),
    "DN15 7BB": (53.5900, -0.6400),
    "DN16 1AB": (53.5900, -0.6000),
}
"""Postcodes the test postcode directory knows, with their centroids."""


@dataclass
class Directory:
    organizations: list = field(default_factory=list)
    services: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    taxonomies: list = field(default_factory=list)
    terms: dict = field(default_factory=dict)
    services_at_locations: list = field(default_factory=list)


def link(term, record, entity="service", link_type="need", value=""):
    return Attribute.objects.create(link_entity=entity, link_id=record.id, taxonomy_term=term,
                                    link_type=link_type, value=value)


def build_directory() -> Directory:
    world = Directory()
    needs = Taxonomy.objects.create(name="Upstream needs", description="What a person needs.",
                                    uri="https://example.org/needs", version="1")
    audience = Taxonomy.objects.create(name="Audience", description="Who a service is for.")
    world.taxonomies = [needs, audience]
    money = TaxonomyTerm.objects.create(name="Money", code="money", taxonomy=needs,
                                        description="Money, debt and benefits.")
    debt = TaxonomyTerm.objects.create(name="Debt advice", code="money.debt", taxonomy=needs,
                                       parent=money, description="Help with debts.",
                                       term_uri="https://example.org/needs/money.debt")
    housing = TaxonomyTerm.objects.create(name="Housing", code="housing", taxonomy=needs,
                                          description="")
    adults = TaxonomyTerm.objects.create(name="Adults", code="adults", taxonomy=audience,
                                         description="People aged 18 and over.")
    loose = TaxonomyTerm.objects.create(name="Walking", description="A term in no taxonomy.")
    world.terms = {"money": money, "debt": debt, "housing": housing, "adults": adults,
                   "walking": loose}

    advice = Organization.objects.create(
        name="Scunthorpe Advice Centre", description="Free advice on money and housing.",
        email="hello@advice.example.org", website="https://advice.example.org",
        year_incorporated=1998, legal_status="Charity", uri="https://advice.example.org/about")
    walkers = Organization.objects.create(
        name="Ashby Walkers", description="", email="not an email", website="www.walkers")
    placeholder = Organization.objects.create(name="Unknown organisation", description="",
                                              is_placeholder=True, needs_attention=True)
    world.organizations = [advice, walkers, placeholder]
    OrganizationIdentifier.objects.create(organization=advice, identifier_scheme="GB-CHC",
                                          identifier_type="Charity number", identifier="1234567")
    Funding.objects.create(organization=advice, source="North Lincolnshire Council")
    programme = Program.objects.create(organization=advice, name="Money matters",
                                       description="Money advice services.")
    main_line = Phone.objects.create(organization=advice, number="01724 000000", type="voice")
    Language.objects.create(phone=main_line, name="Polish", code="pl")
    office_contact = Contact.objects.create(organization=advice, title="Duty adviser",
                                            email="duty@advice.example.org")
    Phone.objects.create(contact=office_contact, number="01724 000001", extension=12)

    office = Location.objects.create(
        organization=advice, name="Advice centre", latitude=53.5900, longitude=-0.6450,
        description="Ground floor office.", url="https://advice.example.org/visit")
    hall = Location.objects.create(name="Ashby church hall", latitude=53.5900, longitude=-0.6000)
    online = Location.objects.create(location_type=Location.LocationType.VIRTUAL, name="Online",
                                     url="https://advice.example.org/chat")
    world.locations = [office, hall, online]
    Address.objects.create(location=office, address_1="1 High Street", city="Scunthorpe",
                           postal_code="DN15 6AA", country="GB")
    Address.objects.create(location=hall, address_1="Church Lane", address_2="Ashby",
                           city="Scunthorpe", state_province="North Lincolnshire",
                           postal_code="DN16 1AB", country="GB")
    Accessibility.objects.create(location=office, description="Step-free access",
                                 url="https://advice.example.org/access")
    Phone.objects.create(location=office, number="01724 000002")
    Language.objects.create(location=office, name="English", code="en")
    Schedule.objects.create(location=hall, freq="WEEKLY", byday="SA", opens_at=datetime.time(9),
                            closes_at=datetime.time(12), wkst="Mo")
    Contact.objects.create(location=hall, name="Hall bookings")
    link(adults, office, entity="location", link_type="audience")

    now = timezone.now()
    debt_service = Service.objects.create(
        organization=advice, program=programme, name="Debt advice drop-in",
        description="Help with debts, arrears and bills.", url="https://advice.example.org/debt",
        email="debt@advice.example.org", minimum_age=18, maximum_age=120.5,
        eligibility_description="Adults in North Lincolnshire.", wait_time="About a week",
        assured_date=datetime.date(2025, 1, 10), assurer_email="officer@council.example.org",
        last_modified=now - datetime.timedelta(days=30), accepting_referrals=True,
        waiting_time_days=7)
    housing_service = Service.objects.create(
        organization=advice, name="Housing options", description="Facing eviction or rent arrears?",
        url="advice.example.org/housing", email="housing at advice",
        last_modified=now - datetime.timedelta(days=2),
        status=Service.Status.TEMPORARILY_CLOSED)
    walk = Service.objects.create(organization=walkers, name="Saturday walk",
                                  description="A friendly walk for all ages.",
                                  provision_type=Service.ProvisionType.COMMUNITY_GROUP)
    nameless = Service.objects.create(organization=placeholder, name="", needs_attention=True,
                                      attention_reasons=["The feed gave no name."])
    chat = Service.objects.create(organization=advice, name="Webchat money advice",
                                  description="Chat online with a debt adviser.")
    world.services = [debt_service, housing_service, walk, nameless, chat]

    world.services_at_locations = [
        ServiceAtLocation.objects.create(service=debt_service, location=office,
                                         description="Tuesdays and Thursdays"),
        ServiceAtLocation.objects.create(service=housing_service, location=office),
        ServiceAtLocation.objects.create(service=walk, location=hall),
        ServiceAtLocation.objects.create(service=chat, location=online),
    ]
    Schedule.objects.create(service_at_location=world.services_at_locations[0],
                            freq="WEEKLY", byday="TU,TH", opens_at=datetime.time(10),
                            closes_at=datetime.time(15, 30), description="Drop in")
    Phone.objects.create(service_at_location=world.services_at_locations[0],
                         number="01724 000003")
    Contact.objects.create(service_at_location=world.services_at_locations[0],
                           department="Debt team")

    Phone.objects.create(service=debt_service, number="0800 000 000",
                         description="Freephone")
    Schedule.objects.create(service=debt_service, freq="MONTHLY", byday="1MO",
                            valid_from=datetime.date(2025, 1, 1), dtstart=datetime.date(2025, 1, 6),
                            timezone=0, interval=1, count=12,
                            schedule_link="https://advice.example.org/times")
    ServiceArea.objects.create(service=debt_service, name="North Lincolnshire",
                               extent_type="postcode_district", extent="DN15,DN16,DN17")
    Language.objects.create(service=debt_service, name="Urdu", code="ur", note="By phone")
    Funding.objects.create(service=debt_service, source="Money and Pensions Service")
    CostOption.objects.create(service=debt_service, option="Free", currency="GBP",
                              amount=decimal.Decimal("0.00"), valid_from=datetime.date(2025, 1, 1))
    RequiredDocument.objects.create(service=debt_service, document="Recent bills",
                                    uri="https://advice.example.org/bring")
    Contact.objects.create(service=debt_service, name="Debt team", email="bad-email")

    link(debt, debt_service)
    link(money, chat)
    link(housing, housing_service)
    link(adults, debt_service, link_type="audience", value="18+")
    link(loose, walk)
    return world


def write_centroids(path) -> None:
    """A tiny ONS-Postcode-Directory-shaped CSV of ``CENTROIDS`` (plus a row with no grid
    reference, as ONSPD has)."""
    rows = ["pcd,pcds,lat,long,doterm"]
    rows += [f"{p.replace(' ', '')},{p},{lat},{lon}," for p, (lat, lon) in CENTROIDS.items()]
    rows.append("DN99 9ZZ,DN99 9ZZ,99.999999,0.000000,")
    path.write_text("\n".join(rows) + "\n")
