"""Display logic for the audit log page."""

from dataclasses import dataclass

from upstream.service.audit.models import AuditEvent
from upstream.service.ui.format import date_time


@dataclass(frozen=True)
class EventRow:
    at: str
    who: str
    action: str
    record: str
    detail: str
    path: str


def event_rows(events) -> list[EventRow]:
    """Table rows for ``events``: local time, who, what, which record."""
    return [
        EventRow(
            at=date_time(event.at, seconds=True),
            who=event.actor_label or "(system)",
            action=event.get_action_display(),
            record=f"{event.record_type} {event.record_id}".strip(),
            detail=event.detail,
            path=event.path,
        )
        for event in events
    ]


def action_choices() -> list[tuple[str, str]]:
    return [("", "Any action"), *AuditEvent._meta.get_field("action").choices]


def action_items(chosen: str) -> list[dict]:
    """The NHS.UK select items for the action filter, with ``chosen`` selected."""
    return [{"value": value, "text": text, "selected": value == chosen}
            for value, text in action_choices()]
