"""Merge fields in message templates, written as GOV.UK Notify writes them: ``((given_name))``.

The same text can be merged here (what Upstream shows and stores) or handed to Notify as
personalisation. ``FIELDS`` is the one list of fields a template may use; ``unknown_fields``
names any other so the form can refuse it.
"""

import re
from collections.abc import Mapping

FIELD = re.compile(r"\(\(\s*([^()]*?)\s*\)\)")
"""A merge field: two opening brackets, the name, two closing brackets (Notify's syntax)."""

FIELDS: dict[str, str] = {
    "given_name": "the person's first name",
    "family_name": "the person's last name",
    "worker_name": "your name (the person sending)",
    "team_name": "the team's name",
    "team_phone": "the team's phone number",
    "team_email": "the team's email address",
    "today": "today's date",
    "appointment_date": "a date you give when you send the message",
}
"""Every merge field a template may use, with what it is filled with."""

ASKED_WHEN_SENDING = frozenset({"appointment_date"})
"""Fields the worker types in when sending, because the record does not hold them."""

SAMPLE = {
    "given_name": "Sam",
    "family_name": "Taylor",
    "worker_name": "Alex Morgan",
    "team_name": "Social prescribing team",
    "team_phone": "0116 496 0000",
    "team_email": "team@example.nhs.uk",
    "today": "4 March 2026",
    "appointment_date": "Tuesday 10 March 2026",
}
"""Sample values: for a preview without a person, and for measuring the reading age."""


def fields_in(*texts: str) -> list[str]:
    """The merge field names used in ``texts``, in order of first use."""
    found: list[str] = []
    for text in texts:
        for name in FIELD.findall(text or ""):
            if name not in found:
                found.append(name)
    return found


def unknown_fields(*texts: str) -> list[str]:
    """Merge field names in ``texts`` that are not in ``FIELDS``."""
    return [name for name in fields_in(*texts) if name not in FIELDS]


def merge(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``((field))`` replaced by its value. A field without a value raises
    ``KeyError`` naming it: a message is never sent with a field left empty."""
    return FIELD.sub(lambda match: values[match.group(1)], text or "")
