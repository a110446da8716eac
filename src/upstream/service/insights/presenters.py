"""What the insights dashboard shows: protected tables, headline medians and a chart.

Everything passes through ``disclosure`` before it reaches a template: counts below 10 are
"<10", complementary cells "[c]", and medians over fewer than 10 values are not shown.
"""

from dataclasses import dataclass, field

from upstream.service.accounts.models import Role
from upstream.service.insights import charts, disclosure, services
from upstream.service.referrals.models import ReferralSource
from upstream.service.referrals.states import LABELS, Status


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    """Each row: first item is the row heading, the rest are cells."""


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    note: str


@dataclass(frozen=True)
class Dashboard:
    scope: str
    headlines: list[Headline]
    tables: list[Table]
    chart_uri: str = ""
    chart_alt: str = ""
    reach: list[Table] = field(default_factory=list)


def _one_way_table(caption: str, heading: str, counts: dict, labels: dict) -> Table:
    cells, grand = disclosure.one_way(counts)
    rows = [[labels[key], cell.display, cell.percent or "-"] for key, cell in cells.items()]
    rows.append(["Total", grand.display, ""])
    return Table(caption, [heading, "Number", "Per cent"], rows)


def _team_source_table(counts: dict[tuple[str, str], int]) -> Table:
    teams = sorted({team for team, _ in counts})
    sources = [s for s in ReferralSource.values if any(src == s for _, src in counts)]
    full = {(t, s): counts.get((t, s), 0) for t in teams for s in sources}
    groups = [[(t, s) for s in sources] for t in teams] + [[(t, s) for t in teams]
                                                         for s in sources]
    cells = disclosure.protect(full, groups)
    labels = dict(ReferralSource.choices)
    rows = [
        [team, *(cells[(team, s)].display for s in sources),
         disclosure.total(full[(team, s)] for s in sources).display]
        for team in teams
    ]
    rows.append([
        "All teams", *(disclosure.total(full[(t, s)] for t in teams).display for s in sources),
        disclosure.total(full.values()).display,
    ])
    return Table("Referrals by team and source", ["Team", *(labels[s] for s in sources), "Total"],
                 rows)


def _median_headline(label: str, result: services.Median | None, unit: str) -> Headline | None:
    if result is None:
        return None
    if result.n < disclosure.THRESHOLD or result.value is None:
        return Headline(label, "Not shown", f"fewer than {disclosure.THRESHOLD} episodes")
    return Headline(label, f"{result.value:.1f} {unit}", f"over {result.n:,} episodes")


def _scope_text(user) -> str:
    teams = services.teams_for(user)
    if user.role == Role.TEAM_LEAD:
        return "Your teams: " + (", ".join(t.name for t in teams) or "none")
    return "All teams"


def dashboard(user) -> Dashboard:
    """The de-identified dashboard for ``user`` (team leads: their teams; others: all)."""
    teams = services.teams_for(user)
    status_labels = {s.value: LABELS[s] for s in Status}
    by_status = services.episodes_by_status(teams)
    status_cells, _ = disclosure.one_way(by_status)
    shown = {status_labels[k]: c.count for k, c in status_cells.items() if c.count}
    headlines = [h for h in (
        _median_headline("Median wait from referral to allocation",
                         services.waiting_days(teams), "days"),
        _median_headline("Median contact attempts before engaging",
                         services.attempts_to_engage(teams), "attempts"),
    ) if h is not None]
    decile_labels = {d: f"Decile {d}" + (" (most deprived)" if d == 1 else "")
                     + (" (least deprived)" if d == 10 else "") for d in range(1, 11)}
    decile_labels[None] = "Not known"
    ethnic = services.referrals_by_ethnic_group(teams)
    return Dashboard(
        scope=_scope_text(user),
        headlines=headlines,
        tables=[
            _team_source_table(services.referrals_by_team_and_source(teams)),
            _one_way_table("Episodes by status", "Status", by_status, status_labels),
            _one_way_table("Episodes closed, by reason", "Reason",
                           services.closures_by_reason(teams), status_labels),
        ],
        chart_uri=charts.bar_chart_data_uri(shown, title="Episodes by status",
                                            axis_title="Episodes") if shown else "",
        chart_alt="Bar chart of episodes by status: " + "; ".join(
            f"{label} {n}" for label, n in shown.items()) + ". Statuses with fewer than 10 "
            "episodes are left out; the table below has every status.",
        reach=[
            _one_way_table("Referrals by area deprivation (IMD decile)", "IMD decile",
                           services.referrals_by_imd_decile(teams), decile_labels),
            _one_way_table("Referrals by ethnic group", "Ethnic group", ethnic,
                           {g: g for g in ethnic}),
        ],
    )
