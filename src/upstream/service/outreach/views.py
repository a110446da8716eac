"""Outreach pages: the team's message templates (list, preview, add and edit for team leads),
the team's outreach settings, sending a message from an episode, the outbox of messages to
send by hand, and the print-ready letter.

Templates are fetched through ``MessageTemplate.objects.for_user``, episodes through
``Episode.objects.for_user`` and messages through ``OutreachMessage.objects.for_user``: another
team's record is 404. Every page that shows a person is audited.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES, Role
from upstream.service.audit.models import Action
from upstream.service.audit.services import listed, record, viewed
from upstream.service.engagement.presenters import episode_header
from upstream.service.outreach import letters, merge, notify, preferences, presenters, services
from upstream.service.outreach.forms import PreviewForm, SendForm, SettingsForm, TemplateForm
from upstream.service.outreach.models import (
    MessageKind,
    MessageStatus,
    MessageTemplate,
    OutreachMessage,
)
from upstream.service.outreach.readability import FORMULA
from upstream.service.referrals.models import Episode
from upstream.service.ui.errors import error_summary

STAFF = STAFF_ROLES


def _my_team(request, team_id: int):
    return get_object_or_404(request.user.teams.all(), pk=team_id)


def _template(request, template_id: int) -> MessageTemplate:
    return get_object_or_404(MessageTemplate.objects.for_user(request.user)
                             .select_related("team"), pk=template_id)


@allow(*STAFF)
@require_GET
def templates(request):
    """The message templates of each of the user's teams, with their reading age."""
    teams = []
    for team in request.user.teams.order_by("name"):
        target = services.settings_for(team).reading_age_target
        teams.append({
            "name": team.name, "target": target,
            "rows": presenters.template_rows(team.message_templates.all(), target),
            "new_url": reverse("outreach:template_new", kwargs={"team_id": team.pk}),
            "settings_url": reverse("outreach:settings", kwargs={"team_id": team.pk}),
        })
    return render(request, "outreach/templates.jinja", {
        "teams": teams, "can_manage": request.user.role == Role.TEAM_LEAD,
        "formula": FORMULA})


def _template_form_page(request, team, template: MessageTemplate | None):
    form = TemplateForm(instance=template, team=team)
    if request.method == "POST":
        form = TemplateForm(request.POST, instance=template or MessageTemplate(team=team),
                            team=team)
        if form.is_valid():
            saved = services.save_template(form.save(commit=False), by=request.user)
            messages.success(request, f"Template '{saved.name}' saved")
            return redirect("outreach:template", message_template_id=saved.pk)
    return render(request, "outreach/template_form.jinja", {
        "form": form, "team": team, "template": template,
        "errors": error_summary(form), "merge_fields": presenters.merge_field_rows(),
        "heading": f"Edit '{template.name}'" if template else "Add a message template",
    })


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def template_new(request, team_id: int):
    """Add a template to one of the lead's teams."""
    return _template_form_page(request, _my_team(request, team_id), None)


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def template_edit(request, message_template_id: int):
    template = _template(request, message_template_id)
    return _template_form_page(request, template.team, template)


@allow(Role.TEAM_LEAD)
@require_POST
def template_delete(request, message_template_id: int):
    """Delete a template. Messages already written from it keep their text."""
    found = _template(request, message_template_id)
    services.delete_template(found, by=request.user)
    messages.success(request, f"Template '{found.name}' deleted")
    return redirect("outreach:templates")


@allow(*STAFF)
@require_GET
def template(request, message_template_id: int):
    """One template: its reading age against the team's target and a preview, merged with
    sample details or with a person from one of the team's open episodes."""
    found = _template(request, message_template_id)
    target = services.settings_for(found.team).reading_age_target
    episodes = (Episode.objects.for_user(request.user).open().filter(team=found.team)
                .select_related("person", "team").order_by("person__family_name",
                                                           "person__given_name"))
    form = PreviewForm(request.GET or None, episodes=episodes)
    episode = None
    if form.is_bound and form.is_valid() and form.cleaned_data["episode"]:
        episode = episodes.get(pk=form.cleaned_data["episode"])
        viewed(request, episode)
    values = services.merge_values(found.team, request.user,
                                     person=episode.person if episode else None)
    return render(request, "outreach/template.jinja", {
        "template": found, "reading_age": presenters.reading_age_view(found, target),
        "formula": FORMULA, "form": form, "errors": error_summary(form),
        "preview": {"subject": merge.merge(found.subject, values),
                    "paragraphs": [p for p in merge.merge(found.body, values).split("\n")
                                   if p.strip()],
                    "whose": str(episode.person) if episode else "Sam Taylor (sample details)"},
        "written": [line for line in found.body.split("\n") if line.strip()],
        "can_manage": request.user.role == Role.TEAM_LEAD,
    })


