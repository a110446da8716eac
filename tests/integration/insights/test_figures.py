"""Each figure of the insights page on a small world whose numbers are worked out by hand.

Team Alpha, referred 20 days ago (T0) unless said:

- 12 engaged: allocated, "no answer" at T0 + 1 day, "engaged" at T0 + 3 days (2 attempts
  before engaging, first contact after 1 day); needs money and loneliness; 10 of them have a
  plan goal, and 8 of those closed after support (active, closing, closed);
- 3 reached but not engaged: allocated, "spoke" at T0 + 5 days;
- 2 did not engage: allocated, "no answer" at T0 + 2 days, then closed as not engaged;
- 4 declined and 1 not suitable at triage;
- 12 old: referred 200 days ago, active (engaged with no contact attempt logged), PHQ-9 18 at
  baseline; 10 followed up at 12 weeks (10 or 12), 2 lost.

Team Beta: 5 referred at T0, housing need.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import TeamFactory, UserFactory
from tests.factories.engagement import attempt
from tests.factories.referrals import episode
from upstream.service.accounts.models import Role
from upstream.service.engagement.models import Goal
from upstream.service.insights import export, services
from upstream.service.insights.forms import period_for
from upstream.service.insights.presenters import dashboard
from upstream.service.outcomes.models import Timepoint
from upstream.service.outcomes.services import record_administration
from upstream.service.referrals.services import transition
from upstream.service.referrals.states import Status
from upstream.standards import disclosure

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _phq9(total: int) -> dict[str, int]:
    answers, left = {}, total
    for n in range(1, 10):
        answers[f"phq9_{n}"] = min(3, left)
        left -= answers[f"phq9_{n}"]
    return answers


@pytest.fixture
def world():
    alpha, beta = TeamFactory(name="Alpha"), TeamFactory(name="Beta")
    worker = UserFactory(role=Role.LINK_WORKER, teams=[alpha, beta])
    t0 = timezone.now() - 20 * DAY
    for i in range(12):
        ep = episode(alpha, worker=worker, status=Status.ALLOCATED, referred_at=t0,
                     needs=("money_debt", "loneliness"))
        attempt(ep, "no_answer", at=t0 + DAY)
        attempt(ep, "engaged", at=t0 + 3 * DAY)
        if i < 10:
            Goal.objects.create(episode=ep, description="Sort out the bills", need="money_debt")
        if i < 8:
            for step in (Status.ACTIVE, Status.CLOSING, Status.CLOSED):
                transition(ep, step, by=worker, reason="test")
    for _ in range(3):
        attempt(episode(alpha, worker=worker, status=Status.ALLOCATED, referred_at=t0),
                "spoke", at=t0 + 5 * DAY)
    for _ in range(2):
        ep = episode(alpha, worker=worker, status=Status.ALLOCATED, referred_at=t0)
        attempt(ep, "no_answer", at=t0 + 2 * DAY)
        transition(ep, Status.NOT_ENGAGED, by=worker, reason="test")
    for status, n in ((Status.DECLINED, 4), (Status.NOT_SUITABLE, 1)):
        for _ in range(n):
            transition(episode(alpha, status=Status.REFERRED, referred_at=t0), status,
                       reason="test")
    old = timezone.now() - 200 * DAY
    for i in range(12):
        ep = episode(alpha, worker=worker, status=Status.ACTIVE, referred_at=old)
        record_administration(ep, by=worker, instrument="phq9", timepoint=Timepoint.BASELINE,
                              administered_on=(old + DAY).date(), answers=_phq9(18))
        if i < 10:
            record_administration(ep, by=worker, instrument="phq9",
                                  timepoint=Timepoint.WEEK_12,
                                  administered_on=(old + 90 * DAY).date(),
                                  answers=_phq9(10 if i % 2 else 12))
    for _ in range(5):
        episode(beta, status=Status.REFERRED, referred_at=t0, needs=("housing",))
    return {"alpha": alpha, "beta": beta,
            "lead": UserFactory(role=Role.TEAM_LEAD, teams=[alpha]),
            "commissioner": UserFactory(role=Role.COMMISSIONER)}


def _recent():
    """The last 3 months, worked out on the day the test runs."""
    return period_for("3")


def test_funnel_counts_each_episode_at_its_deepest_stage(world):
    teams = [world["alpha"]]
    assert services.funnel_stages(teams, _recent()) == {
        "referred": 5 + 2, "contacted": 3, "engaged": 2, "took_up": 2, "completed": 8}
    # all time adds the 12 old episodes, engaged with no plan
    assert services.funnel_stages(teams)["engaged"] == 2 + 12


def test_funnel_table_shows_stages_and_exits_protected(world):
    page = dashboard(world["lead"], [world["alpha"]], _recent(), "test")
    rows = {row[0]: row[1] for row in page.funnel.table.rows}
    # reached each stage: 22 referred, 15 contacted, 12 engaged, 10 took up, 8 completed;
    # rounded to 5 unless hidden to protect another figure
    expected = {"Referred": 22, "Contacted (the person was reached)": 15, "Engaged": 12,
                "Took up support (a plan with a goal or action)": 10,
                "Completed (closed after taking up support)": 8,
                "Exit: Declined": 4, "Exit: Not suitable or rejected": 1, "Exit: Deceased": 0,
                "Exit: Dropped off or did not engage": 2}
    for label, true in expected.items():
        shown = rows[label]
        assert shown in (disclosure.base_figure(true).display, disclosure.COMPLEMENT), label
    assert rows["Completed (closed after taking up support)"] == "<10"
    assert rows["Exit: Deceased"] == "0"
    assert page.funnel.uri.startswith("data:image/svg+xml;base64,")
    for label, value in rows.items():
        if label.startswith("Exit") or value in ("<10", "[c]"):
            continue
        assert f"{label} {value}" in page.funnel.alt  # the chart says what the table says


def test_attempts_needs_and_first_contact(world):
    teams, recent = [world["alpha"]], _recent()
    assert services.attempts_distribution(teams, recent) == {
        "None": 0, "1 attempt": 0, "2 attempts": 12, "3 attempts": 0, "4 attempts": 0,
        "5 or more attempts": 0}
    assert services.attempts_distribution(teams)["None"] == 12  # the old ones: no attempts logged
    needs = services.referrals_with_need(teams, recent)
    assert needs["money_debt"] == 12 and needs["loneliness"] == 22 and needs["housing"] == 0
    # 12 first contacts after 1 day, 2 after 2, 3 after 5: median 1, quartiles 1 and 2
    first = services.days_to_first_contact(teams, recent)
    assert (first.n, first.value, first.q1, first.q3) == (17, pytest.approx(1),
                                                         pytest.approx(1), pytest.approx(2))
    page = dashboard(world["lead"], teams, recent, "test")
    headline = next(h for h in page.headlines if "first contact" in h.label)
    assert headline.value == "1.0 days (interquartile range 1.0 to 2.0)"
    need_rows = {row[0]: row[1:] for row in page.engagement[1].rows}
    assert need_rows["Money, benefits and debt"][0] in ("10", "[c]")
    assert need_rows["Housing and homelessness"] == ["0", "0%"]


def test_team_filter_and_period_filter_narrow_every_figure(world):
    commissioner = world["commissioner"]
    everyone = dashboard(commissioner)
    beta_only = dashboard(commissioner, [world["beta"]], _recent(), "test")
    assert everyone.funnel.table.rows[0][1] == "40"  # 34 Alpha + 5 Beta, rounded
    assert beta_only.funnel.table.rows[0][1] == "<10"  # Beta's 5
    team_rows = [row[0] for row in beta_only.tables[0].rows]
    assert team_rows == ["Beta", "All teams"]
    # a team lead cannot reach another team's figures by asking for it
    lead_asks_for_beta = dashboard(world["lead"], [world["beta"]])
    assert [row[0] for row in lead_asks_for_beta.tables[0].rows] == ["All teams"]


def test_outcome_change_per_measure_through_disclosure(world):
    page = dashboard(world["lead"], [world["alpha"]])
    table = next(t for t in page.outcomes if t.caption.startswith("Outcome change: PHQ-9"))
    row = dict(zip(table.headers, table.rows[-1], strict=True))
    assert row["Group"] == "All pathways"
    assert (row["Had a baseline"], row["Followed up"], row["No follow-up"]) == (
        "10", "10", "<10")
    assert row["Mean change (95% CI)"].startswith("-7.00")  # five of -8 and five of -6
    assert row["Meaningful improvement"] == "10 (100%)"  # reliable change on PHQ-9 is 6
    recent = dashboard(world["lead"], [world["alpha"]], _recent(), "test")
    assert recent.outcomes == []  # the followed-up episodes were opened 200 days ago


def test_referrals_run_chart_by_month_with_spc_words(world):
    page = dashboard(world["commissioner"])
    chart = page.trends[0]
    months = [row[0] for row in chart.table.rows]
    assert len(months) >= 7  # 200 days ago to 20 days ago, empty months included as 0
    assert chart.table.rows[0][1] == "10"  # the 12 old referrals
    assert "0" in [row[1] for row in chart.table.rows]  # the empty months
    assert chart.signals  # rules applied (every month shown) or a reason they were not
    assert chart.method and chart.caveats


def test_exports_hold_every_table_with_no_small_count_raw(world):
    client = Client()
    client.force_login(world["lead"])
    query = f"?team={world['alpha'].pk}&period=3"
    text = client.get(reverse("insights:export_csv") + query).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    page = dashboard(world["lead"], [world["alpha"]], _recent(), "test")
    for table in page.every_table():
        assert [table.caption] in rows
        for row in table.rows:
            assert [export.inert(cell) for cell in row] in rows  # the page's strings
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get(reverse("insights:export_xlsx") + query).content))
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    for exported in (cells, [c for row in rows for c in row]):
        # true small counts of this world: 2, 3, 4, 5, 8 (and 1): never a count on its own
        assert not {"1", "2", "3", "4", "5", "8"} & set(exported)
        assert "<10" in exported
    assert len(workbook.sheetnames) == len(page.every_table()) + 2


def test_bad_filter_is_refused_by_name_and_shows_all(world):
    client = Client()
    client.force_login(world["lead"])
    response = client.get(reverse("insights:dashboard"), {"team": world["beta"].pk,
                                                         "period": "99"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#id_team"' in html
    assert "All time, all teams" in html


def test_run_chart_rules_cover_the_latest_months_none_of_them_hidden():
    from upstream.service.insights.presenters import Table, _run_chart

    months = [datetime.date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 14)]
    values = [None, 10, 15, 10, 20, 15, 10, 15, 20, 10, 15, 25, 15]
    chart = _run_chart("Referrals each month", "Referrals", months, values,
                       Table("t", [], []), method="", caveats="")
    assert chart.signals[0] == ("Median and rules over 12 months from Feb 2025: earlier months "
                                "include hidden numbers.")
    assert "Median 15.0." in chart.alt and "Jan 2025" not in chart.alt
    hidden_last = _run_chart("Referrals each month", "Referrals", months, [*values[1:], None],
                             Table("t", [], []), method="", caveats="")
    assert hidden_last.signals == ["Run chart rules not applied: the latest month is hidden to "
                                   "protect small numbers."]


def test_csv_cells_that_would_run_as_formulas_are_made_inert(world):
    world["beta"].name = '=HYPERLINK("http://example.invalid","Beta")'
    world["beta"].save()
    client = Client()
    client.force_login(world["commissioner"])
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("insights:export_csv")).content.decode())))
    cells = [c for row in rows for c in row]
    assert "'" + world["beta"].name in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert not any(c.startswith("-") and c != "-" for c in cells)


def test_periods_count_back_whole_months_including_this_one():
    today = datetime.date(2026, 1, 15)
    assert period_for("3", today=today).start == datetime.date(2025, 11, 1)
    assert period_for("12", today=today).start == datetime.date(2025, 2, 1)
    assert period_for("", today=today) == services.ALL_TIME
