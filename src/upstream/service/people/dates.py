"""The one place where dates about a person are checked against their birth, their death, the
referral and today. The web forms (people, referrals, engagement) and the API schemas all call
these, so they cannot disagree about what is possible.

Each check returns the value unchanged or raises Django's ``ValidationError`` with a message in
the NHS.UK pattern that names the field and the bound, for example "Date of the contact attempt
must be on or after the referral date, 3 March 2025". The API turns the message into a 422.

The bounds:

- date of birth: today or in the past, and not more than ``OLDEST_AGE_YEARS`` years ago;
- date of death: today or in the past, and on or after the date of birth;
- something that happened during an episode (a contact attempt, a "what matters" conversation,
  a session, a goal review): not in the future (a time may be up to ``CLOCK_SKEW`` ahead, for
  clocks that disagree), on or after the referral date (the day the episode opened), on or
  after the date of birth, and on or before the date of death if one is recorded;
- a planned date (a goal's target, an action's due date, the next review): on or after the
  referral date and not more than ``PLAN_HORIZON_YEARS`` years ahead; the next review date must
  also not be in the past.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from upstream.service.ui.format import long_date

OLDEST_AGE_YEARS = 130
"""Older than any person alive: an earlier date of birth is a typing error."""

CLOCK_SKEW = datetime.timedelta(minutes=5)
"""How far ahead of the server's clock a time may be (the sender's clock may be a little fast)."""

PLAN_HORIZON_YEARS = 5
"""How far ahead a plan's dates may be set."""


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def earliest_birth(today: datetime.date | None = None) -> datetime.date:
    """The earliest date of birth accepted: ``OLDEST_AGE_YEARS`` years before today."""
    return _years_from(today or timezone.localdate(), -OLDEST_AGE_YEARS)


def referral_date(episode) -> datetime.date:
    """The referral date of an episode: the day it opened, which is when its first referral was
    received (``referrals.services.submit_referral``)."""
    return timezone.localdate(episode.opened_at)


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    """The calendar day of a date, or of a time in the service's time zone."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            return value.date()
        try:
            return timezone.localtime(value).date()
        except OverflowError:  # year 1 or 9999 shifted across midnight
            return value.date()
    return value


def check_date_of_birth(value: datetime.date | None, *, label: str = "Date of birth"):
    """A date of birth: today or in the past, and at most ``OLDEST_AGE_YEARS`` years ago."""
    if value is None:
        return value
    today = timezone.localdate()
    if value > today:
        raise ValidationError(f"{label} must be today or in the past")
    if value < (earliest := earliest_birth(today)):
        raise ValidationError(f"{label} must be on or after {long_date(earliest)}: "
                              f"nobody is older than {OLDEST_AGE_YEARS}")
    return value


def check_date_of_death(value: datetime.date | None, *, date_of_birth: datetime.date | None,
                        label: str = "Date of death"):
    """A date of death: today or in the past, and on or after the date of birth."""
    if value is None:
        return value
    if value > timezone.localdate():
        raise ValidationError(f"{label} must be today or in the past")
    if date_of_birth is not None and value < date_of_birth:
        raise ValidationError(
            f"{label} must be on or after the date of birth, {long_date(date_of_birth)}")
    return value


def check_event(value: datetime.date | datetime.datetime | None, *, episode, label: str):
    """Something that happened during ``episode`` (a date, or a time): not in the future, on or
    after the referral date and the person's birth, on or before their death."""
    if value is None:
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value) and value > timezone.now() + CLOCK_SKEW:
            raise ValidationError(f"{label} must not be in the future")
    elif value > timezone.localdate():
        raise ValidationError(f"{label} must be today or in the past")
    day = _day(value)
    if episode is None:
        return value
    person = episode.person
    if day < (referred := referral_date(episode)):
        raise ValidationError(
            f"{label} must be on or after the referral date, {long_date(referred)}")
    if day < person.date_of_birth:
        raise ValidationError(
            f"{label} must be on or after the date of birth, {long_date(person.date_of_birth)}")
    if person.date_of_death is not None and day > person.date_of_death:
        raise ValidationError(
            f"{label} must be on or before the date of death, {long_date(person.date_of_death)}")
    return value


def check_plan_date(value: datetime.date | None, *, episode, label: str,
                    not_past: bool = False):
    """A date planned in ``episode``: on or after the referral date, at most
    ``PLAN_HORIZON_YEARS`` years ahead and, with ``not_past``, today or later."""
    if value is None:
        return value
    today = timezone.localdate()
    if not_past and value < today:
        raise ValidationError(f"{label} must be today or in the future")
    if value > (latest := _years_from(today, PLAN_HORIZON_YEARS)):
        raise ValidationError(f"{label} must be on or before {long_date(latest)}")
    if episode is not None and value < (referred := referral_date(episode)):
        raise ValidationError(
            f"{label} must be on or after the referral date, {long_date(referred)}")
    return value
