"""How notifications read on the page."""

from dataclasses import dataclass

from upstream.service.ui.format import date_time


@dataclass(frozen=True)
class NotificationRow:
    id: int
    text: str
    link: str
    kind: str
    at: str
    unread: bool


def notification_rows(notifications) -> list[NotificationRow]:
    return [NotificationRow(n.pk, n.text, n.link, n.get_kind_display(), date_time(n.created_at),
                            n.read_at is None) for n in notifications]


def nav_label(unread: int) -> str:
    """The header link's text: ``Notifications (2 unread)``, or just ``Notifications``."""
    return f"Notifications ({unread} unread)" if unread else "Notifications"
