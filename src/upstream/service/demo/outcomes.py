"""The demo world's outcome measures: PHQ-9 and SWEMWBS baselines on the day people agreed to
work together, and 12-week follow-ups for most of those whose follow-up date has passed (the
rest are due on Today). Deterministic for a seed."""

import datetime
import random

from django.utils import timezone

from upstream.service.demo.journeys import Journey
from upstream.service.engagement.models import ContactOutcome
from upstream.service.outcomes.models import Timepoint
from upstream.service.outcomes.services import record_administration
from upstream.service.referrals.models import Episode

IN_SUPPORT = ("engaged", "active", "closing", "closed")
FOLLOWED_UP = 0.75
"""The share of people past their follow-up date who completed it."""


def _spread(prefix: str, count: int, total: int, low: int, high: int) -> dict[str, int]:
    """``count`` answers from ``low`` to ``high`` adding up to ``total``."""
    answers, left = {}, total - low * count
    for n in range(1, count + 1):
        extra = min(high - low, left)
        answers[f"{prefix}_{n}"] = low + extra
        left -= extra
    return answers


def _phq9(total: int) -> dict[str, int]:
    """PHQ-9 answers adding up to ``total`` (at most 24) with item 9 at 0: the demo has no one
    at risk of self-harm."""
    return _spread("phq9", 9, min(total, 24), 0, 3)


def add_outcomes(journeys: list[Journey], rng: random.Random) -> None:
    today = timezone.localdate()
    ids = [j.episode.pk for j in journeys if j.episode is not None]
    episodes = (Episode.objects.filter(pk__in=ids, status__in=IN_SUPPORT,
                                       worker__isnull=False)
                .select_related("worker").prefetch_related("contacts").order_by("pk"))
    for episode in episodes:
        engaged = [a.at for a in episode.contacts.all() if a.outcome == ContactOutcome.ENGAGED]
        if not engaged:
            continue
        baseline_on = timezone.localdate(min(engaged))
        phq9 = rng.randint(6, 21)
        swemwbs = rng.randint(12, 24)
        by = episode.worker
        for instrument, answers in (("phq9", _phq9(phq9)),
                                    ("swemwbs", _spread("swemwbs", 7, swemwbs, 1, 5))):
            record_administration(episode, by=by, instrument=instrument,
                                  timepoint=Timepoint.BASELINE, administered_on=baseline_on,
                                  answers=answers)
        follow_up_on = baseline_on + datetime.timedelta(weeks=12, days=rng.randint(0, 10))
        if follow_up_on > today or rng.random() > FOLLOWED_UP:
            continue
        later = {"phq9": _phq9(max(0, phq9 - rng.choice([-7, -3, -1, 0, 2, 3, 4, 5, 6, 7, 8]))),
                 "swemwbs": _spread("swemwbs", 7, max(7, min(35, swemwbs + rng.randint(-2, 7))),
                                    1, 5)}
        for instrument, answers in later.items():
            record_administration(episode, by=by, instrument=instrument,
                                  timepoint=Timepoint.WEEK_12, administered_on=follow_up_on,
                                  answers=answers)
