"""Pages for referring, triage, allocation, the waiting list and the episode hub.

Records are always fetched through ``for_user`` querysets, so another team's records are 404;
every page showing one identifiable record is audited (``viewed``), and every list of people
with the ids of the people it shows (``listed``).
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES, Role, Team, User
from upstream.service.audit.services import listed, viewed
from upstream.service.people.forms import PersonIntakeForm
from upstream.service.people.models import Person
from upstream.service.people.presenters import PersonPresenter, active_flags
from upstream.service.referrals import lists, services
from upstream.service.referrals.children import is_child
from upstream.service.referrals.forms import (
    AllocateForm,
    BreakGlassForm,
    ChildDetailsForm,
    IdentityDecision,
    ReferralDetailsForm,
    TransitionForm,
    TriageForm,
)
from upstream.service.referrals.models import BreakGlass, Episode, Identity, Referral
from upstream.service.referrals.presenters import (
    EpisodePresenter,
    ReferralPresenter,
    ReferredAsPresenter,
    allowed_moves,
    engagement_links,
    identity_rows,
    waiting_row,
    worker_options,
)
from upstream.service.referrals.states import IllegalTransition, Status
from upstream.service.ui.errors import error_summary
from upstream.service.ui.format import date_time
from upstream.service.ui.lists import list_page

STAFF = STAFF_ROLES
SUBMITTED_KEY = "referrals:submitted"
BOARD_WAITING_SHOWN = 5
"""How many people from the head of each team's waiting list the board shows."""


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
    child_form = ChildDetailsForm(data, prefix="child")
    valid = all([person_form.is_valid(), referral_form.is_valid(), child_form.is_valid()])
    child = is_child(person_form.cleaned_data.get("date_of_birth") if data is not None else None,
                     timezone.localdate())
    if child:
        valid = child_form.require_for_child() and valid
    if data is not None and valid:
        details = referral_form.cleaned_data
        with transaction.atomic():
            referral = services.refer_person(
                person_form.cleaned_data, team=details["team"], by=request.user,
                source=details["source"], needs=details["needs"], reason=details["reason"],
                urgency=details["urgency"], consent_given=details["consent"],
                referrer=request.user, child_details=child_form.details() if child else None,
            )
        request.session[SUBMITTED_KEY] = referral.pk
        return redirect("referrals:submitted")
    return render(request, "referrals/new.jinja", {
        "person_form": person_form, "referral_form": referral_form, "child_form": child_form,
        "child": child, "errors": error_summary(person_form, referral_form, child_form),
    }, status=400 if data is not None else 200)


@allow(Role.REFERRER, *STAFF)
def submitted(request):
    """Confirmation of the referral this user has just sent."""
    referral = get_object_or_404(
        Referral.objects.filter(referrer=request.user).select_related("person", "team"),
        pk=request.session.get(SUBMITTED_KEY),
    )
    viewed(request, referral)
    return render(request, "referrals/submitted.jinja", {
        "referral": referral, "person": ReferredAsPresenter(referral),
    })


@allow(Role.REFERRER)
def mine(request):
    """Every referral this user made, with what has happened to it: searchable by the name or
    NHS number they gave, filtered by outcome or team, sorted and paged (``referrals.lists``)."""
    referrals = _referrals(request).filter(referrer=request.user)
    teams = [(str(pk), name) for pk, name in Team.objects.filter(
        referrals__referrer=request.user).distinct().order_by("name").values_list("pk", "name")]
    page = list_page(request, referrals, lists.mine_spec(request.user, teams))
    listed(request, "referrals.mine", [r.person_id for r in page.rows])
    return render(request, "referrals/mine.jinja", {
        "list": page, "total": referrals.count() if page.is_narrowed else page.page.paginator.count,
        "rows": [(r, ReferralPresenter(r), ReferredAsPresenter(r)) for r in page.rows],
    })


@allow(Role.REFERRER, *STAFF)
def detail(request, referral_id: int):
    """One referral. A referrer sees the person as they described them; staff see the record
    their team holds."""
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    viewed(request, referral)
    is_referrer = request.user.role == Role.REFERRER
    return render(request, "referrals/detail.jinja", {
        "referral": referral, "presenter": ReferralPresenter(referral),
        "person": ReferredAsPresenter(referral) if is_referrer else PersonPresenter(
            referral.person),
        "is_referrer": is_referrer,
        "to_confirm": referral.identity == Identity.TO_CONFIRM,
        "flags": [] if is_referrer else active_flags(referral.person),
    })


# --- Triage ---------------------------------------------------------------------------------

