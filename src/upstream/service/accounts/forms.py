"""Forms for signing in with a code and setting up two-factor sign-in."""

from django import forms
from django.core.validators import RegexValidator

from upstream.service.ui.forms import NamedErrorsMixin


class CodeField(forms.CharField):
    """A 6-digit code; spaces the user types (``123 456``) are ignored."""

    default_validators = [RegexValidator(r"^\d{6}$", "Enter the code as 6 digits, like 123456")]

    def to_python(self, value) -> str:
        return "".join(super().to_python(value).split())


class CodeForm(NamedErrorsMixin, forms.Form):
    code = CodeField(
        label="Security code",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )
