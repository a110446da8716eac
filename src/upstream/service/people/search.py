"""Person search for staff: by NHS number, or by family name and date of birth, only among
the people the user's teams work with (``Person.objects.for_user``: an episode in one of their
teams). Nobody else is found, so a search cannot reveal that a person is known elsewhere.

The search terms are sensitive (they identify someone): the page posts them (so they are not
in the address, browser history or server logs), and the audit records only which people were
shown (``listed``), never what was typed.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from upstream.service.people import dates
from upstream.service.people.forms import NHSDateField
from upstream.service.people.models import Person
from upstream.service.people.presenters import PersonPresenter
from upstream.service.referrals.models import Episode
from upstream.service.referrals.presenters import EpisodePresenter
from upstream.service.ui.forms import NamedErrorsMixin
from upstream.service.ui.tags import Tag
from upstream.standards import nhs_number

MOST_SHOWN = 50
"""At most this many people are shown; a search finding more should be narrowed."""


class PersonSearchForm(NamedErrorsMixin, forms.Form):
    """An NHS number, or a family name with a date of birth. Errors name the field."""

    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=20,
        help_text="10 digits. Spaces are fine, for example 999 123 4560")
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    date_of_birth = NHSDateField(label="Date of birth", required=False, past_only=True,
                                 help_text="For example, 15 3 1984")

    def clean_nhs_number(self) -> str:
        typed = self.cleaned_data["nhs_number"].strip()
        if typed and not nhs_number.is_valid(typed):
            raise ValidationError(
                "NHS number must be 10 digits with a valid check digit, like 999 123 4560")
        return nhs_number.normalise(typed)

    def clean_date_of_birth(self):
        return dates.check_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean(self):
        data = super().clean()
        if self.errors or data.get("nhs_number"):
            return data
        family, born = data.get("family_name", "").strip(), data.get("date_of_birth")
        if not family and not born:
            self.add_error("nhs_number", "Enter an NHS number, or a family name and date of birth")
        elif not family:
            self.add_error("family_name", "Enter the family name to search with the date of birth")
        elif not born:
            self.add_error("date_of_birth",
                           "Enter the date of birth to search with the family name")
        return data


@dataclass(frozen=True)
class TeamEpisode:
    team: str
    status: Tag
    href_id: int


@dataclass(frozen=True)
class Found:
    """One person found: enough to tell two people with the same name apart."""

    person: Person
    name: str
    date_of_birth: str
    nhs_number: str
    episodes: list[TeamEpisode]


def search(user, *, nhs_number: str = "", family_name: str = "",
           date_of_birth=None) -> list[Found]:
    """People ``user`` may see matching the NHS number (normalised digits) or, without one,
    the family name (any case) and date of birth; each with their episodes in the user's teams,
    newest first. At most ``MOST_SHOWN + 1`` are returned (so the page can say there are more).
    """
    people = Person.objects.for_user(user)
    if nhs_number:
        people = people.filter(nhs_number=nhs_number)
    else:
        people = people.filter(family_name__iexact=family_name.strip(),
                               date_of_birth=date_of_birth)
    own_episodes = Episode.objects.for_user(user).select_related("team").order_by("-opened_at")
    people = people.order_by("family_name", "given_name", "date_of_birth", "pk").prefetch_related(
        Prefetch("episodes", queryset=own_episodes, to_attr="own_episodes"))
    found = []
    for person in people[:MOST_SHOWN + 1]:
        shown = PersonPresenter(person)
        found.append(Found(
            person, shown.name, shown.date_of_birth, shown.nhs_number,
            [TeamEpisode(e.team.name, EpisodePresenter(e).status, e.pk)
             for e in person.own_episodes]))
    return found
