"""PostgreSQL: the service runs as a role that cannot rewrite the audit log.

Two roles, set up by ``upstream db-roles`` (and again by ``upstream migrate``, so tables added by
later migrations are granted too):

- the **owner** (``DATABASE_URL``) owns every table and runs migrations;
- the **runtime role** (default ``upstream_app``; the service connects as it through
  ``UPSTREAM_APP_DATABASE_URL``) is a plain login role: not a superuser, not the owner of any
  table, not a member of the owner, so it can neither drop the audit triggers nor set
  ``session_replication_role``. It may SELECT, INSERT, UPDATE and DELETE on every table except
  the audit log (SELECT and INSERT only, no TRUNCATE) and the migration history (SELECT only),
  and use the sequences.
"""

import re
import secrets
from dataclasses import dataclass

from django.db import connections

DEFAULT_ROLE = "upstream_app"
AUDIT_TABLE = "audit_auditevent"
READ_ONLY_TABLES = ("django_migrations",)
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class RoleSetupError(RuntimeError):
    """The runtime role cannot be set up as asked (the message says why)."""


@dataclass(frozen=True)
class RuntimeRole:
    name: str
    password: str | None  # set when this call chose or changed it
    created: bool


def set_up_runtime_role(name: str = DEFAULT_ROLE, password: str | None = None, *,
                        using: str = "default") -> RuntimeRole:
    """As the owner connection ``using``: create (or update) the runtime role and grant it
    exactly the privileges above. A new role without ``password`` gets a generated one.
    Idempotent: run it after every migration."""
    if not _ROLE_NAME.fullmatch(name):
        raise RoleSetupError(
            f"Role name {name!r} is not allowed: use lower-case letters, digits and underscores")
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleSetupError("Database roles apply to PostgreSQL only; this database is "
                             f"{connection.vendor}")
    role = f'"{name}"'
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        owner, _ = cursor.fetchone()
        if name == owner:
            raise RoleSetupError(
                f"The runtime role must differ from the owner that migrates ({owner})")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [name])
        found = cursor.fetchone()
        if found and found[0]:
            raise RoleSetupError(f"Role {name} is a superuser; the runtime role must not be")
        created = found is None
        if created:
            password = password or secrets.token_urlsafe(32)
            cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                           "NOINHERIT NOREPLICATION NOBYPASSRLS PASSWORD %s", [password])
        elif password:
            cursor.execute(f"ALTER ROLE {role} PASSWORD %s", [password])
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [AUDIT_TABLE])
        table_owner = cursor.fetchone()
        if table_owner is None:
            raise RoleSetupError("The audit table does not exist yet: run the migrations first")
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [name, table_owner[0]])
        if cursor.fetchone()[0]:
            raise RoleSetupError(
                f"Role {name} is the owner of the audit table or a member of its owner "
                f"({table_owner[0]}); the runtime role must not be")
        cursor.execute("SELECT current_database()")
        database = cursor.fetchone()[0].replace('"', '""')
        for sql in (
            f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"REVOKE UPDATE, DELETE ON {AUDIT_TABLE} FROM {role}",
            *(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {role}"
              for table in READ_ONLY_TABLES),
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ):
            cursor.execute(sql)
    return RuntimeRole(name=name, password=password, created=created)

