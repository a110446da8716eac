"""Search results in words: "Debt advice (“can't pay”) · 1.2 miles · open Tuesday 9:30 ·
accepting referrals · waiting about 2 weeks". Dates go through ``ui.format``, tags through
``ui.tags``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from upstream.service.directory.models import Service
from upstream.service.directory.search import Result, restriction, schedule_rules
from upstream.service.ui import format as fmt
from upstream.service.ui.tags import Tag, capacity_tag
from upstream.standards.opening_times import Opening, soonest
from upstream.standards.taxonomy import TERMS

STALE_AFTER_DAYS = 365
"""A record not verified for this long is flagged as possibly out of date."""


def _clock(moment: datetime.datetime) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def opening_text(opening: Opening | None, now: datetime.datetime) -> str:
    """"open now until 12:00", "opens today 14:00", "open Tuesday 9:30" (within a week),
    "next open 14 January 2027", or "opening times not given"."""
    if opening is None:
        return "opening times not given"
    if opening.is_open_at(now):
        return f"open now until {_clock(opening.ends)}"
    days = (opening.starts.date() - now.date()).days
    if days == 0:
        return f"opens today {_clock(opening.starts)}"
    if days == 1:
        return f"opens tomorrow {_clock(opening.starts)}"
    if days < 7:
        return f"open {opening.starts:%A} {_clock(opening.starts)}"
    return f"next open {fmt.long_date(opening.starts.date())}"


def capacity_text(service: Service) -> list[str]:
    """Whether it takes referrals and how long the wait is."""
    if service.accepting_referrals is None:
        return ["capacity not known"]
    if not service.accepting_referrals:
        return ["not accepting referrals"]
    days = service.waiting_time_days
    if days is None:
        return ["accepting referrals"]
    if days == 0:
        return ["accepting referrals", "no wait"]
    wait = fmt.plural(days, "day") if days < 14 else fmt.plural(round(days / 7), "week")
    return ["accepting referrals", f"waiting about {wait}"]


def verified_text(service: Service, today: datetime.date) -> str | None:
    """Said only when the record may be out of date."""
    if service.last_verified is None:
        return "never verified"
    if (today - service.last_verified).days > STALE_AFTER_DAYS:
        return f"last verified {fmt.long_date(service.last_verified)}"
    return None


def why(result: Result, now: datetime.datetime) -> list[str]:
    """The reasons a result is shown, most telling first."""
    parts: list[str] = []
    for term in result.terms[:2]:
        said = [p for p in result.phrases if p.lower() != term.label.lower()][:2]
        parts.append(term.label + (f" (“{'”, “'.join(said)}”)" if said else ""))
    if not result.terms and result.words:
        parts.append("mentions " + ", ".join(f"“{w}”" for w in result.words[:3]))
    if result.miles is not None:
        parts.append(f"{result.miles:.1f} miles")
    parts.append(opening_text(result.next_opening, now))
    parts.extend(capacity_text(result.service))
    parts.extend(r.lower() if r.endswith("only") else r for r in result.restrictions)
    stale = verified_text(result.service, now.date())
    if stale:
        parts.append(stale)
    return parts


@dataclass(frozen=True)
class ResultRow:
    """One result as a page shows it."""

    service_id: str
    name: str
    organization: str
    why: str
    capacity: Tag
    address: str


def rows(results: list[Result], now: datetime.datetime) -> list[ResultRow]:
    shown = []
    for result in results:
        service, location = result.service, result.location
        address = ""
        if location is not None:
            first = next(iter(location.addresses.all()), None)
            address = ", ".join(filter(None, [first.address_1, first.postal_code])) if first \
                else location.name
        shown.append(ResultRow(
            str(service.id), service.name or "(no name given)", service.organization.name,
            " · ".join(why(result, now)), capacity_tag(service.accepting_referrals), address))
    return shown


@dataclass(frozen=True)
class ServiceDetail:
    """One service's page: summary rows (label, value) and its locations."""

    name: str
    organization: str
    description: str
    capacity: Tag
    rows: list[tuple[str, str]]
    locations: list[tuple[str, str]]
    """(address, accessibility) per location."""
    stale: str | None


def _ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is None and high is None:
        return "Any age"
    if high is None:
        return f"{low:g} and over"
    return f"{low or 0:g} to {high:g}"


def _schedule_text(schedule) -> str:
    if schedule.description:
        return schedule.description
    days = ", ".join(filter(None, schedule.byday.split(",")))
    hours = (f"{schedule.opens_at:%H:%M} to {schedule.closes_at:%H:%M}"
             if schedule.opens_at and schedule.closes_at else "")
    return " ".join(filter(None, [schedule.freq.title(), days, hours])) or "Not given"


def detail(service: Service, attributes, now: datetime.datetime) -> ServiceDetail:
    """The service page's content (``attributes``: the service's HSDS attributes)."""
    needs = [a.taxonomy_term.name for a in attributes
             if not a.taxonomy_term.code.startswith(("sex:", "condition:"))]
    limits = [restriction(a.taxonomy_term) for a in attributes
              if a.taxonomy_term.code.startswith(("sex:", "condition:"))]
    themes = sorted({TERMS[TERMS[a.taxonomy_term.code].theme].label for a in attributes
                     if a.taxonomy_term.code in TERMS})
    schedules = list(service.schedules.all())
    costs = [f"{c.option}: £{c.amount:.2f}" if c.amount else (c.option or "Free")
             for c in service.cost_options.all()]
    rows = [
        ("Needs", ", ".join(needs) or "Not filed under any need"),
        ("Themes", ", ".join(themes) or "None"),
        ("Type of provision", service.get_provision_type_display()),
        ("Who it is for", "; ".join(filter(None, [service.eligibility_description, _ages(service),
                                                  *limits]))),
        ("Capacity", ", ".join(capacity_text(service))),
        ("Opening times", "; ".join(_schedule_text(s) for s in schedules) or "Not given"),
        ("Next open", opening_text(soonest(schedule_rules(schedules), now), now)),
        ("How to get help", service.application_process or "Not given"),
        ("Cost", "; ".join(costs) or service.fees_description or "Not given"),
        ("Languages", ", ".join(lang.name for lang in service.languages.all()) or "Not given"),
        ("Area served", ", ".join(a.name for a in service.service_areas.all()) or "Not given"),
        ("Phone", ", ".join(p.number for p in service.phones.all()) or "Not given"),
        ("Email", service.email or "Not given"),
        ("Website", service.url or "Not given"),
        ("Last verified", fmt.long_date(service.last_verified, empty="Never")),
    ]
    locations = []
    for sal in service.service_at_locations.all():
        location = sal.location
        address = next(iter(location.addresses.all()), None)
        text = ", ".join(filter(None, [location.name, address.address_1, address.city,
                                       address.postal_code])) if address else location.name
        access = "; ".join(a.description for a in location.accessibility.all())
        locations.append((text or "Address not given", access or "Not given"))
    return ServiceDetail(
        service.name or "(no name given)", service.organization.name, service.description,
        capacity_tag(service.accepting_referrals), rows, locations,
        verified_text(service, now.date()))
