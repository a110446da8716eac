"""A person's safety flags: risk, safeguarding and lone-working warnings. Staff of a team
working with the person raise and resolve them; viewing the page is audited."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES
from upstream.service.audit.services import viewed
from upstream.service.people import services
from upstream.service.people.forms import ResolveFlagForm, SafetyFlagForm
from upstream.service.people.models import Person, SafetyFlag
from upstream.service.people.presenters import PersonPresenter, flag_rows
from upstream.service.ui.errors import error_summary


@allow(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def flags(request, person_id: int):
    """The person's active and resolved flags, and the form to raise one."""
    person = get_object_or_404(Person.objects.for_user(request.user), pk=person_id)
    form = SafetyFlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.raise_flag(person, kind=form.cleaned_data["kind"],
                                note=form.cleaned_data["note"], by=request.user)
            messages.success(request, "Safety flag raised. It shows at the top of every page "
                                      "about this person.")
            return redirect("people:flags", person.pk)
        status = 400
    else:
        viewed(request, person)
    every = person.safety_flags.select_related("raised_by", "resolved_by")
    return render(request, "people/flags.jinja", {
        "person": person, "presenter": PersonPresenter(person), "form": form,
        "errors": error_summary(form),
        "active": flag_rows(f for f in every if f.is_active),
        "resolved": flag_rows(f for f in every if not f.is_active),
    }, status=status)


@allow(*STAFF_ROLES)
@require_POST
def resolve_flag(request, safety_flag_id: int):
    """Mark a flag resolved, with an optional note; it stays listed as resolved."""
    flag = get_object_or_404(SafetyFlag.objects.for_user(request.user), pk=safety_flag_id)
    form = ResolveFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The flag was not resolved. " + " ".join(
            form.errors["resolution_note"]))
        return redirect("people:flags", flag.person_id)
    try:
        services.resolve_flag(flag, by=request.user, note=form.cleaned_data["resolution_note"])
    except services.FlagAlreadyResolved as done:
        messages.info(request, str(done))
    else:
        messages.success(request, f"Flag resolved: {flag.get_kind_display()}.")
    return redirect("people:flags", flag.person_id)
