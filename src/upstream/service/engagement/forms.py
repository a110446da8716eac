"""Forms for recording engagement. Each carries the episode ``version`` it was built from, so a
save against a record someone else has changed since is refused (optimistic concurrency).
Error messages name the field, in the NHS.UK style ("Enter ...", "Select ..."). Every date is
checked against the person's birth and death, the referral date and today by ``people.dates``,
the same checks the API uses."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from upstream.service.engagement.models import (
    ContactFrequency,
    ContactOutcome,
    GoalStatus,
    NetworkKind,
    NetworkStage,
    SessionKind,
)
from upstream.service.people import dates
from upstream.service.people.forms import NHSDateField
from upstream.service.people.models import ContactChannel
from upstream.service.practice.models import (
    CONVERSATION_HINTS,
    Conversation,
    works_to_three_conversations,
)
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards.vocabularies import NEEDS, choices

NEED_CHOICES = choices(NEEDS)


OUT_OF_DATE_FORM = "This form is out of date: open the page again and enter your changes again"


class VersionedForm(NamedErrorsMixin, forms.Form):
    """A form that edits an episode: ``version`` is the episode version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": OUT_OF_DATE_FORM, "invalid": OUT_OF_DATE_FORM})

    def __init__(self, *args, episode=None, **kwargs):
        self.episode = episode
        kwargs.setdefault("initial", {})
        if episode is not None:
            kwargs["initial"].setdefault("version", episode.version)
        super().__init__(*args, **kwargs)


