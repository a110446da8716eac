"""What the insights dashboard shows: protected tables, headline medians and a chart.

Every figure on the page (table cells, totals, the chart and its alt text, the number of
episodes behind a median) belongs to one :class:`~upstream.standards.disclosure.Release`, built
by :func:`_release`, so the page is protected as a whole: zero shown, 1 to 9 shown as "<10",
others rounded to the nearest 5, and more figures hidden as "[c]" wherever a hidden one could be
worked out (docs/adr/0006). A figure printed in several places (total referrals, a closing
status) is one figure with one published value. Medians over fewer than 10 values are not shown.
"""

from dataclasses import dataclass, field

from upstream.service.accounts.models import Role
from upstream.service.insights import charts, services
from upstream.service.practice.conversations import Kept, kept_from_needing_2_or_3
from upstream.service.referrals.models import ReferralSource
from upstream.service.referrals.states import LABELS, TERMINAL, Status
from upstream.standards import disclosure


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
    conversations: "Conversations | None" = None


@dataclass(frozen=True)
class Conversations:
    """The 3 Conversations section: people kept from needing conversation 2 or 3."""

    table: Table
    chart_uri: str
    chart_alt: str


KEPT = ("conversations", "1 only")
NEEDED = ("conversations", "2 or 3")
TAGGED = ("conversations", "all")
REFERRALS = "referrals"
EPISODES = "episodes"
CLOSED = "closed episodes"


@dataclass(frozen=True)
class _Counts:
    """The page's counts straight from ``services`` (true values: never shown as they are)."""

    by_team_source: dict[tuple[str, str], int]
    teams: list[str]
    sources: list[str]
    by_status: dict[str, int]
    by_decile: dict[int | None, int]
    by_ethnic_group: dict[str, int]
    waiting: services.Median
    attempts: services.Median | None
    kept: Kept | None

    @classmethod
    def of(cls, teams) -> "_Counts":
        found = services.referrals_by_team_and_source(teams)
        team_names = sorted({team for team, _ in found})
        sources = [s for s in ReferralSource.values if any(src == s for _, src in found)]
        return cls(
            by_team_source={(t, s): found.get((t, s), 0) for t in team_names for s in sources},
            teams=team_names, sources=sources,
            by_status=services.episodes_by_status(teams),
            by_decile=services.referrals_by_imd_decile(teams),
            by_ethnic_group=services.referrals_by_ethnic_group(teams),
            waiting=services.waiting_days(teams),
            attempts=services.attempts_to_engage(teams),
            kept=kept_from_needing_2_or_3(teams),
        )


def _release(counts: _Counts) -> dict:
    """Every figure of the page, protected together: ``{key: Figure}``.

    Keys: ``("team source", team, source)``, ``("team", team)``, ``("source", source)``,
    ``REFERRALS``, ``("decile", d)``, ``("ethnic group", g)``, ``("status", s)``, ``EPISODES``,
    ``CLOSED``, ``("median", name)``. The relations an attacker knows are declared too: the
    referral breakdowns are of the same referrals, and allocated episodes are some of the
    episodes.
    """
    release = disclosure.Release()
    cells = [("team source", *key) for key in counts.by_team_source]
    for key, n in zip(cells, counts.by_team_source.values(), strict=True):
        release.count(key, n)
    for team in counts.teams:
        release.total(("team", team), [c for c in cells if c[1] == team])
    for source in counts.sources:
        release.total(("source", source), [c for c in cells if c[2] == source])
    release.total(REFERRALS, cells)
    for prefix, breakdown in (("decile", counts.by_decile),
                              ("ethnic group", counts.by_ethnic_group)):
        keys = [(prefix, group) for group in breakdown]
        for key, n in zip(keys, breakdown.values(), strict=True):
            release.count(key, n)
        release.relate(keys, "==", cells)
    statuses = [("status", s) for s in counts.by_status]
    for key, n in zip(statuses, counts.by_status.values(), strict=True):
        release.count(key, n)
    release.total(EPISODES, statuses)
    release.total(CLOSED, [("status", s.value) for s in Status if s in TERMINAL])
    release.count(("median", "waiting"), counts.waiting.n)
    release.relate([("median", "waiting")], "<=", statuses)
    if counts.attempts is not None:
        release.count(("median", "attempts"), counts.attempts.n)
    if counts.kept is not None:
        release.count(KEPT, counts.kept.conversation_1_only)
        release.count(NEEDED, counts.kept.needed_2_or_3)
        release.total(TAGGED, [KEPT, NEEDED])
        release.relate([KEPT, NEEDED], "<=", statuses)  # tagged episodes are some episodes
    return release.protect()


def _one_way_table(caption: str, heading: str, figures: dict, keys: dict, total) -> Table:
    """``keys`` maps each row label to its figure key; ``total`` is the total's figure key."""
    grand = figures[total]
    rows = [[label, figures[key].display, disclosure.percent(figures[key], grand) or "-"]
            for label, key in keys.items()]
    rows.append(["Total", grand.display, ""])
    return Table(caption, [heading, "Number", "Per cent"], rows)


