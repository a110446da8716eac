"""Community referral pages.

The referring team's side (link workers, team leads): choose a service for a person (the
plan's suggestions for the needs recorded, or a directory search), refer with consent, cancel.
Referrals are fetched through ``CommunityReferral.objects.for_user`` and episodes through
``Episode.objects.for_user``: another team's record is 404.

The organisation's side (VCSE partners): the referrals addressed to their organisations, each
showing only the details the person agreed to share (``shared``), with the moves they may make;
and their organisations' services' capacity. Fetched through ``for_partner`` /
``services.partner_services``: another organisation's record is 404. Partners reach no
person's record page (the role is in no ``@allow`` of those pages).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES, Role
from upstream.service.audit.models import Action
from upstream.service.audit.services import listed, record, viewed
from upstream.service.directory import suggestions as directory_suggestions
from upstream.service.directory.models import Service
from upstream.service.directory.public_presenters import schedule_text
from upstream.service.directory.search import Query, search
from upstream.service.directory.search_presenters import rows as result_rows
from upstream.service.engagement.presenters import episode_header, episode_nav
from upstream.service.engagement.services import EpisodeNotOpen
from upstream.service.referrals.models import Episode
from upstream.service.ui.errors import error_summary
from upstream.service.ui.lists import sequence_page
from upstream.service.ui.tags import community_referral_tag

from . import forms, presenters, services
from .models import CommunityReferral, partner_organisations
from .states import IllegalMove, Side, moves_from

STAFF = STAFF_ROLES
PARTNER = Role.VCSE_PARTNER


def _episode(request, episode_id: int) -> Episode:
    return get_object_or_404(
        Episode.objects.for_user(request.user).select_related("person", "team", "worker"),
        pk=episode_id)


def _plan_url(episode_id: int) -> str:
    return reverse("engagement:plan", kwargs={"episode_id": episode_id}) + "#community-referrals"


def _episode_page(request, episode, template, *, status=200, **context):
    return render(request, f"connect/{template}", {
        "episode": episode, "about": episode_header(episode),
        "nav": episode_nav(episode, "plan"), **context}, status=status)


@allow(*STAFF)
@require_GET
def choose(request, episode_id: int):
    """Choose a service to refer to: the plan's suggestions for the needs recorded, or a
    search of the directory by words (``?q=``)."""
    episode = _episode(request, episode_id)
    viewed(request, episode)
    now = timezone.localtime().replace(tzinfo=None)
    words = request.GET.get("q", "").strip()[:200]
    found = result_rows(search(Query(text=words, limit=10), now), now) if words else []
    return _episode_page(request, episode, "choose.jinja", words=words, found=found,
                         suggestions=directory_suggestions.for_episode(episode, now))


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def refer(request, episode_id: int, service_id):
    """Refer the person to one service, with their consent and the details they agreed to
    share."""
    episode = _episode(request, episode_id)
    service = get_object_or_404(Service.objects.select_related("organization"), pk=service_id)
    viewed(request, episode)
    needs = directory_suggestions.recorded_needs(episode)
    form, problem, status = forms.ReferForm(initial={"needs": needs}), None, 200
    if request.method == "POST":
        form = forms.ReferForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.refer(episode, service, by=request.user,
                               consent_given=d["consent"] == "yes", details=d["details"],
                               consent_note=d["consent_note"], reason=d["reason"],
                               needs=d["needs"])
            except EpisodeNotOpen as refused:
                problem, status = str(refused), 409
            else:
                messages.success(request, f"Referral sent to {service.name}")
                return redirect(_plan_url(episode.pk))
        else:
            status = 400
    return _episode_page(request, episode, "refer.jinja", status=status, form=form,
                         service=service,
                         errors=error_summary(form, problem=problem))


@allow(*STAFF)
@require_POST
def cancel(request, community_referral_id: int):
    """The referring team cancels a referral (with a reason)."""
    referral = get_object_or_404(CommunityReferral.objects.for_user(request.user),
                                 pk=community_referral_id)
    note = request.POST.get("note", "")
    try:
        services.move(referral, "cancel", by=request.user, side=Side.TEAM, note=note)
    except (IllegalMove, ValueError) as refused:
        record(request, Action.REFUSED, referral, detail="cancel")
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Referral to {referral.service_name} cancelled")
    return redirect(_plan_url(referral.episode_id))


# -- the organisation's side ------------------------------------------------------------------

@allow(PARTNER)
@require_GET
def partner_referrals(request):
    """The referrals addressed to the partner's organisations, newest first, in pages."""
    page = sequence_page(request, CommunityReferral.objects.for_partner(request.user)
                         .select_related("episode__team").order_by("-referred_at", "-id"),
                         noun=("referral", "referrals"))
    listed(request, "connect.partner_referrals", [r.episode.person_id for r in page.rows])
    return render(request, "connect/partner_referrals.jinja", {
        "rows": presenters.partner_rows(page.rows), "page": page,
        "organisations": [o.name for o in partner_organisations(request.user)],
    })


