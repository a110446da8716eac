"""The provision and gaps page (the "intelligence hub"): demand for community support beside the
directory's supply, community referral volume per organisation, gaps and stale records.

Every figure on the page belongs to one :class:`~upstream.standards.disclosure.Release`
(docs/adr/0006): zero shown, 1 to 9 as "<10", others rounded to the nearest 5, more hidden as
"[c]" wherever a hidden one could be worked out. Tables hold only the published strings, so the
CSV downloads (written from the same tables) can show nothing the page does not. Which themes
are gaps is decided from published figures only, never from the true counts.

- **Demand** for a theme: episodes (of the teams the user may see) whose referral needs or
  confirmed "what matters" needs include it; community referrals to services filed under it.
- **Supply** for a theme: active directory services filed under it or one of its sub-themes;
  how many say they are accepting referrals, and their median waiting time in days (shown only
  over 10 or more services).
- A service or referral filed under several themes counts once in each, so theme rows are not
  parts of a total.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from upstream.service.connect.models import CommunityReferral
from upstream.service.directory.models import Attribute, Service
from upstream.service.engagement.models import WhatMatters
from upstream.service.insights import charts
from upstream.service.referrals.models import Episode, Referral
from upstream.standards import disclosure, taxonomy
from upstream.standards.vocabularies import NEEDS

STALE_AFTER = relativedelta(months=12)
"""A record not verified for this long is stale."""
VOLUME_MONTHS = 6
"""Months of community referral volume shown per organisation."""
STALE_LISTED = 100
"""At most this many stale services are named (the oldest first)."""


@dataclass(frozen=True)
class Table:
    """A table as published: ``slug`` names its CSV download; each row's first item heads it."""

    slug: str
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Hub:
    scope: str
    demand_supply: Table
    volume: Table
    gaps: Table
    stale: Table
    stale_services: Table
    chart_uri: str
    chart_alt: str

    def tables(self) -> list[Table]:
        return [self.demand_supply, self.volume, self.gaps, self.stale, self.stale_services]

    def table(self, slug: str) -> Table | None:
        return next((t for t in self.tables() if t.slug == slug), None)


def _service_themes() -> dict:
    """``{service id: set of NEEDS theme codes}`` for services filed under the needs taxonomy."""
    themes: dict = defaultdict(set)
    links = (Attribute.objects.filter(link_entity="service", taxonomy_term__code__in=list(
        taxonomy.TERMS)).order_by().values_list("link_id", "taxonomy_term__code"))
    for service_id, code in links:
        themes[service_id].add(taxonomy.TERMS[code].theme)
    return themes


def _episode_demand(teams) -> dict[str, int]:
    """``{theme: episodes with that need recorded}``."""
    episodes = Episode.objects.filter(team__in=teams)
    needs: dict = defaultdict(set)
    for episode_id, codes in (Referral.objects.filter(episode__in=episodes).order_by()
                              .values_list("episode_id", "needs")):
        needs[episode_id].update(codes or [])
    for episode_id, codes in (WhatMatters.objects.filter(episode__in=episodes).order_by()
                              .values_list("episode_id", "needs_confirmed")):
        needs[episode_id].update(codes or [])
    found: dict[str, int] = defaultdict(int)
    for codes in needs.values():
        for theme in {taxonomy.TERMS[c].theme for c in codes if c in taxonomy.TERMS}:
            found[theme] += 1
    return found


def _months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    return [first - relativedelta(months=n) for n in range(VOLUME_MONTHS - 1, -1, -1)]


