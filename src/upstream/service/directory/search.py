"""Finding the right service: by need, free text, distance, eligibility, opening day and
capacity; ranked, with the facts that say why each one matched.

- **Need**: taxonomy codes (``standards.taxonomy``) and every term filed under them; a service
  matches through an HSDS attribute (``link_entity="service"``) to a term with that code.
- **Free text**: everyday words are read with ``taxonomy.match_text`` ("can't pay my rent" →
  debt advice and housing advice) and services filed under those terms score by how strongly
  the text spoke of them; the text's own words also count where they start a word of the
  service's name (more) or description (less), so feeds that file nothing under the taxonomy
  are still found.
- **Distance** from a point (the centroid of the person's postcode): a bounding box on the
  indexed latitude and longitude of the services' locations, then haversine in Python for the
  few inside; a service's distance is that of its nearest location.
- **Eligibility**: age within ``minimum_age``/``maximum_age``; services restricted (eligibility
  attributes ``sex:<code>`` / ``condition:<code>``) to another sex or to conditions the person
  does not have are left out.
- **Opening day** (a schedule with that day in ``byday``) and **accepting referrals**.

Ranking: the score (need filter matches are all equal; text raises it), then services accepting
referrals before the rest, then the nearest, then the shortest wait, then the name. Scoring
and filtering happen in the database; only the page of results is loaded with its details.
"""

from __future__ import annotations

import heapq
import math
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
)
from django.db.models.functions import Coalesce

from upstream.service.directory.models import (
    Attribute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from upstream.service.directory.search_index import ServiceWord
from upstream.standards import opening_times, taxonomy
from upstream.standards.taxonomy import ELIGIBILITY_CONDITIONS, ELIGIBILITY_SEX, Term

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.05
DEFAULT_RADIUS_MILES = 5.0
MOST_RESULTS = 20
MOST_WORDS = 6
WORDS_PER_TERM = 2
CLOSED = (Service.Status.INACTIVE, Service.Status.DEFUNCT, Service.Status.TEMPORARILY_CLOSED)
"""Statuses never found (every other status is ``active``)."""
CANDIDATES_NEAR = 3000
"""At most this many services in the distance box are measured."""
CANDIDATES_TEXT = 2000
"""Free text ranks at most this many best-scoring services (ties at the cut fall either way)."""

_STOPWORDS = frozenset("""
a about after all also am an and any are as at back be been being but by can cant could day
days did doe doesnt dont for from get getting got ha had hasnt have he help her him hi his how
i im in into is isnt it its just keep last like lot me more most much my need no not now of
off on one or our out over own really said say see she since so some still support than that
the their them then there they thi to too two up very wa want way we week well were what when
which who will with would year yet you your people person patient report mum dad son daughter
wife husband partner family kid child children time thing going struggling worried feel
feeling
""".split())
"""Words too common to say anything about a service (compared as normalised tokens)."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Query:
    """What to look for. Every part is optional; an empty query finds every active service."""

    needs: tuple[str, ...] = ()
    text: str = ""
    near: Point | None = None
    within_miles: float = DEFAULT_RADIUS_MILES
    age: int | None = None
    sex: str = ""
    condition: str = ""
    open_on: str = ""
    accepting_only: bool = False
    limit: int = MOST_RESULTS


@dataclass
class Result:
    """One service found, with the facts that say why it is there."""

    service: Service
    score: int
    terms: list[Term] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    miles: float | None = None
    location: Location | None = None
    next_opening: opening_times.Opening | None = None
    restrictions: list[str] = field(default_factory=list)


def haversine_miles(a: Point, b: Point) -> float:
    """Great-circle distance in miles."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def _box(centre: Point, miles: float, prefix: str = "") -> Q:
    """Locations (``prefix`` + ``location__``) inside the box around ``centre``."""
    dlat = miles / MILES_PER_DEGREE_LATITUDE
    dlon = miles / (MILES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(centre.latitude)), 0.01))
    return Q(**{f"{prefix}location__latitude__range": (centre.latitude - dlat,
                                                        centre.latitude + dlat),
                f"{prefix}location__longitude__range": (centre.longitude - dlon,
                                                         centre.longitude + dlon)})


