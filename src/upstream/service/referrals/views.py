"""Pages for referring, triage, allocation, the waiting list and the episode hub.

Records are always fetched through ``for_user`` querysets, so another team's records are 404;
every page showing one identifiable record is audited (``viewed``).
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES, Role
from upstream.service.audit.services import viewed
from upstream.service.people.forms import PersonIntakeForm
from upstream.service.people.presenters import PersonPresenter, error_list
from upstream.service.people.services import find_or_create_person
from upstream.service.referrals import services
from upstream.service.referrals.forms import (
    AllocateForm,
    ReferralDetailsForm,
    TransitionForm,
    TriageForm,
)
from upstream.service.referrals.models import Episode, Referral, Urgency
from upstream.service.referrals.presenters import (
    EpisodePresenter,
    ReferralPresenter,
    allowed_moves,
    engagement_links,
    waiting_rows,
    worker_options,
)
from upstream.service.referrals.states import IllegalTransition, Status

STAFF = STAFF_ROLES
SUBMITTED_KEY = "referrals:submitted"


def _referrals(request):
    return Referral.objects.for_user(request.user).select_related(
        "person", "team", "episode", "redirected_to", "referrer"
    )


def _episodes(request):
    return Episode.objects.for_user(request.user).select_related("person", "team", "worker")


# --- Referring ------------------------------------------------------------------------------

@allow(Role.REFERRER, *STAFF)
@require_http_methods(["GET", "POST"])
def new(request):
    """The referral form: the person, the team and what they need, in under a minute."""
    data = request.POST if request.method == "POST" else None
    first_team = request.user.teams.first()
    person_form = PersonIntakeForm(data)
    referral_form = ReferralDetailsForm(
        data, initial={"team": first_team.pk if first_team else None})
    if data is not None and all([person_form.is_valid(), referral_form.is_valid()]):
        details = referral_form.cleaned_data
        with transaction.atomic():
            person, _ = find_or_create_person(person_form.cleaned_data, by=request.user)
            referral = services.submit_referral(
                person=person, team=details["team"], source=details["source"],
                needs=details["needs"], reason=details["reason"], urgency=details["urgency"],
                consent_given=details["consent"], referrer=request.user,
            )
        request.session[SUBMITTED_KEY] = referral.pk
        return redirect("referrals:submitted")
    return render(request, "referrals/new.jinja", {
        "person_form": person_form, "referral_form": referral_form,
        "errors": error_list(person_form, referral_form),
    }, status=400 if data is not None else 200)


@allow(Role.REFERRER, *STAFF)
def submitted(request):
    """Confirmation of the referral this user has just sent."""
    referral = get_object_or_404(
        Referral.objects.filter(referrer=request.user).select_related("person", "team"),
        pk=request.session.get(SUBMITTED_KEY),
    )
    return render(request, "referrals/submitted.jinja", {
        "referral": referral, "person": PersonPresenter(referral.person),
    })


@allow(Role.REFERRER)
def mine(request):
    """Every referral this user made, with what has happened to it."""
    referrals = _referrals(request).filter(referrer=request.user)
    return render(request, "referrals/mine.jinja", {
        "rows": [(r, ReferralPresenter(r), PersonPresenter(r.person)) for r in referrals],
    })


@allow(Role.REFERRER, *STAFF)
def detail(request, referral_id: int):
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    viewed(request, referral)
    return render(request, "referrals/detail.jinja", {
        "referral": referral, "presenter": ReferralPresenter(referral),
        "person": PersonPresenter(referral.person),
        "is_referrer": request.user.role == Role.REFERRER,
    })


# --- Triage ---------------------------------------------------------------------------------

@allow(*STAFF)
def triage_queue(request):
    """Referrals to the user's teams awaiting a triage decision: urgent first, then oldest."""
    urgent_first = Case(When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1),
                        output_field=IntegerField())
    referrals = _referrals(request).filter(triage_outcome="").order_by(urgent_first, "received_at")
    return render(request, "referrals/triage_queue.jinja", {
        "rows": [(r, ReferralPresenter(r), PersonPresenter(r.person)) for r in referrals],
    })


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def triage_referral(request, referral_id: int):
    """Accept (and optionally allocate), reject with a reason, or redirect one referral."""
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    if referral.triage_outcome:
        messages.info(request, "This referral has already been triaged.")
        return redirect("referrals:detail", referral.pk)
    data = request.POST if request.method == "POST" else None
    form = TriageForm(data, referral=referral, initial={"version": referral.episode.version})
    status = 200
    if data is None:
        viewed(request, referral)
    elif form.is_valid():
        d = form.cleaned_data
        try:
            result = services.triage(
                referral, d["outcome"], by=request.user, reject_reason=d["reject_reason"],
                note=d["note"], redirect_to=d["redirect_to"], worker=d["worker"],
                expected_version=d["version"],
            )
        except (services.StaleEpisode, services.TriageError, IllegalTransition) as refused:
            form.add_error(None, str(refused))
            status = 409
        else:
            messages.success(request, _triage_message(result))
            if result.caseload_full:
                messages.warning(request, str(result.caseload_full))
            return redirect("referrals:triage")
    else:
        status = 400
    return render(request, "referrals/triage_referral.jinja", {
        "referral": referral, "presenter": ReferralPresenter(referral),
        "person": PersonPresenter(referral.person), "form": form,
        "errors": error_list(form), "workers": worker_options(referral.team),
    }, status=status)


