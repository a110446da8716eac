"""Finding the right service: by need, free text, distance, eligibility, opening day and
capacity; ranked, with the facts that say why each one matched.

- **Need**: taxonomy codes (``standards.taxonomy``) and every term filed under them; a service
  matches through an HSDS attribute (``link_entity="service"``) to a term with that code.
- **Free text**: everyday words are read with ``taxonomy.match_text`` ("can't pay my rent" →
  debt advice and housing advice) and services filed under those terms score by how strongly
  the text spoke of them; the text's own words also count where they start a word of the
  service's name (more) or description (less), so feeds that file nothing under the taxonomy
  are still found. Only services that score are found.
- **Distance** from a point (the centroid of the person's postcode): locations inside the box
  around it, then within the radius by haversine; a service's distance is that of its nearest
  location.
- **Eligibility**: age within ``minimum_age``/``maximum_age``; services restricted (eligibility
  attributes ``sex:<code>`` / ``condition:<code>``) to another sex or to conditions the person
  does not have are left out.
- **Opening day** (a schedule with that day in ``byday``) and **accepting referrals**.

Ranking: the score (need filter matches are all equal; text raises it), then services accepting
referrals before the rest, then the nearest, then the shortest wait, then the name and id.
Without text or distance: accepting referrals, then not accepting, then not known; then the
shortest wait, the name and id. Scoring, filtering and ranking run on the in-memory index of
the directory (``search_index``, the same on SQLite and PostgreSQL); only the page of results is
loaded from the database with its details.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db.models import Q, prefetch_related_objects

from upstream.service.directory import search_index
from upstream.service.directory.models import (
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from upstream.service.directory.search_index import EARTH_RADIUS_MILES
from upstream.standards import opening_times, taxonomy
from upstream.standards.taxonomy import ELIGIBILITY_CONDITIONS, ELIGIBILITY_SEX, Term

DEFAULT_RADIUS_MILES = 5.0
MOST_RESULTS = 20
MOST_WORDS = 6
WORDS_PER_TERM = 2

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


def text_weights(text: str) -> tuple[dict[str, int], dict[str, list[str]], list[str]]:
    """What free text asks for: term code → weight, term code → the phrases that said so, and
    the words to look for in names and descriptions. A sub-theme spoken of directly weighs
    3 + the match strength; a theme spoken of only as a whole lends 1 + strength to its
    sub-themes. The words are the text's own significant words plus, for each sub-theme it
    speaks of, its first one-word synonyms ("drinking" also looks for "alcohol"), so feeds
    that file services under no taxonomy are searched in the same everyday terms."""
    weights: dict[str, int] = {}
    phrases: dict[str, list[str]] = defaultdict(list)
    matches = taxonomy.match_text(text)
    for match in matches:
        direct = match.term.parent is not None
        for code in [match.term.code] if direct else taxonomy.descendants([match.term.code]):
            weights[code] = max(weights.get(code, 0),
                                (3 if direct else 1) + match.strength)
            phrases[code].extend(p for p in match.phrases if p not in phrases[code])
    words = [w for w in dict.fromkeys(taxonomy.tokens(text))
             if len(w) >= 4 and w not in _STOPWORDS][:MOST_WORDS]
    for match in matches:
        if match.term.parent is None:
            continue
        synonyms = [tokens[0] for tokens in map(taxonomy.tokens, match.term.synonyms)
                    if len(tokens) == 1 and len(tokens[0]) >= 4]
        words += [w for w in dict.fromkeys(synonyms) if w not in words][:WORDS_PER_TERM]
    return weights, phrases, words[:MOST_WORDS + 2 * WORDS_PER_TERM]


def _eligibility_codes(query: Query) -> tuple[list[str], list[str], list[str]]:
    """Term codes that leave a service out for this person: restricted to another sex; and
    restricted to conditions (``others``) unless also to the person's own (``own``)."""
    other_sex = ([f"sex:{code}" for code in ELIGIBILITY_SEX if code != query.sex]
                 if query.sex in ELIGIBILITY_SEX else [])
    own = [f"condition:{query.condition}"] if query.condition else []
    others = ([f"condition:{code}" for code in ELIGIBILITY_CONDITIONS
               if code != query.condition] if query.condition else [])
    return other_sex, others, own


def _text_scores(index: search_index.Index, weights: dict[str, int],
                 words: list[str]) -> np.ndarray:
    """Per service, the score for free text: each group of matched terms of equal weight that
    the service is filed under counts that weight once; each word counts 2 when a word of the
    name starts with it, 1 when only the description's does."""
    scores = np.zeros(len(index), dtype=np.int64)
    groups: dict[int, list[str]] = defaultdict(list)
    for code, weight in weights.items():
        groups[weight].append(code)
    for weight, codes in groups.items():
        scores += weight * index.filed_under(codes)
    for word in words:
        scores += index.word_weight(word)
    return scores


