"""The provision and gaps page on a small hand-counted world: demand beside supply by need,
community referral volume per organisation, gaps, stale records; every count disclosure
controlled on the page and in the CSV downloads; team leads and commissioners only."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import directory as make_service
from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.connect.models import CommunityReferral
from upstream.service.directory import hub
from upstream.service.engagement.models import WhatMatters
from upstream.service.referrals.states import Status

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _refer(episode, service, at):
    CommunityReferral.objects.create(episode=episode, service=service,
                                     organization=service.organization, consent_given=True,
                                     service_name=service.name, referred_at=at)


@pytest.fixture
def world():
    """Team A: 12 episodes needing loneliness, 3 needing money (one of which also confirmed
    food in a "what matters" conversation). Team B: 20 needing loneliness. Directory: 11
    loneliness services, all accepting, waits 1..11 days, verified last month; 2 money
    services, one accepting (verified 400 days ago), one not (never verified). Community
    referrals from team A: 12 to the first loneliness service this month and 1 eight months ago;
    3 to the accepting money service this month."""
    team_a, team_b = make.team("Team A"), make.team("Team B")
    lonely = [make.episode(team_a, status=Status.REFERRED, needs=("loneliness",))
              for _ in range(12)]
    money = [make.episode(team_a, status=Status.REFERRED, needs=("money_debt",))
             for _ in range(3)]
    WhatMatters.objects.create(episode=money[0], conversation_on=TODAY, what_matters="Eating",
                               needs_confirmed=["food"])
    for _ in range(20):
        make.episode(team_b, status=Status.REFERRED, needs=("loneliness",))
    recent = TODAY - datetime.timedelta(days=30)
    walking = [make_service.service(f"Walking group {n}", "loneliness", accepting_referrals=True,
                                    waiting_time_days=n, last_verified=recent)
               for n in range(1, 12)]
    debt = make_service.service("Debt clinic", "debt_advice", accepting_referrals=True,
                                last_verified=TODAY - datetime.timedelta(days=400))
    make_service.service("Benefits drop-in", "benefits_advice", accepting_referrals=False)
    now = timezone.now()
    for episode in lonely:
        _refer(episode, walking[0], now)
    _refer(lonely[0], walking[0], now - datetime.timedelta(days=240))
    for episode in money:
        _refer(episode, debt, now)
    lead = make.user(Role.TEAM_LEAD, team_a)
    return {"lead": lead, "commissioner": make.user(Role.COMMISSIONER),
            "worker": make.user(Role.LINK_WORKER, team_a), "partner": make.user(Role.VCSE_PARTNER),
            "walking": walking, "debt": debt}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _row(table, heading):
    return next(row for row in table.rows if row[0] == heading)


def test_demand_beside_supply_by_need_hand_counted(world):
    teams = list(world["lead"].teams.all())
    page = hub.build(teams, scope="test", today=TODAY)
    # need, episodes, community referrals, services, accepting, median wait, services behind it
    assert _row(page.demand_supply, "Loneliness and social isolation")[1:] == [
        "10", "15", "10", "10", "6", "10"]  # 12, 13, 11, 11, median of 1..11, 11
    assert _row(page.demand_supply, "Money, benefits and debt")[1:] == [
        "<10", "<10", "<10", "<10", "Not shown", "0"]  # 3, 3, 2, 1, no waits recorded
    assert _row(page.demand_supply, "Food and nutrition")[1:] == [
        "<10", "0", "0", "0", "Not shown", "0"]
    assert _row(page.demand_supply, "Housing and homelessness")[1:] == [
        "0", "0", "0", "0", "Not shown", "0"]


def test_commissioner_sees_every_teams_demand(world):
    from upstream.service.accounts.models import Team
    page = hub.build(list(Team.objects.all()), scope="test", today=TODAY)
    assert _row(page.demand_supply, "Loneliness and social isolation")[1] == "30"  # 32


def test_gaps_are_needs_with_demand_and_no_or_few_accepting_services(world):
    page = hub.build(list(world["lead"].teams.all()), scope="test", today=TODAY)
    assert page.gaps.rows == [
        ["Money, benefits and debt", "<10", "<10", "Little provision (fewer than 10)"],
        ["Food and nutrition", "<10", "0", "No provision"],
    ]


def test_referral_volume_per_organisation_by_month(world):
    page = hub.build(list(world["lead"].teams.all()), scope="test", today=TODAY)
    this_month = f"{TODAY.replace(day=1):%b %Y}"
    assert page.volume.headers[-2:] == [this_month, "Total"]
    assert len(page.volume.headers) == 1 + hub.VOLUME_MONTHS + 1
    walking_org = world["walking"][0].organization.name
    debt_org = world["debt"].organization.name
    assert [r[0] for r in page.volume.rows] == sorted([walking_org, debt_org])
    # 12 this month (the referral 8 months ago is outside the window); 3 this month.
    assert _row(page.volume, walking_org)[1:] == ["0"] * 5 + ["10", "10"]
    assert _row(page.volume, debt_org)[1:] == ["0"] * 5 + ["<10", "<10"]


def test_stale_records_not_verified_in_12_months(world):
    page = hub.build(list(world["lead"].teams.all()), scope="test", today=TODAY)
    assert _row(page.stale, "Money, benefits and debt")[1:] == ["<10", "<10"]
    assert _row(page.stale, "Loneliness and social isolation")[1:] == ["0", "10"]
    assert _row(page.stale, "All active services")[1] == "<10"
    assert [r[:3] for r in page.stale_services.rows] == [
        ["Benefits drop-in", "Benefits drop-in organisation", "Never"],
        ["Debt clinic", "Debt clinic organisation",
         f"{TODAY - datetime.timedelta(days=400):%d %b %Y}"]]


_PUBLISHED = re.compile(r"0|<10|\[c\]|[1-9][0-9,]*[05]")
"""A count as the disclosure rule may publish it: 0, <10, [c], or a multiple of 5 from 10."""


def _count_cells(table: list[list[str]]) -> list[str]:
    """Every cell of a table (as read from the page or a CSV) in a column that holds counts."""
    headers, rows = table[0], table[1:]
    columns = [i for i, h in enumerate(headers) if i and not h.startswith(("Median", "Gap"))
               and h not in ("Organisation", "Last verified", "Postcode district")]
    return [row[i] for row in rows for i in columns if i < len(row) and row[i]]


def _html_tables(body: str) -> list[list[list[str]]]:
    tables = []
    for found in re.findall(r"<table.*?</table>", body, re.S):
        rows = re.findall(r"<tr.*?</tr>", found, re.S)
        tables.append([[unescape(re.sub(r"<[^>]+>", "", c)).strip()
                         for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
                        for r in rows])
    return tables


def test_no_small_count_appears_raw_on_the_page_or_in_a_csv(world, settings, tmp_path):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "none.sqlite3"  # no homes placed
    client = _client(world["lead"])
    body = client.get(reverse("directory_search:provision")).content.decode()
    tables = _html_tables(body)
    assert len(tables) == 6  # all but provision within a distance
    cells = [c for t in tables if "Service" not in t[0] for c in _count_cells(t)]
    assert cells and all(_PUBLISHED.fullmatch(c) for c in cells), cells
    assert "<10" in cells
    alt = unescape(re.search(r'<img class="upstream-chart" src="[^"]+" alt="([^"]+)"',
                             body).group(1))
    assert "Money, benefits and debt: <10 episodes, <10 services" in alt
    assert not re.search(r"\b[1-9] (episodes|services)", alt)
    for slug in ("demand-and-supply", "demand-and-supply-by-area", "gaps",
                 "referrals-by-organisation", "stale-by-need"):
        response = client.get(reverse("directory_search:provision_csv"), {"table": slug})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        cells = _count_cells(rows[2:])
        assert cells and all(_PUBLISHED.fullmatch(c) for c in cells), (slug, cells)


def test_csv_holds_the_pages_published_strings(world):
    client = _client(world["lead"])
    response = client.get(reverse("directory_search:provision_csv"), {"table": "gaps"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Needs with no or little provision accepting referrals"]
    assert rows[2:] == [["Need", "Episodes with this need", "Accepting referrals", "Gap"],
                        ["Money, benefits and debt", "<10", "<10",
                         "Little provision (fewer than 10)"],
                        ["Food and nutrition", "<10", "0", "No provision"]]
    assert client.get(reverse("directory_search:provision_csv"),
                      {"table": "nope"}).status_code == 404


@pytest.mark.parametrize("who,status", [("lead", 200), ("commissioner", 200), ("worker", 403),
                                        ("partner", 403)])
def test_only_team_leads_and_commissioners(world, who, status):
    client = _client(world[who])
    assert client.get(reverse("directory_search:provision")).status_code == status
    assert client.get(reverse("directory_search:provision_csv")).status_code == status


@pytest.mark.parametrize("who", ["lead", "commissioner"])
def test_the_page_is_in_their_navigation_and_marked_current(world, who):
    from upstream.service.ui.nav import navigation
    items = navigation(world[who], reverse("directory_search:provision"))
    assert [i.text for i in items if i.active] == ["Provision and gaps"]
