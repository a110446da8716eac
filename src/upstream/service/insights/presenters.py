"""What the insights dashboard shows: protected tables, headline medians and a chart.

Every figure on the page (table cells, totals, the chart and its alt text, the number of
episodes behind a median) belongs to one :class:`~upstream.standards.disclosure.Release`, built
by :func:`_release`, so the page is protected as a whole: zero shown, 1 to 9 shown as "<10",
others rounded to the nearest 5, and more figures hidden as "[c]" wherever a hidden one could be
worked out (docs/adr/0006). A figure printed in several places (total referrals, a closing
status) is one figure with one published value. Medians over fewer than 10 values are not shown.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from upstream.evaluation import spc
from upstream.evaluation.outcomes import disclosure_table, outcome_change
from upstream.service.accounts.models import Role
from upstream.service.insights import charts, services
from upstream.service.insights.services import ALL_TIME, FUNNEL, Period
from upstream.service.outcomes.models import Administration
from upstream.service.outcomes.services import cohort_frame
from upstream.service.practice.conversations import Kept, kept_from_needing_2_or_3
from upstream.service.referrals.models import ReferralSource
from upstream.service.referrals.states import LABELS, TERMINAL, Status
from upstream.standards import disclosure
from upstream.standards.outcomes import MEASURES
from upstream.standards.vocabularies import NEEDS


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
class Chart:
    """A chart with everything a reader needs beside it: the data table (the accessible,
    complete view), how the figures were made and what to be careful of. ``uri`` is empty when
    nothing may be drawn; ``signals`` are run chart rule signals in words."""

    title: str
    uri: str
    alt: str
    table: Table
    method: str
    caveats: str
    signals: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    scope: str
    headlines: list[Headline]
    tables: list[Table]
    chart_uri: str = ""
    chart_alt: str = ""
    reach: list[Table] = field(default_factory=list)
    conversations: "Conversations | None" = None
    period: str = ""
    funnel: Chart | None = None
    engagement: list[Table] = field(default_factory=list)
    outcomes: list[Table] = field(default_factory=list)
    trends: list[Chart] = field(default_factory=list)

    def every_table(self) -> list[Table]:
        """Every table on the page, in page order (what the exports hold)."""
        found = [Table("Waiting and engagement", ["Figure", "Value", "Over"],
                       [[h.label, h.value, h.note] for h in self.headlines])]
        found += self.tables
        if self.funnel:
            found.append(self.funnel.table)
        found += self.engagement + self.outcomes + [c.table for c in self.trends]
        if self.conversations:
            found.append(self.conversations.table)
        return found + self.reach


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
    attempts: services.Median
    kept: Kept | None
    funnel: dict[str, int]
    attempt_bands: dict[str, int]
    needs: dict[str, int]
    first_contact: services.Median
    by_month: dict[datetime.date, int]

    @classmethod
    def of(cls, teams, period: Period = ALL_TIME) -> "_Counts":
        found = services.referrals_by_team_and_source(teams, period)
        team_names = sorted({team for team, _ in found})
        sources = [s for s in ReferralSource.values if any(src == s for _, src in found)]
        return cls(
            by_team_source={(t, s): found.get((t, s), 0) for t in team_names for s in sources},
            teams=team_names, sources=sources,
            by_status=services.episodes_by_status(teams, period),
            by_decile=services.referrals_by_imd_decile(teams, period),
            by_ethnic_group=services.referrals_by_ethnic_group(teams, period),
            waiting=services.waiting_days(teams, period),
            attempts=services.attempts_to_engage(teams, period),
            kept=kept_from_needing_2_or_3(teams) if period == ALL_TIME else None,
            funnel=services.funnel_stages(teams, period),
            attempt_bands=services.attempts_distribution(teams, period),
            needs=services.referrals_with_need(teams, period),
            first_contact=services.days_to_first_contact(teams, period),
            by_month=services.referrals_by_month(teams, period),
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
    release.count(("median", "attempts"), counts.attempts.n)
    release.count(("median", "first contact"), counts.first_contact.n)
    release.relate([("median", "first contact")], "<=", statuses)
    # The funnel: each episode counted once, at the deepest stage it reached; a stage's figure
    # is the episodes that reached it (its cell and every deeper one). Same episodes as above.
    cells_by_stage = [("funnel cell", stage) for stage in FUNNEL]
    for key in cells_by_stage:
        release.count(key, counts.funnel[key[1]], shown=False)
    for i, stage in enumerate(FUNNEL):
        release.total(("funnel", stage), cells_by_stage[i:])
    release.relate(cells_by_stage, "==", statuses)
    bands = [("attempts", band) for band in counts.attempt_bands]
    for key, n in zip(bands, counts.attempt_bands.values(), strict=True):
        release.count(key, n)
    release.relate(bands, "==", cells_by_stage[FUNNEL.index("engaged"):])
    for code, n in counts.needs.items():
        release.count(("need", code), n)
        release.relate([("need", code)], "<=", cells)
    months = [("month", month) for month in counts.by_month]
    for key, n in zip(months, counts.by_month.values(), strict=True):
        release.count(key, n)
    if months:
        release.relate(months, "==", cells)
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
    value = f"{result.value:.1f} {unit}"
    if result.q1 is not None:
        value += f" (interquartile range {result.q1:.1f} to {result.q3:.1f})"
    return Headline(label, value, over)


def _scope_text(user) -> str:
    teams = services.teams_for(user)
    if user.role == Role.TEAM_LEAD:
        return "Your teams: " + (", ".join(t.name for t in teams) or "none")
    return "All teams"


def dashboard(user, teams=None, period: Period = ALL_TIME, period_text: str = "") -> Dashboard:
    """The de-identified dashboard for ``user`` (team leads: their teams; others: all),
    narrowed to ``teams`` (some of those ``user`` may see; default all of them) and to
    episodes opened and referrals received in ``period``."""
    allowed = services.teams_for(user)
    teams = allowed if teams is None else allowed.filter(pk__in=[t.pk for t in teams])
    counts = _Counts.of(teams, period)
    figures = _release(counts)
    status_labels = {s.value: LABELS[s] for s in Status}
    shown = {status_labels[s]: figures[("status", s)].value for s in counts.by_status
             if figures[("status", s)].value}
    headlines = [h for h in (
        _median_headline("Median wait from referral to allocation", counts.waiting,
                         figures[("median", "waiting")], "days"),
        _median_headline("Median time from referral to first contact attempt",
                         counts.first_contact, figures[("median", "first contact")], "days"),
        _median_headline("Median contact attempts before engaging", counts.attempts,
                         figures[("median", "attempts")], "attempts"),
    ) if h is not None]
    decile_labels = {d: f"Decile {d}" + (" (most deprived)" if d == 1 else "")
                     + (" (least deprived)" if d == 10 else "") for d in range(1, 11)}
    decile_labels[None] = "Not known"
    return Dashboard(
        scope=_scope_text(user),
        period=period_text,
        funnel=_funnel(figures),
        engagement=[_attempts_table(counts, figures), _needs_table(counts, figures)],
        outcomes=_outcome_tables(teams, period),
        trends=[_referrals_run_chart(counts, figures), _first_contact_run_chart(teams, period)],
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


STAGE_LABELS = {
    "referred": "Referred",
    "contacted": "Contacted (the person was reached)",
    "engaged": "Engaged",
    "took_up": "Took up support (a plan with a goal or action)",
    "completed": "Completed (closed after taking up support)",
}
EXIT_LABELS = {
    Status.DECLINED: "Declined",
    Status.NOT_SUITABLE: "Not suitable or rejected",
    Status.DECEASED: "Deceased",
    Status.NOT_ENGAGED: "Dropped off or did not engage",
}


def _funnel(figures: dict) -> Chart:
    """The engagement funnel, its exits, and a bar chart of the stages from the same figures."""
    referred = figures[("funnel", "referred")]
    rows = [[label, figures[("funnel", stage)].display,
             disclosure.percent(figures[("funnel", stage)], referred) or "-"]
            for stage, label in STAGE_LABELS.items()]
    rows += [[f"Exit: {label}", figures[("status", status.value)].display,
              disclosure.percent(figures[("status", status.value)], referred) or "-"]
             for status, label in EXIT_LABELS.items()]
    table = Table("Engagement funnel and exits (episodes)", ["Stage", "Episodes",
                                                             "Per cent of referred"], rows)
    shown = {STAGE_LABELS[stage]: figures[("funnel", stage)].value for stage in FUNNEL
             if figures[("funnel", stage)].value}
    return Chart(
        title="Engagement funnel",
        uri=charts.bar_chart_data_uri(shown, title="Engagement funnel",
                                      axis_title="Episodes") if shown else "",
        alt="Bar chart of the engagement funnel: " + "; ".join(
            f"{label} {n:,}" for label, n in shown.items()) + ". Numbers are rounded to the "
            "nearest 5; stages with hidden numbers are left out; the table below has every "
            "stage and exit.",
        table=table,
        method=("Each episode opened in the period is counted at every stage it reached. "
                "Contacted: a contact attempt reached the person (spoke, engaged or declined), "
                "or the episode moved to engaged. Engaged: the episode was ever moved to "
                "engaged. Took up: engaged and a plan goal or action was recorded. Completed: "
                "took up and then closed as support finished. Exits are episodes closed for "
                "each reason, at whatever stage they left."),
        caveats=("Episodes still open have not finished their journey, so recent periods show "
                 "lower completion. A plan not recorded in Upstream is not counted as taken "
                 "up."),
    )


def _attempts_table(counts: _Counts, figures: dict) -> Table:
    engaged = figures[("funnel", "engaged")]
    rows = [[band, figures[("attempts", band)].display,
             disclosure.percent(figures[("attempts", band)], engaged) or "-"]
            for band in counts.attempt_bands]
    rows.append(["Total engaged", engaged.display, ""])
    return Table("Contact attempts made before engaging", ["Attempts", "Episodes", "Per cent"],
                 rows)


def _needs_table(counts: _Counts, figures: dict) -> Table:
    referred = figures[REFERRALS]
    rows = [[NEEDS[code], figures[("need", code)].display,
             disclosure.percent(figures[("need", code)], referred) or "-"]
            for code in counts.needs]
    rows.append(["All referrals", referred.display, ""])
    return Table("Needs named on referrals (a referral may name several)",
                 ["Need", "Referrals", "Per cent of referrals"], rows)


def _outcome_tables(teams, period: Period) -> list[Table]:
    """Outcome change per measure with any administrations, each table through
    ``disclosure_table`` (its own release)."""
    episodes = period.episodes(teams)
    administrations = Administration.objects.filter(episode__in=episodes)
    recorded = {m for scores in administrations.values_list("scores", flat=True)
                for m in scores}
    tables = []
    for code, measure in MEASURES.items():
        if code not in recorded:
            continue
        frame = cohort_frame(administrations, code, as_of=timezone.localdate())
        if frame.empty:
            continue
        shown = disclosure_table(outcome_change(frame, code))
        tables.append(Table(f"Outcome change: {measure.label}", list(shown.columns),
                            shown.astype(str).values.tolist()))
    return tables


def _month_label(month: datetime.date) -> str:
    return f"{month:%b %Y}"


def _referrals_run_chart(counts: _Counts, figures: dict) -> Chart:
    months = list(counts.by_month)
    shown = [figures[("month", m)] for m in months]
    table = Table("Referrals received each month", ["Month", "Referrals"],
                  [[_month_label(m), f.display] for m, f in zip(months, shown, strict=True)])
    return _run_chart("Referrals each month", "Referrals", months,
                      [f.value for f in shown], table,
                      method=("Referrals received in each calendar month, as published (rounded "
                              "to the nearest 5). "),
                      caveats=("The latest month may be incomplete. Run chart rules are applied "
                               "to the rounded numbers, over the latest months none of which is "
                               "hidden."))


def _first_contact_run_chart(teams, period: Period) -> Chart:
    by_month = services.first_contact_days_by_month(teams, period)
    months = list(by_month)
    medians = [services.summary(days).value if disclosure.enough_for_a_summary(len(days))
               else None for days in by_month.values()]
    table = Table("Median days from referral to first contact attempt, by month referred",
                  ["Month", "Median days"],
                  [[_month_label(m), disclosure.NOT_SHOWN if v is None else f"{v:.1f}"]
                   for m, v in zip(months, medians, strict=True)])
    return _run_chart("Time to first contact", "Median days", months, medians, table,
                      method=("For episodes opened in each month that have a contact attempt, "
                              "the median number of days from referral to the first attempt. "),
                      caveats=(f"Months with fewer than {disclosure.THRESHOLD} such episodes "
                               "are not shown. Episodes not yet contacted are left out, so the "
                               "latest months look quicker than they will end up."))


def _run_chart(title: str, axis: str, months: list, values: list, table: Table, *,
               method: str, caveats: str) -> Chart:
    """A run chart of the published ``values`` (None: hidden), with the median and the rules
    applied to the latest unbroken stretch of shown months (hidden months are never guessed)."""
    labels = [_month_label(m) for m in months]
    points = {label: v for label, v in zip(labels, values, strict=True) if v is not None}
    start = len(values)
    while start > 0 and values[start - 1] is not None:
        start -= 1
    result = spc.run_chart(values[start:], labels[start:]) if start < len(values) else None
    if result is None:
        signals = ["No months to chart." if not values else
                   "Run chart rules not applied: the latest month is hidden to protect small "
                   "numbers."]
    else:
        signals = [result.note, *(s.words for s in result.signals)]
        if start:
            signals.insert(0, f"Median and rules over {len(values) - start} months from "
                              f"{labels[start]}: earlier months include hidden numbers.")
    method += ("The dashed line is the median of the latest unbroken stretch of shown months, "
               "the months the rules are applied to. Run chart rules: a shift is 6 or more "
               "months in a row on one side of the median; a trend is 5 or more months in a "
               "row going up "
               "or down; too few or too many runs (crossings of the median) than chance allows "
               "(5% level); an astronomical point is more than 3 sigma from the median.")
    uri = charts.run_chart_data_uri(points, median=result.median if result else None,
                                    title=title, axis_title=axis) if points else ""
    alt = (f"Run chart of {axis.lower()} by month: " + "; ".join(
        f"{label} {v:,}" if isinstance(v, int) else f"{label} {v:,.1f}"
        for label, v in points.items())
        + (f". Median {result.median:,.1f}. " if result else ". ") + " ".join(signals))
    return Chart(title, uri, alt, table, method, caveats, signals)
