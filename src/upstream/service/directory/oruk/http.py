"""What every ``/oruk/`` answer carries, declared once in ``open_endpoint``.

- Open to anyone (``@public``, no key, no sign-in), as Open Referral UK requires, and
  ``Access-Control-Allow-Origin: *`` on every answer, errors included, so a web page on any
  site can read the directory. ``OPTIONS`` answers a CORS preflight (204).
- Read only: ``GET`` and ``HEAD``; anything else is 405 with ``Allow``. The views change
  nothing, so they need no CSRF token.
- JSON always (``application/json``), errors too: ``{"error": message, "parameter": name}``
  with 400 for a bad query parameter, 404 for an unknown record, 501 when postcode search is
  not configured.
- Caching: a successful answer to a request carrying no cookie may be kept by browsers and
  shared caches for ``CACHE_SECONDS`` (``Cache-Control: public``), with an ``ETag`` so a
  client can revalidate (304). A request with a cookie (a signed-in user) gets the service-wide
  ``no-store`` instead (``config/middleware.py``), so no cache ever holds a response that sets
  or depends on a session.
"""

import logging
import sqlite3
from functools import wraps

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views.decorators.csrf import csrf_exempt

from upstream.service.accounts.access import public
from upstream.service.directory.oruk.params import BadParameter
from upstream.service.directory.oruk.postcode_centroids import CentroidsUnavailable

logger = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")
ALLOWED = "GET, HEAD, OPTIONS"
CACHE_SECONDS = 300
PREFLIGHT_MAX_AGE = 86_400


def json_response(body, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=isinstance(body, dict),
                        json_dumps_params={"ensure_ascii": False})


def error(status: int, message: str, parameter: str | None = None) -> JsonResponse:
    body = {"error": message}
    if parameter:
        body["parameter"] = parameter
    return json_response(body, status=status)


def _answer(view, request, *args, **kwargs) -> HttpResponse:
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = ALLOWED
        response["Access-Control-Allow-Headers"] = "*"
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        return response
    if request.method not in READ_METHODS:
        response = error(405, f"{request.method} is not allowed: this API is read only")
        response["Allow"] = ALLOWED
        return response
    try:
        return view(request, *args, **kwargs)
    except BadParameter as problem:
        return error(400, str(problem), problem.parameter)
    except Http404 as problem:
        return error(404, str(problem) or "Not found.")
    except CentroidsUnavailable as problem:
        return error(501, str(problem), "postcode")
    except sqlite3.Error:
        logger.exception("the postcode directory cannot be read")
        return error(503, "postcode search is unavailable: the postcode directory cannot be "
                          "read. Try again later.", "postcode")


def _cacheable(request, response) -> HttpResponse:
    if response.status_code != 200 or request.COOKIES:
        return response
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    set_response_etag(response)
    response = get_conditional_response(request, etag=response["ETag"], response=response)
    response.shared_cacheable = True
    return response


def open_endpoint(view):
    """Make ``view`` (which returns JSON for a GET) an open API endpoint, as described above."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = _cacheable(request, _answer(view, request, *args, **kwargs))
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return public(csrf_exempt(wrapped))
