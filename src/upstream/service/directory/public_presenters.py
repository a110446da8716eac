"""The public pages' view of a service, in plain words (``public_text``): what it is, where,
how far, when it is open, what it costs, how to get in touch and whether it is taking new
people. The search, its ranking and the opening times come from ``search.py``; this module
only words them for the public, as ``search_presenters`` does for staff."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from upstream.service.directory import public_text as words
from upstream.service.directory.models import Service
from upstream.service.directory.search import Result, restriction, schedule_rules
from upstream.service.directory.search_presenters import STALE_AFTER_DAYS
from upstream.service.ui import format as fmt
from upstream.service.ui.tags import Tag, capacity_tag
from upstream.standards.opening_times import Opening, soonest
from upstream.standards.taxonomy import TERMS

SUMMARY_LENGTH = 240
"""A result shows this many characters of the service's description at most."""
LEAFLET_LENGTH = 1500
"""The leaflet shows this many, so that it fits on one page."""


def shortened(text: str, most: int) -> str:
    """``text`` cut at the last word before ``most`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


@dataclass(frozen=True)
class Contact:
    label: str
    text: str
    href: str


@dataclass(frozen=True)
class Card:
    """One service as the public pages show it: in a list of results, on its own page and on
    its leaflet (``rows`` are (label, text) pairs in reading order)."""

    service_id: str
    name: str
    organization: str
    description: str
    new_people: Tag
    rows: list[tuple[str, str]]
    contacts: list[Contact]
    stale: bool = False
    details: list[tuple[str, str]] = field(default_factory=list)
    """The service page's further rows (who it is for, opening times, languages...)."""


