"""A person's record: view (audited) and edit (staff of a team working with them)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.audit.services import listed, viewed
from upstream.service.people import search as person_search
from upstream.service.people.forms import PersonEditForm
from upstream.service.people.models import Person
from upstream.service.people.presenters import PersonPresenter, active_flags, saved_value
from upstream.service.people.search import MOST_SHOWN, PersonSearchForm
from upstream.service.people.services import StalePerson, update_person
from upstream.service.referrals.models import Episode
from upstream.service.referrals.presenters import EpisodePresenter
from upstream.service.referrals.services import other_team_episodes
from upstream.service.ui.errors import error_summary


@allow(Role.LINK_WORKER, Role.TEAM_LEAD)
def detail(request, person_id: int):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=person_id)
    viewed(request, person)
    episodes = Episode.objects.for_user(request.user).filter(person=person).select_related(
        "team", "worker"
    )
    # Other teams' episodes are counted, never described: opening them is break-glass.
    return render(request, "people/detail.jinja", {
        "person": person, "presenter": PersonPresenter(person),
        "episodes": [(e, EpisodePresenter(e)) for e in episodes],
        "other_episodes": other_team_episodes(person, request.user).count(),
        "flags": active_flags(person),
    })


@allow(Role.LINK_WORKER, Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def edit(request, person_id: int):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=person_id)
    # The form edits its own copy, so ``update_person`` can tell which fields changed.
    form = PersonEditForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_person(person, form.changes(), by=request.user,
                                    expected_version=form.cleaned_data["version"])
        except StalePerson as stale:
            form, status = _after_conflict(request, person, stale), 409
        else:
            messages.success(request, "Details saved." if changed else "Nothing was changed.")
            return redirect("people:detail", person.pk)
    if request.method == "GET":
        viewed(request, person)
    return render(request, "people/edit.jinja", {
        "person": person, "presenter": PersonPresenter(person), "form": form,
        "errors": error_summary(form), "flags": active_flags(person),
    }, status=status)


def _after_conflict(request, person: Person, stale: StalePerson) -> PersonEditForm:
    """The form again after a refused save: what the user typed, re-based on the version now
    saved (so saving again is possible once they have checked), the page-level message, and on
    each field where what they typed differs from the record, what the record now says."""
    saved = Person.objects.get(pk=person.pk)
    data = request.POST.copy()
    data["version"] = str(stale.actual)
    form = PersonEditForm(data, instance=Person.objects.get(pk=person.pk))
    typed = form.changes() if form.is_valid() else {}
    form.add_error(None, str(stale))
    for name, value in typed.items():
        if getattr(saved, name) != value:
            form.add_error(name, f"{form[name].label} saved on the record now: "
                                 f"{saved_value(saved, name)}")
    return form


@allow(Role.LINK_WORKER, Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def search(request):
    """Find a person the user's teams work with, by NHS number or by family name and date of
    birth. The terms are posted, never put in the address or the audit; the audit lists the
    people shown."""
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    found = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            d = form.cleaned_data
            found = person_search.search(request.user, nhs_number=d["nhs_number"],
                                         family_name=d["family_name"],
                                         date_of_birth=d["date_of_birth"])
            listed(request, "people.search", [f.person.pk for f in found[:MOST_SHOWN]])
        else:
            status = 400
    return render(request, "people/search.jinja", {
        "form": form, "errors": error_summary(form),
        "found": found[:MOST_SHOWN] if found is not None else None,
        "more": found is not None and len(found) > MOST_SHOWN,
        "by_nhs_number": form.is_bound and not form.errors and bool(
            form.cleaned_data.get("nhs_number")),
    }, status=status)
