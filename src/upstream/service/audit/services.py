"""Writing to the audit log. Call these from services and views; never write rows directly."""

from collections.abc import Iterable

from django.db import models

from upstream.service.audit.models import Action, AuditEvent

LISTED_DETAIL_LIMIT = 400


def record(request_or_user, action: str, obj: models.Model | None = None, *,
           record_type: str = "", record_id: str = "", detail: str = "",
           actor_label: str = "") -> AuditEvent:
    """Append one event. ``request_or_user`` is an HttpRequest, a User, or None (a system).

    ``obj`` names the record; or give ``record_type``/``record_id`` for something that is not a
    model instance. ``detail`` must not contain patient identifiers (use field names, codes).
    The event is chained to the one before it (``audit/chain.py``).
    """
    user = getattr(request_or_user, "user", request_or_user)
    path = getattr(request_or_user, "path", "")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        record_type = obj._meta.label_lower
        record_id = str(obj.pk)
    return AuditEvent.objects.create(
        user=user,
        actor_label=_clean(actor_label or (user.get_username() if user else ""), 160),
        action=action,
        record_type=_clean(record_type, 80),
        record_id=_clean(record_id, 40),
        detail=_clean(detail, 400),
        path=_clean(path, 300),
    )


def _clean(text: str, limit: int) -> str:
    """``text`` cut to the column's length, without NUL (PostgreSQL refuses it in text)."""
    return str(text).replace("\x00", "")[:limit]


def viewed(request, obj: models.Model) -> AuditEvent:
    """Record that the signed-in user viewed an identifiable record."""
    return record(request, Action.VIEW, obj)


def listed(request, page: str, people: Iterable[models.Model | int], *,
           record_id: str = "") -> AuditEvent:
    """Record that the signed-in user viewed a list page showing ``people``.

    ``page`` names the list (``referrals.triage_queue``); ``people`` are the Person records (or
    their ids) whose names or needs the page shows, in page order. The detail holds how many and
    their ids, as many as fit, e.g. ``3 people: 12,15,19`` or ``80 people: 1,2,...,55 (+25 more)``.
    ``record_id`` names whose list it is when that is not the user (a worker's caseload).
    """
    ids = list(dict.fromkeys(str(getattr(p, "pk", p)) for p in people))
    return record(request, Action.VIEW, record_type=page, record_id=record_id,
                  detail=_listed_detail(ids))


def _listed_detail(ids: list[str]) -> str:
    head = f"{len(ids)} {'person' if len(ids) == 1 else 'people'}"
    whole = f"{head}: {','.join(ids)}" if ids else head
    if len(whole) <= LISTED_DETAIL_LIMIT:
        return whole
    budget = LISTED_DETAIL_LIMIT - len(f"{head}:  (+{len(ids)} more)")
    shown: list[str] = []
    for person_id in ids:
        budget -= len(person_id) + (1 if shown else 0)
        if budget < 0:
            break
        shown.append(person_id)
    return f"{head}: {','.join(shown)} (+{len(ids) - len(shown)} more)"