def _date(label: str, *, required: bool = True, today: bool = False) -> NHSDateField:
    """An NHS.UK three-field date; ``today`` makes today's date the initial value."""
    return NHSDateField(
        label=label if required else f"{label} (optional)", required=required,
        error_label=label, initial=timezone.localdate if today else None,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


TIME_FORMAT = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _add_conversation(form: VersionedForm) -> None:
    """Add the required 3 Conversations tag to ``form`` when the episode's team works to that
    model (``cleaned_data["conversation"]`` is then 1, 2 or 3; otherwise the field is absent
    and ``cleaned_data.get("conversation")`` is None)."""
    if form.episode is None or not works_to_three_conversations(form.episode.team):
        return
    form.fields["conversation"] = forms.TypedChoiceField(
        label="Which conversation was this?", choices=Conversation.choices, coerce=int,
        error_messages={"required": "Select which conversation this was"},
    )
    form.conversation_hints = {str(c.value): CONVERSATION_HINTS[c] for c in Conversation}


def _minutes() -> forms.IntegerField:
    return forms.IntegerField(
        label="Duration in minutes (optional)", required=False, min_value=0, max_value=600,
        error_messages={"invalid": "Duration must be a whole number of minutes",
                        "min_value": "Duration must be 0 minutes or more",
                        "max_value": "Duration must be 600 minutes or fewer"},
    )


class ContactAttemptForm(VersionedForm):
    on = _date("Date of the attempt", today=True)
    time = forms.CharField(
        label="Time of the attempt", max_length=5, help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the attempt"},
    )
    channel = forms.ChoiceField(
        label="How did you try to make contact?", choices=ContactChannel.choices,
        error_messages={"required": "Select how you tried to make contact"},
    )
    outcome = forms.ChoiceField(
        label="What happened?", choices=ContactOutcome.choices,
        error_messages={"required": "Select what happened"},
    )
    duration_minutes = _minutes()
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea,
                           max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time"].initial = timezone.localtime().strftime("%H:%M")
        if self.episode is not None:
            self.fields["channel"].initial = self.episode.person.preferred_channel
        _add_conversation(self)

    def clean_time(self) -> datetime.time:
        """``14:30``, ``9:05`` or ``14.30`` as a time of day."""
        if match := TIME_FORMAT.match(self.cleaned_data["time"].strip()):
            try:
                return datetime.time(int(match[1]), int(match[2]))
            except ValueError:
                pass
        raise ValidationError("Time of the attempt must be a real time, like 14:30")

    def clean(self):
        """Joins the date and time into ``cleaned_data["at"]`` (an aware local time), checked
        against the episode like every other event (``people.dates.check_event``)."""
        data = super().clean()
        if data.get("on") is None or data.get("time") is None:
            return data
        at = timezone.make_aware(datetime.datetime.combine(data["on"], data["time"]))
        try:
            data["at"] = dates.check_event(at, episode=self.episode,
                                           label="Date of the contact attempt")
        except ValidationError as problem:
            self.add_error("on", problem)
        return data


class WhatMattersForm(VersionedForm):
    conversation_on = _date("Date of conversation", today=True)
    what_matters = forms.CharField(
        label="What matters to the person", widget=forms.Textarea, max_length=4000,
        error_messages={"required": "Enter what matters to the person, in their words"},
    )
    strengths = forms.CharField(label="Strengths and what is going well (optional)",
                                required=False, widget=forms.Textarea, max_length=4000)
    needs_confirmed = forms.MultipleChoiceField(
        label="Needs the person confirmed", choices=NEED_CHOICES,
        error_messages={"required": "Select at least one need the person confirmed"},
    )

    def clean_conversation_on(self):
        return dates.check_event(self.cleaned_data["conversation_on"], episode=self.episode,
                                 label="Date of conversation")


class GoalForm(VersionedForm):
    description = forms.CharField(
        label="Goal, in the person's words", max_length=300,
        error_messages={"required": "Enter the goal"},
    )
    need = forms.ChoiceField(label="Need it addresses (optional)", required=False,
                             choices=[("", "Not linked to a need"), *NEED_CHOICES])
    target_on = _date("Target date", required=False)

    def clean_target_on(self):
        return dates.check_plan_date(self.cleaned_data["target_on"], episode=self.episode,
                                     label="Target date")


class GoalReviewForm(VersionedForm):
    goal = forms.ModelChoiceField(
        label="Goal", queryset=None, empty_label="Select a goal",
        error_messages={"required": "Select the goal you reviewed",
                        "invalid_choice": "Select one of this plan's goals"},
    )
    reviewed_on = _date("Date of review", today=True)
    progress = forms.IntegerField(
        label="Progress score from 0 (none) to 10 (fully met) (optional)", required=False,
        min_value=0, max_value=10,
        error_messages={"invalid": "Progress score must be a whole number from 0 to 10",
                        "min_value": "Progress score must be 0 or more",
                        "max_value": "Progress score must be 10 or less"},
    )
    status = forms.ChoiceField(label="Goal status", choices=GoalStatus.choices,
                               error_messages={"required": "Select the goal status"})
    note = forms.CharField(label="Progress in words (optional)", required=False,
                           widget=forms.Textarea, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = self.episode.goals.all()

    def clean_reviewed_on(self):
        return dates.check_event(self.cleaned_data["reviewed_on"], episode=self.episode,
                                 label="Date of review")

    def clean(self):
        data = super().clean()
        if data.get("progress") is None and not data.get("note") and "progress" not in self.errors:
            self.add_error("progress", "Enter a progress score or describe progress in words")
        return data


class ActionForm(VersionedForm):
    description = forms.CharField(label="Action", max_length=300,
                                  error_messages={"required": "Enter the action"})
    onward_service = forms.CharField(
        label="Onward service (optional)", required=False, max_length=200,
        help_text="The community service the person is referred to, if any",
    )
    due_on = _date("Due date", required=False)

    def clean_due_on(self):
        return dates.check_plan_date(self.cleaned_data["due_on"], episode=self.episode,
                                     label="Due date")


class ActionDoneForm(VersionedForm):
    action = forms.ModelChoiceField(
        queryset=None, widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That action is already done or is not in this plan"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = self.episode.actions.filter(done=False)


class ReviewDateForm(VersionedForm):
    next_review_on = _date("Next review date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_review_on"].initial = self.episode.next_review_on

    def clean_next_review_on(self):
        return dates.check_plan_date(self.cleaned_data["next_review_on"], episode=self.episode,
                                     label="Next review date", not_past=True)


class SessionForm(VersionedForm):
    held_on = _date("Date of session", today=True)
    kind = forms.ChoiceField(label="Type of session", choices=SessionKind.choices,
                             error_messages={"required": "Select the type of session"})
    duration_minutes = _minutes()
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea,
                           max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_conversation(self)

    def clean_held_on(self):
        return dates.check_event(self.cleaned_data["held_on"], episode=self.episode,
                                 label="Date of session")


class CloseForm(VersionedForm):
    themes = forms.MultipleChoiceField(
        label="Needs worked on", choices=NEED_CHOICES,
        error_messages={"required": "Select at least one need worked on"},
    )
    outcomes = forms.CharField(
        label="Outcomes", widget=forms.Textarea, max_length=6000,
        error_messages={"required": "Enter the outcomes"},
    )
    goals_summary = forms.CharField(label="Goals", required=False, widget=forms.Textarea,
                                    max_length=6000)
    onward_services = forms.CharField(label="Onward services", required=False,
                                      widget=forms.Textarea, max_length=6000)
    goals_reviewed = forms.BooleanField(
        label="I have reviewed these goals: close with them as they are", required=False)

    def __init__(self, *args, unstarted: list[str] = (), **kwargs):
        """``unstarted``: the plan's goals still "not started"; closing with any asks the
        worker to confirm they reviewed them (``goals_reviewed``)."""
        self.unstarted = list(unstarted)
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.unstarted and not cleaned.get("goals_reviewed"):
            count = len(self.unstarted)
            which = "1 goal is" if count == 1 else f"{count} goals are"
            self.add_error("goals_reviewed", (
                f"{which} still not started. Review the goals on the plan first, or confirm "
                "that you want to close with them as they are"))
        return cleaned


class ProposeEndingForm(VersionedForm):
    reason = forms.CharField(label="Why end now? (optional)", required=False, max_length=300)


class CrisisPlanForm(VersionedForm):
    """The crisis plan for conversation 2: every part is required."""

    crisis = forms.CharField(
        label="What is the crisis?", widget=forms.Textarea, max_length=4000,
        error_messages={"required": "Enter what the crisis is",
                        "max_length": "What the crisis is must be 4000 characters or fewer"},
    )
    actions = forms.CharField(
        label="What will be done?", widget=forms.Textarea, max_length=4000,
        error_messages={"required": "Enter what will be done",
                        "max_length": "What will be done must be 4000 characters or fewer"},
    )
    by_whom = forms.CharField(
        label="By whom?", max_length=200,
        help_text="Names or roles, for example \"link worker and the person's sister\"",
        error_messages={"required": "Enter who will do it",
                        "max_length": "Who will do it must be 200 characters or fewer"},
    )
    by_when = _date("Date it will be done by")
    review_on = _date("Review date")

    def clean_by_when(self):
        return dates.check_plan_date(self.cleaned_data["by_when"], episode=self.episode,
                                     label="Date it will be done by")

    def clean_review_on(self):
        return dates.check_plan_date(self.cleaned_data["review_on"], episode=self.episode,
                                     label="Review date", not_past=True)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class NetworkSnapshotForm(VersionedForm):
    """The date and stage of a snapshot, with strengths and interests one per line."""

    taken_on = _date("Date", today=True)
    stage = forms.ChoiceField(label="When is this?", choices=NetworkStage.choices,
                              error_messages={"required": "Select when this snapshot is"})
    strengths = forms.CharField(
        label="Strengths (optional)", required=False, widget=forms.Textarea, max_length=4000,
        help_text="What the person is good at or proud of, one per line",
        error_messages={"max_length": "Strengths must be 4000 characters or fewer"},
    )
    interests = forms.CharField(
        label="Interests (optional)", required=False, widget=forms.Textarea, max_length=4000,
        help_text="What the person enjoys or would like to do, one per line",
        error_messages={"max_length": "Interests must be 4000 characters or fewer"},
    )

    def clean_taken_on(self):
        return dates.check_event(self.cleaned_data["taken_on"], episode=self.episode,
                                 label="Date")

    def clean_strengths(self):
        return _lines(self.cleaned_data["strengths"])

    def clean_interests(self):
        return _lines(self.cleaned_data["interests"])


HELP_WORDS = {1: " (not helpful)", 5: " (very helpful)"}
NETWORK_ROWS_SPARE = 3
"""Blank rows offered beyond the entries copied from the latest snapshot (at least 6 rows)."""
MOST_NETWORK_ROWS = 60


class NetworkEntryForm(NamedErrorsMixin, forms.Form):
    """One row of the network: blank rows are ignored; a started row needs every part. Error
    messages name the row ("contact 2") so the error summary is clear."""

    who = forms.CharField(label="Who", required=False, max_length=80,
                          error_messages={"max_length": "Who must be 80 characters or fewer"})
    kind = forms.ChoiceField(label="Kind", required=False,
                             choices=[("", "Select a kind"), *NetworkKind.choices])
    frequency = forms.ChoiceField(label="How often in contact", required=False,
                                  choices=[("", "Select how often"), *ContactFrequency.choices])
    helpfulness = forms.TypedChoiceField(
        label="How helpful", required=False, coerce=int, empty_value=None,
        choices=[("", "Select 1 to 5"), *((n, f"{n}{HELP_WORDS.get(n, '')}")
                                           for n in range(1, 6))])

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number

    @property
    def started(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields):
            return data
        missing = {
            "who": f"Enter who contact {self.number} is, for example sister or walking group",
            "kind": f"Select what kind of contact {self.number} is",
            "frequency": f"Select how often the person is in touch with contact {self.number}",
            "helpfulness": f"Select how helpful contact {self.number} is, from 1 to 5",
        }
        for name, message in missing.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data




def network_entry_forms(data=None, *, initial: list[dict]) -> list[NetworkEntryForm]:
    """The network rows, each prefixed ``entry-<n>``: one per entry in ``initial`` (the latest
    snapshot's, to update) plus spare blank rows; when ``data`` is posted, as many rows as it
    holds (up to ``MOST_NETWORK_ROWS``)."""
    rows = max(len(initial) + NETWORK_ROWS_SPARE, 6)
    if data is not None:
        posted = [int(m.group(1)) for key in data if (m := _ROW_KEY.match(key))]
        rows = min(max([rows, *posted]), MOST_NETWORK_ROWS)
    return [NetworkEntryForm(data, prefix=f"entry-{n}", number=n,
                             initial=initial[n - 1] if n <= len(initial) else None)
            for n in range(1, rows + 1)]


_ROW_KEY = re.compile(r"^entry-(\d+)-")
