"""The insights filters: a team (of those the user may see) and a period, from the query
string. Anything not offered is refused with a named error and the page falls back to all."""

import datetime

from django import forms
from django.utils import timezone

from upstream.service.insights.services import ALL_TIME, Period
from upstream.service.ui.forms import NamedErrorsMixin

PERIODS = {
    "": "All time",
    "3": "The last 3 months",
    "6": "The last 6 months",
    "12": "The last 12 months",
}
"""Period choices: months counted back from the start of this month (this month included)."""


def period_for(code: str, *, today: datetime.date | None = None) -> Period:
    """The :class:`Period` a period choice means on ``today`` (default: today)."""
    if not code:
        return ALL_TIME
    today = today or timezone.localdate()
    month = today.replace(day=1)
    for _ in range(int(code) - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return Period(start=month)


class InsightsFilterForm(NamedErrorsMixin, forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    period = forms.ChoiceField(label="Period", required=False, choices=list(PERIODS.items()))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = teams
        self.fields["team"].choices = [("", "All teams"),
                                       *((str(t.pk), t.name) for t in teams)]

    def chosen(self):
        """``(teams, period, description)`` for a valid form; all teams and all time when the
        form is empty or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        team = data.get("team") or ""
        teams = [t for t in self.teams if str(t.pk) == team] if team else list(self.teams)
        code = data.get("period") or ""
        where = teams[0].name if team else "all teams"
        return teams, period_for(code), f"{PERIODS[code]}, {where}"
