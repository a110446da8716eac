"""The public "Find support" search form: what someone needs (a theme from the list, or their
own words) and, if they like, their postcode and how far they can go. It is sent with GET, so
it needs no cookie; every message it can show is in ``public_text``."""

from django import forms
from django.core.exceptions import ValidationError

from upstream.service.directory import public_text as words
from upstream.service.directory.search import DEFAULT_RADIUS_MILES, Point, Query
from upstream.service.directory.search_forms import postcode_directory
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards import postcode as postcodes

MOST_WORDS = 200
"""The longest description of a need accepted (characters)."""
MOST_POSTCODE = 12

FIELDS = ("need", "text", "postcode", "miles")
"""The query-string names the form reads; a request naming none of them is an empty page."""


def _messages(**codes: str) -> dict[str, str]:
    return {"null_characters_not_allowed": codes.get("invalid", ""), **codes}


class FindSupportForm(NamedErrorsMixin, forms.Form):
    need = forms.ChoiceField(
        label=words.NEED_LABEL, required=False,
        choices=[("", words.NEED_ANY), *words.NEED_LABELS.items()],
        error_messages={"invalid_choice": words.NEED_UNKNOWN})
    text = forms.CharField(
        label=words.TEXT_LABEL, help_text=words.TEXT_HINT, required=False,
        max_length=MOST_WORDS,
        error_messages=_messages(max_length=words.TEXT_TOO_LONG, invalid=words.TEXT_ODD))
    postcode = forms.CharField(
        label=words.POSTCODE_LABEL, help_text=words.POSTCODE_HINT, required=False,
        max_length=MOST_POSTCODE,
        error_messages=_messages(max_length=words.POSTCODE_NOT_REAL,
                                 invalid=words.POSTCODE_NOT_REAL))
    miles = forms.TypedChoiceField(
        label=words.MILES_LABEL, choices=words.MILES_CHOICES, coerce=float, required=False,
        empty_value=DEFAULT_RADIUS_MILES, initial=str(int(DEFAULT_RADIUS_MILES)),
        error_messages={"invalid_choice": words.MILES_UNKNOWN})

    def clean_postcode(self) -> str:
        typed = self.cleaned_data["postcode"].strip()
        if not typed:
            return ""
        if not postcodes.is_valid(typed):
            raise ValidationError(words.POSTCODE_NOT_REAL)
        return postcodes.normalise(typed)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not (data.get("need") or data.get("text", "").strip() or data.get("postcode")):
            self.add_error("need", words.NEED_OR_WORDS_MISSING)
            return data
        if data.get("postcode"):
            directory = postcode_directory()
            centre = directory.centroid(data["postcode"])
            if centre is None:
                self.add_error("postcode", words.POSTCODE_NOT_FOUND if directory.available
                               else words.POSTCODE_NOT_LOADED)
            else:
                data["near"] = Point(*centre)
        return data

    def query(self, limit: int) -> Query:
        """The search this valid form asks for, for the best ``limit`` services."""
        d = self.cleaned_data
        return Query(needs=(d["need"],) if d.get("need") else (), text=d.get("text", ""),
                     near=d.get("near"), within_miles=d.get("miles") or DEFAULT_RADIUS_MILES,
                     limit=limit)
