"""The audit log page: administrators search who viewed or changed what."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.audit.forms import AuditFilterForm
from upstream.service.audit.models import AuditEvent
from upstream.service.audit.presenters import action_items, event_rows
from upstream.service.ui.lists import Column, ListSpec, list_page

EVENTS = ListSpec(
    columns=(
        Column("When", ("at",)),
        Column("Who", ("actor_label",)),
        Column("Action", ("action",)),
        Column("Record", ("record_type", "record_id")),
        Column("Detail"),
        Column("Page"),
    ),
    default_sort="-when",
    noun=("event", "events"),
)
"""The audit log's columns; its filters are the free-text ``AuditFilterForm``."""


@allow(Role.ADMIN)
@require_GET
def events(request):
    """Audit events, newest first, filtered by user, record and action, 25 a page."""
    form = AuditFilterForm(request.GET or None)
    found = AuditEvent.objects.all()
    if form.is_valid():
        found = form.filter(found)
    page = list_page(request, found, EVENTS)
    return render(request, "audit/events.jinja", {
        "form": form, "list": page, "rows": event_rows(page.rows),
        "action_items": action_items(request.GET.get("action", "")),
    })