@allow(PARTNER)
@require_http_methods(["GET", "POST"])
def partner_referral(request, community_referral_id: int):
    """One referral as the organisation sees it: the details shared, its history, and the
    moves the organisation may make now (accept, decline with a reason, attended, ...)."""
    referral = get_object_or_404(
        CommunityReferral.objects.for_partner(request.user).select_related("organization"),
        pk=community_referral_id)
    open_moves = moves_from(referral.status, Side.PARTNER)
    form, problem, status = forms.MoveForm(moves=open_moves), None, 200
    if request.method == "POST":
        form = forms.MoveForm(request.POST, moves=open_moves)
        if form.is_valid():
            try:
                services.move(referral, form.cleaned_data["move"], by=request.user,
                              side=Side.PARTNER, note=form.cleaned_data["note"])
            except (IllegalMove, ValueError) as refused:
                record(request, Action.REFUSED, referral, detail=form.cleaned_data["move"])
                problem, status = str(refused), 409
            else:
                messages.success(request, "Referral updated")
                return redirect(request.path)
        else:
            status = 400
        referral.refresh_from_db()
    viewed(request, referral)
    return render(request, "connect/partner_referral.jinja", {
        "referral": referral, "status": community_referral_tag(referral.status),
        "shared": presenters.shared_rows(referral), "history": presenters.history_rows(referral),
        "form": form if moves_from(referral.status, Side.PARTNER) else None,
        "errors": error_summary(form, problem=problem),
    }, status=status)


@allow(PARTNER)
@require_GET
def partner_services(request):
    """The partner's organisations' services, with their capacity and when last verified."""
    page = sequence_page(request, services.partner_services(request.user).order_by("name", "id"),
                         noun=("service", "services"))
    return render(request, "connect/partner_services.jinja", {
        "rows": presenters.service_rows(page.rows), "page": page})


@allow(PARTNER)
@require_http_methods(["GET", "POST"])
def partner_service(request, service_id):
    """Confirm a service's capacity (accepting referrals, waiting time); sets the date the
    record was last verified."""
    service = get_object_or_404(services.partner_services(request.user), pk=service_id)
    form, status = forms.CapacityForm(initial=forms.capacity_initial(service)), 200
    if request.method == "POST":
        form = forms.CapacityForm(request.POST)
        if form.is_valid():
            services.update_capacity(service, by=request.user,
                                     accepting_referrals=form.accepting_referrals,
                                     waiting_time_days=form.cleaned_data["waiting_time_days"])
            messages.success(request, f"{service.name or 'Service'} updated and verified today")
            return redirect("connect:partner_services")
        status = 400
    return render(request, "connect/partner_service.jinja", {
        "service": service, "form": form, "errors": error_summary(form),
        "row": presenters.service_rows([service])[0]}, status=status)


@allow(PARTNER)
@require_http_methods(["GET", "POST"])
def partner_opening_times(request, service_id):
    """Set a service's weekly opening times (one session a day); sets the date the record was
    last verified. Times the form cannot show (a monthly session, say) are listed in words,
    and saving replaces them."""
    service = get_object_or_404(services.partner_services(request.user).select_related("feed"),
                                pk=service_id)
    current = list(services.organisation_hours(service).order_by("id"))
    form, status = forms.OpeningTimesForm(initial=forms.opening_times_initial(current)), 200
    if request.method == "POST":
        form = forms.OpeningTimesForm(request.POST)
        if form.is_valid():
            services.update_opening_times(service, by=request.user, hours=form.hours)
            messages.success(request, f"Opening times of {service.name or 'the service'} "
                                      "updated and verified today")
            return redirect("connect:partner_services")
        status = 400
    return render(request, "connect/partner_opening_times.jinja", {
        "service": service, "form": form, "errors": error_summary(form),
        "row": presenters.service_rows([service])[0],
        "other_times": [schedule_text(s) for s in current if not forms.simple_weekly(s)],
    }, status=status)
