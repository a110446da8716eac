"""A person's record: view (audited) and edit (staff of a team working with them)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import Role
from upstream.service.audit.services import viewed
from upstream.service.people.forms import PersonEditForm
from upstream.service.people.models import Person
from upstream.service.people.presenters import PersonPresenter, error_list
from upstream.service.people.services import update_person
from upstream.service.referrals.models import Episode
from upstream.service.referrals.presenters import EpisodePresenter


@allow(Role.LINK_WORKER, Role.TEAM_LEAD)
def detail(request, person_id: int):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=person_id)
    viewed(request, person)
    episodes = Episode.objects.for_user(request.user).filter(person=person).select_related(
        "team", "worker"
    )
    return render(request, "people/detail.jinja", {
        "person": person, "presenter": PersonPresenter(person),
        "episodes": [(e, EpisodePresenter(e)) for e in episodes],
    })


@allow(Role.LINK_WORKER, Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def edit(request, person_id: int):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=person_id)
    # The form edits its own copy, so ``update_person`` can tell which fields changed.
    form = PersonEditForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        changed = update_person(person, {name: form.cleaned_data[name] for name in form.fields},
                                by=request.user)
        messages.success(request, "Details saved." if changed else "Nothing was changed.")
        return redirect("people:detail", person.pk)
    if request.method == "GET":
        viewed(request, person)
    return render(request, "people/edit.jinja", {
        "person": person, "presenter": PersonPresenter(person), "form": form,
        "errors": error_list(form),
    }, status=400 if form.is_bound else 200)
