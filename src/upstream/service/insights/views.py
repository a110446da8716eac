"""The insights dashboard and its exports: de-identified aggregates only, never a named
record."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.insights import export, pdf, services
from upstream.service.insights.forms import InsightsFilterForm
from upstream.service.insights.presenters import dashboard as build_dashboard
from upstream.service.ui.errors import error_summary

ROLES = (Role.COMMISSIONER, Role.TEAM_LEAD, Role.ADMIN)


def _filtered(request):
    form = InsightsFilterForm(request.GET or None,
                              teams=list(services.teams_for(request.user).order_by("name")))
    teams, period, text = form.chosen()
    return form, build_dashboard(request.user, teams, period, text)


@allow(*ROLES)
@require_GET
def dashboard(request):
    """Referrals, waiting, engagement, outcomes and trends for the chosen team and period,
    with small numbers suppressed."""
    form, found = _filtered(request)
    query = request.GET.urlencode()
    return render(request, "insights/dashboard.jinja",
                  {"dashboard": found, "form": form, "errors": error_summary(form),
                   "query": f"?{query}" if query else ""})


def _filename(extension: str) -> str:
    return f"upstream-insights-{timezone.localdate():%Y-%m-%d}.{extension}"


@allow(*ROLES)
@require_GET
def export_csv(request):
    """Every table of the filtered page as CSV (the same published figures)."""
    _, found = _filtered(request)
    response = HttpResponse(export.as_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@allow(*ROLES)
@require_GET
def export_xlsx(request):
    """Every table of the filtered page as an Excel workbook (the same published figures)."""
    _, found = _filtered(request)
    response = HttpResponse(
        export.as_xlsx(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


@allow(*ROLES)
@require_GET
def export_pdf(request):
    """The filtered page as a PDF report: every table with its chart, method note and caveats
    (the same published figures and alt text)."""
    _, found = _filtered(request)
    response = HttpResponse(pdf.insights_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    return response
