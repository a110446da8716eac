"""Writing to the audit log. Call these from services and views; never write rows directly."""

from django.db import models

from upstream.service.audit.models import Action, AuditEvent


def record(request_or_user, action: str, obj: models.Model | None = None, *,
           record_type: str = "", record_id: str = "", detail: str = "",
           actor_label: str = "") -> AuditEvent:
    """Append one event. ``request_or_user`` is an HttpRequest, a User, or None (a system).

    ``obj`` names the record; or give ``record_type``/``record_id`` for something that is not a
    model instance. ``detail`` must not contain patient identifiers (use field names, codes).
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
        actor_label=actor_label or (user.get_username() if user else ""),
        action=action,
        record_type=record_type,
        record_id=record_id,
        detail=detail[:400],
        path=path[:300],
    )


def viewed(request, obj: models.Model) -> AuditEvent:
    """Record that the signed-in user viewed an identifiable record."""
    return record(request, Action.VIEW, obj)
