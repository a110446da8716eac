"""A tour of the demo world in the browser: each role's start pages, full of realistic data,
pass axe; and the caseload screenshot for the docs.

The screenshot goes to a temporary folder unless ``UPSTREAM_SCREENSHOTS`` names a folder, e.g.
``UPSTREAM_SCREENSHOTS=docs/screenshots pytest tests/system/test_demo_tour.py`` refreshes
``docs/screenshots/caseload.png``.
"""

import os
from pathlib import Path

import pytest

from tests.system.conftest import LAPTOP
from upstream.service.demo.world import DEMO_PASSWORD, build_demo_world

TOUR = {
    "helen.marsh": ["/referrals/mine/", "/referrals/new/"],
    "rachel.adeyemi": ["/referrals/board/", "/referrals/waiting/", "/referrals/triage/",
                       "/engagement/huddle/", "/insights/"],
    "grace.owusu": ["/referrals/board/", "/referrals/waiting/"],
    "claire.dunn": ["/insights/"],
    "jo.partner": ["/connect/partner/", "/connect/partner/services/"],
}


@pytest.fixture
def demo_world(transactional_db):
    return {login.username: login for login in build_demo_world(seed=2026)}


def test_demo_world_pages_pass_axe_and_caseload_screenshot(visit, demo_world, tmp_path):
    worker = visit("link worker", LAPTOP)
    worker.sign_in("amara.okafor", DEMO_PASSWORD)
    assert worker.heading() == "My caseload"
    rows = worker.page.locator("main table tbody tr")
    assert rows.count() >= 5, "the demo link worker has a real caseload"
    folder = Path(os.environ.get("UPSTREAM_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    worker.page.screenshot(path=str(folder / "caseload.png"), full_page=True)
    assert (folder / "caseload.png").stat().st_size > 10_000

    worker.click(rows.first.get_by_role("link").first)
    for username, paths in TOUR.items():
        assert username in demo_world
        visitor = visit(username, LAPTOP)
        visitor.sign_in(username, DEMO_PASSWORD)
        for path in paths:
            visitor.goto(path)
