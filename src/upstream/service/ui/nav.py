"""The header navigation for each role: the one place that decides which links a role sees."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from upstream.service.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str


_NAV: dict[str, list[tuple[str, str]]] = {
    Role.REFERRER: [("My referrals", "referrals:mine"), ("Refer someone", "referrals:new")],
    Role.LINK_WORKER: [
        ("My caseload", "engagement:caseload"),
        ("Outbox", "outreach:outbox"),
        ("Triage", "referrals:triage"),
    ],
    Role.TEAM_LEAD: [
        ("Allocation", "referrals:board"),
        ("Waiting list", "referrals:waiting"),
        ("Huddle", "engagement:huddle"),
        ("Outbox", "outreach:outbox"),
        ("Triage", "referrals:triage"),
    ],
    Role.COMMISSIONER: [("Insights", "insights:dashboard")],
    Role.ADMIN: [("Administration", "admin:index"), ("Audit log", "audit:events")],
}
_FOR_EVERYONE: list[tuple[str, str]] = [("Account security", "accounts:two_factor")]


def navigation(user) -> list[NavItem]:
    """Links for ``user``'s role; a link whose page does not exist yet is left out."""
    role = getattr(user, "role", "")
    if role not in _NAV:
        return []
    items = []
    for text, name in [*_NAV[role], *_FOR_EVERYONE]:
        try:
            items.append(NavItem(text, reverse(name)))
        except NoReverseMatch:
            continue
    return items
