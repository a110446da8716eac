"""What the API says about a referral: its status as the referring system sees it."""

from upstream.service.referrals.models import Referral
from upstream.service.referrals.states import Status


def created(referral: Referral) -> dict:
    """The answer to a successful submission."""
    status = Status(referral.episode.status)
    return {
        "referral_id": referral.pk,
        "episode_id": referral.episode_id,
        "status": status.value,
        "status_label": status.label,
        "linked_to_existing_episode": referral.is_duplicate,
    }


def referral_status(referral: Referral) -> dict:
    """Where ``referral`` has got to: its episode's status, the triage decision and dates.
    Carries no personal details, so a referring system can poll it freely."""
    episode = referral.episode
    status = Status(episode.status) if episode else None
    return {
        "referral_id": referral.pk,
        "external_id": referral.external_id,
        "team": {
            "id": referral.team_id, "name": referral.team.name,
            "pathway": referral.team.pathway.name,
        },
        "received_at": referral.received_at,
        "linked_to_existing_episode": referral.is_duplicate,
        "episode_id": referral.episode_id,
        "status": status.value if status else None,
        "status_label": status.label if status else None,
        "status_reason": episode.status_reason if episode else "",
        "triage_outcome": referral.triage_outcome or None,
        "triage_outcome_label": referral.get_triage_outcome_display() or None,
        "reject_reason": referral.reject_reason or None,
        "reject_reason_label": referral.get_reject_reason_display() or None,
        "redirected_to": referral.redirected_to.name if referral.redirected_to else None,
        "triaged_at": referral.triaged_at,
        "episode_opened_at": episode.opened_at if episode else None,
        "episode_closed_at": episode.closed_at if episode else None,
    }
