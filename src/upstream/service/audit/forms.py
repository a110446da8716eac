"""Filters for the audit log page."""

from django import forms
from django.db.models import Q

from upstream.service.audit.models import Action
from upstream.service.audit.presenters import action_choices
from upstream.service.ui.forms import NamedErrorsMixin


class AuditFilterForm(NamedErrorsMixin, forms.Form):
    user = forms.CharField(label="Username", required=False, max_length=150)
    record_type = forms.CharField(label="Record type", required=False, max_length=80,
                                  help_text="For example people.person or referrals.episode")
    record_id = forms.CharField(label="Record ID", required=False, max_length=40)
    action = forms.ChoiceField(label="Action", required=False, choices=action_choices)

    def filter(self, events):
        """``events`` narrowed by the filled-in filters (the form must be valid). A person's id
        also finds the list pages that showed that person."""
        data = self.cleaned_data
        if data["user"]:
            events = events.filter(actor_label__iexact=data["user"].strip())
        record_type, record_id = data["record_type"].strip(), data["record_id"].strip()
        named = Q(record_type__iexact=record_type) if record_type else Q()
        if record_id:
            named &= Q(record_id=record_id)
            if record_type.lower() in ("", "people.person") and record_id.isdigit():
                # List pages name the people they showed in the detail: "3 people: 12,15,19".
                named |= Q(action=Action.VIEW, detail__regex=(
                    rf"^[0-9]+ (person|people): ([0-9]+,)*{record_id}(,| |$)"))
        events = events.filter(named)
        if data["action"]:
            events = events.filter(action=data["action"])
        return events
