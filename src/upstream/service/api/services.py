"""The API's operations: submitting a referral for a client, and finding a client's referrals.

Identity, duplicate linking and auditing are the people and referrals apps' own services
(``find_or_create_person``, ``submit_referral``); this module adds what is particular to a
system posting on someone's behalf: which teams it may refer to, and which referrals are its.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from upstream.service.accounts.models import Team
from upstream.service.api.models import ApiClient, ApiSubmission
from upstream.service.api.schemas import ReferralSubmission
from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.referrals.children import is_child, missing_child_details
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


API_CHILD_FIELDS = {
    "parent_carer_name": "parent_carer.name",
    "parent_carer_relationship": "parent_carer.relationship",
    "parent_carer_phone": "parent_carer.phone",
    "parental_responsibility": "parent_carer.parental_responsibility",
    "safeguarding_concerns": "safeguarding_concerns",
    "safeguarding_details": "safeguarding_details",
    "consent_by": "consent_by",
}
"""Where each of a child's referral fields (``children.CHILD_FIELDS``) sits in the request,
under ``referral``."""


class ChildDetailsMissing(ValueError):
    """A child's referral without the parent or carer, safeguarding or consent details.
    ``missing`` maps each missing field's path under ``referral`` to its message."""

    def __init__(self, missing: dict[str, str]):
        super().__init__("; ".join(missing.values()))
        self.missing = missing


def child_details(submission: ReferralSubmission, today: datetime.date) -> dict | None:
    """A child's parent or carer, safeguarding and consent details as ``Referral`` fields, or
    None for an adult. Raises ``ChildDetailsMissing`` naming what a child's referral lacks
    (the same rule as the web form: ``children.missing_child_details``)."""
    if not is_child(submission.person.date_of_birth, today):
        return None
    r, carer = submission.referral, submission.referral.parent_carer
    values = {
        "parent_carer_name": carer.name if carer else None,
        "parent_carer_relationship": carer.relationship if carer else None,
        "parent_carer_phone": carer.phone if carer else None,
        "parental_responsibility": carer.parental_responsibility if carer else None,
        "safeguarding_concerns": r.safeguarding_concerns,
        "safeguarding_details": r.safeguarding_details,
        "consent_by": r.consent_by.value if r.consent_by else None,
    }
    missing = missing_child_details(values)
    if missing:
        named = {API_CHILD_FIELDS[name]: message for name, message in missing.items()
                 if carer is not None or not API_CHILD_FIELDS[name].startswith("parent_carer.")}
        if carer is None:
            named = {"parent_carer": "a child (under 18) needs their parent or carer: name, "
                                     "relationship, phone and parental_responsibility",
                     **named}
        raise ChildDetailsMissing(named)
    return values


@transaction.atomic
def _submit(client: ApiClient, team: Team, submission: ReferralSubmission) -> Referral:
    details = submission.referral
    child = child_details(submission, timezone.localdate())
    referral = refer_person(
        submission.person.model_dump(), team=team, actor_label=client.name,
        source=details.source, needs=details.needs,
        reason=details.reason, urgency=details.urgency, consent_given=details.consent_given,
        referrer_name=details.referrer_name, referrer_contact=details.referrer_contact,
        external_system=client.name, external_id=details.external_id, child_details=child,
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

