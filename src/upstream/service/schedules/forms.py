"""Forms for schedules. Error messages name the field in the NHS.UK style ("Enter ...",
"Select ..."); dates use the NHS.UK three-field date input."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from upstream.service.engagement.models import SessionKind
from upstream.service.people.forms import NHSDateField, PersonIntakeForm
from upstream.service.people.models import ContactChannel
from upstream.service.schedules import services
from upstream.service.schedules.models import Answer, Decision, ProgrammeKind
from upstream.service.ui.forms import NamedErrorsMixin

CADENCE_ROWS = 8
"""How many step rows the cadence form offers (Leicester uses six)."""
QUESTION_ROWS = 4


def _date(label: str, *, past_only: bool = False) -> NHSDateField:
    return NHSDateField(label=label, past_only=past_only,
                        error_messages={"required": f"Enter the {label.lower()}"})


class CadenceForm(NamedErrorsMixin, forms.Form):
    """Up to ``CADENCE_ROWS`` steps, each a day and a channel; blank rows are ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, CADENCE_ROWS + 1):
            self.fields[f"day_{n}"] = forms.IntegerField(
                label=f"Step {n}: day", required=False, min_value=0, max_value=365,
                error_messages={"invalid": f"Step {n}: the day must be a whole number",
                                "min_value": f"Step {n}: the day must be 0 or more",
                                "max_value": f"Step {n}: the day must be 365 or less"})
            self.fields[f"channel_{n}"] = forms.ChoiceField(
                label=f"Step {n}: channel", required=False,
                choices=[("", "No step"), *ContactChannel.choices])

    def rows(self):
        return [(self[f"day_{n}"], self[f"channel_{n}"]) for n in range(1, CADENCE_ROWS + 1)]

    def clean(self):
        data = super().clean()
        steps = []
        for n in range(1, CADENCE_ROWS + 1):
            day, channel = data.get(f"day_{n}"), data.get(f"channel_{n}")
            if day is None and not channel:
                continue
            if day is None and f"day_{n}" not in self.errors:
                self.add_error(f"day_{n}", f"Step {n}: enter the day")
            elif not channel:
                self.add_error(f"channel_{n}", f"Step {n}: select a channel")
            else:
                steps.append((day, channel))
        days = [d for d, _ in steps]
        if len(set(days)) != len(days):
            raise ValidationError("Each step needs a different day")
        data["steps"] = steps
        return data


