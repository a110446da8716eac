"""Service-wide views: the home page (routes each role to its start page) and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
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
