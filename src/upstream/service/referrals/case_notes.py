"""Case notes on an episode: a timeline of who wrote what and when.

Notes are never edited or deleted. A correction is a new note that points at the note it
corrects (``CaseNote.corrects``); both stay on the timeline, the corrected one marked.
Viewing the timeline is audited; adding a note is audited (the text stays on the note, not in
the log).
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from upstream.service.accounts.access import allow
from upstream.service.accounts.models import STAFF_ROLES
from upstream.service.audit.models import Action
from upstream.service.audit.services import record, viewed
from upstream.service.people.presenters import PersonPresenter, active_flags
from upstream.service.referrals.models import CaseNote, Episode
from upstream.service.ui.errors import error_summary
from upstream.service.ui.format import date_time
from upstream.service.ui.forms import NamedErrorsMixin


def add_note(episode: Episode, *, text: str, by, corrects: CaseNote | None = None) -> CaseNote:
    """Append a note to ``episode``'s timeline; ``corrects`` (a note on the same episode) makes
    it a correction. Raises ``ValueError`` for empty text or a note from another episode."""
    text = (text or "").strip()
    if not text:
        raise ValueError("Enter the note")
    if corrects is not None and corrects.episode_id != episode.pk:
        raise ValueError("A correction must be to a note on the same episode")
    note = CaseNote.objects.create(episode=episode, text=text, written_by=by, corrects=corrects)
    record(by, Action.CREATE, note, detail="correction" if corrects else "")
    return note


class CaseNoteForm(NamedErrorsMixin, forms.Form):
    text = forms.CharField(
        label="Note", max_length=4000, widget=forms.Textarea,
        help_text="What happened, what was agreed, what happens next. Notes cannot be changed "
                  "later: to correct one, add a correction.",
        error_messages={"required": "Enter the note",
                        "max_length": "Note must be 4000 characters or fewer"})
    corrects = forms.TypedChoiceField(
        label="This note corrects (optional)", required=False, coerce=int, empty_value=None,
        error_messages={"invalid_choice": "Choose a note from this episode to correct"})

    def __init__(self, *args, episode: Episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.fields["corrects"].choices = [("", "Not a correction: a new note")] + [
            (n.pk, f"Note of {date_time(n.written_at)} by {n.written_by.display_name}")
            for n in episode.case_notes.select_related("written_by")
        ]

    def clean_corrects(self) -> CaseNote | None:
        chosen = self.cleaned_data["corrects"]
        if chosen is None:
            return None
        note = self.episode.case_notes.filter(pk=chosen).first()
        if note is None:
            raise ValidationError("Choose a note from this episode to correct")
        return note


@dataclass(frozen=True)
class NoteRow:
    id: int
    at: str
    by: str
    text: str
    corrects: str
    corrected: bool


def note_rows(episode: Episode) -> list[NoteRow]:
    """The episode's notes, newest first, each saying what it corrects or that it was
    corrected."""
    notes = list(episode.case_notes.select_related("written_by", "corrects__written_by")
                 .prefetch_related("corrections"))
    return [NoteRow(
        n.pk, date_time(n.written_at), n.written_by.display_name, n.text,
        (f"Correction to the note of {date_time(n.corrects.written_at)} by "
         f"{n.corrects.written_by.display_name}") if n.corrects else "",
        bool(n.corrections.all()),
    ) for n in notes]


@allow(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def notes(request, episode_id: int):
    """The episode's case notes as a timeline, and the form to add a note or a correction."""
    episode = get_object_or_404(
        Episode.objects.for_user(request.user).select_related("person", "team"), pk=episode_id)
    initial = {}
    if request.GET.get("corrects", "").isdigit():
        initial["corrects"] = int(request.GET["corrects"])
    form = CaseNoteForm(request.POST or None, episode=episode, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            add_note(episode, text=form.cleaned_data["text"], by=request.user,
                     corrects=form.cleaned_data["corrects"])
            messages.success(request, "Note added.")
            return redirect("referrals:notes", episode.pk)
        status = 400
    viewed(request, episode)
    return render(request, "referrals/notes.jinja", {
        "episode": episode, "person": PersonPresenter(episode.person), "form": form,
        "errors": error_summary(form), "rows": note_rows(episode),
        "flags": active_flags(episode.person),
    }, status=status)
