"""The directory as search reads it, held in memory as arrays (ADR 0018).

``current()`` is what ``search`` scores and filters: one row position per service that can be
found (not closed), with its capacity, wait and age limits; the taxonomy term codes it is filed
under (a sparse services × terms matrix); the words of its name and description (a sparse
words × services matrix of weights, 2 in the name and 1 in the description only, the words
sorted so that every word starting "rent" is one slice); the days its schedules name; and the
coordinates of its locations. Scoring, filtering and ranking 100,000 services is then a few
vectorised numpy operations; only the page of results is loaded through the ORM.

**Keeping it current** across writes and application processes: a one-row table
(``DirectoryGeneration``) holds a token replaced, in the writing transaction, by every change
to what search reads (a service, location, service-at-location, schedule, attribute or
taxonomy term saved or deleted, and every directory import, whose bulk writes send no per-row
signals: ``signals.py``). Each search reads the token (one primary-key query) and, when it is not
the one the index was built at, rebuilds the index from the database first. Tokens are random,
never counted, so a rolled-back change cannot leave a later, different change with the token of
an index built inside it. A write that bypasses model signals (``QuerySet.update``,
``bulk_create``, raw SQL) must call ``changed()`` in its transaction.
"""

from __future__ import annotations

import bisect
import math
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Cast
from scipy import sparse

from upstream.service.directory.models import (
    Attribute,
    Schedule,
    Service,
    ServiceAtLocation,
)
from upstream.standards.taxonomy import tokens

MIN_LENGTH = 3
IN_NAME, IN_DESCRIPTION = 2, 1
NO_WAIT = 10_000
"""The wait a service with none recorded ranks as (after every recorded wait)."""
CLOSED = (Service.Status.INACTIVE, Service.Status.DEFUNCT, Service.Status.TEMPORARILY_CLOSED)
"""Statuses never found (every other status is ``active``)."""
EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.05


