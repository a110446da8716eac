"""The staff directory search form: need, everyday words, distance from a postcode, and
filters. Errors name the field (``NamedErrorsMixin``)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from upstream.service.directory.search import DEFAULT_RADIUS_MILES, Point, Query
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.standards import postcode as postcodes
from upstream.standards.opening_times import WEEKDAY_NAMES
from upstream.standards.postcode_directory import PostcodeDirectory
from upstream.standards.taxonomy import ELIGIBILITY_CONDITIONS, TERMS

NEED_CHOICES = [("", "Any need")] + [
    (t.code, t.label if t.parent is None else f"{TERMS[t.parent].label}: {t.label}")
    for t in TERMS.values()]
RADIUS_CHOICES = [("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles"), ("10", "10 miles"),
                  ("25", "25 miles")]


def postcode_directory() -> PostcodeDirectory:
    """The postcode centroid file the deployment loaded (``upstream postcodes FILE``)."""
    return PostcodeDirectory(settings.UPSTREAM_POSTCODE_DIRECTORY)


class DirectorySearchForm(NamedErrorsMixin, forms.Form):
    need = forms.ChoiceField(label="Need", choices=NEED_CHOICES, required=False)
    text = forms.CharField(
        label="What the person wants help with, in their words", required=False,
        max_length=300, help_text="For example, can't pay my rent, or lonely since my wife died")
    postcode = forms.CharField(
        label="Postcode to measure distance from", required=False, max_length=10,
        help_text="Usually the person's home postcode, for example E1 6AN")
    within_miles = forms.TypedChoiceField(
        label="Within", choices=RADIUS_CHOICES, coerce=float, required=False,
        empty_value=DEFAULT_RADIUS_MILES, initial=str(int(DEFAULT_RADIUS_MILES)))
    age = forms.IntegerField(label="Age (optional)", required=False, min_value=0,
                             max_value=120)
    sex = forms.ChoiceField(label="Sex (optional)", required=False,
                            choices=[("", "Not given"), ("F", "Female"), ("M", "Male")])
    condition = forms.ChoiceField(
        label="Condition (optional)", required=False,
        choices=[("", "Not given")] + list(ELIGIBILITY_CONDITIONS.items()))
    open_on = forms.ChoiceField(label="Open on", required=False,
                                choices=[("", "Any day")] + list(WEEKDAY_NAMES.items()))
    accepting_only = forms.BooleanField(label="Only services accepting referrals",
                                        required=False)

    def clean_postcode(self) -> str:
        typed = self.cleaned_data["postcode"].strip()
        if not typed:
            return ""
        if not postcodes.is_valid(typed):
            raise ValidationError("Enter a real postcode, like E1 6AN")
        return postcodes.normalise(typed)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not (data.get("need") or data.get("text", "").strip() or data.get("postcode")):
            self.add_error("need", "Select a need, describe it in words, or enter a postcode")
            return data
        if data.get("postcode"):
            directory = postcode_directory()
            centre = directory.centroid(data["postcode"])
            if centre is None:
                self.add_error("postcode", (
                    f"We do not know where {data['postcode']} is. Check it, or leave it empty "
                    "to search without distance") if directory.available else (
                    "Distance search needs the ONS postcode directory, which has not been "
                    "loaded. Leave the postcode empty, or ask your administrator to load it"))
            else:
                data["near"] = Point(*centre)
        return data

    def query(self) -> Query:
        """The search this valid form asks for."""
        d = self.cleaned_data
        return Query(
            needs=(d["need"],) if d.get("need") else (), text=d.get("text", ""),
            near=d.get("near"), within_miles=d.get("within_miles") or DEFAULT_RADIUS_MILES,
            age=d.get("age"), sex=d.get("sex", ""), condition=d.get("condition", ""),
            open_on=d.get("open_on", ""), accepting_only=bool(d.get("accepting_only")))
