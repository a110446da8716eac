"""Engagement pages: contacts, what matters, the plan, sessions, closing and the discharge
summary for one episode; and the team views (my caseload, the weekly huddle).

Every episode is fetched through ``Episode.objects.for_user`` (other teams' records are 404)
and every view of one is audited. Forms carry the episode version: a stale save is refused
with status 409, the page shows the latest record and the user's entry stays in the form.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES, Role, User
from upstream.service.audit.models import Action
from upstream.service.audit.services import listed, record, viewed
from upstream.service.connect import presenters as community_referrals
from upstream.service.directory import suggestions as directory_suggestions
from upstream.service.engagement import caseload as team_views
from upstream.service.engagement import forms, presenters, services
from upstream.service.engagement.models import DischargeSummary
from upstream.service.engagement.pdf import discharge_summary_pdf
from upstream.service.practice import conversations as practice
from upstream.service.practice import presenters as practice_presenters
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import StaleEpisode
from upstream.service.referrals.states import IllegalTransition
from upstream.service.schedules import huddle as huddle_schedules
from upstream.service.schedules import services as schedule_services
from upstream.service.ui.errors import MAIN_CONTENT, error_summary
from upstream.service.ui.lists import sequence_page

STAFF = STAFF_ROLES
STALE_MESSAGE = (
    "Someone else changed this episode while you were working on it, so your entry has not "
    "been saved. The page now shows their changes and your entry is still in the form: "
    "check it, then save again."
)


def _scoped(request, episode_id: int, *prefetch: str) -> Episode:
    episodes = (Episode.objects.for_user(request.user)
                .select_related("person", "team__practice", "worker")
                .prefetch_related(*prefetch))
    return get_object_or_404(episodes, pk=episode_id)


def _submit(request, form, operation, done: str):
    """Validate ``form`` and run ``operation(cleaned_data)``.

    Returns ``(response, form, problem, status)``: a redirect back to the page on success;
    otherwise no response, the form to show again and the page-level problem, if any. A stale
    save returns the user's input re-bound to the current episode version, so saving again
    (after reading the other person's changes) is possible.
    """
    if not form.is_valid():
        return None, form, None, 200
    try:
        operation(form.cleaned_data)
    except StaleEpisode as stale:
        data = request.POST.copy()
        data[form.add_prefix("version")] = str(stale.actual)
        episode = Episode.objects.get(pk=form.episode.pk)
        fresh = type(form)(data, episode=episode, prefix=form.prefix)
        fresh.is_valid()
        return None, fresh, STALE_MESSAGE, 409
    except (IllegalTransition, services.EpisodeNotOpen) as refused:
        return None, form, str(refused), 409
    messages.success(request, done)
    return redirect(request.path), form, None, 200


def _page(request, episode: Episode, template: str, current: str, *, status: int = 200,
          problem: str | None = None, problem_href: str = MAIN_CONTENT,
          forms_shown=(), **context):
    return render(request, f"engagement/{template}", {
        "episode": episode,
        "about": presenters.episode_header(episode),
        "nav": presenters.episode_nav(episode, current),
        "errors": error_summary(*forms_shown, problem=problem, problem_href=problem_href),
        **context,
    }, status=status)


def _form_page(request, episode_id: int, form_class, save, done: str, *, current: str,
               anchor: str, content, then=None):
    """A page of the episode with one form: GET shows it; POST runs ``save(episode, user,
    cleaned_data)`` and redirects back with ``done``, or shows the form again with its errors.
    ``content(episode)`` gives the rest of the page's context; the template is
    ``engagement/<current>.jinja``. ``then(request, episode)``, if given, may send the user
    somewhere else after a save (a response) or not (None)."""
    episode = _scoped(request, episode_id)
    viewed(request, episode)
    form, problem, status = form_class(episode=episode), None, 200
    if request.method == "POST":
        form = form_class(request.POST, episode=episode)
        response, form, problem, status = _submit(
            request, form, lambda d: save(episode, request.user, d), done)
        if response:
            return (then and then(request, _scoped(request, episode_id))) or response
        episode = _scoped(request, episode_id)
    return _page(request, episode, f"{current}.jinja", current, status=status, problem=problem,
                 problem_href=anchor, forms_shown=[form], form=form, **content(episode))


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def contacts(request, episode_id: int):
    """Contact attempts: the history, the counts, the review prompt, and "log an attempt"."""
    return _form_page(
        request, episode_id, forms.ContactAttemptForm, lambda episode, user, d: (
            services.log_contact_attempt(
                episode, by=user, at=d["at"], channel=d["channel"], outcome=d["outcome"],
                duration_minutes=d["duration_minutes"], note=d["note"],
                expected_version=d["version"], conversation=d.get("conversation"))),
        "Contact attempt logged", current="contacts", anchor="#log-attempt",
        content=lambda episode: {"view": presenters.contacts_view(episode)},
        then=_crisis_plan_if_needed)


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def what_matters(request, episode_id: int):
    """The "what matters to me" conversation; recording one makes the episode active."""
    return _form_page(
        request, episode_id, forms.WhatMattersForm, lambda episode, user, d: (
            services.record_what_matters(
                episode, by=user, conversation_on=d["conversation_on"],
                what_matters=d["what_matters"], strengths=d["strengths"],
                needs_confirmed=d["needs_confirmed"], expected_version=d["version"])),
        "What matters conversation recorded", current="what_matters",
        anchor="#record-conversation",
        content=lambda episode: {"conversations": presenters.what_matters_view(episode)})


_PLAN_FORMS = {
    "goal": (forms.GoalForm, "Goal added"),
    "review": (forms.GoalReviewForm, "Goal review recorded"),
    "action": (forms.ActionForm, "Action added"),
    "done": (forms.ActionDoneForm, "Action marked as done"),
    "review_date": (forms.ReviewDateForm, "Review date saved"),
}


def _plan_operation(name: str, episode: Episode, user):
    def run(d):
        common = {"by": user, "expected_version": d["version"]}
        if name == "goal":
            services.add_goal(episode, description=d["description"], need=d["need"],
                              target_on=d["target_on"], **common)
        elif name == "review":
            goal = d["goal"]
            goal.episode = episode
            services.review_goal(goal, reviewed_on=d["reviewed_on"], status=d["status"],
                                 progress=d["progress"], note=d["note"], **common)
        elif name == "action":
            services.add_action(episode, description=d["description"],
                                onward_service=d["onward_service"], due_on=d["due_on"], **common)
        elif name == "done":
            action = d["action"]
            action.episode = episode
            services.complete_action(action, **common)
        else:
            services.set_review_date(episode, next_review_on=d["next_review_on"], **common)
    return run


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def plan(request, episode_id: int):
    """The personalised care and support plan: goals and their reviews, actions and onward
    services, and the next review date. Each form posts here with ``form=<name>``."""
    episode = _scoped(request, episode_id)
    viewed(request, episode)
    bound = {name: cls(episode=episode, prefix=name) for name, (cls, _) in _PLAN_FORMS.items()}
    problem, status, submitted = None, 200, request.POST.get("form")
    if request.method == "POST":
        if submitted not in _PLAN_FORMS:
            raise Http404("Unknown form")
        cls, done = _PLAN_FORMS[submitted]
        form = cls(request.POST, episode=episode, prefix=submitted)
        response, form, problem, status = _submit(
            request, form, _plan_operation(submitted, episode, request.user), done)
        if response:
            return response
        episode = _scoped(request, episode_id, "goals__reviews", "actions")
        bound = {name: form if name == submitted else cls(episode=episode, prefix=name)
                 for name, (cls, _) in _PLAN_FORMS.items()}
    else:
        episode = _scoped(request, episode_id, "goals__reviews", "actions")
    return _page(request, episode, "plan.jinja", "plan", status=status, problem=problem,
                 problem_href=f"#{submitted}-form", forms_shown=bound.values(), forms=bound,
                 view=presenters.plan_view(episode, timezone.localdate()),
                 suggestions=directory_suggestions.for_episode(
                     episode, timezone.localtime().replace(tzinfo=None)),
                 community_referrals=community_referrals.plan_rows(
                     episode.community_referrals.select_related("organization", "episode__team")))


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def sessions(request, episode_id: int):
    """Sessions held with the person, and the session count."""
    return _form_page(
        request, episode_id, forms.SessionForm, lambda episode, user, d: (
            services.record_session(
                episode, by=user, held_on=d["held_on"], kind=d["kind"],
                duration_minutes=d["duration_minutes"], note=d["note"],
                expected_version=d["version"], conversation=d.get("conversation"))),
        "Session recorded", current="sessions", anchor="#record-session",
        content=lambda episode: {"view": presenters.sessions_view(episode)},
        then=_crisis_plan_if_needed)


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def close(request, episode_id: int):
    """Close an engaged or active episode with a discharge summary (filled in from the record),
    or propose the ending for the huddle to agree."""
    episode = _scoped(request, episode_id, "goals", "actions", "what_matters")
    viewed(request, episode)
    if DischargeSummary.objects.filter(episode=episode).exists():
        return redirect("engagement:summary", episode_id=episode.pk)
    unstarted = presenters.goals_not_started(episode)
    close_form = forms.CloseForm(episode=episode, prefix="close", unstarted=unstarted,
                                 initial=services.draft_discharge(episode))
    propose_form = forms.ProposeEndingForm(episode=episode, prefix="propose")
    problem, status, submitted = None, 200, request.POST.get("form")
    problem_anchor = f"#{submitted}-form"
    if request.method == "POST":
        if submitted == "close":
            close_form = forms.CloseForm(request.POST, episode=episode, prefix="close",
                                         unstarted=unstarted)
            _, readiness = presenters.sharing_readiness(episode.person)
            response, close_form, problem, status = _submit(request, close_form, lambda d: (
                services.close_episode(
                    episode, by=request.user, themes=d["themes"], outcomes=d["outcomes"],
                    goals_summary=d["goals_summary"], onward_services=d["onward_services"],
                    expected_version=d["version"])
            ), f"Episode closed. {readiness}")
            if response:
                return redirect("engagement:summary", episode_id=episode.pk)
        elif submitted == "propose":
            propose_form = forms.ProposeEndingForm(request.POST, episode=episode,
                                                   prefix="propose")
            response, propose_form, problem, status = _submit(request, propose_form, lambda d: (
                services.propose_ending(episode, by=request.user, reason=d["reason"],
                                        expected_version=d["version"])
            ), "Ending proposed: it will show on the huddle list")
            if response:
                return response
        else:
            raise Http404("Unknown form")
        episode = _scoped(request, episode_id, "goals", "actions", "what_matters")
    return _page(request, episode, "close.jinja", "close", status=status, problem=problem,
                 problem_href=problem_anchor, forms_shown=[close_form, propose_form],
                 close_form=close_form, propose_form=propose_form, unstarted=unstarted,
                 closable=episode.status in services.CLOSABLE,
                 can_propose=episode.status in ("engaged", "active"))


def _summary(request, episode_id: int) -> DischargeSummary:
    episode = _scoped(request, episode_id, "referrals")
    summary = get_object_or_404(
        DischargeSummary.objects.for_user(request.user).select_related("written_by"),
        episode=episode,
    )
    summary.episode = episode
    return summary


@allow(*STAFF, Role.REFERRER)
@require_GET
def summary(request, episode_id: int):
    """The discharge summary as a printable page, for the GP and the referrer."""
    found = _summary(request, episode_id)
    viewed(request, found)
    return render(request, "engagement/summary.jinja", {
        "episode": found.episode, "view": presenters.summary_view(found),
        "hub_url": presenters.episode_hub_url(found.episode),
    })


@allow(*STAFF, Role.REFERRER)
@require_GET
def summary_pdf(request, episode_id: int):
    """The discharge summary as a PDF download."""
    found = _summary(request, episode_id)
    record(request, Action.EXPORT, found, detail="discharge summary pdf")
    response = HttpResponse(discharge_summary_pdf(presenters.summary_view(found)),
                            content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="discharge-summary-episode-{found.episode.pk}.pdf"')
    return response


@allow(*STAFF)
@require_GET
def caseload(request):
    """My caseload: the user's open episodes, most pressing first, with what is due. A team
    lead may open a worker's caseload in one of their teams with ``?worker=<id>``."""
    worker, keep_query = request.user, {}
    if "worker" in request.GET:
        worker = _team_worker(request, request.GET["worker"])
        keep_query = {"worker": worker.pk}
    cases = team_views.caseload(request.user, timezone.localdate(), worker=worker)
    listed(request, "engagement.caseload", [case.episode.person_id for case in cases],
           record_id=str(worker.pk))
    view = presenters.caseload_view(cases, sort=request.GET.get("sort", ""),
                                    show=request.GET.get("show", ""), base_url=request.path,
                                    keep_query=keep_query)
    owner = None if worker == request.user else worker
    return render(request, "engagement/caseload.jinja", {"view": view, "owner": owner})


def _team_worker(request, worker_id: str):
    """A worker in one of the team lead's teams; anyone else asking, or any other id, is 404."""
    if request.user.role != Role.TEAM_LEAD or not worker_id.isdigit():
        raise Http404("No such caseload")
    return get_object_or_404(
        User.objects.filter(teams__in=request.user.teams.all()).distinct(), pk=int(worker_id))


@allow(*STAFF)
@require_GET
def huddle(request):
    """The weekly huddle list for the user's teams and the week chosen with ``?week=2026-W49``
    (this week by default): progress, risks, proposed endings, "did not engage" proposals from
    the contact cadence, and the decisions recorded (``schedules.huddle``)."""
    today = timezone.localdate()
    monday = schedule_services.iso_week(request.GET.get("week", ""), today)
    result = team_views.huddle(request.user, huddle_schedules.week_end(monday, today))
    risks = sequence_page(request, result.risks, noun=("risk", "risks"), param="risks_page")
    result.risks = risks.rows  # the page of risks shown (and audited), most pressing first
    view = presenters.huddle_view(result)
    schedules = huddle_schedules.extras(request.user, monday, today, view, result)
    listed(request, "engagement.huddle", [
        *(entry.case.episode.person_id for entry in [*result.progress, *result.risks]),
        *(case.episode.person_id for case in result.endings),
        *schedules["people"],
    ])
    return render(request, "engagement/huddle.jinja", {
        "view": view, "schedules": schedules, "risks": risks,
        "teams": ", ".join(t.name for t in request.user.teams.all()),
        "conversations": practice_presenters.huddle_counts(request.user.teams.all()),
    })


# -- 3 Conversations and the personal network -------------------------------------------------

def _crisis_plan_if_needed(request, episode: Episode):
    """After tagging work as conversation 2, go to the crisis plan when there is none yet."""
    if not practice.applies(episode):
        return None
    if not practice.needs_crisis_plan(episode, practice.tags(episode)):
        return None
    messages.warning(request, "The person is in conversation 2: record their crisis plan.")
    return redirect(reverse("engagement:conversations", kwargs={"episode_id": episode.pk})
                    + "#crisis-plan")


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def conversations(request, episode_id: int):
    """The 3 Conversations: which conversation the person is in, their moves between them, and
    the crisis plan for conversation 2. Only for teams that work to the model (else 404)."""
    if not practice.applies(_scoped(request, episode_id)):
        raise Http404("This team does not work to the 3 Conversations")
    return _form_page(
        request, episode_id, forms.CrisisPlanForm, lambda episode, user, d: (
            services.record_crisis_plan(
                episode, by=user, crisis=d["crisis"], actions=d["actions"],
                by_whom=d["by_whom"], by_when=d["by_when"], review_on=d["review_on"],
                expected_version=d["version"])),
        "Crisis plan recorded", current="conversations", anchor="#crisis-plan",
        content=lambda episode: {"view": practice_presenters.conversations_view(episode)})


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def network(request, episode_id: int):
    """Strengths, interests and personal network: the first and latest snapshots drawn side by
    side with a comparison, and a form to record a new snapshot (rows start from the latest)."""
    episode = _scoped(request, episode_id, "network_snapshots__entries")
    viewed(request, episode)
    initial = practice_presenters.initial_entries(episode)
    form = forms.NetworkSnapshotForm(episode=episode, initial=_snapshot_initial(episode))
    rows = forms.network_entry_forms(initial=initial)
    problem, status = None, 200
    if request.method == "POST":
        form = forms.NetworkSnapshotForm(request.POST, episode=episode)
        rows = forms.network_entry_forms(request.POST, initial=initial)
        rows_valid = all([row.is_valid() for row in rows])  # every row, for every error
        entries = [{name: row.cleaned_data[name] for name in row.fields}
                   for row in rows if rows_valid and row.started]
        if form.is_valid() and rows_valid and not (
                entries or form.cleaned_data["strengths"] or form.cleaned_data["interests"]):
            form.add_error("strengths", "Enter at least one strength, interest or person or "
                                        "group in the network")
        if rows_valid:
            response, form, problem, status = _submit(request, form, lambda d: (
                services.record_network_snapshot(
                    episode, by=request.user, taken_on=d["taken_on"], stage=d["stage"],
                    strengths=d["strengths"], interests=d["interests"], entries=entries,
                    expected_version=d["version"])), "Snapshot recorded")
            if response:
                return response
        else:
            form.is_valid()
        episode = _scoped(request, episode_id, "network_snapshots__entries")
    return _page(request, episode, "network.jinja", "network", status=status, problem=problem,
                 problem_href="#record-snapshot", forms_shown=[form, *rows], form=form,
                 rows=rows, view=practice_presenters.network_view(episode))


def _snapshot_initial(episode: Episode) -> dict:
    """A new snapshot starts as the start one, later ones as a review with the latest
    strengths and interests to update."""
    latest = episode.network_snapshots.last()
    if latest is None:
        return {"stage": "start"}
    return {"stage": "review", "strengths": "\n".join(latest.strengths),
            "interests": "\n".join(latest.interests)}
