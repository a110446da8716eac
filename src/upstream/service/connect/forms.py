"""Forms for community referrals: referring with consent, a status move, capacity and opening
times."""

import datetime

from django import forms

from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards.opening_times import WEEKDAY_NAMES
from upstream.standards.vocabularies import NEEDS

from .models import SharedDetail
from .states import MOVES

CONSENT_CHOICES = [("yes", "Yes, the person agreed to this referral"),
                   ("no", "No, not yet")]


class ReferForm(NamedErrorsMixin, forms.Form):
    """Refer to one service. The person must agree; the details shared are chosen one by one
    (none is chosen for the worker)."""

    consent = forms.ChoiceField(
        label="Has the person agreed to this referral and to sharing the details chosen below?",
        choices=CONSENT_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person agreed to the referral"})
    details = forms.MultipleChoiceField(
        label="What the person agreed to share with the organisation",
        choices=SharedDetail.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Only these are shown to the organisation. Select all that apply.",
        error_messages={"required": "Select at least one detail the person agreed to share"})
    consent_note = forms.CharField(
        label="What was agreed, in your words (optional)", required=False, max_length=300,
        help_text="For example: agreed by phone; prefers a call after 2pm")
    reason = forms.CharField(
        label="Reason for the referral, for the organisation", required=False, max_length=2000,
        widget=forms.Textarea,
        help_text="Shared only if you selected 'Reason for the referral' above")
    needs = forms.MultipleChoiceField(
        label="Needs to share", required=False, choices=sorted(NEEDS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Shared only if you selected 'Needs' above")

    def clean(self):
        data = super().clean()
        if data.get("consent") == "no":
            self.add_error("consent", "The person must agree before the referral is sent")
        details = data.get("details") or []
        if SharedDetail.REASON in details and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for the referral, or do not share it")
        if SharedDetail.NEEDS in details and not data.get("needs"):
            self.add_error("needs", "Select the needs to share, or do not share needs")
        return data


class MoveForm(NamedErrorsMixin, forms.Form):
    """One status move, chosen from ``moves`` (those open to the user now); the note is
    required when the move needs one (a reason)."""

    move = forms.ChoiceField(label="Update the referral", widget=forms.RadioSelect,
                             error_messages={
                                 "required": "Select how to update the referral",
                                 "invalid_choice": "That update is no longer possible: the "
                                                   "referral has changed. Choose again."})
    note = forms.CharField(
        label="Note or reason", required=False, max_length=500, widget=forms.Textarea,
        help_text="Needed when you decline the referral or put it on hold")

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = [(m.name, m.label) for m in moves]

    def clean(self):
        data = super().clean()
        name = data.get("move")
        if name and MOVES[name].needs_note and not (data.get("note") or "").strip():
            self.add_error("note", f"Enter the {MOVES[name].note_label.lower()}")
        return data


ACCEPTING_CHOICES = [("yes", "Yes"), ("no", "No, not at the moment"),
                     ("unknown", "Not known")]


class CapacityForm(NamedErrorsMixin, forms.Form):
    accepting = forms.ChoiceField(
        label="Is this service accepting referrals?", choices=ACCEPTING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the service is accepting referrals"})
    waiting_time_days = forms.IntegerField(
        label="Typical wait to be seen, in days (optional)", required=False, min_value=0,
        max_value=365, error_messages={
            "min_value": "The wait must be 0 days or more",
            "max_value": "The wait must be 365 days or fewer",
            "invalid": "Enter the wait as a whole number of days, like 14"})

    @property
    def accepting_referrals(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["accepting"])


def capacity_initial(service) -> dict:
    accepting = {True: "yes", False: "no"}.get(service.accepting_referrals, "unknown")
    return {"accepting": accepting, "waiting_time_days": service.waiting_time_days}


_TIME_ERRORS = {"invalid": "Enter a time in the 24-hour clock, like 09:30 or 17:00"}


class OpeningTimesForm(NamedErrorsMixin, forms.Form):
    """One opening and one closing time per weekday (``<day>_opens``, ``<day>_closes``); a day
    with neither is closed. ``hours`` is what ``services.update_opening_times`` takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in WEEKDAY_NAMES.items():
            self.fields[f"{code}_opens"] = forms.TimeField(
                label=f"{name}: opens", required=False, error_messages=_TIME_ERRORS)
            self.fields[f"{code}_closes"] = forms.TimeField(
                label=f"{name}: closes", required=False, error_messages=_TIME_ERRORS)

    def days(self):
        """``(day name, opens field, closes field)`` per weekday, for the template."""
        return [(name, self[f"{code}_opens"], self[f"{code}_closes"])
                for code, name in WEEKDAY_NAMES.items()]

    def clean(self):
        data = super().clean()
        for code, name in WEEKDAY_NAMES.items():
            if f"{code}_opens" in self.errors or f"{code}_closes" in self.errors:
                continue
            opens, closes = data.get(f"{code}_opens"), data.get(f"{code}_closes")
            if opens and not closes:
                self.add_error(f"{code}_closes", f"Enter the time {name} closes")
            elif closes and not opens:
                self.add_error(f"{code}_opens", f"Enter the time {name} opens")
            elif opens and closes and not opens < closes:
                self.add_error(f"{code}_closes",
                               f"The closing time on {name} must be after the opening time")
        if not self.errors and not self.hours:
            self.add_error("MO_opens", "Enter the opening times for at least one day")
        return data

    @property
    def hours(self) -> dict[str, tuple[datetime.time, datetime.time]]:
        data = self.cleaned_data
        return {code: (data[f"{code}_opens"], data[f"{code}_closes"])
                for code in WEEKDAY_NAMES if data.get(f"{code}_opens")
                and data.get(f"{code}_closes")}


def opening_times_initial(schedules) -> dict:
    """The form's starting values from the ``simple_weekly`` schedules; others (a monthly
    session, every other week, a description) are listed in words instead."""
    initial = {}
    for s in schedules:
        if simple_weekly(s):
            for day in s.byday.split(","):
                initial[f"{day}_opens"] = s.opens_at.strftime("%H:%M")
                initial[f"{day}_closes"] = s.closes_at.strftime("%H:%M")
    return initial


def simple_weekly(schedule) -> bool:
    """Whether the form can show ``schedule``: every week (no interval), plain days, both
    times, no description of its own."""
    return (schedule.freq == "WEEKLY" and (schedule.interval or 1) == 1
            and bool(schedule.byday) and all(d in WEEKDAY_NAMES
                                             for d in schedule.byday.split(","))
            and bool(schedule.opens_at and schedule.closes_at) and not schedule.description)