@allow(Role.TEAM_LEAD)
@require_http_methods(["GET", "POST"])
def team_settings(request, team_id: int):
    """The team's reading-age target and the contact details its messages carry."""
    team = _my_team(request, team_id)
    current = services.settings_for(team)
    form = SettingsForm(instance=current)
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=current)
        if form.is_valid():
            services.save_settings(current, by=request.user, **form.cleaned_data)
            messages.success(request, "Outreach settings saved")
            return redirect("outreach:templates")
    return render(request, "outreach/settings.jinja", {
        "form": form, "team": team, "errors": error_summary(form)})


@allow(*STAFF)
@require_http_methods(["GET", "POST"])
def send(request, episode_id: int):
    """Write to the person from one of the team's templates: choose it, check the merged
    message, send it. Sent through Notify when configured, otherwise to the outbox."""
    episode = get_object_or_404(
        Episode.objects.for_user(request.user).select_related("person", "team", "worker"),
        pk=episode_id)
    viewed(request, episode)
    team_templates = MessageTemplate.objects.filter(team=episode.team)
    data = request.POST if request.method == "POST" else (
        request.GET if "template" in request.GET else None)
    form = SendForm(data, templates=team_templates)
    draft, problem, status = None, None, 200
    if form.is_bound and form.is_valid():
        draft = services.draft(form.cleaned_data["template"], episode, request.user,
                               appointment_date=form.cleaned_data["appointment_date"])
        if request.method == "POST":
            try:
                message = services.send(draft, by=request.user)
            except (services.CannotSend, notify.NotifyRefused) as refused:
                problem, status = str(refused), 409 if isinstance(
                    refused, services.CannotSend) else 502
            else:
                messages.success(request, _sent_text(message))
                return redirect("engagement:contacts", episode_id=episode.pk)
    return render(request, "outreach/send.jinja", {
        "episode": episode, "about": episode_header(episode), "form": form,
        "errors": error_summary(form, problem=problem, problem_href="#message"),
        "draft": presenters.draft_view(draft) if draft else None,
        "contact": preferences.contact_panel(episode.person),
        "warnings": preferences.warnings(episode.person),
        "notify": notify.configured(),
    }, status=status)


def _sent_text(message: OutreachMessage) -> str:
    kind = message.get_kind_display().lower()
    if message.status == MessageStatus.SENT:
        return f"{kind.capitalize()} sent through GOV.UK Notify and logged as a contact attempt"
    if message.kind == MessageKind.LETTER:
        return ("Letter ready to print in the outbox. Mark it as posted there to log the "
                "contact attempt")
    return (f"{kind.capitalize()} added to the outbox. Send it by hand, then mark it as sent "
            "to log the contact attempt")


@allow(*STAFF)
@require_GET
def outbox(request):
    """Messages of the user's teams waiting to be sent by hand (no Notify key), oldest first."""
    waiting = list(OutreachMessage.objects.for_user(request.user)
                   .filter(status=MessageStatus.TO_SEND)
                   .select_related("episode__person", "created_by").order_by("created_at", "id"))
    listed(request, "outreach.outbox", [m.episode.person_id for m in waiting])
    return render(request, "outreach/outbox.jinja",
                  {"rows": presenters.outbox_rows(waiting)})


@allow(*STAFF)
@require_POST
def mark_sent(request, outreach_message_id: int):
    """Mark an outbox message as sent by hand: it becomes a contact attempt."""
    message = get_object_or_404(OutreachMessage.objects.for_user(request.user),
                                pk=outreach_message_id)
    try:
        services.mark_sent(message, by=request.user)
    except services.CannotSend as refused:
        messages.error(request, str(refused))
    except services.engagement.EpisodeNotOpen as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{message.get_kind_display()} marked as sent and logged as "
                                  "a contact attempt")
    return redirect("outreach:outbox")


@allow(*STAFF)
@require_GET
def letter_pdf(request, outreach_message_id: int):
    """The letter, print-ready on A4 with the address placed for a window envelope."""
    message = get_object_or_404(
        OutreachMessage.objects.for_user(request.user)
        .select_related("episode__team", "created_by"), pk=outreach_message_id)
    if message.kind != MessageKind.LETTER:
        raise Http404("This message is not a letter")
    record(request, Action.EXPORT, message, detail="letter pdf")
    response = HttpResponse(letters.letter_pdf(message), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{message.pk}.pdf"'
    return response
