"""De-identified aggregates for commissioners and team leads.

Every function here returns counts or summary numbers computed by the database (or, for
medians, from anonymous durations inside the function): no person, referral or episode row
ever leaves this module. Disclosure control is applied on top, in ``presenters``.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from statistics import median, quantiles

from django.db.models import Count, Exists, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from upstream.service.accounts.models import Role, Team
from upstream.service.engagement.models import (
    REACHED_OUTCOMES,
    ContactAttempt,
    Goal,
    PlanAction,
)
from upstream.service.referrals.models import Episode, EpisodeTransition, Referral
from upstream.service.referrals.states import TERMINAL, Status
from upstream.standards.vocabularies import ETHNIC_CATEGORIES, NEEDS


@dataclass(frozen=True)
class Median:
    """A median and how many values it was taken over (``value`` is None when there are none)."""

    value: float | None
    n: int
    q1: float | None = None
    q3: float | None = None


def summary(values: list[float]) -> Median:
    """Median and quartiles (the inclusive method, as a spreadsheet's QUARTILE) of ``values``."""
    if not values:
        return Median(None, 0)
    if len(values) == 1:
        return Median(values[0], 1, values[0], values[0])
    q1, _, q3 = quantiles(values, n=4, method="inclusive")
    return Median(median(values), len(values), q1, q3)


@dataclass(frozen=True)
class Period:
    """Episodes opened, and referrals received, from ``start`` up to but not including ``end``
    (either None: unbounded)."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def _bounds(self, field: str) -> dict:
        bounds = {}
        if self.start is not None:
            bounds[f"{field}__gte"] = _midnight(self.start)
        if self.end is not None:
            bounds[f"{field}__lt"] = _midnight(self.end)
        return bounds

    def episodes(self, teams):
        return Episode.objects.filter(team__in=teams, **self._bounds("opened_at"))

    def referrals(self, teams):
        return Referral.objects.filter(team__in=teams, **self._bounds("received_at"))


ALL_TIME = Period()


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def teams_for(user):
    """The teams whose figures ``user`` may see: a team lead their own, others all teams."""
    if user.role == Role.TEAM_LEAD:
        return Team.objects.filter(pk__in=user.teams.values("pk"))
    return Team.objects.all()


def referrals_by_team_and_source(teams, period: Period = ALL_TIME
                                 ) -> dict[tuple[str, str], int]:
    """``{(team name, source code): referrals}`` for every team/source that has any."""
    rows = (period.referrals(teams).order_by()
            .values_list("team__name", "source").annotate(n=Count("pk")))
    return {(team, source): n for team, source, n in rows}


def episodes_by_status(teams, period: Period = ALL_TIME) -> dict[str, int]:
    """``{status: episodes}`` for every status (zero where there are none)."""
    rows = dict(period.episodes(teams).order_by()
                .values_list("status").annotate(n=Count("pk")))
    return {status.value: rows.get(status.value, 0) for status in Status}


def closures_by_reason(teams, period: Period = ALL_TIME) -> dict[str, int]:
    """``{closing status: episodes}`` for the statuses that end an episode."""
    by_status = episodes_by_status(teams, period)
    return {status.value: by_status[status.value] for status in Status if status in TERMINAL}


def waiting_days(teams, period: Period = ALL_TIME) -> Median:
    """Median (and quartiles of) days from referral (episode opened) to allocation, over
    allocated episodes."""
    spans = (period.episodes(teams).filter(allocated_at__isnull=False)
             .values_list("opened_at", "allocated_at"))
    return summary([(allocated - opened).total_seconds() / 86400
                     for opened, allocated in spans])


def attempts_to_engage(teams, period: Period = ALL_TIME) -> Median:
    """Median contact attempts made up to engagement, over episodes that engaged."""
    counts = _attempts_before_engaging(teams, period)
    return Median(median(counts) if counts else None, len(counts))


def _attempts_before_engaging(teams, period: Period) -> list[int]:
    """For each episode that engaged, the contact attempts made up to the moment it did."""
    attempts = (ContactAttempt.objects.filter(episode=OuterRef("episode"), at__lte=OuterRef("at"))
                .order_by().values("episode").annotate(n=Count("pk")).values("n"))
    return list(EpisodeTransition.objects
                .filter(to_status=Status.ENGAGED, episode__in=period.episodes(teams))
                .annotate(n=Coalesce(Subquery(attempts), 0)).values_list("n", flat=True))


def referrals_by_imd_decile(teams, period: Period = ALL_TIME) -> dict[int | None, int]:
    """``{IMD decile 1..10 or None (not known): referrals}``, every decile present."""
    rows = dict(period.referrals(teams).order_by()
                .values_list("person__imd_decile").annotate(n=Count("pk")))
    return {decile: rows.get(decile, 0) for decile in [*range(1, 11), None]}


def ethnic_group(code: str) -> str:
    """The broad NHS ethnic group of a category code ("A" -> "White")."""
    label = ETHNIC_CATEGORIES.get(code, "Not known")
    return label.split(" - ")[0] if " - " in label else "Not stated or not known"


def referrals_by_ethnic_group(teams, period: Period = ALL_TIME) -> dict[str, int]:
    """``{broad ethnic group: referrals}``, every group present (zero where none)."""
    groups = Counter({ethnic_group(code): 0 for code in ETHNIC_CATEGORIES})
    rows = (period.referrals(teams).order_by()
            .values_list("person__ethnic_category").annotate(n=Count("pk")))
    for code, n in rows:
        groups[ethnic_group(code)] += n
    return dict(groups)


# --- The engagement funnel ---------------------------------------------------------------------

FUNNEL = ("referred", "contacted", "engaged", "took_up", "completed")
"""The funnel's stages, each a subset of the one before:

- referred: every episode opened in the period;
- contacted: the person was reached (a contact attempt recorded as spoke, engaged or
  declined), or the episode reached "engaged" some other way;
- engaged: the episode has ever moved to "engaged";
- took_up: engaged, and a plan was made (at least one goal or plan action);
- completed: took up, and the episode has closed as "closed" (support finished).
"""
EXITS = (Status.DECLINED, Status.NOT_SUITABLE, Status.DECEASED, Status.NOT_ENGAGED)
"""The closing statuses shown as exits from the funnel."""


def funnel_stages(teams, period: Period = ALL_TIME) -> dict[str, int]:
    """``{stage: episodes whose deepest stage reached is this one}`` for each of
    :data:`FUNNEL` (a partition of the episodes: they add up to the episodes opened)."""
    ever_engaged = EpisodeTransition.objects.filter(episode=OuterRef("pk"),
                                                    to_status=Status.ENGAGED)
    reached = ContactAttempt.objects.filter(episode=OuterRef("pk"), outcome__in=REACHED_OUTCOMES)
    planned_goal = Goal.objects.filter(episode=OuterRef("pk"))
    planned_action = PlanAction.objects.filter(episode=OuterRef("pk"))
    rows = (period.episodes(teams).order_by()
            .annotate(engaged=Exists(ever_engaged), reached=Exists(reached),
                      goal=Exists(planned_goal), action=Exists(planned_action))
            .values_list("engaged", "reached", "goal", "action", "status"))
    deepest = Counter({stage: 0 for stage in FUNNEL})
    for engaged, reached_, goal, action, status in rows:
        stage = "referred"
        if engaged or reached_:
            stage = "contacted"
        if engaged:
            stage = "engaged"
            if goal or action:
                stage = "took_up"
                if status == Status.CLOSED:
                    stage = "completed"
        deepest[stage] += 1
    return dict(deepest)


ATTEMPT_BANDS = ("None", "1 attempt", "2 attempts", "3 attempts", "4 attempts",
                 "5 or more attempts")


def attempts_distribution(teams, period: Period = ALL_TIME) -> dict[str, int]:
    """``{band of ATTEMPT_BANDS: engaged episodes}``: contact attempts made up to engaging."""
    counts = _attempts_before_engaging(teams, period)
    bands = Counter({band: 0 for band in ATTEMPT_BANDS})
    for n in counts:
        bands[ATTEMPT_BANDS[min(n, len(ATTEMPT_BANDS) - 1)]] += 1
    return dict(bands)


def referrals_with_need(teams, period: Period = ALL_TIME) -> dict[str, int]:
    """``{need code: referrals naming that need}`` for every need of the taxonomy (a referral
    with several needs counts once under each)."""
    found = Counter({code: 0 for code in NEEDS})
    for needs in period.referrals(teams).values_list("needs", flat=True):
        for code in set(needs or ()):
            if code in found:
                found[code] += 1
    return dict(found)


def days_to_first_contact(teams, period: Period = ALL_TIME) -> Median:
    """Median (and quartiles of) days from referral (episode opened) to the first contact
    attempt, over episodes with any attempt."""
    spans = (period.episodes(teams).order_by()
             .annotate(first=Min("contacts__at")).filter(first__isnull=False)
             .values_list("opened_at", "first"))
    return summary([(first - opened).total_seconds() / 86400 for opened, first in spans])


def referrals_by_month(teams, period: Period = ALL_TIME) -> dict[datetime.date, int]:
    """``{first day of month: referrals received}`` from the first month with a referral to
    the last, months without referrals included as 0."""
    rows = dict(period.referrals(teams).order_by()
                .annotate(month=TruncMonth("received_at")).values_list("month")
                .annotate(n=Count("pk")))
    return _every_month({_as_date(m): n for m, n in rows.items()}, 0)


def first_contact_days_by_month(teams, period: Period = ALL_TIME
                                ) -> dict[datetime.date, list[float]]:
    """``{month opened: [days to first contact, ...]}`` (anonymous durations, kept inside the
    insights presenters, which show only medians over 10 or more)."""
    spans = (period.episodes(teams).order_by()
             .annotate(first=Min("contacts__at")).filter(first__isnull=False)
             .values_list("opened_at", "first"))
    months: dict[datetime.date, list[float]] = {}
    for opened, first in spans:
        local = timezone.localtime(opened).date().replace(day=1)
        months.setdefault(local, []).append((first - opened).total_seconds() / 86400)
    return _every_month(months, None)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _every_month(found: dict, empty) -> dict:
    if not found:
        return {}
    month, last, filled = min(found), max(found), {}
    while month <= last:
        filled[month] = found.get(month, [] if empty is None else empty)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return filled
