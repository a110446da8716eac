"""The hash chain, a refused-attempt action, and append-only guards on both databases.

1. ``previous_hash`` and ``hash`` are added and every existing event is chained, oldest first
   (``audit/chain.py`` holds the canonical form). On PostgreSQL the append-only trigger is
   disabled for that one pass, inside this migration's transaction.
2. A unique constraint on ``previous_hash`` makes a fork in the chain impossible.
3. SQLite gets BEFORE UPDATE and BEFORE DELETE triggers that abort; PostgreSQL gets a BEFORE
   TRUNCATE trigger beside migration 0002's UPDATE/DELETE trigger. (The runtime role's missing
   privileges are the main guard on PostgreSQL: ``upstream db-roles``.)
"""

import django.utils.timezone
from django.db import migrations, models

from upstream.service.audit.guard import GUARD, UNGUARD


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


def chain_existing_events(apps, schema_editor):
    from upstream.service.audit.chain import GENESIS, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    alias = schema_editor.connection.alias
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only", params=None)
    previous = GENESIS
    for event in AuditEvent.objects.using(alias).order_by("id").iterator(chunk_size=2000):
        event.previous_hash = previous
        event.hash = event_hash(event)
        AuditEvent.objects.using(alias).filter(pk=event.pk).update(
            previous_hash=event.previous_hash, hash=event.hash)
        previous = event.hash
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only", params=None)


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(choices=[
                ("view", "Viewed"), ("create", "Created"), ("change", "Changed"),
                ("transition", "Changed status"), ("export", "Exported"),
                ("login", "Signed in"), ("login_failed", "Sign-in failed"),
                ("refused", "Refused")], max_length=20),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=["previous_hash"],
                                               name="audit_chain_no_fork"),
        ),
        migrations.RunPython(
            _run(GUARD), _run(UNGUARD),
        ),
    ]
