"""The API's operations: submitting a referral for a client, and finding a client's referrals.

Identity, duplicate linking and auditing are the people and referrals apps' own services
(``find_or_create_person``, ``submit_referral``); this module adds what is particular to a
system posting on someone's behalf: which teams it may refer to, and which referrals are its.
"""

from django.db import IntegrityError, transaction

from upstream.service.accounts.models import Team
from upstream.service.api.models import ApiClient, ApiSubmission
from upstream.service.api.schemas import ReferralSubmission
from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.referrals.models import Referral
from upstream.service.referrals.services import refer_person


class UnknownTeam(ValueError):
    """The referral names a team that does not exist."""


class TeamNotPermitted(PermissionError):
    """The team exists but this client may not send referrals to it."""


def permitted_teams(client: ApiClient):
    return client.teams.select_related("pathway").order_by("name")


def resolve_team(client: ApiClient, team: int | str) -> Team:
    """The team ``team`` (an id or an exact name) if ``client`` may refer to it.

    Raises ``UnknownTeam`` or ``TeamNotPermitted``, each saying which teams the client may use.
    """
    allowed = ", ".join(t.name for t in permitted_teams(client)) or "none"
    lookup = {"pk": team} if isinstance(team, int) else {"name": team}
    found = Team.objects.filter(**lookup).first()
    if found is None:
        raise UnknownTeam(f"There is no team {team!r}. This client may refer to: {allowed}.")
    if not client.teams.filter(pk=found.pk).exists():
        raise TeamNotPermitted(
            f"This client may not send referrals to {found.name}. It may refer to: {allowed}."
        )
    return found


def submit(client: ApiClient, submission: ReferralSubmission) -> Referral:
    """Record ``submission`` from ``client`` through ``referrals.services.refer_person``: the
    person is matched only on NHS number, date of birth and family name together (a partial
    match is received unlinked, for the team lead to confirm), and the referral joins the
    person's open episode in that team if there is one. The answer is the same in every case,
    so a client learns nothing about records it did not send.

    Raises ``UnknownTeam``/``TeamNotPermitted`` before anything is saved, and Django's
    ``ValidationError`` if the person's details fail the model's own checks. Two requests racing
    to create the same NHS number are resolved by retrying once: the second finds the first.
    """
    team = resolve_team(client, submission.referral.team)
    try:
        return _submit(client, team, submission)
    except IntegrityError:
        return _submit(client, team, submission)


@transaction.atomic
def _submit(client: ApiClient, team: Team, submission: ReferralSubmission) -> Referral:
    details = submission.referral
    referral = refer_person(
        submission.person.model_dump(), team=team, actor_label=client.name,
        source=details.source, needs=details.needs,
        reason=details.reason, urgency=details.urgency, consent_given=details.consent_given,
        referrer_name=details.referrer_name, referrer_contact=details.referrer_contact,
        external_system=client.name, external_id=details.external_id,
    )
    ApiSubmission.objects.create(client=client, referral=referral)
    return referral


def client_referrals(client: ApiClient, *, external_id: str | None = None):
    """The referrals ``client`` submitted, newest first, optionally with one ``external_id``."""
    referrals = Referral.objects.filter(api_submission__client=client).select_related(
        "team__pathway", "episode", "redirected_to"
    )
    if external_id is not None:
        referrals = referrals.filter(external_id=external_id)
    return referrals.order_by("-received_at", "-pk")


def record_read(client: ApiClient, referral: Referral) -> None:
    """Audit that ``client`` read ``referral``'s status."""
    record(None, Action.VIEW, referral, actor_label=client.name, detail="api status")

