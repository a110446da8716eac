"""The team's practice model, chosen by its team lead."""

from django import forms

from upstream.service.practice.models import PracticeModel
from upstream.service.ui.forms import NamedErrorsMixin

NONE = "none"
MODEL_HINTS = {
    NONE: "Contacts and sessions are not tagged with a practice model.",
    PracticeModel.THREE_CONVERSATIONS: (
        "Every contact attempt and session is tagged conversation 1 (what matters and "
        "connecting), 2 (intensive support in a crisis, with a crisis plan) or 3 (building a "
        "good life). The episode shows the person's moves; insights shows how many were kept "
        "from needing conversation 2 or 3."),
}


class PracticeForm(NamedErrorsMixin, forms.Form):
    model = forms.ChoiceField(
        label="Which practice model does the team work to?",
        choices=[(NONE, "None"), *PracticeModel.choices],
        error_messages={"required": "Select the practice model the team works to, or none",
                        "invalid_choice": "Select one of the practice models, or none"},
    )

    hints = {str(value): text for value, text in MODEL_HINTS.items()}
