"""What the outcomes pages show: per instrument, the baseline and follow-up with scores, bands,
the change judged against the measure's threshold, and what is due (docs/adr/0014)."""

import datetime

from django.urls import reverse

from upstream.service.outcomes import schedule
from upstream.service.outcomes.models import Administration, Timepoint
from upstream.service.referrals.models import Episode
from upstream.service.ui.format import long_date
from upstream.standards.outcomes import INSTRUMENTS, Instrument, Judgement


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def score_lines(instrument: Instrument, scores: dict) -> list[str]:
    """``PHQ-9 total score: 12 (Moderate)``, one line per measure."""
    lines = []
    for measure in instrument.measures:
        if measure.code not in scores:
            continue
        value = scores[measure.code]
        band = measure.band(value)
        lines.append(f"{measure.label}: {_number(value)}" + (f" ({band})" if band else ""))
    return lines


def change_lines(instrument: Instrument, baseline: dict, follow_up: dict) -> list[str]:
    """``PHQ-9 total score: 18 to 11, meaningful improvement (6 points or more, source)``."""
    lines = []
    for measure in instrument.measures:
        if measure.code not in baseline or measure.code not in follow_up:
            continue
        before, after = baseline[measure.code], follow_up[measure.code]
        text = f"{measure.label}: {_number(before)} to {_number(after)}"
        if measure.meaningful_change is not None:
            judgement = measure.judge(before, after)
            kind = "" if measure.meaningful_change.published else ", a convention"
            text += (f", {judgement.value} (threshold {_number(measure.threshold())} "
                     f"{measure.unit}{kind})")
            if judgement is Judgement.NO_MEANINGFUL_CHANGE:
                text = text.replace(judgement.value, "no meaningful change")
        lines.append(text)
    return lines


def _due_text(due: datetime.date | None, today: datetime.date) -> str:
    if due is None:
        return "After the baseline"
    return f"{'Overdue since' if due < today else 'Due'} {long_date(due)}"


def _record_href(episode: Episode, instrument: str, timepoint: str) -> str:
    url = reverse("outcomes:record", kwargs={"episode_id": episode.pk})
    return f"{url}?instrument={instrument}&timepoint={timepoint}"


def episode_view(episode: Episode, today: datetime.date) -> dict:
    """The episode's outcomes: one row per instrument used, and when a baseline is due."""
    done: dict[str, dict[str, Administration]] = {}
    for administration in episode.outcome_administrations.all():
        done.setdefault(administration.instrument, {})[administration.timepoint] = administration
    rows = []
    for code, by_timepoint in done.items():
        instrument = INSTRUMENTS[code]
        baseline = by_timepoint.get(Timepoint.BASELINE)
        follow_up = by_timepoint.get(Timepoint.WEEK_12)
        due = schedule.due_on(episode, code, Timepoint.WEEK_12,
                              baseline.administered_on if baseline else None)
        rows.append({
            "name": instrument.name,
            "baseline": {"on": long_date(baseline.administered_on),
                         "lines": score_lines(instrument, baseline.scores)} if baseline else None,
            "follow_up": {"on": long_date(follow_up.administered_on),
                          "lines": score_lines(instrument, follow_up.scores)} if follow_up
            else None,
            "follow_up_due": None if follow_up else _due_text(due, today),
            "follow_up_href": None if follow_up or not baseline
            else _record_href(episode, code, Timepoint.WEEK_12),
            "change": change_lines(instrument, baseline.scores, follow_up.scores)
            if baseline and follow_up else [],
        })
    return {
        "rows": sorted(rows, key=lambda row: row["name"]),
        "baseline_due": _due_text(schedule.first_contact_on(episode), today),
        "record_href": reverse("outcomes:record", kwargs={"episode_id": episode.pk}),
    }