class DirectoryGeneration(models.Model):
    """The one row (``pk=1``) whose token changes with every change search would see."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        app_label = "directory"


def changed() -> None:
    """Record that the directory changed (in the caller's transaction): every process
    rebuilds its index before its next search."""
    token = uuid.uuid4()
    if DirectoryGeneration.objects.filter(pk=1).update(token=token):
        return
    try:
        with transaction.atomic():
            DirectoryGeneration.objects.create(pk=1, token=token)
    except IntegrityError:  # created meanwhile by another writer
        DirectoryGeneration.objects.filter(pk=1).update(token=token)


def generation() -> uuid.UUID | None:
    """The token now (None before the first change)."""
    return DirectoryGeneration.objects.filter(pk=1).values_list("token", flat=True).first()


def words_of(name: str, description: str) -> dict[str, int]:
    """Each distinct word (at least ``MIN_LENGTH`` letters, normalised as
    ``taxonomy.tokens`` normalises text) with its weight."""
    found = {w[:40]: IN_DESCRIPTION for w in tokens(description) if len(w) >= MIN_LENGTH}
    found.update({w[:40]: IN_NAME for w in tokens(name) if len(w) >= MIN_LENGTH})
    return found


def _text(field: str) -> Cast:
    """An id column read as text: the same on every row of one database and cheaper than
    making 600,000 ``UUID`` objects for a build (only the page of results needs them)."""
    return Cast(field, output_field=models.CharField())


def _ranks(keys: list) -> np.ndarray:
    """Position of each element in the order of ``keys`` (0 = first)."""
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    return ranks


@dataclass
class Index:
    """The findable services as arrays, position ``i`` being the service ``ids[i]``."""

    token: uuid.UUID | None
    ids: list[str]
    """Service ids as text (``service_id`` gives the ``UUID``)."""
    accepting: np.ndarray
    """True → 0, False → 1, not known → 2."""
    minimum_age: np.ndarray
    maximum_age: np.ndarray
    need_rank: np.ndarray
    """Rank by accepting (yes, no, not known), wait, name, id: the order of a search without
    text or distance."""
    rank: np.ndarray
    """Rank by accepting (yes before the rest), wait, name, id: ties after score and miles."""
    terms: sparse.csc_matrix
    term_columns: dict[str, int]
    term_codes: list[str]
    """Column → term code."""
    filed: sparse.csr_matrix
    """``terms`` by service: the columns of a service's terms in one slice."""
    term_names: dict[str, str]
    """Term code → the name of (one of) its terms."""
    vocabulary: list[str]
    words: sparse.csr_matrix
    bydays: list[str]
    location_service: np.ndarray
    location_ids: list[str]
    latitude: np.ndarray
    longitude: np.ndarray
    _days: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def service_id(self, position: int) -> uuid.UUID:
        return uuid.UUID(self.ids[position])

    def location_id(self, row: int) -> uuid.UUID:
        return uuid.UUID(self.location_ids[row])

    def filed_under(self, codes) -> np.ndarray:
        """Services filed under any of the term ``codes``."""
        columns = [self.term_columns[c] for c in codes if c in self.term_columns]
        if not columns:
            return np.zeros(len(self), dtype=bool)
        return np.asarray(self.terms[:, columns].sum(axis=1)).ravel() > 0

    def codes_of(self, position: int) -> list[str]:
        """The term codes the service at ``position`` is filed under."""
        columns = self.filed.indices[self.filed.indptr[position]:self.filed.indptr[position + 1]]
        return [self.term_codes[c] for c in sorted(columns)]

    def word_weight(self, start: str) -> np.ndarray:
        """Per service, the weight of its best word starting with ``start`` (0: none)."""
        low = bisect.bisect_left(self.vocabulary, start)
        high = bisect.bisect_left(self.vocabulary, start + "{", low)  # "{" sorts after "z"
        best = np.zeros(len(self), dtype=np.int64)
        begin, end = self.words.indptr[low], self.words.indptr[high]
        services, weights = self.words.indices[begin:end], self.words.data[begin:end]
        for weight in (IN_DESCRIPTION, IN_NAME):  # the heavier written last wins
            best[services[weights == weight]] = weight
        return best

    def open_on(self, day: str) -> np.ndarray:
        """Services with a schedule (of their own or at a location) whose ``byday`` has
        ``day``."""
        if day not in self._days:
            self._days[day] = np.fromiter((day in d for d in self.bydays), dtype=bool,
                                          count=len(self))
        return self._days[day]

    def within(self, latitude: float, longitude: float, miles: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Services with a location within ``miles``: their positions, the miles to their
        nearest location and its row in ``location_ids``."""
        dlat = miles / MILES_PER_DEGREE_LATITUDE
        dlon = miles / (MILES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(latitude)), 0.01))
        rows = np.flatnonzero((np.abs(self.latitude - latitude) <= dlat)
                              & (np.abs(self.longitude - longitude) <= dlon))
        lat1, lat2 = math.radians(latitude), np.radians(self.latitude[rows])
        h = (np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2)
             * np.sin(np.radians(self.longitude[rows] - longitude) / 2) ** 2)
        distance = 2 * EARTH_RADIUS_MILES * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        keep = distance <= miles
        rows, distance = rows[keep], distance[keep]
        services = self.location_service[rows]
        order = np.lexsort((distance, services))
        first = order[np.r_[True, services[order][1:] != services[order][:-1]]] \
            if len(order) else order
        return services[first], distance[first], rows[first]


def build(token: uuid.UUID | None = None) -> Index:
    """The index of the directory as the database holds it now, labelled ``token``."""
    rows = list(Service.objects.exclude(status__in=CLOSED).order_by().values_list(
        _text("id"), "name", "description", "accepting_referrals", "waiting_time_days",
        "minimum_age", "maximum_age"))
    ids = [r[0] for r in rows]
    position = {pk: i for i, pk in enumerate(ids)}
    names = [(r[1], r[0]) for r in rows]  # ids as text sort as UUIDs do
    accepting = np.array([{True: 0, False: 1}.get(r[3], 2) for r in rows], dtype=np.int8)
    waiting = [r[4] if r[4] is not None else NO_WAIT for r in rows]
    name_rank = _ranks(names)
    need_rank = _ranks(list(zip(accepting.tolist(), waiting, name_rank.tolist(), strict=True)))
    rank = _ranks(list(zip((accepting != 0).tolist(), waiting, name_rank.tolist(),
                           strict=True)))

    codes, term_names, term_rows, term_cols = {}, {}, [], []
    for link_id, code, name in Attribute.objects.filter(link_entity="service").order_by(
            ).values_list(_text("link_id"), "taxonomy_term__code", "taxonomy_term__name"):
        if link_id in position:
            term_rows.append(position[link_id])
            term_cols.append(codes.setdefault(code, len(codes)))
            term_names.setdefault(code, name)
    terms = sparse.csc_matrix((np.ones(len(term_rows), dtype=np.int8), (term_rows, term_cols)),
                              shape=(len(ids), len(codes)))

    postings: dict[str, dict[int, int]] = defaultdict(dict)
    for i, r in enumerate(rows):
        for word, weight in words_of(r[1], r[2]).items():
            postings[word][i] = weight
    vocabulary = sorted(postings)
    indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(postings[w]) for w in vocabulary])
    indices = np.fromiter((i for w in vocabulary for i in postings[w]), dtype=np.int32,
                          count=int(indptr[-1]))
    data = np.fromiter((v for w in vocabulary for v in postings[w].values()), dtype=np.int8,
                       count=int(indptr[-1]))
    words = sparse.csr_matrix((data, indices, indptr), shape=(len(vocabulary), len(ids)))

    days = defaultdict(list)
    for own, at_location, byday in Schedule.objects.order_by().values_list(
            _text("service_id"), _text("service_at_location__service_id"), "byday"):
        for pk in (own, at_location):
            if pk in position:
                days[position[pk]].append(byday)
    bydays = ["|".join(days[i]) for i in range(len(ids))]

    places = [(position[s], loc, lat, lon) for s, loc, lat, lon in
              ServiceAtLocation.objects.filter(
                  location__latitude__isnull=False, location__longitude__isnull=False
              ).order_by().values_list(_text("service_id"), _text("location_id"),
                                       "location__latitude", "location__longitude")
              if s in position]
    return Index(
        token=token, ids=ids, accepting=accepting,
        minimum_age=np.array([r[5] if r[5] is not None else np.nan for r in rows], dtype=float),
        maximum_age=np.array([r[6] if r[6] is not None else np.nan for r in rows], dtype=float),
        need_rank=need_rank, rank=rank, terms=terms, term_columns=codes, term_codes=list(codes),
        filed=terms.tocsr(),
        term_names=term_names, vocabulary=vocabulary,
        words=words, bydays=bydays,
        location_service=np.array([p[0] for p in places], dtype=np.int64),
        location_ids=[p[1] for p in places],
        latitude=np.array([p[2] for p in places], dtype=float),
        longitude=np.array([p[3] for p in places], dtype=float))


_built: dict[str, Index] = {}
_building = threading.Lock()


def current() -> Index:
    """The index at the database's current generation, rebuilt first if a change was recorded
    since this process built it (one query when nothing changed)."""
    database = str(connection.settings_dict["NAME"])
    token = generation()
    index = _built.get(database)
    if index is not None and index.token == token:
        return index
    with _building:
        index = _built.get(database)
        if index is None or index.token != token:
            index = _built[database] = build(token)
    return index
