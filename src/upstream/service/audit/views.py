"""The audit log page: administrators search who viewed or changed what."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.audit.forms import AuditFilterForm
from upstream.service.audit.models import AuditEvent
from upstream.service.audit.presenters import action_items, event_rows

PAGE_SIZE = 50


@allow(Role.ADMIN)
@require_GET
def events(request):
    """Audit events, newest first, filtered by user, record and action."""
    form = AuditFilterForm(request.GET or None)
    found = AuditEvent.objects.all()
    if form.is_valid():
        found = form.filter(found)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/events.jinja", {
        "form": form, "page": page, "rows": event_rows(page.object_list),
        "query": query.urlencode(), "action_items": action_items(request.GET.get("action", "")),
    })
