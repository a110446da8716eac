"""Staff pages of the service directory: find a service, and one service's details.

Directory records are shared by every team (they describe community services, not people), so
these pages are not scoped to a team. What a worker types may describe a person ("lonely since
his wife died"), so the search form posts (the words stay out of the address, browser history
and server logs); a need alone may be linked with ``?need=<code>`` (from a plan's suggestions).
Neither page shows personal data, so neither is audited as a view of a record.
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES
from upstream.service.directory import search_presenters as presenters
from upstream.service.directory.models import Attribute, Service
from upstream.service.directory.search import MOST_RESULTS, search
from upstream.service.directory.search_forms import DirectorySearchForm
from upstream.service.ui.errors import error_summary


def _now():
    return timezone.localtime().replace(tzinfo=None)


@allow(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def find(request):
    """Search the directory by need, words, distance and filters; results say why."""
    data = request.POST if request.method == "POST" else (
        request.GET if "need" in request.GET else None)
    form = DirectorySearchForm(data)
    rows, status = None, 200
    if form.is_bound:
        if form.is_valid():
            now = _now()
            rows = presenters.rows(search(form.query(), now), now)
        else:
            status = 400
    return render(request, "directory/find.jinja", {
        "form": form, "errors": error_summary(form), "rows": rows, "most": MOST_RESULTS,
    }, status=status)


@allow(*STAFF_ROLES)
@require_GET
def service(request, service_id):
    """Everything the directory knows about one service."""
    found = get_object_or_404(
        Service.objects.select_related("organization").prefetch_related(
            "phones", "schedules", "cost_options", "languages", "service_areas",
            "service_at_locations__location__addresses",
            "service_at_locations__location__accessibility"),
        pk=service_id)
    attributes = Attribute.for_records("service", [found.id])
    return render(request, "directory/service.jinja", {
        "view": presenters.detail(found, list(attributes), _now()),
    })
