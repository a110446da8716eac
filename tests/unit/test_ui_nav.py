"""ui.nav: the header links each role sees (Triage before the caseload and the board for
staff) and the footer."""

import pytest

from upstream.service.accounts.models import Role, User
from upstream.service.ui.nav import footer_links, navigation


@pytest.fixture
def someone(db):
    """A user of each role, saved (the navigation counts their unread notifications)."""
    return lambda role: User.objects.create_user(f"user-{role}", role=role)


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.TEAM_LEAD])
def test_staff_see_triage_before_their_caseload_or_the_board(someone, role):
    texts = [i.text for i in navigation(someone(role))]
    after = "My caseload" if role == Role.LINK_WORKER else "Allocation"
    assert texts.index("Triage") < texts.index(after)


def test_the_current_page_is_marked_active(someone):
    items = navigation(someone(Role.LINK_WORKER), "/referrals/triage/")
    active = [i.text for i in items if i.active]
    assert active == ["Triage"]


def test_no_role_no_links():
    class Anonymous:
        role = ""

    assert navigation(Anonymous()) == []


def test_footer_links_to_the_human_pages():
    links = {i.text: i.href for i in footer_links()}
    assert links == {"Accessibility statement": "/accessibility", "Privacy notice": "/privacy",
                     "Help and contact": "/help", "Service status": "/status",
                     "Find support near you": "/find-support/"}
