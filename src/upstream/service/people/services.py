"""Operations on people."""

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.people.models import Person
from upstream.standards import nhs_number


def find_or_create_person(details: dict, *, by=None, actor_label: str = "") -> tuple[Person, bool]:
    """Find the person by NHS number, or create them from ``details`` (Person field names).

    Returns ``(person, created)``. Without an NHS number a new person is always created: we do
    not guess identity from names. ``details`` must already be validated.
    """
    number = nhs_number.normalise(details.get("nhs_number") or "")
    if number:
        existing = Person.objects.filter(nhs_number=number).first()
        if existing is not None:
            return existing, False
    person = Person(**{**details, "nhs_number": number or None})
    person.full_clean()
    person.save()
    record(by, Action.CREATE, person, actor_label=actor_label)
    return person, True


def update_person(person: Person, changes: dict, *, by) -> list[str]:
    """Save validated ``changes`` (Person field names) to ``person``; return the names of the
    fields that changed. The audit row lists those names, never their values."""
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(person, name, changes[name])
    person.full_clean()
    person.save()
    record(by, Action.CHANGE, person, detail="fields:" + ",".join(sorted(changed)))
    return changed