def build(teams, *, scope: str, today: datetime.date) -> Hub:
    """The page for episodes of ``teams`` (the whole directory's supply), as of ``today``."""
    service_themes = _service_themes()
    active = list(Service.objects.filter(status=Service.Status.ACTIVE).order_by().values(
        "id", "name", "accepting_referrals", "waiting_time_days", "last_verified",
        "organization__name"))
    themes = list(NEEDS)
    demand = _episode_demand(teams)
    community = defaultdict(int)
    referrals = CommunityReferral.objects.filter(episode__team__in=teams)
    for service_id in referrals.order_by().values_list("service_id", flat=True):
        for theme in service_themes.get(service_id, ()):
            community[theme] += 1
    services, accepting, waits, stale = (defaultdict(int), defaultdict(int),
                                         defaultdict(list), defaultdict(int))
    cutoff = today - STALE_AFTER
    stale_rows = []
    for s in active:
        is_stale = s["last_verified"] is None or s["last_verified"] < cutoff
        if is_stale:
            stale_rows.append(s)
        for theme in service_themes.get(s["id"], ()):
            services[theme] += 1
            stale[theme] += is_stale
            if s["accepting_referrals"]:
                accepting[theme] += 1
                if s["waiting_time_days"] is not None:
                    waits[theme].append(s["waiting_time_days"])

    months = _months(today)
    volume: dict[tuple[str, datetime.date], int] = defaultdict(int)
    recent = referrals.filter(referred_at__date__gte=months[0]).order_by()
    for name, at in recent.values_list("organization__name", "referred_at"):
        volume[(name, at.date().replace(day=1))] += 1
    organisations = sorted({name for name, _ in volume})

    release = disclosure.Release()
    for theme in themes:
        release.count(("demand", theme), demand.get(theme, 0))
        release.count(("community", theme), community.get(theme, 0))
        release.count(("services", theme), services.get(theme, 0))
        release.count(("accepting", theme), accepting.get(theme, 0))
        release.count(("waits", theme), len(waits.get(theme, [])))
        release.count(("stale", theme), stale.get(theme, 0))
        release.relate([("accepting", theme)], "<=", [("services", theme)])
        release.relate([("stale", theme)], "<=", [("services", theme)])
    for name in organisations:
        for month in months:
            release.count(("volume", name, month), volume.get((name, month), 0))
        release.total(("volume", name), [("volume", name, m) for m in months])
    release.count("stale total", len(stale_rows))
    shown = release.protect()

    def fig(key) -> str:
        return shown[key].display

    def median(theme) -> str:
        values = waits.get(theme, [])
        if not disclosure.enough_for_a_summary(len(values)) or shown[("waits", theme)].suppressed:
            return disclosure.NOT_SHOWN
        return f"{statistics.median(values):g}"

    demand_supply = Table(
        "demand-and-supply", "Demand and supply by need",
        ["Need", "Episodes with this need", "Community referrals", "Active services",
         "Accepting referrals", "Median wait (days), accepting services",
         "Services behind the median"],
        [[NEEDS[t], fig(("demand", t)), fig(("community", t)), fig(("services", t)),
          fig(("accepting", t)), median(t), fig(("waits", t))] for t in themes])
    volume_table = Table(
        "referrals-by-organisation", f"Community referrals per organisation, last {VOLUME_MONTHS} "
        "months", ["Organisation", *[f"{m:%b %Y}" for m in months], "Total"],
        [[name, *[fig(("volume", name, m)) for m in months], fig(("volume", name))]
         for name in organisations])
    gap_rows = []
    for t in themes:
        wanted = shown[("demand", t)]
        supply = shown[("accepting", t)]
        if wanted.display == "0":
            continue
        if supply.display == "0":
            gap_rows.append([NEEDS[t], fig(("demand", t)), fig(("accepting", t)), "No provision"])
        elif supply.display == disclosure.SMALL:
            gap_rows.append([NEEDS[t], fig(("demand", t)), fig(("accepting", t)),
                             f"Little provision (fewer than {disclosure.THRESHOLD})"])
    gaps = Table("gaps", "Needs with no or little provision accepting referrals",
                 ["Need", "Episodes with this need", "Accepting referrals", "Gap"], gap_rows)
    stale_table = Table(
        "stale-by-need", "Active services not verified in the last 12 months, by need",
        ["Need", "Not verified in 12 months", "Active services"],
        [[NEEDS[t], fig(("stale", t)), fig(("services", t))] for t in themes]
        + [["All active services", fig("stale total"), ""]])
    stale_rows.sort(key=lambda s: (s["last_verified"] or datetime.date.min, s["name"]))
    stale_services = Table(
        "stale-services", "Stale services to check (oldest first)",
        ["Service", "Organisation", "Last verified"],
        [[s["name"] or "(no name)", s["organization__name"],
          f"{s['last_verified']:%d %b %Y}" if s["last_verified"] else "Never"]
         for s in stale_rows[:STALE_LISTED]])
    uri, alt = _chart(themes, shown)
    return Hub(scope, demand_supply, volume_table, gaps, stale_table, stale_services, uri, alt)


def _chart(themes, shown) -> tuple[str, str]:
    """Demand (episodes) beside supply (services accepting referrals) by need, drawing only
    figures the release shows; the alt text says each published figure in words."""
    bars: dict[tuple[str, str], int] = {}
    words = []
    for t in themes:
        wanted, supply = shown[("demand", t)], shown[("accepting", t)]
        words.append(f"{NEEDS[t]}: {wanted.display} episodes, {supply.display} services")
        if not wanted.suppressed:
            bars[(NEEDS[t], "Episodes with this need")] = wanted.value
        if not supply.suppressed:
            bars[(NEEDS[t], "Services accepting referrals")] = supply.value
    if not bars:
        return "", ""
    uri = charts.grouped_bar_chart_data_uri(bars, title="Demand and supply by need",
                                            axis_title="Number (rounded)")
    alt = ("Bar chart of episodes with each need beside services accepting referrals. "
           + "; ".join(words) + ".")
    return uri, alt


def scope_of(teams) -> str:
    """Whose demand the page shows, in words."""
    names = sorted(t.name for t in teams)
    return (f"Demand from {', '.join(names) if names else 'no teams'}; "
            "supply from the whole directory")