def _service_ids_with(term_ids) -> Attribute:
    return Attribute.objects.filter(link_entity="service",
                                    taxonomy_term_id__in=term_ids).values("link_id")


def _has_term(term_ids) -> Exists:
    return Exists(Attribute.objects.filter(link_entity="service", link_id=OuterRef("pk"),
                                           taxonomy_term_id__in=term_ids))


def _term_ids(codes) -> dict[str, list]:
    ids: dict[str, list] = defaultdict(list)
    for pk, code in TaxonomyTerm.objects.filter(code__in=list(codes)).order_by().values_list(
            "id", "code"):
        ids[code].append(pk)
    return ids


def text_weights(text: str) -> tuple[dict[str, int], dict[str, list[str]], list[str]]:
    """What free text asks for: term code → weight, term code → the phrases that said so, and
    the words to look for in names and descriptions. A sub-theme spoken of directly weighs
    3 + the match strength; a theme spoken of only as a whole lends 1 + strength to its
    sub-themes. The words are the text's own significant words plus, for each sub-theme it
    speaks of, its first one-word synonyms ("drinking" also looks for "alcohol"), so feeds
    that file services under no taxonomy are searched in the same everyday terms."""
    weights: dict[str, int] = {}
    phrases: dict[str, list[str]] = defaultdict(list)
    for match in taxonomy.match_text(text):
        direct = match.term.parent is not None
        for code in [match.term.code] if direct else taxonomy.descendants([match.term.code]):
            weights[code] = max(weights.get(code, 0),
                                (3 if direct else 1) + match.strength)
            phrases[code].extend(p for p in match.phrases if p not in phrases[code])
    words = [w for w in dict.fromkeys(taxonomy.tokens(text))
             if len(w) >= 4 and w not in _STOPWORDS][:MOST_WORDS]
    for match in taxonomy.match_text(text):
        if match.term.parent is None:
            continue
        synonyms = [tokens[0] for tokens in map(taxonomy.tokens, match.term.synonyms)
                    if len(tokens) == 1 and len(tokens[0]) >= 4]
        words += [w for w in dict.fromkeys(synonyms) if w not in words][:WORDS_PER_TERM]
    return weights, phrases, words[:MOST_WORDS + 2 * WORDS_PER_TERM]


def _starting(word: str, prefix: str = "") -> Q:
    """Index words starting with ``word``: a range, which both databases serve from the index
    (tokens are lower-case letters and digits, and "{" sorts after "z")."""
    return Q(**{f"{prefix}word__gte": word, f"{prefix}word__lt": word + "{"})


def _text_scores(weights: dict[str, int], term_ids: dict[str, list],
                 words: list[str], among: set | None = None) -> dict:
    """Service id → score for free text, from the two indexes: each weight group of matched
    terms the service is filed under counts its weight once; each word counts 2 when a word of
    the name starts with it, 1 when only the description's does. ``among``: only these
    services (those near a point), looked up by service rather than by word."""
    weight_of = {pk: weights[code] for code, pks in term_ids.items() if code in weights
                 for pk in pks}
    scores: dict = defaultdict(int)
    counted = set()
    filed = Attribute.objects.filter(link_entity="service", taxonomy_term_id__in=list(weight_of))
    worded = ServiceWord.objects.filter(reduce(operator.or_, map(_starting, words or [""])))
    if among is not None:
        filed, worded = filed.filter(link_id__in=among), worded.filter(service_id__in=among)
    for service_id, term in filed.values_list("link_id", "taxonomy_term_id"):
        if (service_id, weight_of[term]) not in counted:
            counted.add((service_id, weight_of[term]))
            scores[service_id] += weight_of[term]
    best: dict = {}
    if words:
        for service_id, word, weight in worded.values_list("service_id", "word", "weight"):
            for asked in words:
                if word.startswith(asked) and weight > best.get((service_id, asked), 0):
                    best[(service_id, asked)] = weight
    for (service_id, _), weight in best.items():
        scores[service_id] += weight
    return scores


