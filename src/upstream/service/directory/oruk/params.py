"""The API's query parameters, read and checked. A bad value raises ``BadParameter`` naming the
parameter; the view answers it with 400 and ``{"error": ..., "parameter": ...}``.

Parameters an endpoint does not use are ignored, as HTTP APIs usually do; a parameter it uses
that is given twice is an error (which one was meant?).
"""

import datetime
import math
import uuid
from dataclasses import dataclass

from django.utils import timezone

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH_LENGTH = 200
MAX_PROXIMITY_METRES = 200_000
"""Beyond about 200 km the flat-earth distance used for proximity is no longer accurate."""

TRUE_VALUES = ("true", "1", "yes")
FALSE_VALUES = ("false", "0", "no")


class BadParameter(ValueError):
    """A query parameter's value cannot be used; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


def _one(query, name: str) -> str | None:
    values = query.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise BadParameter(name, "given more than once; give it once")
    return values[0].strip()


def integer(query, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    """A whole number between ``minimum`` and ``maximum``; ``default`` when absent or empty."""
    text = _one(query, name)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise BadParameter(name, f"{text!r} is not a whole number") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
        raise BadParameter(name, f"must be {bound}, not {value}")
    return value


def identifier(query, name: str) -> uuid.UUID | None:
    """An HSDS identifier (a UUID), or None when absent or empty."""
    text = _one(query, name)
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise BadParameter(name, f"{text!r} is not an identifier (a UUID)") from None


def text(query, name: str, max_length: int = MAX_SEARCH_LENGTH) -> str:
    """Free text (empty when absent), at most ``max_length`` characters."""
    value = _one(query, name) or ""
    if len(value) > max_length:
        raise BadParameter(name, f"at most {max_length} characters, not {len(value)}")
    return value


def boolean(query, name: str) -> bool:
    """``true``/``false`` (also 1/0, yes/no); false when absent or empty."""
    value = (_one(query, name) or "").lower()
    if not value or value in FALSE_VALUES:
        return False
    if value in TRUE_VALUES:
        return True
    raise BadParameter(name, f"{value!r} is not true or false")


def date_time(query, name: str) -> datetime.datetime | None:
    """An ISO 8601 date (midnight, UK time) or date and time (UK time unless it gives a zone)."""
    value = _one(query, name)
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter(
            name, f"{value!r} is not a date or date and time (e.g. 2025-04-01 or "
                  "2025-04-01T09:30:00Z)") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def metres(query, name: str) -> float | None:
    """A positive distance in metres, at most ``MAX_PROXIMITY_METRES``."""
    value = _one(query, name)
    if not value:
        return None
    try:
        distance = float(value)
    except ValueError:
        raise BadParameter(name, f"{value!r} is not a distance in metres") from None
    if not math.isfinite(distance) or distance <= 0 or distance > MAX_PROXIMITY_METRES:
        raise BadParameter(name, f"must be more than 0 and at most {MAX_PROXIMITY_METRES} "
                                 f"metres, not {value}")
    return distance


def number(query, name: str, minimum: float = 0, maximum: float = 150) -> float | None:
    """A number between ``minimum`` and ``maximum`` (an age), or None when absent or empty."""
    value = _one(query, name)
    if not value:
        return None
    try:
        parsed = float(value)
    except ValueError:
        raise BadParameter(name, f"{value!r} is not a number") from None
    if not math.isfinite(parsed) or not minimum <= parsed <= maximum:
        raise BadParameter(name, f"must be from {minimum:g} to {maximum:g}, not {value}")
    return parsed


def time_of_day(query, name: str) -> datetime.time | None:
    """A time of day, ``HH:MM`` or ``HH:MM:SS``, or None when absent or empty."""
    value = _one(query, name)
    if not value:
        return None
    try:
        return datetime.time.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, f"{value!r} is not a time of day (e.g. 09:30)") from None


DAYS = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday",
        "SA": "saturday", "SU": "sunday"}
"""iCalendar day codes (as schedules' ``byday`` uses them) and the English day names."""


def weekday(query, name: str) -> str | None:
    """A day as its iCalendar code (``MO``): given as the code or the English name."""
    value = (_one(query, name) or "").lower()
    if not value:
        return None
    for code, day in DAYS.items():
        if value in (code.lower(), day, day[:3]):
            return code
    raise BadParameter(name, f"{value!r} is not a day (e.g. MO or Monday)")


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @classmethod
    def from_query(cls, query) -> "Paging":
        return cls(page=integer(query, "page", 1, 1),
                   per_page=integer(query, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def format_is_json(query) -> None:
    """HSDS's ``format``: only ``json`` (the default) is offered here."""
    value = (_one(query, "format") or "json").lower()
    if value != "json":
        raise BadParameter("format", f"only json is offered, not {value!r}")
