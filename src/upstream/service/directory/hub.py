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

**Areas** are postcode districts (the outward code, ``LE1`` of ``LE1 6TP``): the one geography
both sides carry without extra reference data (ADR 0018). An episode's area is its person's home
postcode district (``Not recorded`` without one), so a theme's demand is the sum of its areas'
(declared to the release as a total); a community referral's area is its person's; a service's
areas are those of its locations' addresses (``No postcode`` for a service without one, such as
a phone line), so a service with several sites counts in each of their districts.

**Provision within a distance**: for each episode with a need and a home postcode the postcode
directory knows (``upstream postcodes``), the active services of that need's theme that are not
closed to referrals (accepting or not known) with a located site within ``miles`` of the home
postcode's centroid are counted; episodes with none, and with fewer than
:data:`LITTLE_PROVISION`, are published by theme and area. Services with no located site
(online, phone) are not counted: they may still help.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from upstream.service.connect.models import CommunityReferral
from upstream.service.directory.models import Address, Attribute, Service, ServiceAtLocation
from upstream.service.directory.search import Point, haversine_miles
from upstream.service.engagement.models import WhatMatters
from upstream.service.insights import charts
from upstream.service.referrals.models import Episode, Referral
from upstream.standards import disclosure, taxonomy
from upstream.standards import postcode as postcodes
from upstream.standards.postcode_directory import PostcodeDirectory
from upstream.standards.vocabularies import NEEDS

STALE_AFTER = relativedelta(months=12)
"""A record not verified for this long is stale."""
VOLUME_MONTHS = 6
"""Months of community referral volume shown per organisation."""
STALE_LISTED = 100
"""At most this many stale services are named (the oldest first)."""
MILES = (1, 3, 5, 10, 25)
"""The distances the page offers for "provision within a distance"."""
DEFAULT_MILES = 5
LITTLE_PROVISION = 3
"""Fewer services than this within the distance is "little provision"."""
NOT_RECORDED = "Not recorded"
"""The area of an episode whose person has no (valid) home postcode."""
NO_POSTCODE = "No postcode"
"""The area of a service none of whose sites has a (valid) postcode."""
BANDS = {"none": ("none",), "little": ("little",), "located": ("none", "little", "enough")}
"""Published distance figures and the bands of located episodes each adds up ("enough" is
never published on its own)."""
AREA_CHART_ROWS = 15
"""The need-and-area pairs with most published demand drawn in the area chart."""


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
    by_area: Table
    area_chart_uri: str
    area_chart_alt: str
    distance: Table
    miles: int
    located: bool
    """Whether a postcode directory is loaded (without one no home can be placed)."""

    def tables(self) -> list[Table]:
        return [self.demand_supply, self.by_area, self.distance, self.volume, self.gaps,
                self.stale, self.stale_services]

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


def _episode_themes(teams) -> dict:
    """``{episode id: set of NEEDS themes recorded}`` for episodes of ``teams`` with a need."""
    episodes = Episode.objects.filter(team__in=teams)
    needs: dict = defaultdict(set)
    for episode_id, codes in (Referral.objects.filter(episode__in=episodes).order_by()
                              .values_list("episode_id", "needs")):
        needs[episode_id].update(codes or [])
    for episode_id, codes in (WhatMatters.objects.filter(episode__in=episodes).order_by()
                              .values_list("episode_id", "needs_confirmed")):
        needs[episode_id].update(codes or [])
    themes = {episode_id: {taxonomy.TERMS[c].theme for c in codes if c in taxonomy.TERMS}
              for episode_id, codes in needs.items()}
    return {episode_id: found for episode_id, found in themes.items() if found}


def area_of(postcode: str, *, missing: str = NOT_RECORDED) -> str:
    """The postcode district of ``postcode``, or ``missing`` when it is empty or not a UK
    postcode."""
    return postcodes.district(postcode or "") or missing


def _service_areas(service_ids) -> dict:
    """``{service id: set of postcode districts of its sites}`` (``NO_POSTCODE`` if none)."""
    areas: dict = defaultdict(set)
    for service_id, code in (Address.objects.filter(
            location__service_at_locations__service_id__in=service_ids).order_by()
            .values_list("location__service_at_locations__service_id", "postal_code")):
        district = postcodes.district(code)
        if district:
            areas[service_id].add(district)
    return {s: areas.get(s) or {NO_POSTCODE} for s in service_ids}