def _eligibility_codes(query: Query) -> tuple[list[str], list[str], list[str]]:
    """Term codes that leave a service out for this person: restricted to another sex; and
    restricted to conditions (``others``) unless also to the person's own (``own``)."""
    other_sex = ([f"sex:{code}" for code in ELIGIBILITY_SEX if code != query.sex]
                 if query.sex in ELIGIBILITY_SEX else [])
    own = [f"condition:{query.condition}"] if query.condition else []
    others = ([f"condition:{code}" for code in ELIGIBILITY_CONDITIONS
               if code != query.condition] if query.condition else [])
    return other_sex, others, own


def _ids(term_ids: dict[str, list], codes) -> list:
    return [pk for code in codes for pk in term_ids.get(code, [])]


def _filtered(query: Query, term_ids: dict[str, list], candidates: list | None):
    # "Not closed" rather than "active": almost every service is active, and a condition the
    # status index cannot serve lets SQLite drive the query from the term index instead.
    services = Service.objects.exclude(status__in=CLOSED)
    if query.needs:
        services = services.filter(id__in=_service_ids_with(
            _ids(term_ids, taxonomy.descendants(query.needs))))
    if candidates is not None:
        services = services.filter(id__in=candidates)
    if query.accepting_only:
        services = services.filter(accepting_referrals=True)
    if query.open_on:
        day = query.open_on.upper()
        services = services.filter(
            Exists(Schedule.objects.filter(service=OuterRef("pk"), byday__contains=day))
            | Exists(Schedule.objects.filter(service_at_location__service=OuterRef("pk"),
                                             byday__contains=day)))
    if query.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age))
    other_sex, other_conditions, own_condition = _eligibility_codes(query)
    if _ids(term_ids, other_sex):
        services = services.exclude(_has_term(_ids(term_ids, other_sex)))
    if _ids(term_ids, other_conditions):
        services = services.exclude(_has_term(_ids(term_ids, other_conditions))
                                    & ~_has_term(_ids(term_ids, own_condition)))
    return services


def search(query: Query, at: datetime) -> list[Result]:
    """The best ``query.limit`` services for ``query``, ranked, each with why it matched and
    its next opening after ``at`` (a naive local datetime). Unknown need codes raise
    ``KeyError``."""
    weights, phrases, words = text_weights(query.text) if query.text.strip() else ({}, {}, [])
    needs = taxonomy.descendants(query.needs)
    term_ids = _term_ids({*needs, *weights, *(c for codes in _eligibility_codes(query)
                                              for c in codes)})
    scores, candidates = {}, None
    if query.text.strip():
        # Near a point, the best services inside its box, not the best nationally.
        among = set(ServiceAtLocation.objects.filter(_box(query.near, query.within_miles))
                    .values_list("service_id", flat=True)) if query.near else None
        scores = _text_scores(weights, term_ids, words, among)
        candidates = heapq.nlargest(CANDIDATES_TEXT, scores, key=scores.__getitem__)
    services = _filtered(query, term_ids, candidates)
    if query.near:
        ranked = _nearest(services, query, scores)
    elif candidates is None:
        ranked = [(pk, 0, None) for pk in services.order_by(
            F("accepting_referrals").desc(nulls_last=True),
            Coalesce("waiting_time_days", Value(10_000)), "name", "id",
        ).values_list("id", flat=True)[:query.limit]]
    else:
        rows = services.values_list("id", "accepting_referrals", "waiting_time_days", "name")
        ranked = [(r[0], scores[r[0]], None) for r in sorted(rows, key=lambda r: (
            -scores[r[0]], r[1] is not True, r[2] if r[2] is not None else 10_000, r[3],
            str(r[0])))[:query.limit]]
    return _results(ranked, query, weights, phrases, words, at)


def _nearest(services, query: Query, scores: dict) -> list[tuple]:
    """Rank the services with a location within the radius: the box on the indexed latitude
    and longitude in the query (one row per service and location inside it), then haversine."""
    rows = services.filter(_box(query.near, query.within_miles, "service_at_locations__")
                           ).values_list(
        "id", "accepting_referrals", "waiting_time_days", "name",
        "service_at_locations__location_id", "service_at_locations__location__latitude",
        "service_at_locations__location__longitude")[:CANDIDATES_NEAR]
    nearest: dict = {}
    facts: dict = {}
    for pk, accepting, waiting, name, location_id, lat, lon in rows:
        score = scores.get(pk, 0)
        miles = haversine_miles(query.near, Point(lat, lon))
        if miles <= query.within_miles and (pk not in nearest or miles < nearest[pk][0]):
            nearest[pk] = (miles, location_id)
            facts[pk] = (score, accepting, waiting, name)
    ranked = sorted(nearest, key=lambda pk: (
        -facts[pk][0], facts[pk][1] is not True, nearest[pk][0],
        facts[pk][2] if facts[pk][2] is not None else 10_000, facts[pk][3]))
    return [(pk, facts[pk][0], nearest[pk]) for pk in ranked[:query.limit]]


def restriction(term: TaxonomyTerm) -> str:
    """An eligibility term in words: "Women only", "People with diabetes"."""
    kind, _, code = term.code.partition(":")
    names = ELIGIBILITY_SEX if kind == "sex" else ELIGIBILITY_CONDITIONS
    return names.get(code, term.name)


def schedule_rules(schedules) -> list[opening_times.Rule]:
    return [opening_times.Rule(
        freq=s.freq, interval=s.interval, byday=s.byday, bymonthday=s.bymonthday,
        dtstart=s.dtstart, until=s.until, count=s.count, valid_from=s.valid_from,
        valid_to=s.valid_to, opens_at=s.opens_at, closes_at=s.closes_at) for s in schedules]


def _results(ranked, query, weights, phrases, words, at) -> list[Result]:
    ids = [pk for pk, _, _ in ranked]
    if not ids:
        return []
    sites = ServiceAtLocation.objects.select_related("location").prefetch_related(
        "location__addresses")
    services = Service.objects.filter(id__in=ids).select_related("organization").prefetch_related(
        Prefetch("service_at_locations", queryset=sites))
    by_id = {s.id: s for s in services}
    schedules = defaultdict(list)
    for schedule in Schedule.objects.filter(service_id__in=ids):
        schedules[schedule.service_id].append(schedule)
    for schedule in Schedule.objects.filter(service_at_location__service_id__in=ids).annotate(
            owner=F("service_at_location__service_id")):
        schedules[schedule.owner].append(schedule)
    attributes = defaultdict(list)
    for attribute in Attribute.for_records("service", ids):
        attributes[attribute.link_id].append(attribute)
    asked = taxonomy.descendants(query.needs) if query.needs else set()
    results = []
    for pk, score, near in ranked:
        service = by_id[pk]
        codes = [a.taxonomy_term.code for a in attributes[pk]]
        terms = [taxonomy.TERMS[c] for c in codes
                 if c in taxonomy.TERMS and (c in asked or c in weights)]
        restrictions = [restriction(a.taxonomy_term) for a in attributes[pk]
                        if a.taxonomy_term.code.startswith(("sex:", "condition:"))]
        own_words = {*taxonomy.tokens(service.name), *taxonomy.tokens(service.description)}
        locations = {sal.location_id: sal.location for sal in service.service_at_locations.all()}
        results.append(Result(
            service=service, score=score, terms=terms,
            phrases=list(dict.fromkeys(p for c in codes for p in phrases.get(c, []))),
            words=[w for w in words if any(t.startswith(w) for t in own_words)],
            miles=near[0] if near else None,
            location=locations.get(near[1]) if near else next(iter(locations.values()), None),
            next_opening=opening_times.soonest(schedule_rules(schedules[pk]), at),
            restrictions=restrictions))
    return results