def _triage_message(result: services.TriageResult) -> str:
    name = PersonPresenter(result.referral.person).name
    decision = ReferralPresenter(result.referral).triage
    episode = Episode.objects.get(pk=result.referral.episode_id)
    where = f" Episode status: {Status(episode.status).label}." if result.moved_episode else ""
    return f"Referral for {name}: {decision}.{where}"


# --- Allocation and waiting -----------------------------------------------------------------

@allow(Role.TEAM_LEAD)
def board(request):
    """For each of the lead's teams: accepted and waiting people, and each worker's caseload."""
    teams = []
    for team in request.user.teams.order_by("name"):
        accepted = _episodes(request).filter(team=team, status=Status.TRIAGED).order_by("opened_at")
        teams.append({
            "team": team,
            "accepted": [(e, PersonPresenter(e.person)) for e in accepted],
            "waiting": waiting_rows(team),
            "loads": services.caseload_counts(team),
            "workers": worker_options(team),
        })
    return render(request, "referrals/board.jinja", {"teams": teams})


@allow(Role.TEAM_LEAD)
@require_POST
def allocate(request, episode_id: int):
    """Allocate an episode to a worker; a full caseload leaves the person on the waiting list."""
    episode = get_object_or_404(_episodes(request), pk=episode_id)
    form = AllocateForm(request.POST, episode=episode)
    name = PersonPresenter(episode.person).name
    if not form.is_valid():
        messages.error(request, f"Allocating {name}: choose a worker.")
        return redirect("referrals:board")
    worker = form.cleaned_data["worker"]
    try:
        services.allocate(episode, worker, by=request.user,
                          expected_version=form.cleaned_data["version"])
    except services.CaseloadFull as full:
        messages.warning(request, f"{name} was not allocated. {full}")
    except (services.StaleEpisode, IllegalTransition, services.NotATeamWorker) as refused:
        messages.error(request, f"{name} was not allocated. {refused}")
    else:
        messages.success(request, f"{name} allocated to {worker.display_name}.")
    return redirect("referrals:board")


@allow(*STAFF)
def waiting(request):
    """Each of the user's teams' waiting lists, in allocation order, with days waited."""
    teams = [
        {"team": team, "entries": waiting_rows(team)}
        for team in request.user.teams.order_by("name")
    ]
    return render(request, "referrals/waiting.jinja", {"teams": teams})


# --- The episode hub ------------------------------------------------------------------------

@allow(Role.REFERRER, *STAFF)
def episode(request, episode_id: int):
    """The episode hub. Referrers see status and outcome only."""
    found = get_object_or_404(_episodes(request), pk=episode_id)
    viewed(request, found)
    if request.user.role == Role.REFERRER:
        referrals = found.referrals.filter(referrer=request.user).select_related("team", "episode")
        return render(request, "referrals/episode_referrer.jinja", {
            "episode": found, "presenter": EpisodePresenter(found),
            "person": PersonPresenter(found.person),
            "referrals": [(r, ReferralPresenter(r)) for r in referrals],
            "has_summary": hasattr(found, "discharge_summary"),
        })
    return _episode_hub(request, found, TransitionForm(), status=200)


def _episode_hub(request, episode: Episode, form: TransitionForm, *, status: int):
    referrals = episode.referrals.select_related("team", "referrer", "redirected_to", "episode")
    return render(request, "referrals/episode.jinja", {
        "episode": episode, "presenter": EpisodePresenter(episode),
        "person": PersonPresenter(episode.person),
        "referrals": [(r, ReferralPresenter(r)) for r in referrals],
        "moves": allowed_moves(episode), "links": engagement_links(episode),
        "form": form, "errors": error_list(form),
    }, status=status)


@allow(*STAFF)
@require_POST
def transition(request, episode_id: int):
    """Move the episode to another status. Illegal moves and stale pages are refused with a
    message, and the page comes back with what the user typed."""
    found = get_object_or_404(_episodes(request), pk=episode_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _episode_hub(request, found, form, status=400)
    to, reason = Status(form.cleaned_data["to"]), form.cleaned_data["reason"]
    try:
        if to == Status.WAITING:
            services.put_on_waiting_list(found, by=request.user, reason=reason,
                                         expected_version=form.cleaned_data["version"])
        else:
            services.transition(found, to, by=request.user, reason=reason,
                                expected_version=form.cleaned_data["version"])
    except (IllegalTransition, services.StaleEpisode) as refused:
        form.add_error(None, str(refused))
        found.refresh_from_db()
        stale = isinstance(refused, services.StaleEpisode)
        return _episode_hub(request, found, form, status=409 if stale else 400)
    messages.success(request, f"Status changed to {to.label}.")
    return redirect("referrals:episode", found.pk)
