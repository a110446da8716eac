"""The database-level guards that make the audit table append-only, in one place.

Migration 0003 installs them; ``suspended`` lifts them for the one legitimate case where the
table owner empties the whole database: the test runner's flush between transactional tests.
Only the table's owner can do this (dropping or disabling a trigger needs ownership); the
service's runtime role on PostgreSQL cannot (``roles.py``), and on SQLite anyone who can write
the file could anyway, which is why the hash chain exists.
"""

from contextlib import contextmanager

SQLITE_GUARD = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: DELETE is not allowed'); END""",
]
SQLITE_UNGUARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
# Beside migration 0002's row trigger ``audit_event_append_only`` (UPDATE, DELETE).
POSTGRES_GUARD = [
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]
POSTGRES_UNGUARD = ["DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent"]

GUARD = {"sqlite": SQLITE_GUARD, "postgresql": POSTGRES_GUARD}
UNGUARD = {"sqlite": SQLITE_UNGUARD, "postgresql": POSTGRES_UNGUARD}


@contextmanager
def suspended(connection):
    """Lift the audit table's triggers for the block, as its owner; restore them after."""
    vendor = connection.vendor
    if vendor == "postgresql":
        # ALTER TABLE refuses while deferred checks (foreign keys) of this transaction are
        # pending: run them first.
        off = ["SET CONSTRAINTS ALL IMMEDIATE",
               "ALTER TABLE audit_auditevent DISABLE TRIGGER USER"]
        on = ["SET CONSTRAINTS ALL IMMEDIATE", "ALTER TABLE audit_auditevent ENABLE TRIGGER USER",
              "SET CONSTRAINTS ALL DEFERRED"]
    else:
        off, on = UNGUARD.get(vendor, []), GUARD.get(vendor, [])
    with connection.cursor() as cursor:
        for sql in off:
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in on:
                cursor.execute(sql)
