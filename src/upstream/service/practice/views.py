"""The team lead's page for the practice model their team works to."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.practice import forms, services
from upstream.service.practice.models import TeamPractice
from upstream.service.ui.errors import error_summary


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def team(request, team_id: int):
    """Choose the practice model of one of the lead's teams (any other team is 404)."""
    found = get_object_or_404(request.user.teams.all(), pk=team_id)
    current = TeamPractice.objects.filter(team=found).first()
    form = forms.PracticeForm(request.POST or None,
                              initial={"model": current.model if current else forms.NONE})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["model"]
        services.set_practice_model(found, None if chosen == forms.NONE else chosen,
                                    by=request.user, since=timezone.localdate())
        messages.success(request, f"Practice model saved for {found.name}")
        return redirect("practice:team", team_id=found.pk)
    return render(request, "practice/team.jinja", {
        "team": found, "form": form, "errors": error_summary(form),
        "current": current.get_model_display() if current else "None",
    })
