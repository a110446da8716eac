"""Forms for a person's details: used in the referral form and to edit a person's record.

Error messages name the field, so the NHS.UK error summary reads well on its own.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from upstream.service.people import dates
from upstream.service.people.models import Permission, Person, SafetyFlag
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards import nhs_number, phone, postcode

DATE_PARTS = ("day", "month", "year")


class NHSDateInput(forms.Widget):
    """The NHS.UK date input: three boxes posted as ``<name>[day]``, ``[month]``, ``[year]``.

    The value handed to the field is a dict of the three strings as typed, so a form with an
    error shows exactly what the user entered.
    """

    def value_from_datadict(self, data, files, name):
        return {part: (data.get(f"{name}[{part}]") or "").strip() for part in DATE_PARTS}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}[{part}]" in data for part in DATE_PARTS)


class NHSDateField(forms.Field):
    """A date typed into an NHS.UK date input. ``past_only`` refuses dates after today; the
    form checks the date against the person's other dates (``people.dates``)."""

    widget = NHSDateInput

    def __init__(self, *, past_only: bool = False, error_label: str | None = None, **kwargs):
        """``error_label`` names the date in error messages when the label carries more
        (``"Target date"`` for the label ``"Target date (optional)"``)."""
        super().__init__(**kwargs)
        self.past_only = past_only
        self.error_label = error_label

    def to_python(self, value):
        if isinstance(value, date) or value is None:
            return value
        if not any(value.values()):
            return None
        missing = [part for part in DATE_PARTS if not value[part]]
        if missing:
            raise ValidationError(f"{self._named} must include a {' and '.join(missing)}")
        try:
            day, month, year = (int(value[part]) for part in DATE_PARTS)
            typed = date(year, month, day)
        except ValueError:
            raise ValidationError(f"{self._named} must be a real date") from None
        return typed

    @property
    def _named(self) -> str:
        return self.error_label or str(self.label)

    def validate(self, value):
        super().validate(value)
        if value and self.past_only and value > timezone.localdate():
            raise ValidationError(f"{self._named} must be today or in the past")

    def prepare_value(self, value) -> dict[str, str]:
        """The day, month and year to show in the three boxes (``BoundField.value()``)."""
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, dict):
            return {part: value.get(part, "") for part in DATE_PARTS}
        return {part: "" for part in DATE_PARTS}


def _required(label: str) -> dict:
    return {"required": f"Enter {label}"}


