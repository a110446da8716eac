"""The provision and gaps page and its CSV downloads: disclosure-controlled figures only."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.directory import hub
from upstream.service.insights import services as insights
from upstream.service.insights.export import inert

ROLES = (Role.TEAM_LEAD, Role.COMMISSIONER)


def _hub(request) -> hub.Hub:
    teams = list(insights.teams_for(request.user).order_by("name"))
    return hub.build(teams, scope=hub.scope_of(teams), today=timezone.localdate())


@allow(*ROLES)
@require_GET
def provision(request):
    """Demand beside supply by need, referral volume per organisation, gaps and stale records,
    with small numbers suppressed."""
    return render(request, "directory/hub/provision.jinja", {"hub": _hub(request)})


@allow(*ROLES)
@require_GET
def provision_csv(request):
    """One table of the page (``?table=<slug>``, the first by default) as CSV: its caption,
    headers and rows (the published strings)."""
    page = _hub(request)
    table = request.GET.get("table", page.demand_supply.slug)
    found = page.table(table)
    if found is None:
        raise Http404("No such table")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([found.caption])
    writer.writerow(["De-identified. Numbers 1 to 9 shown as <10; others rounded to the nearest "
                     "5; [c] hides a number that could otherwise be worked out "
                     "(docs/adr/0006)."])
    writer.writerow(found.headers)
    writer.writerows([inert(str(cell)) for cell in row] for row in found.rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="upstream-{table}-{timezone.localdate():%Y-%m-%d}.csv"')
    return response
