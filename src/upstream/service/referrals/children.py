"""The rule for referring a child: who counts as a child, and what their referral must hold.

One rule for the referral form and the API (``missing_child_details``), so a child cannot be
referred without parent or carer details, the safeguarding question and who consented.
"""

from datetime import date

ADULT_AGE = 18

CHILD_FIELDS = (
    "parent_carer_name", "parent_carer_relationship", "parent_carer_phone",
    "parental_responsibility", "safeguarding_concerns", "safeguarding_details", "consent_by",
)
"""The Referral fields that hold a child's parent or carer, safeguarding and consent."""

_REQUIRED = {
    "parent_carer_name": "Enter the parent or carer's name",
    "parent_carer_relationship": "Enter the parent or carer's relationship to the child",
    "parent_carer_phone": "Enter the parent or carer's phone number",
    "parental_responsibility": "Select whether the parent or carer has parental responsibility",
    "safeguarding_concerns": "Select whether there are any safeguarding concerns",
    "consent_by": "Select who agreed to the referral",
}


def is_child(date_of_birth: date | None, on: date) -> bool:
    """Under ``ADULT_AGE`` on the day ``on`` (the day of referral)."""
    if date_of_birth is None:
        return False
    age = on.year - date_of_birth.year - (
        (on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    return age < ADULT_AGE


def missing_child_details(values: dict) -> dict[str, str]:
    """For a child's referral: each field of ``CHILD_FIELDS`` left out, with the message that
    names it. Empty text and ``None`` count as left out; ``False`` is an answer. Safeguarding
    details are needed when concerns were answered yes."""
    missing = {}
    for name, message in _REQUIRED.items():
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing[name] = message
    if values.get("safeguarding_concerns") is True and not (
            values.get("safeguarding_details") or "").strip():
        missing["safeguarding_details"] = "Enter the safeguarding concerns"
    return missing
