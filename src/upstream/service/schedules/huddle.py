"""What schedules add to the weekly huddle page: the week chooser, the "did not engage"
proposals from the contact cadence, the decisions recorded for the chosen week, and a link to
decide on each case (team leads)."""

import datetime

from django.urls import reverse

from upstream.service.accounts.models import Role
from upstream.service.schedules import presenters, services


def week_end(monday: datetime.date, today: datetime.date) -> datetime.date:
    """The last day the huddle of the week starting ``monday`` looks at: its Sunday, or today
    for this week."""
    return min(monday + datetime.timedelta(days=6), today)


def week_param(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def extras(user, monday: datetime.date, today: datetime.date, view: dict,
           result) -> dict:
    """The huddle page's schedules parts for ``user`` and the week starting ``monday``; adds a
    ``decide_url`` to each risk and ending row of ``view`` (built from ``result``) for a lead.
    ``people`` lists the person ids shown, for the audit log."""
    proposals = services.not_engaged_proposals(user)
    decisions = list(services.decisions_in_week(user, monday))
    param = week_param(monday)
    if user.role == Role.TEAM_LEAD:
        cases = [*(r.case for r in result.risks), *result.endings]
        for row, case in zip([*view["risks"], *view["endings"]], cases, strict=True):
            row["decide_url"] = _decide_url(case.episode.pk, param)
    rows = []
    for episode in proposals:
        row = presenters.proposal_row(episode)
        if user.role == Role.TEAM_LEAD:
            row["decide_url"] = _decide_url(episode.pk, param)
        rows.append(row)
    return {
        "weeks": presenters.week_options(monday, today),
        "week_text": presenters.week_text(monday),
        "proposals": rows,
        "decisions": [presenters.decision_row(d) for d in decisions],
        "people": [*(e.person_id for e in proposals), *(d.episode.person_id for d in decisions)],
    }


def _decide_url(episode_id: int, param: str) -> str:
    return reverse("schedules:decision", kwargs={"episode_id": episode_id}) + f"?week={param}"