@allow(*STAFF)
def triage_queue(request):
    """Referrals to the user's teams awaiting a triage decision: urgent first, then oldest;
    with days waiting since each was received."""
    page = list_page(request, _referrals(request).filter(triage_outcome=""),
                     lists.triage_spec(request.user))
    listed(request, "referrals.triage_queue", [r.person_id for r in page.rows])
    return render(request, "referrals/triage_queue.jinja", {
        "list": page,
        "rows": [(r, ReferralPresenter(r), PersonPresenter(r.person)) for r in page.rows],
    })


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def triage_referral(request, referral_id: int):
    """Accept (and optionally allocate), reject with a reason, or redirect one referral."""
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    if referral.triage_outcome:
        messages.info(request, "This referral has already been triaged.")
        return redirect("referrals:detail", referral.pk)
    if referral.identity == Identity.TO_CONFIRM:
        messages.error(request, str(services.IdentityNotConfirmed()))
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
                reject_detail=d["reject_detail"], note=d["note"],
                redirect_to=d["redirect_to"], worker=d["worker"],
                expected_version=d["version"], override_reason=d["override_reason"],
            )
        except services.OverrideRefused as refused:
            form.add_error("override_reason", str(refused))
            status = 400
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
        "errors": error_summary(form), "workers": worker_options(referral.team),
        "flags": active_flags(referral.person),
        "can_override": request.user.role == Role.TEAM_LEAD and referral.urgency == "urgent",
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
    """Accepted people not yet allocated (searchable, paged, with a worker to choose for
    each), the head of each team's waiting list, and each worker's caseload."""
    teams = list(request.user.teams.order_by("name"))
    page = list_page(request, _episodes(request).filter(status=Status.TRIAGED),
                     lists.accepted_spec(request.user))
    workers = {team.pk: worker_options(team) for team in teams}
    waiting_heads = services.waiting_queryset(teams).filter(position__lte=BOARD_WAITING_SHOWN)
    waiting = {team.pk: [] for team in teams}
    for episode in waiting_heads.order_by("team__name", "position"):
        waiting[episode.team_id].append(waiting_row(episode))
    waiting_counts = dict(services.waiting_queryset(teams).order_by().values_list("team_id")
                          .annotate(n=Count("pk")).values_list("team_id", "n"))
    listed(request, "referrals.board", [
        *(e.person_id for e in page.rows),
        *(row.episode.person_id for rows in waiting.values() for row in rows),
    ])
    return render(request, "referrals/board.jinja", {
        "list": page, "workers": workers,
        "accepted": [(e, PersonPresenter(e.person), EpisodePresenter(e)) for e in page.rows],
        "teams": [{"team": team, "waiting": waiting[team.pk],
                   "waiting_count": waiting_counts.get(team.pk, 0),
                   "loads": services.caseload_counts(team), "workers": workers[team.pk]}
                  for team in teams],
    })


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
                          expected_version=form.cleaned_data["version"],
                          override_reason=form.cleaned_data["override_reason"])
    except services.CaseloadFull as full:
        messages.warning(request, f"{name} was not allocated. {full}")
    except (services.StaleEpisode, IllegalTransition, services.NotATeamWorker,
            services.OverrideRefused) as refused:
        messages.error(request, f"{name} was not allocated. {refused}")
    else:
        messages.success(request, f"{name} allocated to {worker.display_name}.")
    return redirect("referrals:board")


@allow(*STAFF)
def waiting(request):
    """The user's teams' waiting lists: each person's place in their team's allocation order
    and the days waited since referral (the clock starts at referral, not at triage)."""
    page = list_page(request, services.waiting_queryset(request.user.teams.all()),
                     lists.waiting_spec(request.user))
    listed(request, "referrals.waiting", [e.person_id for e in page.rows])
    return render(request, "referrals/waiting.jinja", {
        "list": page, "rows": [waiting_row(e) for e in page.rows],
        "has_teams": request.user.teams.exists(),
    })


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
            "person": ReferredAsPresenter(referrals[0]),
            "referrals": [(r, ReferralPresenter(r)) for r in referrals],
            "has_summary": hasattr(found, "discharge_summary"),
        })
    return _episode_hub(request, found, TransitionForm(), status=200)


