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


@allow(*Role.values)
@require_GET
def inbox(request):
    """The user's notifications, newest first (the latest 100), unread ones marked."""
    notes = Notification.objects.for_user(request.user)[:100]
    return render(request, "notifications/inbox.jinja", {
        "rows": notification_rows(notes),
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