def _team_source_table(counts: _Counts, figures: dict) -> Table:
    labels = dict(ReferralSource.choices)
    rows = [
        [team, *(figures[("team source", team, s)].display for s in counts.sources),
         figures[("team", team)].display]
        for team in counts.teams
    ]
    rows.append(["All teams", *(figures[("source", s)].display for s in counts.sources),
                 figures[REFERRALS].display])
    return Table("Referrals by team and source",
                 ["Team", *(labels[s] for s in counts.sources), "Total"], rows)


def _median_headline(label: str, result: services.Median | None, figure, unit: str
                     ) -> Headline | None:
    if result is None:
        return None
    if not disclosure.enough_for_a_summary(result.n) or result.value is None:
        return Headline(label, disclosure.NOT_SHOWN,
                        f"fewer than {disclosure.THRESHOLD} episodes")
    over = (f"over about {figure.value:,} episodes" if not figure.suppressed
            else f"over {disclosure.THRESHOLD} or more episodes")
    return Headline(label, f"{result.value:.1f} {unit}", over)


def _scope_text(user) -> str:
    teams = services.teams_for(user)
    if user.role == Role.TEAM_LEAD:
        return "Your teams: " + (", ".join(t.name for t in teams) or "none")
    return "All teams"


def dashboard(user) -> Dashboard:
    """The de-identified dashboard for ``user`` (team leads: their teams; others: all)."""
    counts = _Counts.of(services.teams_for(user))
    figures = _release(counts)
    status_labels = {s.value: LABELS[s] for s in Status}
    shown = {status_labels[s]: figures[("status", s)].value for s in counts.by_status
             if figures[("status", s)].value}
    headlines = [h for h in (
        _median_headline("Median wait from referral to allocation", counts.waiting,
                         figures[("median", "waiting")], "days"),
        _median_headline("Median contact attempts before engaging", counts.attempts,
                         figures.get(("median", "attempts")), "attempts"),
    ) if h is not None]
    decile_labels = {d: f"Decile {d}" + (" (most deprived)" if d == 1 else "")
                     + (" (least deprived)" if d == 10 else "") for d in range(1, 11)}
    decile_labels[None] = "Not known"
    return Dashboard(
        scope=_scope_text(user),
        headlines=headlines,
        tables=[
            _team_source_table(counts, figures),
            _one_way_table("Episodes by status", "Status", figures,
                           {status_labels[s]: ("status", s) for s in counts.by_status}, EPISODES),
            _one_way_table("Episodes closed, by reason", "Reason", figures,
                           {LABELS[s]: ("status", s.value) for s in Status if s in TERMINAL},
                           CLOSED),
        ],
        chart_uri=charts.bar_chart_data_uri(shown, title="Episodes by status",
                                            axis_title="Episodes") if shown else "",
        chart_alt="Bar chart of episodes by status: " + "; ".join(
            f"{label} {n:,}" for label, n in shown.items()) + ". Numbers are rounded to the "
            "nearest 5; statuses with hidden numbers are left out; the table below has every "
            "status.",
        conversations=_conversations(counts, figures),
        reach=[
            _one_way_table("Referrals by area deprivation (IMD decile)", "IMD decile", figures,
                           {decile_labels[d]: ("decile", d) for d in counts.by_decile},
                           REFERRALS),
            _one_way_table("Referrals by ethnic group", "Ethnic group", figures,
                           {g: ("ethnic group", g) for g in counts.by_ethnic_group}, REFERRALS),
        ],
    )


KEPT_LABEL = "Supported in conversation 1 only (kept from needing 2 or 3)"
NEEDED_LABEL = "Moved to conversation 2 or 3"


def _conversations(counts: _Counts, figures: dict) -> Conversations | None:
    """The 3 Conversations table and chart, for teams that work to it (else None). The chart
    and its alt text use the same protected figures as the table."""
    if counts.kept is None:
        return None
    table = _one_way_table("People supported by 3 Conversations teams, by the conversations "
                           "they needed", "Conversations", figures,
                           {KEPT_LABEL: KEPT, NEEDED_LABEL: NEEDED}, TAGGED)
    shown = {label: figures[key].value for label, key in ((KEPT_LABEL, KEPT),
                                                          (NEEDED_LABEL, NEEDED))
             if figures[key].value}
    alt = ("Bar chart of people supported by 3 Conversations teams: "
           + "; ".join(f"{label} {n:,}" for label, n in shown.items())
           + ". Numbers are rounded to the nearest 5; groups with hidden numbers are left out; "
             "the table below has both groups.")
    return Conversations(
        table=table,
        chart_uri=charts.bar_chart_data_uri(shown, title="Conversations needed",
                                            axis_title="People") if shown else "",
        chart_alt=alt,
    )
