"""The provision and gaps page by area (postcode district) and "within a distance", on a small
hand-counted world with a postcode directory: every figure disclosure controlled, on the page
and in the CSV downloads."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import directory as make_service
from tests.integration.directory.test_hub import _PUBLISHED, _count_cells, _html_tables
from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.directory import hub
from upstream.service.directory.models import Address
from upstream.service.referrals.states import Status
from upstream.standards import postcode_directory
from upstream.standards.postcode_directory import PostcodeDirectory

pytestmark = pytest.mark.django_db

LE1 = (52.636, -1.139)
LE5 = (52.640, -1.080)  # about 2.5 miles east of LE1
NG1 = (52.954, -1.150)  # about 22 miles north of LE1


def _service(name, code, at, postcode, **fields):
    made = make_service.service(name, code, at=at, **fields)
    Address.objects.filter(location__service_at_locations__service=made).update(
        postal_code=postcode)
    return made


@pytest.fixture
def directory(settings, tmp_path):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "postcodes.sqlite3"
    postcode_directory.write(settings.UPSTREAM_POSTCODE_DIRECTORY,
                             [("LE1 1AA", *LE1), ("LE5 1AA", *LE5), ("NG1 1AA", *NG1)])
    return PostcodeDirectory(settings.UPSTREAM_POSTCODE_DIRECTORY)


@pytest.fixture
def world(directory):
    """Loneliness: 12 people at home in LE1, 3 in NG1, 2 with no postcode. Money: 4 in LE5.
    Directory: 11 loneliness services in LE1, all accepting; one online befriending service
    (no address); a debt clinic in LE1 (accepting not known) and one in LE5 not accepting."""
    team = make.team("Team A")
    for postcode, n, need in (("LE1 1AA", 12, "loneliness"), ("NG1 1AA", 3, "loneliness"),
                              ("", 2, "loneliness"), ("LE5 1AA", 4, "money_debt")):
        for _ in range(n):
            make.episode(team, status=Status.REFERRED, needs=(need,), postcode=postcode)
    for n in range(11):
        _service(f"Walking group {n}", "loneliness", LE1, "LE1 2BB", accepting_referrals=True)
    make_service.service("Phone befriending", "loneliness", at=None)
    _service("Debt clinic", "debt_advice", LE1, "LE1 3BD")
    _service("Closed debt clinic", "debt_advice", LE5, "LE5 2DD", accepting_referrals=False)
    return {"team": team, "lead": make.user(Role.TEAM_LEAD, team)}


def _rows(table, need):
    return {row[1]: row[2:] for row in table.rows if row[0] == need}


LONELY, MONEY = "Loneliness and social isolation", "Money, benefits and debt"


def test_demand_beside_supply_by_need_and_postcode_district(world, directory):
    page = hub.build([world["team"]], scope="test", today=hub.datetime.date.today(),
                     postcode_directory=directory)
    # episodes, community referrals, active services, accepting referrals
    assert _rows(page.by_area, LONELY) == {
        "LE1": ["10", "0", "10", "10"],  # 12 people, 11 services all accepting
        "NG1": ["<10", "0", "0", "0"],  # 3 people
        "No postcode": ["0", "0", "<10", "0"],  # the phone service, accepting not known
        "Not recorded": ["<10", "0", "0", "0"],  # 2 people with no postcode
    }
    assert _rows(page.by_area, MONEY) == {"LE1": ["0", "0", "<10", "0"],
                                          "LE5": ["<10", "0", "<10", "0"]}
    # A theme's demand is the sum of its districts', published as its own rounded total.
    assert next(r for r in page.demand_supply.rows if r[0] == LONELY)[1] == "15"  # 17


def test_needs_with_no_or_little_provision_within_five_miles(world, directory):
    page = hub.build([world["team"]], scope="test", today=hub.datetime.date.today(),
                     postcode_directory=directory)
    assert page.distance.headers[2:] == ["No service within 5 miles",
                                         "1 to 2 services within 5 miles",
                                         "Episodes with a known home postcode"]
    # Loneliness: LE1's 12 have 11 services at hand; NG1's 3 have none within 5 miles; the 2
    # with no postcode cannot be placed. The phone service has no site, so is not counted.
    assert _rows(page.distance, LONELY) == {"All districts": ["<10", "0", "15"],
                                            "LE1": ["0", "0", "10"],
                                            "NG1": ["<10", "0", "<10"]}
    # Money: LE5's 4 have the LE1 clinic 2.5 miles away (the LE5 one is not accepting).
    assert _rows(page.distance, MONEY) == {"All districts": ["0", "<10", "<10"],
                                           "LE5": ["0", "<10", "<10"]}


def test_a_shorter_distance_leaves_no_provision(world, directory):
    page = hub.build([world["team"]], scope="test", today=hub.datetime.date.today(),
                     postcode_directory=directory, miles=1)
    assert page.distance.caption == "Needs with no or little provision within 1 mile of home"
    assert _rows(page.distance, MONEY)["LE5"] == ["<10", "0", "<10"]


def test_without_a_postcode_directory_no_home_is_placed(world, settings, tmp_path):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "none.sqlite3"
    client = Client()
    client.force_login(world["lead"])
    body = client.get(reverse("directory_search:provision")).content.decode()
    assert "No postcode directory is loaded" in body
    assert "Needs with no or little provision within 5 miles" not in body


def test_page_and_csv_publish_only_controlled_counts_at_the_chosen_distance(world):
    client = Client()
    client.force_login(world["lead"])
    body = client.get(reverse("directory_search:provision"), {"miles": "1"}).content.decode()
    assert "Needs with no or little provision within 1 mile of home" in body
    assert 'value="1" selected' in body
    tables = _html_tables(body)
    assert len(tables) == 6  # every table but referrals per organisation (there are none)
    cells = [c for t in tables if "Service" not in t[0] for c in _count_cells(t)]
    assert cells and all(_PUBLISHED.fullmatch(c) for c in cells), cells
    assert "table=provision-within-distance&amp;miles=1" in body
    for slug in ("demand-and-supply-by-area", "provision-within-distance"):
        response = client.get(reverse("directory_search:provision_csv"),
                              {"table": slug, "miles": "1"})
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        counts = _count_cells(rows[2:])
        assert counts and all(_PUBLISHED.fullmatch(c) for c in counts), (slug, counts)
    rows = list(csv.reader(io.StringIO(client.get(
        reverse("directory_search:provision_csv"),
        {"table": "provision-within-distance", "miles": "1"}).content.decode())))
    assert [MONEY, "LE5", "<10", "0", "<10"] in rows


def test_a_distance_not_offered_falls_back_to_the_default(world):
    client = Client()
    client.force_login(world["lead"])
    body = client.get(reverse("directory_search:provision"), {"miles": "1000"}).content.decode()
    assert f"within {hub.DEFAULT_MILES} miles of home" in body


def test_area_chart_draws_published_figures_and_says_them_in_words(world, directory):
    page = hub.build([world["team"]], scope="test", today=hub.datetime.date.today(),
                     postcode_directory=directory)
    assert page.area_chart_uri.startswith("data:image/svg+xml;base64,")
    assert "Loneliness and social isolation, LE1: 10 episodes, 10 services" in page.area_chart_alt
    assert "Not recorded" not in page.area_chart_alt