class PersonForm(NamedErrorsMixin, forms.ModelForm):
    """A person's core details and how to contact them."""

    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=14,
        help_text="10 digits, for example 485 777 3456. Leave blank if not known.",
        error_messages={"unique": "NHS number is already on another person's record: check "
                                  "it, or ask your team lead to confirm which record is right"},
    )
    given_name = forms.CharField(label="First name", max_length=100,
                                 error_messages=_required("the person's first name"))
    family_name = forms.CharField(label="Last name", max_length=100,
                                  error_messages=_required("the person's last name"))
    date_of_birth = NHSDateField(label="Date of birth", past_only=True,
                                 help_text="For example, 15 3 1984",
                                 error_messages=_required("the person's date of birth"))
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    phone = forms.CharField(label="Phone number", required=False, max_length=30,
                            help_text="UK number, for example 07700 900123")

    class Meta:
        model = Person
        fields = [
            "nhs_number", "given_name", "family_name", "date_of_birth", "sex", "postcode",
            "phone", "preferred_channel", "texts_allowed", "voicemail_allowed",
            "preferred_language", "interpreter_needed", "accessible_information_needs",
        ]
        widgets = {"texts_allowed": forms.RadioSelect, "voicemail_allowed": forms.RadioSelect}
        error_messages = {
            "texts_allowed": {"invalid_choice": "Select whether we may send text messages: "
                                                "yes, no or not asked yet"},
            "voicemail_allowed": {"invalid_choice": "Select whether we may leave a voicemail: "
                                                    "yes, no or not asked yet"},
        }
        labels = {
            "preferred_channel": "Preferred way to be contacted",
            "preferred_language": "Preferred language",
            "interpreter_needed": "Needs an interpreter",
            "accessible_information_needs": "Accessible information needs (optional)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("texts_allowed", "voicemail_allowed"):  # optional: unanswered = not asked
            if name in self.fields:
                self.fields[name].required = False

    def clean_texts_allowed(self) -> str:
        return self.cleaned_data["texts_allowed"] or Permission.NOT_ASKED

    def clean_voicemail_allowed(self) -> str:
        return self.cleaned_data["voicemail_allowed"] or Permission.NOT_ASKED

    def clean_nhs_number(self) -> str | None:
        typed = self.cleaned_data["nhs_number"].strip()
        if not typed:
            return None
        if problem := nhs_number.validation_error(typed):
            raise ValidationError(problem)
        return nhs_number.normalise(typed)

    def clean_postcode(self) -> str:
        typed = self.cleaned_data["postcode"].strip()
        if typed and not postcode.is_valid(typed):
            raise ValidationError("Postcode must be a real UK postcode, like SW1A 1AA")
        return postcode.normalise(typed) if typed else ""

    def clean_date_of_birth(self):
        return dates.check_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean_phone(self) -> str:
        """Stored in one form: UK numbers national, others international (``standards.phone``)."""
        typed = self.cleaned_data["phone"].strip()
        if not typed:
            return ""
        if problem := phone.validation_error(typed):
            raise ValidationError(problem)
        return phone.normalise(typed)

    def clean_preferred_language(self) -> str:
        return self.cleaned_data["preferred_language"].strip() or "English"


class PersonIntakeForm(PersonForm):
    """The person part of a referral. An NHS number already on file is not an error here: the
    referral is attached to that person (``find_or_create_person``)."""

    def validate_unique(self):
        """Identity is resolved by ``find_or_create_person``, not refused."""


OUT_OF_DATE_FORM = "This form is out of date: open the person's details again to change them"


class PersonEditForm(PersonForm):
    """Every editable detail of a person's record, and the record ``version`` the form was
    built from (hidden), so a save over someone else's newer one is refused."""

    date_of_death = NHSDateField(label="Date of death", past_only=True, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={
        "required": OUT_OF_DATE_FORM, "invalid": OUT_OF_DATE_FORM, "min_value": OUT_OF_DATE_FORM})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if data.get("date_of_death") is not None:
            try:
                dates.check_date_of_death(data["date_of_death"],
                                          date_of_birth=data.get("date_of_birth"))
            except ValidationError as problem:
                self.add_error("date_of_death", problem)
        return data

    def clean_gp_practice_ods(self) -> str:
        """Upper case without spaces; the model's validator checks the shape (A81001)."""
        return "".join(self.cleaned_data["gp_practice_ods"].split()).upper()

    def changes(self) -> dict:
        """The validated values of the person's fields (``version`` is not one of them)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    class Meta(PersonForm.Meta):
        fields = PersonForm.Meta.fields + [
            "gender_identity", "ethnic_category", "address", "gp_practice_name",
            "gp_practice_ods", "email",
            "consent_to_share", "date_of_death",
        ]
        labels = {
            **PersonForm.Meta.labels,
            "gender_identity": "Gender identity",
            "ethnic_category": "Ethnic category",
            "gp_practice_name": "GP practice name",
            "gp_practice_ods": "GP practice ODS code",
            "consent_to_share": "Agreed to share information with GP and community services",
        }


class SafetyFlagForm(NamedErrorsMixin, forms.ModelForm):
    """Raise a risk, safeguarding or lone-working flag on a person."""

    class Meta:
        model = SafetyFlag
        fields = ["kind", "note"]
        labels = {"kind": "What kind of flag is it?", "note": "What staff need to know"}
        help_texts = {"note": "Facts, not opinions: what happened, what to do (for example, "
                              "visit in pairs), and who else knows"}
        error_messages = {
            "kind": {"required": "Select what kind of flag it is"},
            "note": {"required": "Enter what staff need to know",
                     "max_length": "What staff need to know must be 2000 characters or fewer"},
        }
        widgets = {"kind": forms.RadioSelect}


class ResolveFlagForm(NamedErrorsMixin, forms.Form):
    resolution_note = forms.CharField(
        label="Why is it resolved? (optional)", required=False, max_length=500,
        error_messages={"max_length": "Why it is resolved must be 500 characters or fewer"})
