"""The audit hash chain: the canonical form of an event, appending, and verifying.

Each event's ``hash`` is SHA-256 over the canonical JSON of its fields and ``previous_hash``
(``canonical``), so changing any field of any event, or removing an event from the middle of
the log, breaks the chain at that point. The canonical form is a published fact: changing it
needs a new ``"v"`` and a migration that re-chains nothing (old events keep their version).

Canonical form, version 1: a JSON object with sorted keys, no spaces, ASCII only, holding
``v`` (1), ``at`` (UTC, ISO 8601 with microseconds, e.g. ``2026-03-01T09:30:00.000000+00:00``),
``user_id`` (integer or null), ``actor_label``, ``action``, ``record_type``, ``record_id``,
``detail``, ``path`` (strings exactly as stored) and ``previous_hash``. The row id is not
hashed: the chain itself fixes the order, and ids may have gaps (rolled-back inserts).

The first event chains to ``GENESIS`` (64 zeros). Removing events from the end of the log
cannot be seen from the log alone; ``verify`` prints the head hash so that it can be kept
elsewhere (a ticket, a signed report) and compared later.
"""

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections, router, transaction

GENESIS = "0" * 64
CANONICAL_VERSION = 1
# Key for pg_advisory_xact_lock: any constant shared by every writer of the audit log.
_POSTGRES_LOCK_KEY = 0x55_70_41_75  # "UpAu"


def canonical(*, at: datetime.datetime, user_id: int | None, actor_label: str, action: str,
              record_type: str, record_id: str, detail: str, path: str,
              previous_hash: str) -> bytes:
    """The bytes hashed for one event (version 1, see the module docstring)."""
    return json.dumps({
        "v": CANONICAL_VERSION,
        "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "user_id": user_id,
        "actor_label": actor_label,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "detail": detail,
        "path": path,
        "previous_hash": previous_hash,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def event_hash(event) -> str:
    """SHA-256 (hex) of ``event``'s canonical form; ``event`` is any object with the fields."""
    return hashlib.sha256(canonical(
        at=event.at, user_id=event.user_id, actor_label=event.actor_label,
        action=event.action, record_type=event.record_type, record_id=event.record_id,
        detail=event.detail, path=event.path, previous_hash=event.previous_hash,
    )).hexdigest()


def append(event, insert: Callable[[], None]) -> None:
    """Chain ``event`` to the current head and ``insert`` it, in one transaction.

    Writers are serialised so that two never chain to the same predecessor: on PostgreSQL by a
    transaction-level advisory lock; on SQLite by the database's single writer (the insert
    needs the write lock, and a writer whose snapshot is stale is refused rather than let
    through). The unique constraint on ``previous_hash`` refuses a fork in any case.
    """
    model = type(event)
    alias = router.db_for_write(model)
    with transaction.atomic(using=alias):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK_KEY])
        head = (model._base_manager.using(alias).order_by("-id")
                .values_list("hash", flat=True).first())
        event.previous_hash = head or GENESIS
        event.hash = event_hash(event)
        insert()


@dataclass(frozen=True)
class Break:
    """Where the chain is broken: the first event that does not check out, and why."""

    event_id: int
    at: datetime.datetime
    what: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    head: str
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(events: Iterable, on_progress: Callable[[int], None] | None = None) -> Verdict:
    """Walk ``events`` (oldest first) and return the first break in the chain, if any.

    An event is *altered* when its stored hash is not the hash of its stored fields. An event
    whose own hash checks out but whose ``previous_hash`` is not the hash of the event before it
    follows a gap: events between them were removed, or the one before was rewritten together
    with its hash.
    """
    expected_previous, previous_id, checked = GENESIS, None, 0
    for event in events:
        if event.hash != event_hash(event):
            return Verdict(checked, expected_previous, Break(
                event.id, event.at,
                "altered: its fields no longer match its hash"))
        if event.previous_hash != expected_previous:
            after = f"event {previous_id}" if previous_id is not None else "the start of the log"
            return Verdict(checked, expected_previous, Break(
                event.id, event.at,
                f"does not follow {after}: an event between them is missing, "
                f"or {after} was rewritten"))
        expected_previous, previous_id = event.hash, event.id
        checked += 1
        if on_progress is not None:
            on_progress(1)
    return Verdict(checked, expected_previous)


def verify_log(on_progress: Callable[[int], None] | None = None) -> Verdict:
    """``verify`` over the whole audit log in the database, in id order, streamed."""
    from upstream.service.audit.models import AuditEvent

    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    return verify(events, on_progress)
