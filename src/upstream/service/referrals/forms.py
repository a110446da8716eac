"""Forms for referring, triaging, allocating and moving an episode on.

Forms that change an episode carry its ``version`` (hidden) for optimistic concurrency.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from upstream.service.accounts.models import Team
from upstream.service.referrals.children import CHILD_FIELDS, missing_child_details
from upstream.service.referrals.models import (
    ConsentBy,
    ReferralSource,
    RejectReason,
    TriageOutcome,
    Urgency,
)
from upstream.service.referrals.services import team_workers
from upstream.service.referrals.states import TERMINAL, Status
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards import nhs_number, phone
from upstream.standards.vocabularies import NEEDS

YES_NO = [("yes", "Yes"), ("no", "No")]


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ReferralDetailsForm(NamedErrorsMixin, forms.Form):
    """What the referral is for: team, source, needs, reason, urgency and consent."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.select_related("pathway").order_by("name"),
        label="Team to refer to", empty_label="Choose a team",
    )
    source = forms.ChoiceField(label="Where the referral comes from",
                               choices=ReferralSource.choices,
                               initial=ReferralSource.PATHWAY_CLINICIAN)
    needs = forms.MultipleChoiceField(
        label="What the person may want support with", choices=list(NEEDS.items()),
        error_messages={"required": "Select at least one need the person may want support with"},
    )
    reason = forms.CharField(
        label="Reason for referral", max_length=2000, widget=forms.Textarea,
        help_text="Why you think the person would benefit, and anything the team should know",
        error_messages={
            "required": "Enter the reason for referral",
            "max_length": "Reason for referral must be 2000 characters or fewer",
        },
    )
    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices,
                                initial=Urgency.ROUTINE)
    consent = forms.ChoiceField(
        label="Has the person agreed to be referred?", choices=YES_NO,
        error_messages={"required": "Select whether the person has agreed to be referred"},
    )

    def clean_consent(self) -> bool:
        if self.cleaned_data["consent"] != "yes":
            raise ValidationError(
                "The person must agree to the referral before you send it: ask them first"
            )
        return True


YES_NO_BOOL = {"yes": True, "no": False}


class ChildDetailsForm(NamedErrorsMixin, forms.Form):
    """A child's parent or carer, the safeguarding question and who consented. Every field is
    optional on its own; ``require_for_child`` makes them required (``children``), so the rule
    is the server's whatever the browser shows."""

    parent_carer_name = forms.CharField(label="Parent or carer's full name", required=False,
                                        max_length=160)
    parent_carer_relationship = forms.CharField(
        label="Relationship to the child", required=False, max_length=80,
        help_text="For example, mother, father, foster carer, grandparent")
    parent_carer_phone = forms.CharField(label="Parent or carer's phone number", required=False,
                                         max_length=30, help_text="UK number, for example "
                                         "07700 900123")
    parental_responsibility = forms.ChoiceField(
        label="Does this person have parental responsibility?", choices=YES_NO, required=False)
    safeguarding_concerns = forms.ChoiceField(
        label="Are there any safeguarding concerns?", choices=YES_NO, required=False)
    safeguarding_details = forms.CharField(
        label="Safeguarding concerns", required=False, max_length=2000, widget=forms.Textarea,
        help_text="What the concerns are and who else knows (for example, social care)",
        error_messages={"max_length": "Safeguarding concerns must be 2000 characters or fewer"})
    consent_by = forms.ChoiceField(label="Who agreed to the referral?",
                                   choices=ConsentBy.choices, required=False)

    def clean_parent_carer_phone(self) -> str:
        typed = self.cleaned_data["parent_carer_phone"].strip()
        if typed and (problem := phone.validation_error(typed)):
            raise ValidationError(f"Parent or carer's phone number: {problem}")
        return phone.normalise(typed) if typed else ""

    def clean_parental_responsibility(self) -> bool | None:
        return YES_NO_BOOL.get(self.cleaned_data["parental_responsibility"])

    def clean_safeguarding_concerns(self) -> bool | None:
        return YES_NO_BOOL.get(self.cleaned_data["safeguarding_concerns"])

    def require_for_child(self) -> bool:
        """Check the answers a child's referral must have; add an error naming each one left
        out. True when all are there (call after ``is_valid``)."""
        if not hasattr(self, "cleaned_data"):
            return False
        for name, message in missing_child_details(self.cleaned_data).items():
            if name not in self.errors:
                self.add_error(name, message)
        return not self.errors

    def details(self) -> dict:
        """The answers as ``Referral`` field values (for ``submit_referral``)."""
        return {name: self.cleaned_data.get(name) for name in CHILD_FIELDS}