def _sites(service_ids) -> dict:
    """``{service id: [Point]}``: the located sites of the services."""
    sites: dict = defaultdict(list)
    for service_id, lat, lon in (ServiceAtLocation.objects.filter(
            service_id__in=service_ids, location__latitude__isnull=False,
            location__longitude__isnull=False).order_by()
            .values_list("service_id", "location__latitude", "location__longitude")):
        sites[service_id].append(Point(lat, lon))
    return sites


def _nearby(home: Point, sites_by_service: dict, service_ids, miles: float) -> int:
    """How many of ``service_ids`` have a site within ``miles`` of ``home``."""
    return sum(1 for s in service_ids
               if any(haversine_miles(home, p) <= miles for p in sites_by_service.get(s, ())))


def _area_counts(episode_themes, homes, referrals, service_themes, active) -> tuple:
    """``{(theme, district): count}`` of episodes, community referrals, active services and
    those accepting referrals (``area_of`` for people; ``_service_areas`` for services)."""
    demand, community = defaultdict(int), defaultdict(int)
    for episode_id, found in episode_themes.items():
        for theme in found:
            demand[(theme, area_of(homes[episode_id]))] += 1
    for service_id, home in referrals.order_by().values_list("service_id",
                                                             "episode__person__postcode"):
        for theme in service_themes.get(service_id, ()):
            community[(theme, area_of(home))] += 1
    service_areas = _service_areas([s["id"] for s in active])
    services, accepting = defaultdict(int), defaultdict(int)
    for s in active:
        for theme in service_themes.get(s["id"], ()):
            for area in service_areas[s["id"]]:
                services[(theme, area)] += 1
                accepting[(theme, area)] += bool(s["accepting_referrals"])
    return demand, community, services, accepting


def _within(episode_themes, homes, service_themes, active, miles: float, centroids) -> dict:
    """``{(theme, district): [none, little, enough]}``: episodes placed at their home
    postcode's centroid (``centroids``) by how many open services (active, not closed to
    referrals) of each of their needs' themes have a site within ``miles``."""
    within: dict = defaultdict(lambda: [0, 0, 0])
    if not centroids:
        return within
    open_ids = defaultdict(list)
    for s in active:
        if s["accepting_referrals"] is not False:
            for theme in service_themes.get(s["id"], ()):
                open_ids[theme].append(s["id"])
    sites = _sites([s["id"] for s in active])
    for episode_id, found in episode_themes.items():
        home = centroids.get(homes[episode_id])
        if home is None:
            continue
        for theme in found:
            near = _nearby(Point(*home), sites, open_ids[theme], miles)
            band = 0 if near == 0 else 1 if near < LITTLE_PROVISION else 2
            within[(theme, area_of(homes[episode_id]))][band] += 1
    return within


def _months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    return [first - relativedelta(months=n) for n in range(VOLUME_MONTHS - 1, -1, -1)]


