"""Telephone numbers: validation and normalisation with ``phonenumbers`` (Google's
libphonenumber metadata), UK by default.

Stored form (one form, so a number compares and displays the same wherever it came from):
UK numbers in national format, ``'07700 900123'``; other countries' numbers in international
format, ``'+353 85 123 4567'``. Both parse back unambiguously with the default region GB.

Ofcom reserves some ranges for drama (07700 900000 to 900999, 01632 960000 to 960999); no real
person has them, so the synthetic people of the demo and the tests use them. libphonenumber does
not count them as valid numbers; they are accepted here as the only exception.
"""

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat

DEFAULT_REGION = "GB"

_DRAMA = re.compile(r"^\+44(7700900|1632960)\d{3}$")
"""Ofcom's numbers for drama (E.164), allowed for synthetic people."""

_TYPED = re.compile(r"^\+?[\d\s().-]+$")
"""What a phone number may be typed with: digits, spaces, brackets, dots, hyphens, one leading
plus. ``phonenumbers`` skips letters and other leading text, so it is checked here first."""

PROBLEM = ("Phone number must be a UK number, like 07700 900123, or start with + and the "
           "country code")


def _parse(typed: str) -> phonenumbers.PhoneNumber | None:
    if not _TYPED.match(typed.strip()):
        return None
    try:
        number = phonenumbers.parse(typed, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number) or _DRAMA.match(e164):
        return number
    return None


def validation_error(typed: str) -> str | None:
    """Why ``typed`` is not a phone number, or ``None`` when it is one."""
    return None if _parse(typed) else PROBLEM


def normalise(typed: str) -> str:
    """The stored form of a valid number (see the module docstring). Raises ``ValueError`` for
    anything :func:`validation_error` refuses."""
    number = _parse(typed)
    if number is None:
        raise ValueError(PROBLEM)
    uk = number.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION)
    return phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if uk else PhoneNumberFormat.INTERNATIONAL
    )
