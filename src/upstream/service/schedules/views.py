"""Schedules pages: the "today" list, a team's schedules (contact cadence, programme shape,
screening schedules), an episode's schedules (next attempt, programme progress, screenings and
enrolment, huddle decisions), recording a screening, and the huddle's decision on a case.

Records are fetched through ``for_user`` querysets (another team's are 404); team pages only
for the lead's own teams; every page showing identifiable data is audited.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES, Role, Team, User
from upstream.service.audit.services import listed, viewed
from upstream.service.engagement.models import ContactAttempt
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import (
    CaseloadFull,
    NotATeamWorker,
    StaleEpisode,
    team_workers,
)
from upstream.service.referrals.states import IllegalTransition
from upstream.service.schedules import forms, presenters, services
from upstream.service.schedules import today as due
from upstream.service.schedules.models import (
    HuddleDecision,
    Screening,
    ScreeningEnrolment,
    ScreeningSchedule,
)
from upstream.service.ui.errors import error_summary

STAFF = STAFF_ROLES


def _lead_team(request, team_id: int) -> Team:
    return get_object_or_404(request.user.teams.all(), pk=team_id)


@allow(*STAFF)
@require_GET
def today(request):
    """Everything due today or overdue for the signed-in worker; a team lead sees their teams'
    workers (or one worker with ``?worker=<id>``)."""
    worker = None
    if request.user.role == Role.TEAM_LEAD and request.GET.get("worker", "").isdigit():
        worker = get_object_or_404(
            User.objects.filter(teams__in=request.user.teams.all()).distinct(),
            pk=int(request.GET["worker"]))
    items = due.due_items(request.user, timezone.localdate(), worker=worker)
    listed(request, "schedules.today", [i.person.pk for i in items],
           record_id=str(worker.pk) if worker else "")
    workers = []
    if request.user.role == Role.TEAM_LEAD:
        workers = [{"value": "", "text": "Everyone in my teams", "selected": worker is None}] + [
            {"value": str(w.pk), "text": w.display_name, "selected": w == worker}
            for team in request.user.teams.all() for w in team_workers(team)]
    return render(request, "schedules/today.jinja", {
        "rows": presenters.today_rows(items), "workers": workers, "worker": worker,
    })


@allow(*STAFF)
@require_GET
def index(request):
    """The user's teams' schedules: cadence, programme and screens (team leads edit them)."""
    teams = [{
        "team": team,
        "cadence": presenters.cadence_text(services.cadence(team)),
        "programme": presenters.programme_text(services.programme_for(team)),
        "screens": [{"name": s.name, "index_event": s.index_event,
                     "href": reverse("schedules:screen", kwargs={"screening_schedule_id": s.pk}),
                     "weeks": ", ".join(map(str, s.weeks)),
                     "questions": [q.text for q in s.questions.all()]}
                    for s in ScreeningSchedule.objects.filter(team=team)
                    .prefetch_related("questions")],
    } for team in request.user.teams.order_by("name")]
    return render(request, "schedules/index.jinja", {"teams": teams})


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def cadence(request, team_id: int):
    """Set the team's contact cadence: each step a day and a channel."""
    team = _lead_team(request, team_id)
    initial = {}
    for n, step in enumerate(services.cadence(team), start=1):
        initial[f"day_{n}"], initial[f"channel_{n}"] = step.day, step.channel
    form = forms.CadenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_cadence(team, form.cleaned_data["steps"], by=request.user)
        messages.success(request, f"Contact cadence saved for {team.name}")
        return redirect("schedules:index")
    return render(request, "schedules/cadence.jinja", {
        "team": team, "form": form, "errors": error_summary(form)})


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def programme(request, team_id: int):
    """Set the team's programme shape: a fixed number of weeks or a range of sessions."""
    team = _lead_team(request, team_id)
    shape = services.programme_for(team)
    initial = ({"kind": shape.kind, "weeks": shape.weeks, "min_sessions": shape.min_sessions,
                "max_sessions": shape.max_sessions} if shape else {})
    form = forms.ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.set_programme(team, by=request.user, kind=d["kind"], weeks=d["weeks"],
                               min_sessions=d["min_sessions"], max_sessions=d["max_sessions"])
        messages.success(request, f"Programme saved for {team.name}")
        return redirect("schedules:index")
    return render(request, "schedules/programme.jinja", {
        "team": team, "form": form, "errors": error_summary(form)})


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def new_screen(request, team_id: int):
    """Define a screening schedule: name, weeks after an index date, yes/no questions."""
    team = _lead_team(request, team_id)
    form = forms.ScreeningScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.define_screening_schedule(
                team, by=request.user, name=d["name"], index_event=d["index_event"],
                weeks=d["weeks"], questions=d["question_list"])
        except services.ScheduleError as problem:
            form.add_error("name", str(problem))
        else:
            messages.success(request, f"Screen '{d['name']}' saved for {team.name}")
            return redirect("schedules:index")
    return render(request, "schedules/new_screen.jinja", {
        "team": team, "form": form, "errors": error_summary(form)})