def _eligible(index: search_index.Index, query: Query) -> np.ndarray:
    """Services the query's filters keep: need, accepting referrals, open on the day, age, and
    not restricted to another sex or to conditions the person does not have."""
    keep = np.ones(len(index), dtype=bool)
    if query.needs:
        keep &= index.filed_under(taxonomy.descendants(query.needs))
    if query.accepting_only:
        keep &= index.accepting == 0
    if query.open_on:
        keep &= index.open_on(query.open_on.upper())
    if query.age is not None:
        keep &= ~(index.minimum_age > query.age) & ~(index.maximum_age < query.age)
    other_sex, other_conditions, own_condition = _eligibility_codes(query)
    if other_sex:
        keep &= ~index.filed_under(other_sex)
    if other_conditions:
        keep &= ~(index.filed_under(other_conditions) & ~index.filed_under(own_condition))
    return keep


def search(query: Query, at: datetime) -> list[Result]:
    """The best ``query.limit`` services for ``query``, ranked, each with why it matched and
    its next opening after ``at`` (a naive local datetime). Unknown need codes raise
    ``KeyError``."""
    weights, phrases, words = text_weights(query.text) if query.text.strip() else ({}, {}, [])
    index = search_index.current()
    keep = _eligible(index, query)
    scores = np.zeros(len(index), dtype=np.int64)
    if query.text.strip():
        scores = _text_scores(index, weights, words)
        keep &= scores > 0
    if query.near:
        found, miles, rows = index.within(query.near.latitude, query.near.longitude,
                                           query.within_miles)
        chosen = keep[found]
        found, miles, rows = found[chosen], miles[chosen], rows[chosen]
        order = np.lexsort((index.rank[found], miles, index.accepting[found] != 0,
                            -scores[found]))[:query.limit]
        ranked = [(int(found[k]), int(scores[found[k]]),
                   (float(miles[k]), index.location_id(rows[k]))) for k in order]
    else:
        found = np.flatnonzero(keep)
        if query.text.strip():  # by score, then rank (below len(index)): one sort key
            order = _smallest(index.rank[found] - scores[found] * len(index), query.limit)
        else:
            order = _smallest(index.need_rank[found], query.limit)
        ranked = [(int(found[k]), int(scores[found[k]]), None) for k in order]
    return _results(index, ranked, query, weights, phrases, words, at)


def _smallest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` smallest ``values``, smallest first."""
    if len(values) > count:
        some = np.argpartition(values, count)[:count]
        return some[np.argsort(values[some])]
    return np.argsort(values)

def restriction(term: TaxonomyTerm) -> str:
    """An eligibility term in words: "Women only", "People with diabetes"."""
    return _restriction(term.code, term.name)


def _restriction(code: str, name: str) -> str:
    kind, _, value = code.partition(":")
    names = ELIGIBILITY_SEX if kind == "sex" else ELIGIBILITY_CONDITIONS
    return names.get(value, name)


def schedule_rules(schedules) -> list[opening_times.Rule]:
    return [opening_times.Rule(
        freq=s.freq, interval=s.interval, byday=s.byday, bymonthday=s.bymonthday,
        dtstart=s.dtstart, until=s.until, count=s.count, valid_from=s.valid_from,
        valid_to=s.valid_to, opens_at=s.opens_at, closes_at=s.closes_at) for s in schedules]


def _results(index: search_index.Index, ranked, query, weights, phrases, words, at
             ) -> list[Result]:
    """The ``ranked`` services (index position, score, (miles, location id) or None) with
    their details: the records from the database, the terms they are filed under from the
    index."""
    ids = [index.service_id(i) for i, _, _ in ranked]
    if not ids:
        return []
    by_id = {s.id: s for s in Service.objects.filter(id__in=ids).select_related("organization")}
    sites = list(ServiceAtLocation.objects.filter(service_id__in=ids).select_related("location"))
    site_of = {sal.id: sal.service_id for sal in sites}
    locations = defaultdict(dict)
    for sal in sites:
        locations[sal.service_id][sal.location_id] = sal.location
    schedules = defaultdict(list)
    for schedule in Schedule.objects.filter(Q(service_id__in=ids)
                                            | Q(service_at_location_id__in=list(site_of))):
        if schedule.service_id in by_id:
            schedules[schedule.service_id].append(schedule)
        if schedule.service_at_location_id in site_of:
            schedules[site_of[schedule.service_at_location_id]].append(schedule)
    asked = taxonomy.descendants(query.needs) if query.needs else set()
    results = []
    for (position, score, near), pk in zip(ranked, ids, strict=True):
        service = by_id.get(pk)
        if service is None:  # deleted by a write that did not record a change (search_index)
            continue
        codes = index.codes_of(position)
        terms = [taxonomy.TERMS[c] for c in codes
                 if c in taxonomy.TERMS and (c in asked or c in weights)]
        restrictions = [_restriction(c, index.term_names[c]) for c in codes
                        if c.startswith(("sex:", "condition:"))]
        own_words = {*taxonomy.tokens(service.name), *taxonomy.tokens(service.description)}
        shown = (locations[pk].get(near[1]) if near
                 else next(iter(locations[pk].values()), None))
        results.append(Result(
            service=service, score=score, terms=terms,
            phrases=list(dict.fromkeys(p for c in codes for p in phrases.get(c, []))),
            words=[w for w in words if any(t.startswith(w) for t in own_words)],
            miles=near[0] if near else None,
            location=shown,
            next_opening=opening_times.soonest(schedule_rules(schedules[pk]), at),
            restrictions=restrictions))
    prefetch_related_objects([r.location for r in results if r.location], "addresses")
    return results