def _episode_hub(request, episode: Episode, form: TransitionForm, *, status: int):
    referrals = episode.referrals.select_related("team", "referrer", "redirected_to", "episode")
    return render(request, "referrals/episode.jinja", {
        "episode": episode, "presenter": EpisodePresenter(episode),
        "person": PersonPresenter(episode.person), "flags": active_flags(episode.person),
        "referrals": [(r, ReferralPresenter(r)) for r in referrals],
        "moves": allowed_moves(episode), "links": engagement_links(episode),
        "form": form, "errors": error_summary(form),
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
    except (IllegalTransition, services.StaleEpisode, services.IdentityNotConfirmed) as refused:
        form.add_error(None, str(refused))
        found.refresh_from_db()
        stale = isinstance(refused, services.StaleEpisode)
        return _episode_hub(request, found, form, status=409 if stale else 400)
    messages.success(request, f"Status changed to {to.label}.")
    return redirect("referrals:episode", found.pk)


# --- Identity to confirm ----------------------------------------------------------------------

@allow(Role.TEAM_LEAD)
def identity_queue(request):
    """Referrals to the lead's teams whose NHS number matched a record with a different date of
    birth or family name: each waits for the lead to confirm who the person is."""
    page = list_page(request, _referrals(request).identity_to_confirm(),
                     lists.identity_spec(request.user))
    listed(request, "referrals.identity_queue", [r.person_id for r in page.rows])
    return render(request, "referrals/identity_queue.jinja", {
        "list": page,
        "rows": [(r, ReferralPresenter(r), ReferredAsPresenter(r)) for r in page.rows],
    })


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def identity(request, referral_id: int):
    """The referred details beside the existing record's; the lead links them, corrects the
    NHS number, or keeps them apart. Each decision is audited."""
    referral = get_object_or_404(_referrals(request).select_related("identity_candidate"),
                                 pk=referral_id)
    if referral.identity != Identity.TO_CONFIRM:
        messages.info(request, f"Identity for this referral: {referral.get_identity_display()}.")
        return redirect("referrals:detail", referral.pk)
    form = IdentityDecision(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "GET":
        viewed(request, referral)
        if referral.identity_candidate is not None:
            viewed(request, referral.identity_candidate)
    elif form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == IdentityDecision.LINK:
                services.link_identity(referral, by=request.user)
            elif decision == IdentityDecision.CORRECT:
                services.correct_identity(referral, by=request.user,
                                          nhs_number_value=form.cleaned_data["nhs_number"])
            else:
                services.keep_identity_apart(referral, by=request.user)
        except services.IdentityError as refused:
            form.add_error("nhs_number" if str(refused).startswith("NHS") else None,
                           str(refused))
            status = 409
        else:
            referral.refresh_from_db()
            messages.success(request, f"Identity confirmed: {referral.get_identity_display()}. "
                             "The referral can now be triaged.")
            return redirect("referrals:identity_queue")
    else:
        status = 400
    return render(request, "referrals/identity.jinja", {
        "referral": referral, "presenter": ReferralPresenter(referral),
        "rows": identity_rows(referral), "form": form, "errors": error_summary(form),
    }, status=status)


# --- Break-glass: a person's history with other teams -----------------------------------------

@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def history(request, person_id: int):
    """A person's episodes with other teams. Shown only after the user gives a reason
    (break-glass), for ``BreakGlass.LASTS``; each opening is audited and listed for the lead."""
    person = get_object_or_404(Person.objects.for_user(request.user), pk=person_id)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            services.break_glass(person, by=request.user, reason=form.cleaned_data["reason"])
            return redirect("referrals:history", person.pk)
        return render(request, "referrals/history.jinja", {
            "person": PersonPresenter(person), "record": person, "form": form,
            "errors": error_summary(form), "opening": None,
        }, status=400)
    opening = services.active_break_glass(person, request.user)
    episodes = []
    if opening is not None:
        viewed(request, person)
        others = services.other_team_episodes(person, request.user).select_related(
            "team", "discharge_summary")
        episodes = [(e, EpisodePresenter(e), getattr(e, "discharge_summary", None))
                    for e in others]
    return render(request, "referrals/history.jinja", {
        "person": PersonPresenter(person), "record": person, "form": form, "errors": [],
        "opening": opening, "episodes": episodes,
        "opened": date_time(opening.opened_at) if opening else "",
        "until": date_time(opening.expires_at) if opening else "",
    })


@allow(Role.TEAM_LEAD)
def break_glass_log(request):
    """Every break-glass opening by members of the lead's teams, newest first."""
    members = User.objects.filter(teams__in=request.user.teams.all())
    openings = BreakGlass.objects.filter(user__in=members).select_related("user", "person")
    page = list_page(request, openings, lists.break_glass_spec(request.user))
    listed(request, "referrals.break_glass_log", [o.person_id for o in page.rows])
    return render(request, "referrals/break_glass_log.jinja", {
        "list": page,
        "rows": [(o, PersonPresenter(o.person), date_time(o.opened_at)) for o in page.rows],
    })
