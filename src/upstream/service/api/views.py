"""The API's operations (django-ninja routes). Authentication is declared once, on the API
(``api.py``): every route here answers 401 without a valid bearer token, and ``request.auth``
is the calling ``ApiClient``."""

from django.core.exceptions import ValidationError as ModelValidationError
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestValidationError

from upstream.service.api import presenters, services
from upstream.service.api.schemas import (
    MAX_ID,
    Message,
    ReferralCreated,
    ReferralFilter,
    ReferralPage,
    ReferralStatus,
    ReferralSubmission,
    TeamOut,
    ValidationErrors,
)

router = Router()

UNAUTHORISED = {401: Message, 429: Message}
"""Every operation may answer 401 (no valid token) or 429 (over the client's rate limit, with
``Retry-After`` in seconds; see ``api.ClientRateThrottle``)."""


@router.post(
    "/referrals",
    response={201: ReferralCreated, 400: Message, 403: Message, 413: Message,
              422: ValidationErrors, **UNAUTHORISED},
    operation_id="submit_referral", tags=["referrals"], summary="Send a referral",
)
def submit_referral(request, submission: ReferralSubmission):
    """Refer a person to a team. A person Upstream already knows is matched only when NHS
    number, date of birth and family name all agree; otherwise the team confirms who they are.
    The answer never says whether the person was already known or already supported."""
    try:
        referral = services.submit(request.auth, submission)
    except services.UnknownTeam as problem:
        raise RequestValidationError([{
            "loc": ("body", "submission", "referral", "team"), "msg": str(problem),
            "type": "unknown_team",
        }]) from problem
    except services.TeamNotPermitted as problem:
        raise HttpError(403, str(problem)) from problem
    except services.ChildDetailsMissing as problem:
        # Several missing parent or carer fields under a missing object are reported once.
        raise RequestValidationError([
            {"loc": ("body", "submission", "referral", *path.split(".")), "msg": message,
             "type": "missing_for_child"}
            for path, message in dict(problem.missing).items()
        ]) from problem
    except ModelValidationError as problem:
        raise RequestValidationError([
            {"loc": ("body", "submission", "person", name), "msg": message,
             "type": "invalid_person"}
            for name, messages in problem.message_dict.items() for message in messages
        ]) from problem
    return Status(201, presenters.created(referral))


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralStatus, 404: Message, 422: ValidationErrors, **UNAUTHORISED},
    operation_id="get_referral", tags=["referrals"], summary="Read a referral's status",
)
def get_referral(request, referral_id: int = Path(..., ge=1, le=MAX_ID, examples=[1])):
    """The status of one referral this client sent. Referrals sent by other systems, or
    through the website, are not found (404)."""
    referral = get_object_or_404(services.client_referrals(request.auth), pk=referral_id)
    services.record_read(request.auth, referral)
    return presenters.referral_status(referral)


@router.get(
    "/referrals",
    response={200: ReferralPage, 422: ValidationErrors, **UNAUTHORISED},
    operation_id="list_referrals", tags=["referrals"], summary="List this client's referrals",
)
def list_referrals(request, filters: Query[ReferralFilter]):
    """The referrals this client sent, newest first, optionally only those with one
    ``external_id``. Each referral returned is recorded in the audit log as read."""
    referrals = services.client_referrals(request.auth, external_id=filters.external_id)
    page = list(referrals[filters.offset:filters.offset + filters.limit])
    for referral in page:
        services.record_read(request.auth, referral)
    return {"count": referrals.count(), "items": [presenters.referral_status(r) for r in page]}


@router.get(
    "/teams", response={200: list[TeamOut], **UNAUTHORISED},
    operation_id="list_teams", tags=["teams"], summary="Teams this client may refer to",
)
def list_teams(request):
    """The teams this client may send referrals to (by id or name)."""
    return [
        {"id": team.pk, "name": team.name, "pathway": team.pathway.name}
        for team in services.permitted_teams(request.auth)
    ]
