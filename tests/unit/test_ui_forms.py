"""Every form in the service speaks NHS.UK: no Django default message text remains on any field
of any form class, and each message names its field."""

import importlib
import pkgutil

import pytest
from django import forms

import upstream.service
from upstream.service.referrals.forms import ReferralDetailsForm
from upstream.service.ui.forms import (
    DJANGO_DEFAULT_MESSAGES,
    ChangePasswordForm,
    NamedErrorsMixin,
    SignInForm,
    effective_messages,
    nhs_messages,
)

DJANGO_PHRASES = ["This field is required", "Ensure this value", "Select a valid choice",
                  "Enter a valid", "Enter a whole number", "Enter a number",
                  "Please enter a correct", "didn’t match", "entered incorrectly",
                  "This account is inactive", "Null characters are not allowed"]


def _service_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(upstream.service.__path__, "upstream.service."):
        if ".migrations" in module.name or module.name.endswith((".wsgi", ".asgi")):
            continue
        importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("upstream.service."):
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORM_CLASSES = _service_form_classes()


def test_the_walk_finds_the_service_forms():
    names = {c.__name__ for c in FORM_CLASSES}
    assert {"ReferralDetailsForm", "ContactAttemptForm", "PersonEditForm", "CodeForm",
            "SignInForm", "ChangePasswordForm"} <= names


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__qualname__)
def test_every_form_names_its_fields_in_errors(form_class):
    assert issubclass(form_class, NamedErrorsMixin), (
        f"{form_class.__qualname__}: mix in ui.forms.NamedErrorsMixin")
    for name, messages in effective_messages(form_class).items():
        for code, text in messages.items():
            assert text not in DJANGO_DEFAULT_MESSAGES, (name, code, text)
            assert not any(p in text for p in DJANGO_PHRASES), (name, code, text)


@pytest.mark.parametrize("form_class", [SignInForm, ChangePasswordForm])
def test_the_sign_in_forms_own_messages_are_plain_words(form_class):
    for text in form_class.error_messages.values():
        assert not any(p in text for p in DJANGO_PHRASES), text


def test_a_too_long_reason_says_which_field_and_the_limit():
    limit = ReferralDetailsForm.base_fields["reason"].max_length
    form = ReferralDetailsForm({"reason": "x" * (limit + 1)})
    assert form.errors["reason"] == [f"Reason for referral must be {limit} characters or fewer"]


def test_generic_messages_name_the_field():
    class Form(NamedErrorsMixin, forms.Form):
        sessions = forms.IntegerField(label="Number of sessions", min_value=4, max_value=8)
        kind = forms.ChoiceField(label="Kind of session", choices=[("a", "A")])
        note = forms.CharField(label="Note (optional)", required=False, max_length=5)
        email = forms.EmailField(label="Email address")

    form = Form({"sessions": "9", "kind": "b", "note": "toolong", "email": "nope"})
    assert form.errors == {
        "sessions": ["Number of sessions must be 8 or less"],
        "kind": ["Select kind of session from the list"],
        "note": ["Note must be 5 characters or fewer"],
        "email": ["Enter email address in the correct format, like name@example.com"],
    }
    assert Form({}).errors["sessions"] == ["Enter number of sessions"]
    assert Form({})["kind"].errors == ["Select kind of session"]


def test_a_message_the_form_set_is_kept():
    field = forms.CharField(label="Reason", error_messages={"required": "Enter the reason"})
    assert nhs_messages(field)["required"] == "Enter reason"

    class Form(NamedErrorsMixin, forms.Form):
        reason = field

    assert Form({}).errors["reason"] == ["Enter the reason"]


def test_acronyms_keep_their_capitals():
    assert nhs_messages(forms.CharField(label="NHS number"))["required"] == "Enter NHS number"


def test_a_value_already_on_another_record_is_said_plainly():
    assert nhs_messages(forms.CharField(label="Email"))["unique"] == (
        "Email is already on another record: check it")
