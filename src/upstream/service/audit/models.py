"""The append-only, hash-chained audit log: who viewed or changed which record, and when.

Append-only is enforced in three layers (ADR 0002):

- in Python: ``save`` of an existing row, ``delete``, and the queryset's ``update``/``delete``/
  ``bulk_update``/``bulk_create`` raise ``AppendOnly``;
- in the database: triggers reject UPDATE and DELETE on SQLite and UPDATE, DELETE and TRUNCATE
  on PostgreSQL (migrations 0002 and 0003);
- on PostgreSQL the service runs as a role that may only SELECT and INSERT on this table
  (``upstream db-roles``, ``audit/roles.py``).

Tamper evidence: each event stores ``previous_hash`` (the ``hash`` of the event before it, by
id) and ``hash``, SHA-256 over a canonical form of its own fields and ``previous_hash``
(``audit/chain.py``). ``upstream audit verify`` walks the chain and names the first altered or
missing event. Events are chained as they are inserted, under a lock, so two writers never
chain to the same predecessor; a unique constraint on ``previous_hash`` makes a fork impossible
even if the lock were bypassed.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    TRANSITION = "transition", "Changed status"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    REFUSED = "refused", "Refused"


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

    def bulk_create(self, objs, *args, **kwargs):
        # Each event must be chained to the one before it as it is inserted: one at a time.
        raise AppendOnly()

    def update_or_create(self, *args, **kwargs):
        raise AppendOnly()


class AuditEvent(models.Model):
    """One audited action. Rows are never updated or deleted.

    ``record_type`` and ``record_id`` name the record (e.g. ``people.person``, ``42``), or a
    list page (``referrals.triage_queue``) whose detail lists the ids shown; the detail holds
    field names changed, never their values, so the log itself carries no patient identifiers
    beyond record ids.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(max_length=160, blank=True, help_text="API system or username")
    action = models.CharField(max_length=20, choices=Action.choices)
    record_type = models.CharField(max_length=80)
    record_id = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=400, blank=True)
    path = models.CharField(max_length=300, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]
        constraints = [
            models.UniqueConstraint(fields=["previous_hash"], name="audit_chain_no_fork"),
        ]

    def save(self, *args, **kwargs):
        """Insert this event at the head of the chain; an existing event cannot be saved."""
        if self.pk is not None:
            raise AppendOnly()
        from upstream.service.audit.chain import append

        append(self, lambda: super(AuditEvent, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise AppendOnly()