def build(teams, *, scope: str, today: datetime.date, miles: int = DEFAULT_MILES,
          postcode_directory: PostcodeDirectory | None = None) -> Hub:
    """The page for episodes of ``teams`` (the whole directory's supply), as of ``today``;
    provision "within a distance" is within ``miles`` of homes placed by ``postcode_directory``
    (none: no home is placed, and the page says so)."""
    service_themes = _service_themes()
    active = list(Service.objects.filter(status=Service.Status.ACTIVE).order_by().values(
        "id", "name", "accepting_referrals", "waiting_time_days", "last_verified",
        "organization__name"))
    themes = list(NEEDS)
    episode_themes = _episode_themes(teams)
    homes = dict(Episode.objects.filter(pk__in=list(episode_themes)).order_by()
                 .values_list("id", "person__postcode"))
    referrals = CommunityReferral.objects.filter(episode__team__in=teams)
    demand_by_area, community_by_area, services_by_area, accepting_by_area = _area_counts(
        episode_themes, homes, referrals, service_themes, active)
    placed = postcode_directory is not None and postcode_directory.available
    within = _within(episode_themes, homes, service_themes, active, miles,
                     postcode_directory.centroids(homes.values()) if placed else {})
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

    areas = {t: sorted({a for (th, a) in [*demand_by_area, *community_by_area,
                                          *services_by_area] if th == t}) for t in themes}
    release = disclosure.Release()
    for theme in themes:
        for area in areas[theme]:
            key = (theme, area)
            release.count(("demand", *key), demand_by_area.get(key, 0))
            release.count(("community", *key), community_by_area.get(key, 0))
            release.count(("services", *key), services_by_area.get(key, 0))
            release.count(("accepting", *key), accepting_by_area.get(key, 0))
            release.relate([("accepting", *key)], "<=", [("services", *key)])
            if key in within:
                for band, n in zip(BANDS["located"], within[key], strict=True):
                    release.count((band, *key), n, shown=band != "enough")
                release.total(("located", *key), [(b, *key) for b in BANDS["located"]])
                release.relate([(b, *key) for b in BANDS["located"]], "<=", [("demand", *key)])
        release.total(("demand", theme), [("demand", theme, a) for a in areas[theme]])
        release.total(("community", theme), [("community", theme, a) for a in areas[theme]])
        located = [a for a in areas[theme] if (theme, a) in within]
        if located:
            for band, counted in BANDS.items():
                release.total((band, theme), [(b, theme, a) for a in located for b in counted])
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
    pairs = [(t, a) for t in themes for a in areas[t]]
    by_area = Table(
        "demand-and-supply-by-area", "Demand and supply by need and postcode district",
        ["Need", "Postcode district", "Episodes with this need", "Community referrals",
         "Active services", "Accepting referrals"],
        [[NEEDS[t], a, fig(("demand", t, a)), fig(("community", t, a)),
          fig(("services", t, a)), fig(("accepting", t, a))] for t, a in pairs])
    distance_rows = []
    for t in themes:
        located = [a for a in areas[t] if (t, a) in within]
        if located:
            distance_rows.append([NEEDS[t], "All districts", *(fig((b, t)) for b in BANDS)])
            distance_rows += [[NEEDS[t], a, *(fig((b, t, a)) for b in BANDS)] for a in located]
    distance = Table(
        "provision-within-distance", f"Needs with no or little provision within {miles} "
        f"mile{'s' if miles != 1 else ''} of home",
        ["Need", "Postcode district", f"No service within {miles} miles",
         f"1 to {LITTLE_PROVISION - 1} services within {miles} miles",
         "Episodes with a known home postcode"],
        distance_rows)
    area_uri, area_alt = _area_chart(pairs, shown)
    return Hub(scope, demand_supply, volume_table, gaps, stale_table, stale_services, uri, alt,
               by_area, area_uri, area_alt, distance, miles, placed)


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


def _area_chart(pairs, shown) -> tuple[str, str]:
    """Episodes beside active services for the need-and-district pairs with most published
    demand (at most ``AREA_CHART_ROWS``), drawing only published figures; the alt text says
    each drawn pair's published figures in words."""
    def demand(pair):
        figure = shown[("demand", *pair)]
        return figure.value or 0
    chosen = sorted((p for p in pairs if demand(p) > 0 and p[1] != NOT_RECORDED),
                    key=lambda p: (-demand(p), NEEDS[p[0]], p[1]))[:AREA_CHART_ROWS]
    bars: dict[tuple[str, str], int] = {}
    words = []
    for t, a in chosen:
        wanted, supply = shown[("demand", t, a)], shown[("services", t, a)]
        label = f"{NEEDS[t]}, {a}"
        words.append(f"{label}: {wanted.display} episodes, {supply.display} services")
        bars[(label, "Episodes with this need")] = wanted.value
        if not supply.suppressed:
            bars[(label, "Active services")] = supply.value
    if not bars:
        return "", ""
    uri = charts.grouped_bar_chart_data_uri(
        bars, title="Demand and supply by need and postcode district",
        axis_title="Number (rounded)")
    alt = ("Bar chart of episodes with each need beside active services in the same postcode "
           "district, for the districts with most demand. " + "; ".join(words) + ".")
    return uri, alt


def scope_of(teams) -> str:
    """Whose demand the page shows, in words."""
    names = sorted(t.name for t in teams)
    return (f"Demand from {', '.join(names) if names else 'no teams'}; "
            "supply from the whole directory")

