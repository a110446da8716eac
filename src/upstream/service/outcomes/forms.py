"""The form for one administration, built from the instrument's definition
(``upstream.standards.outcomes``): radios for items whose answers are labelled or few (PHQ-9,
ONS4 0-10, SWEMWBS 1-5), a number box for entered scores (licensed instruments, HbA1c). Range,
whole-number and completeness checks are the library's, so the messages in the error summary
are the library's refusals, put on the item's field."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from upstream.service.outcomes.models import Timepoint
from upstream.service.people import dates
from upstream.service.people.forms import NHSDateField
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards.outcomes import INSTRUMENTS, AnswerError, Instrument, Item, Scored

RADIOS_UP_TO = 11
"""Whole-number items with at most this many possible answers are radios (ONS4's 0-10)."""


def _choices(item: Item) -> list[tuple[int, str]]:
    if item.answers:
        return [(value, f"{value}: {label}") for value, label in item.answers]
    return [(value, str(value)) for value in range(int(item.minimum), int(item.maximum) + 1)]


def is_radios(item: Item) -> bool:
    return bool(item.answers) or (item.whole_numbers
                                  and item.maximum - item.minimum + 1 <= RADIOS_UP_TO)


def _field(item: Item) -> forms.Field:
    label = item.label if item.required else f"{item.label} (optional)"
    if is_radios(item):
        return forms.TypedChoiceField(label=label, choices=_choices(item), coerce=int,
                                      required=False, empty_value=None)
    kind = "whole number" if item.whole_numbers else "number"
    return forms.CharField(label=label, required=False, max_length=20,
                           help_text=f"A {kind} from {item.minimum:g} to {item.maximum:g}")


class AdministrationForm(NamedErrorsMixin, forms.Form):
    """``administered_on`` and one field per item of ``instrument``; ``scored`` is set when
    the form is valid."""

    administered_on = NHSDateField(label="Date completed", error_label="Date completed",
                                   error_messages={"required": "Enter the date completed"})

    def __init__(self, *args, episode=None, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode, self.instrument, self.scored = episode, instrument, None
        for item in instrument.items:
            self.fields[item.code] = _field(item)

    @property
    def item_fields(self) -> list[tuple[forms.BoundField, bool]]:
        """Each item's bound field and whether it is shown as radios."""
        return [(self[item.code], is_radios(item)) for item in self.instrument.items]

    def clean_administered_on(self):
        return dates.check_event(self.cleaned_data["administered_on"], episode=self.episode,
                                 label="Date completed")

    def clean(self):
        cleaned = super().clean()
        answers = {}
        for item in self.instrument.items:
            value = cleaned.get(item.code)
            if isinstance(value, str):
                value = self._number(item, value)
            if value is not None:
                answers[item.code] = value
        if any(item.code in self.errors for item in self.instrument.items):
            return cleaned
        try:
            self.scored: Scored = self.instrument.score(answers)
        except AnswerError as refused:
            self.add_error(refused.code if refused.code in self.fields else None, str(refused))
        cleaned["answers"] = answers
        return cleaned

    def _number(self, item: Item, text: str):
        text = text.strip()
        if not text:
            return None
        try:
            number = Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.add_error(item.code, ValidationError(
                f"{self.instrument.name}, {item.label}: {text!r} is not a number"))
            return None
        return int(number) if number == number.to_integral_value() else float(number)


class ChooseForm(NamedErrorsMixin, forms.Form):
    """Which instrument and time point to record (a GET form to the record page)."""

    instrument = forms.ChoiceField(
        label="Outcome measure",
        choices=sorted(((i.code, i.name) for i in INSTRUMENTS.values()), key=lambda c: c[1]))
    timepoint = forms.ChoiceField(label="Time point", choices=Timepoint.choices)
