"""The notifications page and marking notifications read. Each user sees only their own; the
texts hold no personal details, so the page is not audited as a view of a record."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.notifications import services
from upstream.service.notifications.models import Notification
from upstream.service.notifications.presenters import notification_rows
from upstream.service.ui.lists import Column, Filter, ListSpec, list_page

INBOX = ListSpec(
    columns=(Column("When", ("created_at",)),),
    default_sort="-when",
    filters=(Filter("show", "Show", [("unread", "Unread only")],
                    lambda qs, v: qs.filter(read_at__isnull=True), all_text="All"),),
    noun=("notification", "notifications"),
)
"""The inbox: newest first, optionally only the unread ones."""


@allow(*Role.values)
@require_GET
def inbox(request):
    """The user's notifications, newest first, 25 a page, unread ones marked; ``?show=unread``
    shows only those not yet read (``ui.lists``)."""
    page = list_page(request, Notification.objects.for_user(request.user), INBOX)
    return render(request, "notifications/inbox.jinja", {
        "list": page, "rows": notification_rows(page.rows),
        "unread": services.unread_count(request.user),
    })


@allow(*Role.values)
@require_POST
def mark_read(request):
    """Mark one notification read (``notification`` = its id) or all (``notification=all``)."""
    chosen = request.POST.get("notification", "")
    if chosen == "all":
        services.mark_read(request.user)
        messages.success(request, "All notifications marked as read.")
    elif chosen.isdigit():
        if not Notification.objects.for_user(request.user).filter(pk=int(chosen)).exists():
            raise Http404("No such notification")
        services.mark_read(request.user, int(chosen))
        messages.success(request, "Notification marked as read.")
    else:
        raise Http404("No such notification")
    return redirect("notifications:inbox")
