"""Push a worklist into a team's triage queue as case-finding referrals (the service's side of
case finding: :mod:`upstream.casefinding` writes the worklist without Django, this reads it).

Each worklist row, in rank order, has one outcome (:class:`Outcome`):

- A row carrying the identifying details a linked (re-identified) extract would add
  (``given_name``, ``family_name`` and ``date_of_birth`` or ``birth_date``) is matched as every
  referral is (``people.services.match_person``): NHS number, date of birth and family name
  must all agree; a partial match becomes a new record flagged *identity to confirm* for the
  team lead (ADR 0005). A pseudonymous row (no names) is matched on its NHS number only when
  the service already holds it, since the worklist was drawn from the same linked records;
  otherwise it is counted as *not matched: needs re-identification* and skipped, never
  silently.
- A person with an open episode in the team, or one closed there within ``closed_within_days``,
  is flagged and not referred again; so is a person the service records as deceased.
- Everyone else gets a referral with source ``case_finding``, no needs (triage decides them),
  ``consent_given=False`` (nobody has asked them yet), and the cohorts and reasons in its reason.

The pseudonymous ``patient_id`` is deliberately not stored in the service: it would make the
service a re-identification key for the analytics data. The whole push is one transaction, so a
failure part-way leaves nothing behind; a dry run does everything and then rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from upstream.service.people.models import Person
from upstream.service.people.services import match_person
from upstream.service.referrals.models import Episode, ReferralSource
from upstream.service.referrals.services import submit_referral
from upstream.service.referrals.states import TERMINAL
from upstream.standards import nhs_number

EXTERNAL_SYSTEM = "upstream case finding"
REFERRER_NAME = "Case-finding worklist"
REQUIRED_COLUMNS = ("rank", "nhs_number", "cohorts", "reasons")
BIRTH_DATE_COLUMNS = ("date_of_birth", "birth_date")
OPTIONAL_DETAILS = {"sex": "sex", "imd_decile": "imd_decile", "practice_code": "gp_practice_ods",
                    "postcode": "postcode", "address": "address", "phone": "phone",
                    "email": "email"}
"""Worklist column -> Person field, copied when a new Person is created."""


class Outcome(StrEnum):
    PUSHED = "pushed"
    ALREADY_OPEN = "already_open"
    RECENTLY_CLOSED = "recently_closed"
    DECEASED = "deceased"
    UNMATCHED = "unmatched"
    INVALID = "invalid"


LABELS = {
    Outcome.PUSHED: "Referred to the team's triage queue",
    Outcome.ALREADY_OPEN: "Already open in the team: not referred again",
    Outcome.RECENTLY_CLOSED: "Closed in the team in the last {days} days: not referred again",
    Outcome.DECEASED: "Recorded as deceased in the service: not referred",
    Outcome.UNMATCHED: "Not matched: needs re-identification (skipped)",
    Outcome.INVALID: "NHS number or person details not valid (skipped)",
}


def describe(outcome: Outcome, closed_within_days: int) -> str:
    """The outcome in words, for the result table."""
    return LABELS[outcome].format(days=closed_within_days)


@dataclass
class PushReport:
    """What happened to each worklist row, by outcome, as worklist ranks (not identifiers)."""

    team: str
    dry_run: bool
    closed_within_days: int
    ranks: dict[Outcome, list[int]] = field(default_factory=lambda: defaultdict(list))
    people_created: int = 0

    def count(self, outcome: Outcome) -> int:
        return len(self.ranks.get(outcome, []))

    @property
    def total(self) -> int:
        return sum(len(ranks) for ranks in self.ranks.values())


def missing_columns(worklist: pd.DataFrame) -> list[str]:
    """The columns a worklist must have to be pushed that ``worklist`` lacks."""
    return [column for column in REQUIRED_COLUMNS if column not in worklist.columns]


def push_worklist(worklist: pd.DataFrame, team, *, closed_within_days: int = 90,
                  dry_run: bool = False, now: datetime | None = None) -> PushReport:
    """Refer the people on ``worklist`` (see :func:`upstream.casefinding.worklist.read_worklist`)
    to ``team`` as case-finding referrals, row by row in rank order; see the module docstring.

    Raises ``ValueError`` if a required column is missing.
    """
    if missing := missing_columns(worklist):
        raise ValueError(f"The worklist lacks column(s): {', '.join(missing)}")
    now = now or timezone.now()
    report = PushReport(team=team.name, dry_run=dry_run, closed_within_days=closed_within_days)
    with transaction.atomic():
        for row in worklist.sort_values("rank").to_dict("records"):
            outcome = _push_row(row, team, report, now=now,
                                recent=now - timedelta(days=closed_within_days))
            report.ranks[outcome].append(int(row["rank"]))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _push_row(row: dict, team, report: PushReport, *, now: datetime,
              recent: datetime) -> Outcome:
    number = nhs_number.normalise(_text(row.get("nhs_number")))
    if number and not nhs_number.is_valid(number):
        return Outcome.INVALID
    details, conflict = None, None
    if _has_details(row):
        try:
            details = _person_details(row, number)
            with transaction.atomic():
                match = match_person(details, actor_label=EXTERNAL_SYSTEM)
        except (ValueError, ValidationError):
            return Outcome.INVALID
        person, conflict = match.person, match.conflict
        report.people_created += match.created
    else:
        person = Person.objects.filter(nhs_number=number).first() if number else None
        if person is None:
            return Outcome.UNMATCHED
    if person.date_of_death is not None:
        return Outcome.DECEASED
    episodes = Episode.objects.filter(person=person, team=team)
    if episodes.open().exists():
        return Outcome.ALREADY_OPEN
    if episodes.filter(status__in=[s.value for s in TERMINAL], closed_at__gte=recent).exists():
        return Outcome.RECENTLY_CLOSED
    submit_referral(
        person=person, team=team, source=ReferralSource.CASE_FINDING, needs=[],
        reason=referral_reason(row), consent_given=False, referrer_name=REFERRER_NAME,
        external_system=EXTERNAL_SYSTEM, received_at=now, referred_as=details,
        identity_candidate=conflict,
    )
    return Outcome.PUSHED


def referral_reason(row: dict) -> str:
    """The referral's reason text: where the person came from and why they were found."""
    priority = row.get("priority")
    ranked = f"rank {int(row['rank'])}" + (
        f", priority {float(priority):.2f}" if _text(priority) else "")
    return (
        f"Found by case finding (worklist {ranked}). Cohorts: {_text(row['cohorts'])}. "
        f"Reasons: {_text(row['reasons'])}. The person has not been asked yet: consent to "
        "support is to be sought at first contact."
    )


def _has_details(row: dict) -> bool:
    """Whether a linked row carries a given name, a family name and a birth date."""
    return bool(_text(row.get("given_name")) and _text(row.get("family_name"))
                and any(_text(row.get(column)) for column in BIRTH_DATE_COLUMNS))


def _person_details(row: dict, number: str) -> dict:
    """Person fields from a linked identifiable row (see :func:`_has_details`). Raises
    ``ValueError`` for a birth date or IMD decile that cannot be read."""
    born = next(row[c] for c in BIRTH_DATE_COLUMNS if _text(row.get(c)))
    details = {"nhs_number": number, "given_name": _text(row["given_name"]),
               "family_name": _text(row["family_name"]),
               "date_of_birth": pd.Timestamp(born).date()}
    for column, name in OPTIONAL_DETAILS.items():
        value = row.get(column)
        if _text(value):
            details[name] = int(value) if name == "imd_decile" else _text(value)
    return details


def _text(value) -> str:
    """``value`` as stripped text; empty for None, NaN and pandas' NA."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()
