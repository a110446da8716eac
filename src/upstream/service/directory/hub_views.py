"""The provision and gaps page and its CSV downloads: disclosure-controlled figures only."""

import csv
import io

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.directory import hub
from upstream.service.directory.search_forms import postcode_directory
from upstream.service.insights import services as insights
from upstream.service.insights.export import inert
from upstream.service.ui.forms import NamedErrorsMixin

ROLES = (Role.TEAM_LEAD, Role.COMMISSIONER)


class DistanceForm(NamedErrorsMixin, forms.Form):
    """``?miles=``: the distance for "provision within a distance" (one of ``hub.MILES``)."""

    miles = forms.TypedChoiceField(
        label="Distance from home", coerce=int, required=False, empty_value=hub.DEFAULT_MILES,
        choices=[(m, f"{m} mile{'s' if m != 1 else ''}") for m in hub.MILES])


def _miles(request) -> int:
    """The distance asked for; anything not offered is the default (a link to a bookmarked
    page keeps working)."""
    form = DistanceForm(request.GET)
    return form.cleaned_data["miles"] if form.is_valid() else hub.DEFAULT_MILES


def _hub(request) -> hub.Hub:
    teams = list(insights.teams_for(request.user).order_by("name"))
    return hub.build(teams, scope=hub.scope_of(teams), today=timezone.localdate(),
                     miles=_miles(request), postcode_directory=postcode_directory())


@allow(*ROLES)
@require_GET
def provision(request):
    """Demand beside supply by need, referral volume per organisation, gaps and stale records,
    with small numbers suppressed."""
    page = _hub(request)
    return render(request, "directory/hub/provision.jinja", {
        "hub": page, "distance_form": DistanceForm(initial={"miles": page.miles})})


@allow(*ROLES)
@require_GET
def provision_csv(request):
    """One table of the page (``?table=<slug>``, the first by default; ``?miles=`` as on the
    page) as CSV: its caption, headers and rows (the published strings)."""
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