def _clock(moment: datetime.datetime | datetime.time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def opening(next_opening: Opening | None, now: datetime.datetime) -> str:
    """When it is next open, in words."""
    if next_opening is None:
        return words.OPENING_NOT_KNOWN
    if next_opening.is_open_at(now):
        return words.OPEN_NOW.format(time=_clock(next_opening.ends))
    days = (next_opening.starts.date() - now.date()).days
    time = _clock(next_opening.starts)
    if days == 0:
        return words.OPENS_TODAY.format(time=time)
    if days < 7:
        return words.OPENS_ON_DAY.format(day=f"{next_opening.starts:%A}", time=time)
    return words.OPENS_ON_DATE.format(date=fmt.long_date(next_opening.starts.date()))


def new_people(service: Service) -> Tag:
    """Whether the service is taking new people (and the wait), as an NHS.UK tag."""
    days = service.waiting_time_days
    taking = words.TAKING_NEW_PEOPLE
    if days:
        wait = fmt.plural(days, "day") if days < 14 else fmt.plural(round(days / 7), "week")
        taking = words.TAKING_NEW_PEOPLE_WAIT.format(wait=wait)
    return capacity_tag(service.accepting_referrals,
                        (words.NEW_PEOPLE_NOT_KNOWN, words.NOT_TAKING_NEW_PEOPLE, taking))


def distance(miles: float | None) -> str | None:
    if miles is None:
        return None
    return words.LESS_THAN_A_MILE if miles < 1 else words.MILES_AWAY.format(miles=f"{miles:.1f}")


def cost(service: Service) -> str:
    """The price options, the fees text, or "ask them"."""
    options = [f"{c.option}: £{c.amount:.2f}".lstrip(": ") if c.amount
               else (c.option or words.COST_FREE) for c in service.cost_options.all()]
    return "; ".join(options) or service.fees_description or words.COST_NOT_KNOWN


def address(location) -> str:
    if location is None:
        return words.NO_ADDRESS
    first = next(iter(location.addresses.all()), None)
    parts = [location.name] + ([first.address_1, first.city, first.postal_code] if first else [])
    return ", ".join(dict.fromkeys(p for p in parts if p)) or words.NO_ADDRESS


def contacts(service: Service) -> list[Contact]:
    """Phone numbers, email and website, each with a link."""
    found = [Contact(words.PHONE, p.number, "tel:" + "".join(c for c in p.number
                                                               if c.isdigit() or c == "+"))
             for p in service.phones.all() if p.number]
    if service.email:
        found.append(Contact(words.EMAIL, service.email, f"mailto:{service.email}"))
    if service.url.startswith(("https://", "http://")):
        found.append(Contact(words.WEBSITE, service.url, service.url))
    return found


def helps_with(codes: list[str]) -> str:
    """The themes of need a service is filed under, in the public pages' words."""
    themes = dict.fromkeys(TERMS[c].theme for c in codes if c in TERMS)
    return ", ".join(words.NEED_LABELS[t] for t in themes)


def _stale(service: Service, today: datetime.date) -> bool:
    return (service.last_verified is None
            or (today - service.last_verified).days > STALE_AFTER_DAYS)


def _rows(service, codes, where, miles, next_opening, now) -> list[tuple[str, str]]:
    rows = [(words.HELPS_WITH, helps_with(codes)), (words.WHERE, where),
            (words.HOW_FAR, distance(miles)), (words.WHEN_OPEN, opening(next_opening, now)),
            (words.COST, cost(service))]
    return [(label, text) for label, text in rows if text]


def card(result: Result, codes: list[str], now: datetime.datetime) -> Card:
    """A search result as a card (``codes``: the taxonomy codes the service is filed under;
    the description shortened)."""
    service = result.service
    return Card(str(service.id), service.name or service.organization.name,
                service.organization.name, shortened(service.description, SUMMARY_LENGTH),
                new_people(service),
                _rows(service, codes, address(result.location), result.miles,
                      result.next_opening, now),
                contacts(service), _stale(service, now.date()))


def _ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is None and high is None:
        return words.ANY_AGE
    if high is None:
        return words.AGES_FROM.format(low=f"{low:g}")
    if not low:
        return words.AGES_UP_TO.format(high=f"{high:g}")
    return words.AGES_BETWEEN.format(low=f"{low:g}", high=f"{high:g}")


def schedule_text(schedule) -> str:
    """One HSDS schedule in words for the public: its description, else "Every Tuesday, 9:30am
    to 12pm"."""
    if schedule.description:
        return schedule.description
    days = [words.DAY_NAMES[d] for d in schedule.byday.split(",") if d in words.DAY_NAMES]
    hours = (words.FROM_TO.format(opens=_clock(schedule.opens_at),
                                  closes=_clock(schedule.closes_at))
             if schedule.opens_at and schedule.closes_at else "")
    return " ".join(filter(None, [words.EVERY.format(days=", ".join(days)) if days else "",
                                  hours]))


def page(service: Service, attributes, now: datetime.datetime) -> Card:
    """A service's own page (and leaflet): the card's rows and the details."""
    codes = [a.taxonomy_term.code for a in attributes]
    limits = [restriction(a.taxonomy_term) for a in attributes
              if a.taxonomy_term.code.startswith(("sex:", "condition:"))]
    schedules = list(service.schedules.all())
    locations = [sal.location for sal in service.service_at_locations.all()]
    for sal in service.service_at_locations.all():
        schedules += list(sal.schedules.all())
    next_opening = soonest(schedule_rules(schedules), now)
    access = [a.description for loc in locations for a in loc.accessibility.all()
              if a.description]
    details = [
        (words.WHO_FOR, "; ".join(filter(None, [service.eligibility_description,
                                               _ages(service), *limits]))),
        (words.OPENING_TIMES, "; ".join(filter(None, map(schedule_text, schedules)))),
        (words.HOW_TO_START, service.application_process),
        (words.LANGUAGES, ", ".join(lang.name for lang in service.languages.all() if lang.name)),
        (words.ACCESS, "; ".join(dict.fromkeys(access))),
        (words.CHECKED, fmt.long_date(service.last_verified, empty=words.NOT_CHECKED)),
    ]
    where = "; ".join(address(loc) for loc in locations) or words.NO_ADDRESS
    rows = _rows(service, codes, where, None, next_opening, now)
    return Card(str(service.id), service.name or service.organization.name,
                service.organization.name, service.description,
                new_people(service), rows, contacts(service), _stale(service, now.date()),
                [(label, text) for label, text in details if text])
