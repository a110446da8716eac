"""Every refused attempt by a signed-in user is audited.

A 403 (role not allowed, CSRF failure) on any page, and a 404 on a page that names a record
(``/people/<person_id>/``: another team's record, or none), write an event with the action
``refused``, the page (URL name), the record id asked for, the path and the status. An API
client (a valid bearer token, ``request.auth``) asking for a record it may not see is audited
the same way, under the client's name. 404s for URLs that match no page, and anything anonymous
visitors do, are not audited: they name no record, and would let anyone fill the log.
"""

from upstream.service.audit.models import Action
from upstream.service.audit.services import record

REFUSED_STATUSES = (403, 404)


def refused_attempts(get_response):
    def middleware(request):
        response = get_response(request)
        if response.status_code not in REFUSED_STATUSES:
            return response
        client = _api_client(request)
        if not (request.user.is_authenticated or client):
            return response
        match = request.resolver_match
        if response.status_code == 403 or (match is not None and match.kwargs):
            kwargs = match.kwargs if match is not None else {}
            record(request, Action.REFUSED,
                   record_type=match.view_name if match is not None else "",
                   record_id=str(next(iter(kwargs.values()), "")),
                   detail=f"status {response.status_code}",
                   actor_label=client.name if client is not None else "")
        return response

    return middleware


def _api_client(request):
    """The ``ApiClient`` a valid bearer token named on this request, else None."""
    from upstream.service.api.models import ApiClient

    client = getattr(request, "auth", None)
    return client if isinstance(client, ApiClient) else None
