"""What a person's record allows: which messages may be sent to them, why not, and what the
sender should know first (an interpreter, accessible information needs).

The person model records one phone number, an email address, a postal address, the preferred
way to contact, whether texts and voicemails are allowed (yes, no or not asked yet), the
language and whether an interpreter is needed. A text needs a mobile number and must not have
been refused; "not asked yet" is shown so the worker can ask.
"""

import re

import phonenumbers

from upstream.service.outreach.models import MessageKind
from upstream.service.people.models import Permission, Person
from upstream.standards import phone

_DRAMA_MOBILE = re.compile(r"^\+447700900\d{3}$")
"""Ofcom's mobile numbers for drama (used by synthetic people): mobiles, though
libphonenumber does not count them as valid."""


def is_mobile(number: str) -> bool:
    """Whether ``number`` is a mobile number a text can go to (UK or abroad)."""
    if not number or phone.validation_error(number):
        return False
    parsed = phonenumbers.parse(number, phone.DEFAULT_REGION)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(parsed)
    return bool(_DRAMA_MOBILE.match(e164)) or kind in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def address_lines(person: Person) -> list[str]:
    """The postal address as Notify and the letter take it: the name first, then the address
    (split at line breaks and commas), the postcode last; at most 7 lines. Empty without both
    an address and a postcode."""
    parts = [p.strip() for p in re.split(r"[\n,]", person.address or "") if p.strip()]
    if not parts or not person.postcode:
        return []
    if len(parts) > 5:  # name + 5 lines + postcode = 7
        parts = [*parts[:4], ", ".join(parts[4:])]
    return [f"{person.given_name} {person.family_name}", *parts, person.postcode]


def refusal(kind: str, person: Person) -> str | None:
    """Why a ``kind`` message cannot be sent to ``person``, or ``None`` when it can."""
    name = person.given_name
    if person.date_of_death:
        return f"{name} has died, so no message can be sent."
    if kind == MessageKind.CALL_SCRIPT and not person.phone:
        return f"No call: there is no phone number on {name}'s record."
    if kind == MessageKind.SMS and not person.phone:
        return f"No text: there is no phone number on {name}'s record."
    if kind == MessageKind.SMS and person.texts_allowed == Permission.NO:
        return f"No text: {name} asked not to be sent text messages. Call or write instead."
    if kind == MessageKind.SMS and not is_mobile(person.phone):
        return (f"No text: {name}'s phone number ({person.phone}) is not a mobile number. "
                "Call instead, or add a mobile number to their details.")
    if kind == MessageKind.EMAIL and not person.email:
        return f"No email: there is no email address on {name}'s record."
    if kind == MessageKind.LETTER and not address_lines(person):
        return (f"No letter: {name}'s record has no postal address with a postcode. "
                "Add it to their details first.")
    return None


def recipient(kind: str, person: Person) -> str | list[str]:
    """Where a ``kind`` message goes: the phone number (texts and calls), the email address
    or the address lines."""
    if kind in (MessageKind.SMS, MessageKind.CALL_SCRIPT):
        return person.phone
    if kind == MessageKind.EMAIL:
        return person.email
    return address_lines(person)


CHANNEL_OF_KIND = {MessageKind.SMS: "sms", MessageKind.EMAIL: "email",
                   MessageKind.LETTER: "letter", MessageKind.CALL_SCRIPT: "phone"}
"""The contact channel (``people.ContactChannel``) each kind of message uses."""


def preference_note(kind: str, person: Person) -> str | None:
    """A reminder when ``kind`` is not the way the person prefers to be contacted."""
    if CHANNEL_OF_KIND[kind] == person.preferred_channel:
        return None
    return (f"{person.given_name} prefers: {person.get_preferred_channel_display().lower()}. "
            "Use another way only if that has not worked.")


def warnings(person: Person) -> list[str]:
    """What the sender should know before writing to ``person``."""
    found = []
    if person.interpreter_needed:
        found.append(f"{person.given_name} needs a {person.preferred_language} interpreter. A "
                     "message in English may not be understood: consider a call with an "
                     "interpreter instead.")
    if person.accessible_information_needs:
        found.append("Accessible information needs: "
                     f"{person.accessible_information_needs}.")
    return found


def contact_panel(person: Person) -> list[tuple[str, str]]:
    """The person's contact details and preferences as (label, value) rows, for the pages where
    a worker reaches out to them."""
    if person.phone:
        number = f"{person.phone} ({'mobile' if is_mobile(person.phone) else 'not a mobile'})"
    else:
        number = "Not recorded"
    if person.interpreter_needed:
        interpreter = f"Needed: {person.preferred_language}"
    else:
        interpreter = f"Not needed (speaks {person.preferred_language})"
    rows = [
        ("Phone", number),
        ("Preferred way to contact", person.get_preferred_channel_display()),
        ("Text messages", _texts(person)),
        ("Voicemail", {Permission.YES: "Can be left",
                       Permission.NO: "Do not leave a voicemail"}.get(
                           person.voicemail_allowed,
                           "Not asked yet: ask before leaving a message")),
        ("Email", person.email or "Not recorded"),
        ("Postal address", ", ".join(address_lines(person)[1:]) or "Not recorded"),
        ("Interpreter", interpreter),
    ]
    if person.accessible_information_needs:
        rows.append(("Accessible information", person.accessible_information_needs))
    return rows


def _texts(person: Person) -> str:
    if person.texts_allowed == Permission.NO:
        return "Do not send: the person asked not to be texted"
    if not is_mobile(person.phone):
        return "Cannot be sent: no mobile number"
    if person.texts_allowed == Permission.YES:
        return "Can be sent (mobile number, agreed)"
    return "Mobile number, not asked yet: ask before relying on texts"
