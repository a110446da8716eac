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
from upstream.service.outcomes.schedule import schedule_for
from upstream.service.referrals.models import Episode
from upstream.standards.outcomes import INSTRUMENTS, Scored
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


def cohort_frame(administrations, measure: str, *, as_of: datetime.date) -> pd.DataFrame:
    """Administrations as ``outcome_change``'s input for ``measure``: each episode's baseline
    and 12-week follow-up, with the pathway of the episode's team.

    The unit is the episode (a course of support): ``person_id`` holds the episode's id, so a
    person supported on two pathways counts once on each. Only episodes whose follow-up was
    due by ``as_of`` are included, so "no follow-up" means a follow-up missed, not one not yet
    due. Follow-ups recorded after ``as_of`` are left out too.
    """
    by_episode: dict[int, dict[str, Administration]] = {}
    for administration in administrations.filter(instrument__in=_instruments_with(measure)) \
            .select_related("episode__team__pathway"):
        by_episode.setdefault(administration.episode_id, {})[administration.timepoint] = (
            administration)
    rows = []
    for episode_id, done in sorted(by_episode.items()):
        baseline = done.get(Timepoint.BASELINE)
        if baseline is None or baseline.administered_on + schedule_for(
                baseline.instrument).follow_up_after > as_of:
            continue
        pathway = baseline.episode.team.pathway.name
        follow_up = done.get(Timepoint.WEEK_12)
        for timepoint, administration in (("baseline", baseline), ("follow_up", follow_up)):
            if administration is None or administration.administered_on > as_of:
                continue
            rows.append({"person_id": episode_id, "pathway": pathway, "measure": measure,
                         "timepoint": timepoint, "score": administration.scores[measure]})
    return pd.DataFrame(rows, columns=["person_id", "pathway", "measure", "timepoint", "score"])


def _instruments_with(measure: str) -> list[str]:
    return [code for code, instrument in INSTRUMENTS.items()
            if any(m.code == measure for m in instrument.measures)]
