"""The append-only audit log: who viewed or changed which record, and when.

Append-only is enforced twice: in Python (``save`` of an existing row, ``delete``, and the
queryset's ``update``/``delete``/``bulk_update`` raise) and, on PostgreSQL, by a database
trigger that rejects UPDATE and DELETE on the table (migration 0002), so not even raw SQL
can rewrite history.
"""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    TRANSITION = "transition", "Changed status"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"


class AppendOnly(PermissionError):
    """Raised on any attempt to change or remove an audit event."""

    def __init__(self):
        super().__init__("The audit log is append-only")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly()

    def delete(self):
        raise AppendOnly()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnly()

    def update_or_create(self, *args, **kwargs):
        raise AppendOnly()


class AuditEvent(models.Model):
    """One audited action. Rows are never updated or deleted.

    ``record_type`` and ``record_id`` name the record (e.g. ``people.person``, ``42``); the
    detail holds field names changed, never their values, so the log itself carries no patient
    identifiers beyond the record id.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(max_length=160, blank=True, help_text="API system or username")
    action = models.CharField(max_length=20, choices=Action.choices)
    record_type = models.CharField(max_length=80)
    record_id = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=400, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly()
