"""The header navigation for each role: the one place that decides which links a role sees.

Staff start their day with Today (everything due or overdue), then Triage (new referrals), then
the caseload and the allocation board."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from upstream.service.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    active: bool = False


_NAV: dict[str, list[tuple[str, str]]] = {
    Role.REFERRER: [("My referrals", "referrals:mine"), ("Refer someone", "referrals:new")],
    Role.LINK_WORKER: [
        ("Today", "schedules:today"),
        ("Triage", "referrals:triage"),
        ("My caseload", "engagement:caseload"),
        ("Outbox", "outreach:outbox"),
        ("Find a person", "people:search"),
        ("Find a service", "directory_search:find"),
    ],
    Role.TEAM_LEAD: [
        ("Today", "schedules:today"),
        ("Triage", "referrals:triage"),
        ("Allocation", "referrals:board"),
        ("Waiting list", "referrals:waiting"),
        ("Huddle", "engagement:huddle"),
        ("Outbox", "outreach:outbox"),
        ("Schedules", "schedules:index"),
        ("Find a person", "people:search"),
        ("Find a service", "directory_search:find"),
        ("Provision and gaps", "directory_search:provision"),
    ],
    Role.COMMISSIONER: [("Insights", "insights:dashboard"),
                        ("Provision and gaps", "directory_search:provision")],
    Role.ADMIN: [("Administration", "admin:index"), ("Audit log", "audit:events")],
    Role.VCSE_PARTNER: [("Referrals", "connect:partner_referrals"),
                        ("Your services", "connect:partner_services")],
}
_FOR_EVERYONE: list[tuple[str, str]] = [("Account security", "accounts:two_factor")]


def navigation(user, current_path: str = "") -> list[NavItem]:
    """Links for ``user``'s role, the one ``current_path`` is most closely under marked
    ``active``; a link whose page does not exist yet is left out."""
    role = getattr(user, "role", "")
    if role not in _NAV:
        return []
    links = []
    for text, name in [*_NAV[role], *_FOR_EVERYONE]:
        try:
            links.append((text, reverse(name)))
        except NoReverseMatch:
            continue
    # The longest link the path is under is the current one (/directory/provision/ is not
    # "Find a service" at /directory/).
    current = max((href for _, href in links if current_path and current_path.startswith(href)),
                  key=len, default=None)
    items = [NavItem(text, href, active=href == current) for text, href in links]
    if apps.is_installed("upstream.service.notifications"):
        items.append(_notifications(user, current_path))
    return items


def _notifications(user, current_path: str) -> NavItem:
    """The notifications link, its text carrying the user's unread count."""
    from upstream.service.notifications.presenters import nav_label
    from upstream.service.notifications.services import unread_count

    href = reverse("notifications:inbox")
    return NavItem(nav_label(unread_count(user)), href, active=current_path.startswith(href))


FOOTER: list[tuple[str, str]] = [
    ("Accessibility statement", "accessibility"),
    ("Privacy notice", "privacy"),
    ("Help and contact", "help"),
    ("Service status", "status"),
    ("Find support near you", "find_support:find"),
]
"""The footer links every page carries, signed in or not."""


def footer_links() -> list[NavItem]:
    """The footer's links."""
    return [NavItem(text, reverse(name)) for text, name in FOOTER]