class TriageForm(NamedErrorsMixin, forms.Form):
    """Accept (optionally allocating a worker), reject with a reason, or redirect."""

    outcome = forms.ChoiceField(label="Triage decision", choices=TriageOutcome.choices)
    worker = WorkerChoiceField(queryset=get_user_model().objects.none(), required=False,
                               label="Allocate to (optional)",
                               empty_label="Do not allocate yet: add to the waiting list")
    reject_reason = forms.ChoiceField(label="Why is it not accepted?",
                                      choices=RejectReason.choices, required=False)
    reject_detail = forms.CharField(
        label="Reason in words", required=False, max_length=500,
        help_text="Needed when the reason is Other. The referrer will see this.",
        error_messages={"max_length": "Reason in words must be 500 characters or fewer"},
    )
    override_reason = forms.CharField(
        label="If the worker's caseload is full: reason to allocate anyway (urgent only)",
        required=False, max_length=500,
        help_text="Team leads only, for an urgent referral. Recorded with your name.",
        error_messages={"max_length": "Reason to allocate anyway must be 500 characters or fewer"},
    )
    redirect_to = forms.ModelChoiceField(queryset=Team.objects.none(), required=False,
                                         label="If you redirect: team to redirect to",
                                         empty_label="Choose a team")
    note = forms.CharField(label="Triage note (optional)", required=False, max_length=2000,
                           widget=forms.Textarea,
                           help_text="Seen by your team on the episode, not by the referrer",
                           error_messages={
                               "max_length": "Triage note must be 2000 characters or fewer"})
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = team_workers(referral.team)
        self.fields["redirect_to"].queryset = Team.objects.exclude(pk=referral.team_id).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == TriageOutcome.REJECT and not data.get("reject_reason"):
            self.add_error("reject_reason", "Select why the referral is not accepted")
        if (data.get("outcome") == TriageOutcome.REJECT
                and data.get("reject_reason") == RejectReason.OTHER
                and not (data.get("reject_detail") or "").strip()):
            self.add_error("reject_detail",
                           "Enter the reason in words: the referrer will see why it was not "
                           "accepted")
        if data.get("outcome") == TriageOutcome.REDIRECT and not data.get("redirect_to"):
            self.add_error("redirect_to", "Select the team to redirect the referral to")
        return data


class AllocateForm(NamedErrorsMixin, forms.Form):
    """Give an accepted or waiting episode to a worker (``override_reason``: over a full
    caseload, urgent referrals only, ``services.check_override``)."""

    worker = WorkerChoiceField(queryset=get_user_model().objects.none(), label="Allocate to",
                               empty_label="Choose a worker")
    override_reason = forms.CharField(required=False, max_length=500,
                                      label="If the caseload is full: reason to allocate anyway")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = team_workers(episode.team)


class TransitionForm(NamedErrorsMixin, forms.Form):
    """Move an episode to another status. Closing needs a reason."""

    to = forms.ChoiceField(label="New status", choices=[(s.value, s.label) for s in Status])
    reason = forms.CharField(label="Reason", required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_to(self) -> str:
        if self.cleaned_data["to"] == Status.ALLOCATED:
            raise ValidationError(
                "Allocate from the allocation board, which checks the worker's caseload limit"
            )
        return self.cleaned_data["to"]

    def clean(self):
        data = super().clean()
        if data.get("to") in TERMINAL and not data.get("reason", "").strip():
            self.add_error("reason", "Enter a reason for closing the episode")
        return data


class IdentityDecision(NamedErrorsMixin, forms.Form):
    """A team lead's decision on a referral whose identity is to be confirmed."""

    LINK, CORRECT, APART = "link", "correct", "apart"

    decision = forms.ChoiceField(
        label="What should happen to this referral?", widget=forms.RadioSelect,
        choices=[
            (LINK, "Same person: link the referral to the existing record (the details "
                   "typed by the referrer are discarded)"),
            (CORRECT, "The NHS number typed was wrong: keep the records apart and correct "
                      "the new record's NHS number"),
            (APART, "Different people: keep the records apart (the new record has no NHS "
                    "number until it is traced)"),
        ],
        error_messages={"required": "Select what should happen to this referral"},
    )
    nhs_number = forms.CharField(
        label="Correct NHS number (optional)", required=False, max_length=12,
        help_text="Only if you chose to correct it. Leave blank if it is not known yet.",
    )

    def clean_nhs_number(self) -> str:
        typed = self.cleaned_data["nhs_number"].strip()
        if typed and (problem := nhs_number.validation_error(typed)):
            raise ValidationError(problem)
        return nhs_number.normalise(typed) if typed else ""


class BreakGlassForm(NamedErrorsMixin, forms.Form):
    """Why a worker needs to see a person's history with other services."""

    reason = forms.CharField(
        label="Why do you need to see this person's history with other services?",
        min_length=10, max_length=500, widget=forms.Textarea,
        help_text="This is recorded with your name and shown to your team lead.",
        error_messages={
            "required": "Enter why you need to see this person's history",
            "min_length": "Reason for viewing must be at least 10 characters",
        },
    )
