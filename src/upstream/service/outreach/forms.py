"""Forms for outreach: a team's template and settings, and choosing a template to send.
Error messages name the field, in the NHS.UK style."""

from django import forms

from upstream.service.outreach import merge
from upstream.service.outreach.models import (
    KINDS_WITH_SUBJECT,
    MessageKind,
    MessageTemplate,
    OutreachSettings,
)
from upstream.service.people.forms import NHSDateField
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards import phone

SMS_MAX_CHARACTERS = 918
"""The longest text message GOV.UK Notify sends (6 parts of 153 characters)."""


def _known_fields_only(text: str, label: str) -> None:
    unknown = merge.unknown_fields(text)
    if unknown:
        names = ", ".join(f"(({name}))" for name in unknown)
        known = ", ".join(f"(({name}))" for name in merge.FIELDS)
        raise forms.ValidationError(
            f"{label} uses a merge field that does not exist: {names}. Use only {known}")


class TemplateForm(NamedErrorsMixin, forms.ModelForm):
    """A team's message template. The team is set by the view, never posted."""

    class Meta:
        model = MessageTemplate
        fields = ["kind", "name", "subject", "body"]
        labels = {"subject": "Subject (emails and letters)"}
        error_messages = {
            "kind": {"required": "Select the type of message"},
            "name": {"required": "Enter a name for the template",
                     "max_length": "Name must be 120 characters or fewer"},
            "subject": {"max_length": "Subject must be 200 characters or fewer"},
            "body": {"required": "Enter the message"},
        }

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["kind"].choices = MessageKind.choices
        self.fields["body"].help_text = (
            "Merge fields are filled in for each person: "
            + ", ".join(f"(({name})) for {what}" for name, what in merge.FIELDS.items()))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = MessageTemplate.objects.filter(team=self.team, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"Your team already has a template called '{name}'")
        return name

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        _known_fields_only(subject, "Subject")
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        _known_fields_only(body, "Message")
        return body

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in KINDS_WITH_SUBJECT and not data.get("subject") and "subject" not in \
                self.errors:
            self.add_error("subject", f"Enter a subject for the {MessageKind(kind).label.lower()}")
        if kind == MessageKind.SMS and len(data.get("body") or "") > SMS_MAX_CHARACTERS:
            self.add_error("body", f"Text message must be {SMS_MAX_CHARACTERS} characters or "
                                   "fewer")
        return data


class SettingsForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = OutreachSettings
        fields = ["reading_age_target", "phone", "email", "address"]
        error_messages = {
            "reading_age_target": {"required": "Enter the reading age target",
                                   "invalid": "Reading age target must be a whole number"},
            "email": {"invalid": "Team email address must be a real email address, like "
                                 "team@example.nhs.uk"},
        }

    def clean_reading_age_target(self):
        target = self.cleaned_data["reading_age_target"]
        if not 5 <= target <= 18:
            raise forms.ValidationError("Reading age target must be between 5 and 18 years")
        return target

    def clean_phone(self):
        typed = self.cleaned_data["phone"].strip()
        if typed and (problem := phone.validation_error(typed)):
            raise forms.ValidationError(problem.replace("Phone number", "Team phone number"))
        return phone.normalise(typed) if typed else ""


class SendForm(NamedErrorsMixin, forms.Form):
    """Which template to send to the person, and the values only the worker knows."""

    template = forms.ModelChoiceField(
        label="Message template", queryset=MessageTemplate.objects.none(),
        error_messages={"required": "Select a message template",
                        "invalid_choice": "Select a message template from the list"})
    appointment_date = NHSDateField(
        label="Appointment date", required=False,
        help_text="Needed when the template uses ((appointment_date)). For example, 15 3 2026")

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = (
            lambda t: f"{t.name} ({t.get_kind_display().lower()})")

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if template and "appointment_date" in merge.fields_in(template.subject, template.body) \
                and not data.get("appointment_date") and "appointment_date" not in self.errors:
            self.add_error("appointment_date",
                           "Enter the appointment date: this template uses it")
        return data


class PreviewForm(NamedErrorsMixin, forms.Form):
    """Whose details to preview a template with: one of the team's open episodes, or none."""

    episode = forms.TypedChoiceField(label="Preview for", coerce=int, required=False,
                                     empty_value=None)

    def __init__(self, *args, episodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].choices = [("", "Sample details (Sam Taylor)")] + [
            (e.pk, f"{e.person} (born {e.person.date_of_birth:%d/%m/%Y})") for e in episodes]
        self.fields["episode"].error_messages["invalid_choice"] = (
            "Select a person from the list")
