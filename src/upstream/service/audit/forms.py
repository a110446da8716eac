"""Filters for the audit log page."""

from django import forms

from upstream.service.audit.presenters import action_choices


class AuditFilterForm(forms.Form):
    user = forms.CharField(label="Username", required=False, max_length=150)
    record_type = forms.CharField(label="Record type", required=False, max_length=80,
                                  help_text="For example people.person or referrals.episode")
    record_id = forms.CharField(label="Record ID", required=False, max_length=40)
    action = forms.ChoiceField(label="Action", required=False, choices=action_choices)

    def filter(self, events):
        """``events`` narrowed by the filled-in filters (the form must be valid)."""
        data = self.cleaned_data
        if data["user"]:
            events = events.filter(actor_label__iexact=data["user"].strip())
        if data["record_type"]:
            events = events.filter(record_type__iexact=data["record_type"].strip())
        if data["record_id"]:
            events = events.filter(record_id=data["record_id"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        return events
