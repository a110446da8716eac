"""De-identified aggregates for commissioners and team leads.

Every function here returns counts or summary numbers computed by the database (or, for
medians, from anonymous durations inside the function): no person, referral or episode row
ever leaves this module. Disclosure control is applied on top, in ``presenters``.
"""

from collections import Counter
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from upstream.service.accounts.models import Role, Team
from upstream.service.referrals.models import Episode, EpisodeTransition, Referral
from upstream.service.referrals.states import TERMINAL, Status
from upstream.standards.vocabularies import ETHNIC_CATEGORIES

try:  # Contact attempts arrive with the engagement app.
    from upstream.service.engagement.models import ContactAttempt
except ImportError:  # pragma: no cover - only before the engagement app has its models
    ContactAttempt = None


@dataclass(frozen=True)
class Median:
    """A median and how many values it was taken over (``value`` is None when there are none)."""

    value: float | None
    n: int


def teams_for(user):
    """The teams whose figures ``user`` may see: a team lead their own, others all teams."""
    if user.role == Role.TEAM_LEAD:
        return Team.objects.filter(pk__in=user.teams.values("pk"))
    return Team.objects.all()


def referrals_by_team_and_source(teams) -> dict[tuple[str, str], int]:
    """``{(team name, source code): referrals}`` for every team/source that has any."""
    rows = (Referral.objects.filter(team__in=teams).order_by()
            .values_list("team__name", "source").annotate(n=Count("pk")))
    return {(team, source): n for team, source, n in rows}


def episodes_by_status(teams) -> dict[str, int]:
    """``{status: episodes}`` for every status (zero where there are none)."""
    rows = dict(Episode.objects.filter(team__in=teams).order_by()
                .values_list("status").annotate(n=Count("pk")))
    return {status.value: rows.get(status.value, 0) for status in Status}


def closures_by_reason(teams) -> dict[str, int]:
    """``{closing status: episodes}`` for the statuses that end an episode."""
    by_status = episodes_by_status(teams)
    return {status.value: by_status[status.value] for status in Status if status in TERMINAL}


def waiting_days(teams) -> Median:
    """Median days from referral (episode opened) to allocation, over allocated episodes."""
    spans = (Episode.objects.filter(team__in=teams, allocated_at__isnull=False)
             .values_list("opened_at", "allocated_at"))
    days = [(allocated - opened).total_seconds() / 86400 for opened, allocated in spans]
    return Median(median(days) if days else None, len(days))


def attempts_to_engage(teams) -> Median | None:
    """Median contact attempts made up to engagement, over episodes that engaged.

    None when contact attempts are not recorded by this installation.
    """
    if ContactAttempt is None:
        return None
    attempts = (ContactAttempt.objects.filter(episode=OuterRef("episode"), at__lte=OuterRef("at"))
                .order_by().values("episode").annotate(n=Count("pk")).values("n"))
    counts = list(EpisodeTransition.objects
                  .filter(to_status=Status.ENGAGED, episode__team__in=teams)
                  .annotate(n=Coalesce(Subquery(attempts), 0)).values_list("n", flat=True))
    return Median(median(counts) if counts else None, len(counts))


def referrals_by_imd_decile(teams) -> dict[int | None, int]:
    """``{IMD decile 1..10 or None (not known): referrals}``, every decile present."""
    rows = dict(Referral.objects.filter(team__in=teams).order_by()
                .values_list("person__imd_decile").annotate(n=Count("pk")))
    return {decile: rows.get(decile, 0) for decile in [*range(1, 11), None]}


def ethnic_group(code: str) -> str:
    """The broad NHS ethnic group of a category code ("A" -> "White")."""
    label = ETHNIC_CATEGORIES.get(code, "Not known")
    return label.split(" - ")[0] if " - " in label else "Not stated or not known"


def referrals_by_ethnic_group(teams) -> dict[str, int]:
    """``{broad ethnic group: referrals}``, every group present (zero where none)."""
    groups = Counter({ethnic_group(code): 0 for code in ETHNIC_CATEGORIES})
    rows = (Referral.objects.filter(team__in=teams).order_by()
            .values_list("person__ethnic_category").annotate(n=Count("pk")))
    for code, n in rows:
        groups[ethnic_group(code)] += n
    return dict(groups)
