"""The identifier policy (ADR 0013): the HSDS ``id`` a directory record is published under.

A record keeps its feed's identifier when that identifier is a UUID (HSDS 3.0 requires UUIDs,
so an HSDS feed's ids survive the round trip). Otherwise, e.g. a legacy feed's numeric ids, the
id is a UUID5 of the feed's name, the HSDS table and the original id: the same on every re-import,
on every machine, and different for the same original id in another feed or table.
"""

import uuid

#: Fixed namespace for derived identifiers. Never change it: every published id depends on it.
DIRECTORY_NAMESPACE = uuid.UUID("6f6e8f3e-1d0b-5c2a-9a57-0e6b1f0c4d13")


def derived_id(feed_name: str, table: str, original_id: str) -> uuid.UUID:
    """The stable UUID5 for ``original_id`` of ``table`` in the feed named ``feed_name``."""
    return uuid.uuid5(DIRECTORY_NAMESPACE, f"{feed_name}/{table}/{original_id}")


def record_id(feed_name: str, table: str, original_id: str) -> uuid.UUID:
    """The feed's own UUID when ``original_id`` is one, else ``derived_id``."""
    try:
        return uuid.UUID(str(original_id).strip())
    except ValueError:
        return derived_id(feed_name, table, original_id)
