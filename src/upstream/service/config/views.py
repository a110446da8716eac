"""Service-wide views: the home page (routes each role to its start page), the health check,
and the error handlers that answer API paths in JSON rather than an HTML page."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views import defaults
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow, public
from upstream.service.accounts.models import Role

START_PAGES = {
    Role.REFERRER: "referrals:mine",
    Role.LINK_WORKER: "engagement:caseload",
    Role.TEAM_LEAD: "referrals:board",
    Role.COMMISSIONER: "insights:dashboard",
    Role.ADMIN: "admin:index",
}


@allow(*Role.values)
def home(request):
    """Send each user to the page they start their day on."""
    return redirect(START_PAGES[request.user.role])


@public
@require_GET
def healthz(request):
    """200 with ``{"status": "ok", "database": "ok"}`` when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


API_PREFIX = "/api/"


def _json_for_api(default_view, status: int, detail: str):
    """An error handler: JSON ``{"detail": ...}`` under ``/api/``, Django's page elsewhere."""

    def handler(request, exception=None):
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": detail}, status=status)
        if exception is None:
            return default_view(request)
        return default_view(request, exception)

    return handler


bad_request = _json_for_api(defaults.bad_request, 400, "Bad request.")
permission_denied = _json_for_api(defaults.permission_denied, 403, "Forbidden.")
not_found = _json_for_api(defaults.page_not_found, 404, "Not found.")
server_error = _json_for_api(defaults.server_error, 500, "Server error.")
