"""Service-wide views: the home page (routes each role to its start page), the health check
(JSON for machines) and the service status page (for people), the footer's public pages
(accessibility statement, privacy notice, help and contact), and the error handlers: NHS.UK
pages showing the helpful message the code raised, or JSON under ``/api/``."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow, public
from upstream.service.accounts.models import Role

START_PAGES = {
    Role.REFERRER: "referrals:mine",
    Role.LINK_WORKER: "engagement:caseload",
    Role.TEAM_LEAD: "referrals:board",
    Role.COMMISSIONER: "insights:dashboard",
    Role.ADMIN: "admin:index",
    Role.VCSE_PARTNER: "connect:partner_referrals",
}


@allow(*Role.values)
def home(request):
    """Send each user to the page they start their day on."""
    return redirect(START_PAGES[request.user.role])


def database_answers() -> bool:
    """Whether the database answers a trivial query now."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False
    return True


@public
@require_GET
def healthz(request):
    """200 with ``{"status": "ok", "database": "ok"}`` when the database answers, else 503."""
    if not database_answers():
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@public
@require_GET
def status(request):
    """The service status for people: working, or a problem with what to do; 503 when down."""
    working = database_answers()
    return render(request, "pages/status.jinja", {"working": working},
                  status=200 if working else 503)


@public
@require_GET
def accessibility(request):
    """The accessibility statement."""
    return render(request, "pages/accessibility.jinja")


@public
@require_GET
def privacy(request):
    """The privacy notice: what data the service holds, who controls it, people's rights."""
    return render(request, "pages/privacy.jinja")


@public
@require_GET
def help_page(request):
    """Help and contact: who to ask, and how to report a problem."""
    return render(request, "pages/help.jinja")


API_PREFIX = "/api/"
logger = logging.getLogger(__name__)

ERROR_PAGES = {
    400: ("Sorry, there is a problem with that request",
          "The request could not be understood. Go back and try again."),
    403: ("You do not have access to this page",
          "If you think you should have access, ask your team lead or administrator."),
    404: ("Page not found",
          "If you typed the web address, check it is correct. If you pasted the web address, "
          "check you copied the entire address."),
    500: ("Sorry, there is a problem with the service",
          "Try again later. Anything you were saving may not have been saved: check before "
          "entering it again."),
}
"""The heading and general advice of each error page."""

JSON_DETAILS = {400: "Bad request.", 403: "Forbidden.", 404: "Not found.", 500: "Server error."}


def raised_message(exception) -> str:
    """The message the code raised with, for showing to the user; empty for Django's own
    generic ones (an unmatched URL, ``get_object_or_404``), which say nothing helpful."""
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    message = exception.args[0].strip()
    if isinstance(exception, Http404) and message.endswith("matches the given query."):
        return ""
    return message


def error_page(request, status: int, exception=None) -> HttpResponse:
    """An NHS.UK error page (or ``{"detail": ...}`` under ``/api/``) with ``status``."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": JSON_DETAILS[status]}, status=status)
    title, advice = ERROR_PAGES[status]
    context = {"title": title, "message": raised_message(exception), "advice": advice}
    try:
        return render(request, "errors/error.jinja", context, status=status)
    except Exception:  # the page itself failed (e.g. the database is down): plain words
        logger.exception("error page %s could not be rendered", status)
        return HttpResponse(f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
                            f"<p>{escape(advice)}</p>", status=status)


def bad_request(request, exception=None):
    return error_page(request, 400, exception)


def permission_denied(request, exception=None):
    return error_page(request, 403, exception)


def not_found(request, exception=None):
    return error_page(request, 404, exception)


def server_error(request):
    return error_page(request, 500)


CSRF_MESSAGE = ("The form could not be sent: it was open too long, or sent from somewhere "
                "else. Go back, reload the page and try again.")


def csrf_failure(request, reason=""):
    """A form refused by Django's cross-site request forgery check: the NHS.UK 403 page saying
    what to do (Django's ``reason`` is for developers and is not shown)."""
    return error_page(request, 403, PermissionDenied(CSRF_MESSAGE))