def _episode(request, episode_id: int) -> Episode:
    episodes = (Episode.objects.for_user(request.user)
                .select_related("person", "team", "worker")
                .prefetch_related(
                    Prefetch("contacts", queryset=ContactAttempt.objects.order_by("at", "id")),
                    "sessions", "planned_sessions",
                    Prefetch("screening_enrolments",
                             queryset=ScreeningEnrolment.objects.select_related("schedule")
                             .prefetch_related("screenings")),
                    Prefetch("huddle_decisions",
                             queryset=HuddleDecision.objects.select_related(
                                 "decided_by", "new_worker", "episode__person")
                             .prefetch_related("agreed_with"))))
    return get_object_or_404(episodes, pk=episode_id)


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def episode(request, episode_id: int):
    """One episode's schedules: next contact attempt, programme progress, planned sessions,
    huddle decisions, screenings; planning a session and enrolling the person in one of the
    team's screens (each form posts here with ``form=<prefix>``)."""
    found = _episode(request, episode_id)
    viewed(request, found)
    schedules = ScreeningSchedule.objects.filter(team=found.team)
    posted = request.POST if request.method == "POST" else None
    submitted = request.POST.get("form", "")
    enrol_form = forms.EnrolForm(posted if submitted == "enrol" else None,
                                 schedules=schedules, prefix="enrol")
    session_form = forms.PlanSessionForm(posted if submitted == "session" else None,
                                         prefix="session")
    chosen = {"enrol": enrol_form, "session": session_form}.get(submitted)
    problem = None
    if chosen is not None and chosen.is_valid():
        d = chosen.cleaned_data
        try:
            if chosen is enrol_form:
                services.enrol(d["schedule"], found, by=request.user,
                               index_date=d["index_date"])
            else:
                services.plan_session(found, by=request.user, on=d["on"], kind=d["kind"],
                                      note=d["note"])
        except services.ScheduleError as refused:
            problem = str(refused)
        else:
            messages.success(request, "Enrolled in the screen" if chosen is enrol_form
                             else "Session planned")
            return redirect(request.path)
    view = presenters.episode_view(found, steps=services.cadence(found.team),
                                   shape=services.programme_for(found.team),
                                   today=timezone.localdate())
    return render(request, "schedules/episode.jinja", {
        "episode": found, "view": view, "form": enrol_form, "session_form": session_form,
        "has_screens": schedules.exists(),
        "errors": error_summary(enrol_form, session_form, problem=problem,
                                problem_href=f"#{submitted or 'enrol'}"),
        "hub_url": presenters.hub_url(found),
    }, status=400 if problem else 200)


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def screen(request, screening_schedule_id: int):
    """One of the user's teams' screens: the people enrolled and their screenings, and
    enrolling a person who has no episode with the team (everyone after the index event)."""
    schedule = get_object_or_404(
        ScreeningSchedule.objects.filter(team__in=request.user.teams.all())
        .select_related("team"), pk=screening_schedule_id)
    enrolments = list(ScreeningEnrolment.objects.for_user(request.user)
                      .filter(schedule=schedule).select_related("person", "episode")
                      .prefetch_related("screenings"))
    listed(request, "schedules.screen", [e.person_id for e in enrolments],
           record_id=str(schedule.pk))
    form = forms.EnrolPersonForm(request.POST or None)
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol_person(schedule, form.person_details(), by=request.user,
                                  index_date=form.cleaned_data["index_date"])
        except services.ScheduleError as refused:
            problem = str(refused)
        else:
            messages.success(request, f"Enrolled in {schedule.name}")
            return redirect(request.path)
    return render(request, "schedules/screen.jinja", {
        "schedule": schedule, "rows": presenters.enrolment_rows(enrolments), "form": form,
        "errors": error_summary(form, problem=problem, problem_href="#enrol"),
    }, status=400 if problem else 200)


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def screening(request, screening_id: int):
    """Record a screening's answers, or that the person missed the appointment. A positive
    answer or a missed appointment refers the person for triage."""
    found = get_object_or_404(
        Screening.objects.for_user(request.user).select_related(
            "enrolment__schedule", "enrolment__person", "referral"),
        pk=screening_id)
    viewed(request, found)
    schedule = found.enrolment.schedule
    form = forms.ScreeningForm(request.POST or None, schedule=schedule)
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.record_screening(
                found, by=request.user, on=timezone.localdate(),
                answers=form.cleaned_data["answers"],
                missed=form.cleaned_data["outcome"] == "missed")
        except services.ScheduleError as refused:
            problem = str(refused)
        else:
            messages.success(request, done.get_status_display()
                             + (": the referral is in the triage queue" if done.referral_id
                                else ""))
            if found.enrolment.episode_id:
                return redirect("schedules:episode", episode_id=found.enrolment.episode_id)
            return redirect("schedules:screen", screening_schedule_id=schedule.pk)
    return render(request, "schedules/screening.jinja", {
        "screening": found, "schedule": schedule, "person": found.enrolment.person,
        "row": presenters.screening_row(found), "form": form,
        "errors": error_summary(form, problem=problem),
    }, status=409 if problem else 200)


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def decision(request, episode_id: int):
    """Record the huddle's decision on one case: continue, close, escalate or change worker,
    with who agreed and a note, for the week chosen on the huddle page."""
    found = _episode(request, episode_id)
    viewed(request, found)
    members = User.objects.filter(teams=found.team, is_active=True).exclude(
        pk=request.user.pk).order_by("first_name", "last_name")
    form = forms.DecisionForm(request.POST or None, members=members,
                              workers=team_workers(found.team),
                              initial={"version": found.version})
    week = services.iso_week(request.GET.get("week", ""), timezone.localdate())
    problem = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_decision(
                found, by=request.user, decision=d["decision"], week_of=week, note=d["note"],
                agreed_with=d["agreed_with"], new_worker=d["new_worker"],
                expected_version=d["version"])
        except (services.ScheduleError, CaseloadFull, NotATeamWorker, IllegalTransition,
                StaleEpisode) as refused:
            problem = str(refused)
        else:
            messages.success(request, "Huddle decision recorded")
            year, number, _ = week.isocalendar()
            return redirect(f"/engagement/huddle/?week={year}-W{number:02d}")
    view = presenters.episode_view(found, steps=services.cadence(found.team),
                                   shape=services.programme_for(found.team),
                                   today=timezone.localdate())
    return render(request, "schedules/decision.jinja", {
        "episode": found, "form": form, "view": view, "week": week,
        "week_text": presenters.week_text(week),
        "errors": error_summary(form, problem=problem),
    }, status=409 if problem else 200)
