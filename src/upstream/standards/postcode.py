"""UK postcodes: validation and normalisation to the display form ``'SW1A 1AA'``."""

import re

# The UK Government Data Standards Catalogue pattern, plus GIR 0AA.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]([0-9ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW]) ?"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise(value: str) -> str:
    """Upper-case with one space before the inward code: ``'sw1a1aa'`` → ``'SW1A 1AA'``."""
    compact = re.sub(r"\s", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def is_valid(value: str) -> bool:
    return bool(_POSTCODE.match(normalise(value)))


def district(value: str) -> str:
    """The postcode district (outward code) of a valid postcode, ``'SW1A 1AA'`` → ``'SW1A'``;
    ``""`` for anything that is not a UK postcode."""
    return normalise(value).split(" ")[0] if is_valid(value) else ""
