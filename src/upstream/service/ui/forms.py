"""NHS.UK error wording for every form in the service.

Django's own messages ("This field is required.", "Ensure this value has at most 6000
characters (it has 6012).", "Select a valid choice.") do not say which field is wrong, so the
error summary reads badly on its own. Every service form mixes in ``NamedErrorsMixin``: before
validating, each message still in Django's default wording is replaced by one that names the
field, in the NHS.UK pattern: "Enter the reason for referral" (when the form says so),
"Enter reason for referral" (generic), "Reason for referral must be 6000 characters or fewer",
"Select urgency", "Number of sessions must be a whole number". Messages a form sets itself are
kept. ``tests/unit/test_ui_forms.py`` walks every form class in the service.
"""

import copy

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core import validators

_DJANGO_FIELD_CLASSES = [
    value for value in [*vars(forms.fields).values(), *vars(forms.models).values()]
    if isinstance(value, type) and issubclass(value, forms.Field)
]
_DJANGO_VALIDATORS = [
    validators.EmailValidator, validators.URLValidator, validators.ProhibitNullCharactersValidator,
    validators.DecimalValidator, validators.RegexValidator,
]

DJANGO_DEFAULT_MESSAGES: frozenset[str] = frozenset(
    text
    for messages in (
        *(getattr(cls, "default_error_messages", {}) for cls in _DJANGO_FIELD_CLASSES),
        *({"m": v.message} for v in _DJANGO_VALIDATORS if hasattr(v, "message")),
        *(getattr(v, "messages", {}) for v in _DJANGO_VALIDATORS),
        auth_forms.AuthenticationForm.error_messages,
        auth_forms.SetPasswordForm.error_messages,
        auth_forms.PasswordChangeForm.error_messages,
    )
    for message in messages.values()
    if (text := str(message))
)
"""Every fixed message Django's form fields, validators and sign-in forms use unless told
otherwise. (Length and range validators' messages depend on the limit: a field with a limit
always gets its own message from ``nhs_messages``.)"""


def _label(field: forms.Field) -> str:
    """The field's label without "(optional)" or a trailing question mark."""
    text = str(field.label or "this field").replace("(optional)", "").strip()
    return text.rstrip("?").strip()


def _lower_first(text: str) -> str:
    """``Reason for referral`` -> ``reason for referral``; acronyms (``NHS number``) stay."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField))


def _invalid(field: forms.Field, label: str) -> str | None:
    """The NHS.UK "invalid" message for the field's kind, or None when it has no such check."""
    lower = _lower_first(label)
    kinds = [
        (forms.EmailField, f"Enter {lower} in the correct format, like name@example.com"),
        (forms.URLField, f"Enter {lower} as a web address, like https://www.example.org"),
        (forms.IntegerField, f"{label} must be a whole number"),
        ((forms.DecimalField, forms.FloatField), f"{label} must be a number"),
        (forms.DateTimeField, f"{label} must be a real date and time"),
        (forms.DateField, f"{label} must be a real date"),
        (forms.TimeField, f"{label} must be a real time, like 14:30"),
        (forms.UUIDField, f"{label} must be a valid reference"),
        (forms.JSONField, f"{label} must be valid JSON"),
    ]
    for kind, message in kinds:
        if isinstance(field, kind):
            return message
    return None


def nhs_messages(field: forms.Field) -> dict[str, str]:
    """The NHS.UK message for each error ``field`` can raise, named after its label."""
    label = _label(field)
    lower = _lower_first(label)
    messages = {
        "required": f"{'Select' if _is_choice(field) else 'Enter'} {lower}",
        "invalid_choice": f"Select {lower} from the list",
        "invalid_list": f"Select {lower} from the list",
        "invalid_pk_value": f"Select {lower} from the list",
        "null_characters_not_allowed": f"{label} must not contain null characters",
        "unique": f"{label} is already on another record: check it",
    }
    if (invalid := _invalid(field, label)) is not None:
        messages["invalid"] = invalid
    if getattr(field, "max_length", None) is not None:
        messages["max_length"] = f"{label} must be {field.max_length} characters or fewer"
    if getattr(field, "min_length", None) is not None:
        messages["min_length"] = f"{label} must be {field.min_length} characters or more"
    if getattr(field, "max_value", None) is not None:
        messages["max_value"] = f"{label} must be {field.max_value} or less"
    if getattr(field, "min_value", None) is not None:
        messages["min_value"] = f"{label} must be {field.min_value} or more"
    if getattr(field, "max_digits", None) is not None:
        messages["max_digits"] = f"{label} must have {field.max_digits} digits or fewer"
    if getattr(field, "decimal_places", None) is not None:
        messages["max_decimal_places"] = (
            f"{label} must have {field.decimal_places} decimal places or fewer")
    return messages


def name_errors(fields: dict[str, forms.Field]) -> None:
    """Give every field in ``fields`` NHS.UK messages wherever it still has Django's wording
    (or nothing, so a validator's default would show). Messages the form set are kept."""
    for field in fields.values():
        for code, message in nhs_messages(field).items():
            current = field.error_messages.get(code)
            if current is None or str(current) in DJANGO_DEFAULT_MESSAGES:
                field.error_messages[code] = message


class NamedErrorsMixin:
    """Mix into every form (before ``forms.Form``): fields added in ``__init__`` are covered
    too, because the wording is settled just before validation."""

    def full_clean(self):
        name_errors(self.fields)
        super().full_clean()


def effective_messages(form_class: type[forms.BaseForm]) -> dict[str, dict[str, str]]:
    """The messages each declared field of ``form_class`` would show, per field name, without
    building the form (for checking every form class)."""
    fields = copy.deepcopy(form_class.base_fields)
    if issubclass(form_class, NamedErrorsMixin):
        name_errors(fields)
    return {name: {code: str(m) for code, m in f.error_messages.items()}
            for name, f in fields.items()}


class SignInForm(NamedErrorsMixin, auth_forms.AuthenticationForm):
    """Django's sign-in form with NHS.UK wording."""

    error_messages = {
        "invalid_login": ("Enter a correct username and password. Both are case-sensitive: "
                          "check that Caps Lock is off"),
        "inactive": "This account is turned off. Ask your team's administrator to turn it on",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class ChangePasswordForm(NamedErrorsMixin, auth_forms.PasswordChangeForm):
    """Django's change-password form with NHS.UK wording."""

    error_messages = {
        "password_incorrect": ("Current password is not right. Enter the password you "
                               "signed in with"),
        "password_mismatch": "Enter the same new password twice: the two do not match",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"old_password": "Current password", "new_password1": "New password",
                  "new_password2": "New password again"}
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].help_text = ""  # the page gives the rules in plain words
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
