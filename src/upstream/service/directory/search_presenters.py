"""Search results in words: "Debt advice (“can't pay”) · 1.2 miles · open Tuesday 9:30 ·
accepting referrals · waiting about 2 weeks". Dates go through ``ui.format``, tags through
``ui.tags``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from upstream.service.directory.models import Service
from upstream.service.directory.search import Result
from upstream.service.ui import format as fmt
from upstream.service.ui.tags import Tag, capacity_tag
from upstream.standards.opening_times import Opening

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
