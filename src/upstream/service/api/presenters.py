"""What the API says about a referral: its status as the referring system sees it.

A client learns only about what it sent. A referral that joined an episode already open in
the team (someone else's referral, or work already under way) is described by its own triage
decision only: that episode's id, status, reason and dates belong to others and are not told.
Whether the person was already known, or their identity is being confirmed, is never told
either: every submission gets the same answer.
"""

from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.states import Status


def own_episode(referral: Referral) -> Episode | None:
    """The episode ``referral`` opened, or None if it joined one that was already open."""
    return None if referral.is_duplicate else referral.episode


def _status(referral: Referral, episode: Episode | None) -> Status | None:
    if episode is not None:
        return Status(episode.status)
    return None if referral.triage_outcome else Status.REFERRED


def created(referral: Referral) -> dict:
    """The answer to a successful submission."""
    status = _status(referral, own_episode(referral)) or Status.REFERRED
    return {
        "referral_id": referral.pk,
        "status": status.value,
        "status_label": status.label,
    }


def referral_status(referral: Referral) -> dict:
    """Where ``referral`` has got to: its own episode's status, the triage decision and dates.
    Carries no personal details, so a referring system can poll it freely."""
    episode = own_episode(referral)
    status = _status(referral, episode)
    return {
        "referral_id": referral.pk,
        "external_id": referral.external_id,
        "team": {
            "id": referral.team_id, "name": referral.team.name,
            "pathway": referral.team.pathway.name,
        },
        "received_at": referral.received_at,
        "status": status.value if status else None,
        "status_label": status.label if status else None,
        "status_reason": episode.status_reason if episode else "",
        "triage_outcome": referral.triage_outcome or None,
        "triage_outcome_label": referral.get_triage_outcome_display() or None,
        "reject_reason": referral.reject_reason or None,
        "reject_reason_label": referral.get_reject_reason_display() or None,
        "reject_detail": referral.reject_detail or None,
        "redirected_to": referral.redirected_to.name if referral.redirected_to else None,
        "triaged_at": referral.triaged_at,
        "episode_opened_at": episode.opened_at if episode else None,
        "episode_closed_at": episode.closed_at if episode else None,
    }
