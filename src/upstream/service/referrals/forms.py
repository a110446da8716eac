"""Forms for referring, triaging, allocating and moving an episode on.

Forms that change an episode carry its ``version`` (hidden) for optimistic concurrency.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from upstream.service.accounts.models import Team
from upstream.service.people.forms import NamedErrorsMixin
from upstream.service.referrals.models import ReferralSource, RejectReason, TriageOutcome, Urgency
from upstream.service.referrals.services import team_workers
from upstream.service.referrals.states import TERMINAL, Status
from upstream.standards import nhs_number
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
    reason = forms.CharField(label="Anything else the team should know (optional)",
                             required=False, max_length=2000, widget=forms.Textarea)
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


class TriageForm(NamedErrorsMixin, forms.Form):
    """Accept (optionally allocating a worker), reject with a reason, or redirect."""

    outcome = forms.ChoiceField(label="Triage decision", choices=TriageOutcome.choices)
    worker = WorkerChoiceField(queryset=get_user_model().objects.none(), required=False,
                               label="If you accept: allocate to (optional)",
                               empty_label="Do not allocate yet: add to the waiting list")
    reject_reason = forms.ChoiceField(label="If you reject: why is it not accepted?",
                                      choices=RejectReason.choices, required=False)
    redirect_to = forms.ModelChoiceField(queryset=Team.objects.none(), required=False,
                                         label="If you redirect: team to redirect to",
                                         empty_label="Choose a team")
    note = forms.CharField(label="Triage note (optional)", required=False, max_length=2000,
                           widget=forms.Textarea)
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
        if data.get("outcome") == TriageOutcome.REDIRECT and not data.get("redirect_to"):
            self.add_error("redirect_to", "Select the team to redirect the referral to")
        return data


class AllocateForm(NamedErrorsMixin, forms.Form):
    """Give an accepted or waiting episode to a worker."""

    worker = WorkerChoiceField(queryset=get_user_model().objects.none(), label="Allocate to",
                               empty_label="Choose a worker")
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


class IdentityDecision(forms.Form):
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
