"""The operations on referrals and episodes. Views and the API call these; nothing else
changes an episode's status.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.referrals.models import Episode, EpisodeTransition, Referral
from upstream.service.referrals.states import OPEN, Status, check_transition


class StaleEpisode(Exception):
    """Someone else saved this episode since it was loaded: the save was refused."""

    def __init__(self, episode_id: int, expected: int, actual: int):
        super().__init__(
            "This episode was changed by someone else while you were editing it. "
            "Your changes have not been saved: reload the page to see theirs, then apply yours."
        )
        self.episode_id, self.expected, self.actual = episode_id, expected, actual


def bump_version(episode: Episode, expected_version: int | None) -> None:
    """Advance ``episode.version`` in the database, refusing if it is not ``expected_version``.

    The check-and-increment is one UPDATE, so two concurrent saves cannot both pass.
    ``expected_version=None`` means the caller holds no stale copy (e.g. a system action).
    """
    rows = Episode.objects.filter(pk=episode.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        actual = Episode.objects.values_list("version", flat=True).get(pk=episode.pk)
        raise StaleEpisode(episode.pk, expected_version, actual)
    episode.version = Episode.objects.values_list("version", flat=True).get(pk=episode.pk)


@transaction.atomic
def transition(episode: Episode, to: Status | str, *, by=None, by_label: str = "",
               reason: str = "", expected_version: int | None = None) -> Episode:
    """Move ``episode`` to status ``to``, recording who, when and why.

    Raises ``IllegalTransition`` for a move the state machine forbids and ``StaleEpisode``
    when ``expected_version`` is given and no longer current. Sets the timestamps that belong
    to the new status (waiting_since, allocated_at, closed_at).
    """
    current = Episode.objects.select_for_update().get(pk=episode.pk)
    new = check_transition(current.status, to)
    bump_version(episode, expected_version)
    now = timezone.now()
    fields = {"status": new.value, "status_reason": reason[:300]}
    if new == Status.WAITING:
        fields["waiting_since"] = now
    if new == Status.ALLOCATED:
        fields["allocated_at"] = now
    if new not in OPEN:
        fields["closed_at"] = now
    Episode.objects.filter(pk=episode.pk).update(**fields)
    for name, value in fields.items():
        setattr(episode, name, value)
    EpisodeTransition.objects.create(
        episode=episode, from_status=current.status, to_status=new.value, at=now,
        by=by if getattr(by, "is_authenticated", False) else None,
        by_label=by_label or (by.get_username() if by is not None else ""), reason=reason[:300],
    )
    record(by, Action.TRANSITION, episode, detail=f"{current.status}->{new.value}",
           actor_label=by_label)
    return episode


def open_episode_for(person, team) -> Episode | None:
    """The person's open episode in ``team``, if any (used for duplicate detection)."""
    return Episode.objects.filter(person=person, team=team).open().first()


@transaction.atomic
def submit_referral(*, person, team, source: str, needs: list[str], reason: str = "",
                    urgency: str = "routine", consent_given: bool, referrer=None,
                    referrer_name: str = "", referrer_contact: str = "",
                    external_system: str = "", external_id: str = "",
                    received_at=None) -> Referral:
    """Record a referral for a saved ``person`` into ``team``.

    If the person already has an open episode in that team the referral is linked to it and
    marked ``is_duplicate`` (no second episode); otherwise a new episode opens as 'referred'.
    """
    episode = open_episode_for(person, team)
    is_duplicate = episode is not None
    if episode is None:
        episode = Episode.objects.create(person=person, team=team, status=Status.REFERRED)
        EpisodeTransition.objects.create(
            episode=episode, from_status="", to_status=Status.REFERRED,
            by=referrer, by_label=external_system or (referrer.get_username() if referrer else ""),
            reason="referral received",
        )
    referral = Referral.objects.create(
        person=person, team=team, episode=episode, source=source, needs=list(needs),
        reason=reason, urgency=urgency, consent_given=consent_given, referrer=referrer,
        referrer_name=referrer_name or (referrer.display_name if referrer else ""),
        referrer_contact=referrer_contact, external_system=external_system,
        external_id=external_id, is_duplicate=is_duplicate,
        received_at=received_at or timezone.now(),
    )
    record(referrer, Action.CREATE, referral, actor_label=external_system,
           detail="linked to open episode" if is_duplicate else "new episode")
    return referral
