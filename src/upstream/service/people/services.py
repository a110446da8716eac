"""Operations on people."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.concurrency import StaleRecord, bump_version
from upstream.service.people.models import Person, SafetyFlag
from upstream.standards import nhs_number
from upstream.standards.names import same_family_name


@dataclass(frozen=True)
class PersonMatch:
    """The outcome of :func:`match_person`.

    ``person`` is the record the referral belongs to; ``created`` says it is new. ``conflict``
    is set on a partial match: a stored person has the typed NHS number but a different date of
    birth or family name. ``person`` is then a new record holding exactly what was typed, with
    no NHS number (the typed number is kept by the caller), and identity is to be confirmed.
    """

    person: Person
    created: bool
    conflict: Person | None = None


def _stored_with_number(details: dict) -> Person | None:
    number = nhs_number.normalise(details.get("nhs_number") or "")
    return Person.objects.filter(nhs_number=number).first() if number else None


def _agrees(stored: Person, details: dict) -> bool:
    return (stored.date_of_birth == details.get("date_of_birth")
            and same_family_name(stored.family_name, details.get("family_name", "")))


def identity_conflict(details: dict) -> Person | None:
    """The stored person holding the NHS number in ``details`` when their date of birth or
    family name disagree with ``details`` (what ``match_person`` would flag), else None.
    For callers that must refuse rather than create a record for a team lead to confirm."""
    stored = _stored_with_number(details)
    return stored if stored is not None and not _agrees(stored, details) else None


def match_person(details: dict, *, by=None, actor_label: str = "") -> PersonMatch:
    """Find the person described by ``details`` (validated Person field names), or create them.

    A stored person is matched only when NHS number, date of birth and family name all agree
    (family names compared by ``standards.names.same_family_name``), as a demographic trace
    does; we never link on one identifier and never guess identity from names alone. When the
    NHS number agrees but the date of birth or family name does not, a new record is made from
    what was typed, without the NHS number (which stays unique to the stored record), and
    returned with ``conflict`` set; see ADR 0005.
    """
    number = nhs_number.normalise(details.get("nhs_number") or "")
    existing = _stored_with_number(details)
    if existing is not None:
        if _agrees(existing, details):
            return PersonMatch(existing, created=False)
        number = ""
    person = Person(**{**details, "nhs_number": number or None})
    person.full_clean()
    person.save()
    record(by, Action.CREATE, person, actor_label=actor_label,
           detail="identity to confirm" if existing else "")
    return PersonMatch(person, created=True, conflict=existing)


def find_or_create_person(details: dict, *, by=None, actor_label: str = "") -> tuple[Person, bool]:
    """``(person, created)`` from :func:`match_person`, for callers that do not refer anyone
    (tests, demo data). Anything that receives a referral uses ``match_person`` so that a
    partial match is flagged for a person to confirm."""
    match = match_person(details, by=by, actor_label=actor_label)
    return match.person, match.created


class StalePerson(StaleRecord):
    """Someone else saved this person's details since the form was loaded: nothing was saved."""

    message = (
        "These details were changed by someone else while you were editing them, so your "
        "changes have not been saved. The form still shows what you entered; the fields that "
        "differ from the saved record say what is saved now. Check them, then save again."
    )


@transaction.atomic
def update_person(person: Person, changes: dict, *, by,
                  expected_version: int | None = None) -> list[str]:
    """Save validated ``changes`` (Person field names) to ``person``; return the names of the
    fields that changed. The audit row lists those names, never their values.

    ``expected_version`` is the version the user's form was built from: if someone has saved
    the person since, ``StalePerson`` is raised and nothing is saved (checked first, even when
    nothing would change). ``None`` means the caller holds no stale copy (a system action).
    Changes are compared with the stored record, not with ``person``, which may be older.
    """
    current = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and current.version != expected_version:
        raise StalePerson(person.pk, expected_version, current.version)
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, changes[name])
    current.full_clean()
    bump_version(current, expected_version, stale=StalePerson)
    current.save(update_fields=[*changed, "version", "updated_at"])
    for name in [*changed, "version", "updated_at"]:
        setattr(person, name, getattr(current, name))
    record(by, Action.CHANGE, current, detail="fields:" + ",".join(sorted(changed)))
    return changed


# --- Safety flags ------------------------------------------------------------------------------

def raise_flag(person: Person, *, kind: str, note: str, by) -> SafetyFlag:
    """Put a safety flag on ``person`` (audited; the note is kept on the flag, not the log)."""
    flag = SafetyFlag.objects.create(person=person, kind=kind, note=note.strip(), raised_by=by)
    record(by, Action.CREATE, flag, detail=f"kind={kind}")
    return flag


class FlagAlreadyResolved(ValueError):
    def __init__(self):
        super().__init__("This flag has already been resolved.")


def resolve_flag(flag: SafetyFlag, *, by, note: str = "") -> SafetyFlag:
    """Mark ``flag`` resolved by ``by`` now (one UPDATE, so it is resolved once); it stays on
    the record, listed as resolved. Raises ``FlagAlreadyResolved``."""
    now = timezone.now()
    changed = SafetyFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=by, resolution_note=note.strip()[:500])
    if changed != 1:
        raise FlagAlreadyResolved()
    record(by, Action.CHANGE, flag, detail="resolved")
    flag.refresh_from_db()
    return flag
