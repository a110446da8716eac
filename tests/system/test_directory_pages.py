"""The staff directory pages in a browser (axe on every page): a link worker finds a service in
the person's own words and opens it; a commissioner reads provision and gaps and downloads a
table."""

import pytest

from tests.factories import directory as make_service
from tests.factories.accounts import PathwayFactory, TeamFactory
from tests.factories.referrals import episode
from upstream.service.accounts.models import Role
from upstream.service.referrals.states import Status

pytestmark = pytest.mark.system


@pytest.fixture
def team(transactional_db):
    found = TeamFactory(name="Leicester link workers",
                        pathway=PathwayFactory(name="Leicester social prescribing"))
    make_service.service("Citizens Advice debt clinic", "money_debt",
                         description="Free advice on debt, rent arrears and bailiffs.",
                         byday="TU", accepting_referrals=True, waiting_time_days=10)
    make_service.service("Tuesday walking group", "loneliness",
                         description="A friendly walk in the park.", byday="TU")
    for _ in range(3):
        episode(found, status=Status.REFERRED, needs=("money_debt",))
    return found


def test_a_link_worker_finds_debt_advice_in_the_persons_own_words(visit, make_user, team):
    make_user("tom.baker", Role.LINK_WORKER, [team])
    visitor = visit("link worker")
    visitor.sign_in("tom.baker")
    visitor.goto("/directory/")
    assert visitor.heading() == "Find a service"
    page = visitor.page
    page.get_by_label("What the person wants help with, in their words").fill(
        "I can't pay my rent")
    visitor.submit("Search")
    results = visitor.text()
    assert "Citizens Advice debt clinic" in results
    assert "Tuesday walking group" not in results
    visitor.follow("Citizens Advice debt clinic")
    assert visitor.heading().endswith("Citizens Advice debt clinic")
    assert "Free advice on debt" in visitor.text()


def test_a_commissioner_reads_provision_and_gaps_and_downloads_a_table(visit, make_user, team):
    make_user("asha.commissioner", Role.COMMISSIONER)
    visitor = visit("commissioner")
    visitor.sign_in("asha.commissioner")
    visitor.goto("/directory/provision/")
    assert visitor.heading() == "Provision and gaps"
    text = visitor.text()
    assert "Money, benefits and debt" in text
    assert "<10" in text  # 3 people needing money advice: shown as fewer than 10, never 3
    download_link = visitor.page.get_by_role("link", name="CSV").first
    with visitor.page.expect_download() as download:
        download_link.click()
    body = download.value.path().read_text()
    assert "Money, benefits and debt" in body
