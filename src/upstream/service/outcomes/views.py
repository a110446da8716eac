"""Outcome measure pages for one episode: what was recorded and what is due, and recording an
administration. Episodes come through ``Episode.objects.for_user`` (another team's is 404) and
every view is audited, as on the other record pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES
from upstream.service.audit.services import viewed
from upstream.service.engagement import presenters as engagement
from upstream.service.outcomes import presenters, services
from upstream.service.outcomes.forms import AdministrationForm, ChooseForm
from upstream.service.outcomes.models import Timepoint
from upstream.service.referrals.models import Episode
from upstream.service.ui.errors import error_summary
from upstream.standards.outcomes import INSTRUMENTS, AnswerError

CURRENT = "outcomes"


def _scoped(request, episode_id: int) -> Episode:
    episodes = (Episode.objects.for_user(request.user)
                .select_related("person", "team__practice", "worker")
                .prefetch_related("contacts", "outcome_administrations"))
    return get_object_or_404(episodes, pk=episode_id)


def _page(request, episode, template, *, forms_shown=(), problem=None, status=200, **context):
    return render(request, f"outcomes/{template}", {
        "episode": episode,
        "about": engagement.episode_header(episode),
        "nav": engagement.episode_nav(episode, CURRENT),
        "errors": error_summary(*forms_shown, problem=problem, problem_href="#record-form"),
        **context,
    }, status=status)


@allow(*STAFF_ROLES)
@require_GET
def episode_outcomes(request, episode_id: int):
    """The outcome measures recorded for the episode, their change, and what is due."""
    episode = _scoped(request, episode_id)
    viewed(request, episode)
    return _page(request, episode, "episode.jinja",
                 view=presenters.episode_view(episode, timezone.localdate()),
                 choose=ChooseForm(auto_id="choose-%s"))


@allow(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def record(request, episode_id: int):
    """Record one administration: ``?instrument=<code>&timepoint=<code>`` chooses the form;
    without them (or with unknown ones) the page asks which to record."""
    episode = _scoped(request, episode_id)
    viewed(request, episode)
    instrument = INSTRUMENTS.get(request.GET.get("instrument", ""))
    timepoint = request.GET.get("timepoint", "")
    if instrument is None or timepoint not in Timepoint.values:
        return redirect("outcomes:episode", episode_id=episode.pk)
    form = AdministrationForm(episode=episode, instrument=instrument)
    problem, status = None, 200
    if request.method == "POST":
        form = AdministrationForm(request.POST, episode=episode, instrument=instrument)
        if form.is_valid():
            try:
                _, scored = services.record_administration(
                    episode, by=request.user, instrument=instrument.code, timepoint=timepoint,
                    administered_on=form.cleaned_data["administered_on"],
                    answers=form.cleaned_data["answers"])
            except (services.OutcomeRefused, AnswerError) as refused:
                problem, status = str(refused), 409
            else:
                for alert in scored.alerts:
                    messages.warning(request, alert)
                lines = "; ".join(presenters.score_lines(instrument, dict(scored.scores)))
                messages.success(request, f"{instrument.name} recorded. {lines}")
                return redirect("outcomes:episode", episode_id=episode.pk)
    return _page(request, episode, "record.jinja", forms_shown=[form], problem=problem,
                 status=status, form=form, instrument=instrument,
                 timepoint_label=Timepoint(timepoint).label)
