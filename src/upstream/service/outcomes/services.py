"""Recording outcome measure administrations, and the cohort table for evaluation.

``record_administration`` scores the answers with ``upstream.standards.outcomes`` (refusing
out-of-range, non-integer, unknown or missing answers with the library's message), checks the
schedule (one administration per instrument and time point; a follow-up needs its baseline and
comes after it), saves and audits. ``cohort_frame`` turns administrations into the input table
of ``upstream.evaluation.outcomes.outcome_change``.
"""

import datetime

import pandas as pd
from django.db import IntegrityError, transaction

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.outcomes.models import Administration, Timepoint
from upstream.service.referrals.models import Episode
from upstream.standards.outcomes import Scored
from upstream.standards.outcomes import instrument as lookup_instrument


class OutcomeRefused(ValueError):
    """An administration that does not fit the schedule; the message says why."""


def record_administration(episode: Episode, *, by, instrument: str, timepoint: str,
                          administered_on: datetime.date,
                          answers: dict[str, object]) -> tuple[Administration, Scored]:
    """Score and save one administration; AnswerError or OutcomeRefused leave nothing saved."""
    definition = lookup_instrument(instrument)
    if timepoint not in Timepoint.values:
        raise OutcomeRefused(f"{timepoint!r} is not a time point of the schedule")
    scored = definition.score(answers)
    existing = Administration.objects.filter(episode=episode, instrument=instrument)
    label = Timepoint(timepoint).label.lower()
    if existing.filter(timepoint=timepoint).exists():
        raise OutcomeRefused(f"The {definition.name} {label} is already recorded for this "
                             "episode")
    if timepoint != Timepoint.BASELINE:
        baseline = existing.filter(timepoint=Timepoint.BASELINE).first()
        if baseline is None:
            raise OutcomeRefused(f"Record the {definition.name} baseline before its {label}")
        if administered_on <= baseline.administered_on:
            raise OutcomeRefused(f"The {label} must be after the baseline, completed on "
                                 f"{baseline.administered_on:%-d %B %Y}")
    checked = definition.check(answers)
    try:
        with transaction.atomic():
            administration = Administration.objects.create(
                episode=episode, instrument=instrument, timepoint=timepoint,
                administered_on=administered_on, answers=checked, scores=dict(scored.scores),
                recorded_by=by)
    except IntegrityError:
        raise OutcomeRefused(f"The {definition.name} {label} is already recorded for this "
                             "episode") from None
    record(by, Action.CREATE, administration, detail=f"{instrument} {timepoint}")
    return administration, scored


def cohort_frame(administrations, measure: str, *,
                 follow_up: str = Timepoint.WEEK_12) -> pd.DataFrame:
    """Administrations as ``outcome_change``'s input for ``measure``: person, pathway (the
    team's), the baseline and the ``follow_up`` time point, and the score."""
    rows = []
    wanted = {Timepoint.BASELINE: "baseline", follow_up: "follow_up"}
    for administration in administrations.select_related("episode__team__pathway"):
        if measure not in administration.scores or administration.timepoint not in wanted:
            continue
        rows.append({"person_id": administration.episode.person_id,
                     "pathway": administration.episode.team.pathway.name,
                     "measure": measure,
                     "timepoint": wanted[administration.timepoint],
                     "score": administration.scores[measure]})
    return pd.DataFrame(rows, columns=["person_id", "pathway", "measure", "timepoint", "score"])
