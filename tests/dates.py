"""Posting NHS.UK three-field date inputs from tests."""

import datetime


def date_input(name: str, day: str | datetime.date) -> dict[str, str]:
    """The form data a browser posts for the date input ``name`` holding ``day``
    (``"2025-03-14"`` or a date): ``name[day]``, ``name[month]``, ``name[year]``."""
    day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
    return {f"{name}[day]": str(day.day), f"{name}[month]": str(day.month),
            f"{name}[year]": str(day.year)}


def contact_time(at: str | datetime.datetime) -> dict[str, str]:
    """The contact attempt form's date (``on``) and time (``time``) for ``at``
    (``"2025-03-14T09:30"`` or a datetime)."""
    at = datetime.datetime.fromisoformat(at) if isinstance(at, str) else at
    return {**date_input("on", at.date()), "time": f"{at:%H:%M}"}