class ProgrammeForm(NamedErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="Type of programme", choices=ProgrammeKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select the type of programme"})
    weeks = forms.IntegerField(label="Length in weeks", required=False, min_value=1,
                               max_value=104,
                               error_messages={"invalid": "Length must be a whole number of weeks",
                                               "min_value": "Length must be at least 1 week",
                                               "max_value": "Length must be 104 weeks or fewer"})
    min_sessions = forms.IntegerField(label="Fewest sessions", required=False, min_value=1,
                                      max_value=100)
    max_sessions = forms.IntegerField(label="Most sessions", required=False, min_value=1,
                                      max_value=100)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ProgrammeKind.WEEKS and not data.get("weeks") and "weeks" not in self.errors:
            self.add_error("weeks", "Enter the length of the programme in weeks")
        if kind == ProgrammeKind.SESSIONS:
            low, high = data.get("min_sessions"), data.get("max_sessions")
            if not low and "min_sessions" not in self.errors:
                self.add_error("min_sessions", "Enter the fewest sessions")
            if not high and "max_sessions" not in self.errors:
                self.add_error("max_sessions", "Enter the most sessions")
            if low and high and low > high:
                self.add_error("max_sessions", "Most sessions must be at least the fewest")
        return data


class ScreeningScheduleForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(label="Name of the screen", max_length=160,
                           error_messages={"required": "Enter the name of the screen"})
    index_event = forms.CharField(label="What the index date is", max_length=160,
                                  help_text="For example, heart attack",
                                  error_messages={"required": "Enter what the index date is"})
    weeks = forms.CharField(label="Weeks after the index date", max_length=100,
                            help_text="Separate the weeks with commas, for example 1, 4, 8",
                            error_messages={"required": "Enter the weeks after the index date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, QUESTION_ROWS + 1):
            self.fields[f"question_{n}"] = forms.CharField(
                label=f"Question {n}" + ("" if n == 1 else " (optional)"), required=n == 1,
                max_length=300, error_messages={"required": "Enter at least one question"})
            self.fields[f"positive_{n}"] = forms.ChoiceField(
                label=f"Answer to question {n} that needs support", choices=Answer.choices,
                initial=Answer.YES, widget=forms.RadioSelect, required=False)

    def questions(self):
        return [(self[f"question_{n}"], self[f"positive_{n}"])
                for n in range(1, QUESTION_ROWS + 1)]

    def clean_weeks(self):
        try:
            return services.parse_weeks(self.cleaned_data["weeks"])
        except services.ScheduleError as problem:
            raise ValidationError(str(problem)) from None

    def clean(self):
        data = super().clean()
        data["question_list"] = [
            (data[f"question_{n}"].strip(), data.get(f"positive_{n}") or Answer.YES)
            for n in range(1, QUESTION_ROWS + 1) if (data.get(f"question_{n}") or "").strip()]
        return data


class EnrolForm(NamedErrorsMixin, forms.Form):
    schedule = forms.ModelChoiceField(label="Screen", queryset=None, empty_label=None,
                                      error_messages={"required": "Select the screen"})
    index_date = _date("Index date", past_only=True)

    def __init__(self, *args, schedules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = schedules


class EnrolPersonForm(PersonIntakeForm):
    """A person to enrol in a screen without an episode: who they are (names, date of birth,
    NHS number where known), how to reach them, and the index date."""

    index_date = _date("Index date", past_only=True)

    class Meta(PersonIntakeForm.Meta):
        fields = ["nhs_number", "given_name", "family_name", "date_of_birth", "postcode",
                  "phone"]

    def person_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlanSessionForm(NamedErrorsMixin, forms.Form):
    on = _date("Date of the session")
    kind = forms.ChoiceField(label="Type of session", choices=SessionKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select the type of session"})
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on is not None and on < timezone.localdate():
            raise ValidationError("Date of the session must be today or in the future")
        return on


class ScreeningForm(NamedErrorsMixin, forms.Form):
    """The screen's questions as yes/no radios, or "missed appointment"."""

    outcome = forms.ChoiceField(
        label="Did the screening happen?", widget=forms.RadioSelect,
        choices=[("answered", "Yes, record the answers"),
                 ("missed", "No, the person missed the appointment")],
        error_messages={"required": "Select whether the screening happened"})

    def __init__(self, *args, schedule, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(schedule.questions.all())
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text, choices=Answer.choices, widget=forms.RadioSelect,
                required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "answered":
            for question in self.questions:
                if not data.get(f"q{question.pk}"):
                    self.add_error(f"q{question.pk}", f"Answer: {question.text}")
        data["answers"] = {str(q.pk): data[f"q{q.pk}"] for q in self.questions
                           if data.get(f"q{q.pk}")}
        return data


class DecisionForm(NamedErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="Decision", choices=Decision.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select the decision"})
    new_worker = forms.ModelChoiceField(label="New worker (when changing worker)",
                                        queryset=None, required=False,
                                        empty_label="Choose a worker")
    agreed_with = forms.ModelMultipleChoiceField(
        label="Who agreed, besides you", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="Note", widget=forms.Textarea, max_length=2000,
                           required=False,
                           error_messages={"max_length": "Note must be 2000 characters or fewer"})

    def __init__(self, *args, members, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_worker"].queryset = workers
        self.fields["agreed_with"].queryset = members
        self.fields["agreed_with"].label_from_instance = lambda u: u.display_name
        self.fields["new_worker"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.CHANGE_WORKER and not data.get("new_worker"):
            self.add_error("new_worker", "Select the new worker")
        return data
