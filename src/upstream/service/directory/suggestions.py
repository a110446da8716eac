"""Services to suggest on a person's plan, from the needs already recorded.

The needs are those of the latest "what matters" conversation, then the goals' needs, then (if
neither recorded any) the referral's; for each, the best few services the person is eligible
for by age and sex, near their home when their postcode has a known centroid. Nothing is
stored: the suggestions are worked out when the plan is shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from upstream.service.directory.search import Point, Query, search
from upstream.service.directory.search_forms import postcode_directory
from upstream.service.directory.search_presenters import ResultRow, rows
from upstream.service.referrals.models import Episode
from upstream.standards.taxonomy import TERMS

PER_NEED = 3
MOST_NEEDS = 5
RADIUS_MILES = 5.0


@dataclass(frozen=True)
class NeedSuggestions:
    code: str
    label: str
    rows: list[ResultRow]


@dataclass(frozen=True)
class Suggestions:
    needs: list[NeedSuggestions]
    near_home: bool
    """Whether distance was measured from the person's home postcode."""


def recorded_needs(episode: Episode) -> list[str]:
    """The episode's need codes in the order they were recorded, known codes only."""
    latest = episode.what_matters.order_by("-conversation_on", "-id").first()
    codes = list(latest.needs_confirmed) if latest else []
    codes += [goal.need for goal in episode.goals.all() if goal.need]
    if not codes:
        for referral in episode.referrals.all():
            codes += list(referral.needs or [])
    return [code for code in dict.fromkeys(codes) if code in TERMS]


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def for_episode(episode: Episode, now: datetime.datetime) -> Suggestions:
    """Up to ``PER_NEED`` services for each of the first ``MOST_NEEDS`` recorded needs."""
    person = episode.person
    centre = postcode_directory().centroid(person.postcode) if person.postcode else None
    found = []
    for code in recorded_needs(episode)[:MOST_NEEDS]:
        query = Query(needs=(code,), near=Point(*centre) if centre else None,
                      within_miles=RADIUS_MILES, age=_age(person.date_of_birth, now.date()),
                      sex=person.sex, limit=PER_NEED)
        found.append(NeedSuggestions(code, TERMS[code].label, rows(search(query, now), now)))
    return Suggestions(found, centre is not None)
