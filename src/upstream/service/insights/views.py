"""The insights dashboard: de-identified aggregates only, never a named record."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.insights.presenters import dashboard as build_dashboard


@allow(Role.COMMISSIONER, Role.TEAM_LEAD, Role.ADMIN)
@require_GET
def dashboard(request):
    """Referrals, waiting, engagement, closures and reach, with small numbers suppressed."""
    return render(request, "insights/dashboard.jinja", {"dashboard": build_dashboard(request.user)})
