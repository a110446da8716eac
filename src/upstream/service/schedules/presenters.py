"""Display logic for the schedules pages: wording, dates and table rows, so templates only lay
things out."""

import datetime

from django.urls import reverse

from upstream.service.people.models import ContactChannel
from upstream.service.schedules import services
from upstream.service.schedules.models import HuddleDecision
from upstream.service.schedules.today import DueItem
from upstream.service.ui.format import long_date, plural
from upstream.service.ui.tags import overdue_tag, screening_tag


def overdue_text(days: int) -> str:
    """'Due today' or '3 days overdue': the words of ``ui.tags.overdue_tag``."""
    return overdue_tag(days).text


def today_rows(items: list[DueItem]) -> list[dict]:
    return [
        {"kind": i.kind, "what": i.what, "name": str(i.person),
         "nhs_number": i.person.nhs_number_display, "href": i.href, "worker": i.worker_name,
         "due": long_date(i.due_on), "when_tag": overdue_tag(i.overdue_days)}
        for i in items
    ]


def cadence_text(steps) -> list[str]:
    return [f"Day {s.day}: {ContactChannel(s.channel).label}" for s in steps]


def programme_text(shape) -> str:
    if shape is None:
        return "Not set"
    if shape.kind == "weeks":
        return f"{shape.weeks} weeks"
    return f"{shape.min_sessions} to {shape.max_sessions} sessions"


def screening_row(screening) -> dict:
    return {
        "week": f"Week {screening.week}", "due": long_date(screening.due_on),
        "status": screening_tag(screening.status),
        "href": reverse("schedules:screening", kwargs={"screening_id": screening.pk}),
        "is_due": screening.is_due,
        "referral_href": (reverse("referrals:detail", args=[screening.referral_id])
                          if screening.referral_id else None),
    }


def enrolment_rows(enrolments) -> list[dict]:
    """A screen's enrolled people, newest index date first, each with their screenings."""
    return [{
        "name": str(e.person), "nhs_number": e.person.nhs_number_display,
        "index": long_date(e.index_date),
        "episode_href": (reverse("schedules:episode", kwargs={"episode_id": e.episode_id})
                         if e.episode_id else None),
        "screenings": [screening_row(s) for s in e.screenings.all()],
    } for e in enrolments]


def decision_row(found: HuddleDecision) -> dict:
    """One decision for a table; "agreed" is the lead who recorded it, then the others by name
    (the same order on every page and database)."""
    agreed = sorted(u.display_name for u in found.agreed_with.all())
    who = ", ".join([found.decided_by.display_name, *agreed])
    decision = found.get_decision_display()
    if found.new_worker:
        decision = f"{decision} to {found.new_worker.display_name}"
    return {"week": f"Week of {long_date(found.week_of)}", "decision": decision,
            "note": found.note, "agreed": who, "name": str(found.episode.person),
            "href": reverse("schedules:episode", kwargs={"episode_id": found.episode_id})}


def episode_view(episode, *, steps, shape, today: datetime.date) -> dict:
    """The schedules page of one episode: the next contact attempt, programme progress,
    screenings and huddle decisions."""
    due = services.next_attempt(episode, steps, today)
    progress = services.programme_progress(episode, shape, today)
    if due is not None:
        attempt = (f"Step {due.step} of {due.of}: {due.channel_label}, due "
                   f"{long_date(due.due_on)}"
                   + (f" ({overdue_text(due.overdue_days)})" if due.is_due else ""))
    elif services.proposes_not_engaged(episode, steps):
        attempt = (f"No reply after {plural(len(steps), 'attempt')}: proposed for closing as "
                   "did not engage at the huddle")
    elif not steps:
        attempt = "Your team has not set a contact cadence"
    else:
        attempt = "None: the person has been reached or the episode has moved on"
    return {
        "rows": [("Next contact attempt", attempt),
                 ("Programme", progress.text if progress
                  else f"{programme_text(shape)}: not started" if shape
                  else "Your team has not set a programme")],
        "ending_prompt": progress.prompt if progress and progress.plan_ending else "",
        "enrolments": [
            {"schedule": e.schedule.name, "index": f"{e.schedule.index_event}: "
             f"{long_date(e.index_date)}",
             "screenings": [screening_row(s) for s in e.screenings.all()]}
            for e in episode.screening_enrolments.all()
        ],
        "decisions": [decision_row(d) for d in episode.huddle_decisions.all()],
        "planned_sessions": [
            {"on": long_date(p.on), "kind": p.get_kind_display(), "note": p.note,
             "held": any(s.held_on >= p.on for s in episode.sessions.all())}
            for p in episode.planned_sessions.all()
        ],
    }


def week_options(chosen: datetime.date, today: datetime.date, weeks: int = 8) -> list[dict]:
    """The week chooser: this week and the ``weeks`` - 1 before it, newest first."""
    this_monday = services.monday_of(today)
    options = []
    for n in range(weeks):
        monday = this_monday - datetime.timedelta(weeks=n)
        year, week, _ = monday.isocalendar()
        text = f"Week of {long_date(monday)}" + (" (this week)" if n == 0 else "")
        options.append({"value": f"{year}-W{week:02d}", "text": text,
                        "selected": monday == chosen})
    return options


def hub_url(episode) -> str:
    return reverse("referrals:episode", kwargs={"episode_id": episode.pk})


def week_text(monday: datetime.date) -> str:
    sunday = monday + datetime.timedelta(days=6)
    return f"{long_date(monday)} to {long_date(sunday)}"


def proposal_row(episode) -> dict:
    return {"name": str(episode.person), "nhs_number": episode.person.nhs_number_display,
            "worker": episode.worker.display_name if episode.worker else "Not allocated",
            "why": f"No reply after {plural(len(episode.contacts.all()), 'contact attempt')}",
            "href": reverse("schedules:episode", kwargs={"episode_id": episode.pk})}


def episode_rows(episode, today: datetime.date) -> list[tuple[str, str]]:
    """Rows for the top of every engagement page of an episode: the next contact attempt the
    cadence asks for, programme progress (with the prompt to plan the ending) and the latest
    huddle decision, each only when there is one."""
    rows = []
    due = services.next_attempt(episode, services.cadence(episode.team), today)
    if due is not None:
        rows.append(("Next contact attempt",
                     f"Step {due.step} of {due.of}: {due.channel_label}, due "
                     f"{long_date(due.due_on)}"
                     + (f" ({overdue_text(due.overdue_days)})" if due.is_due else "")))
    progress = services.programme_for(episode.team)
    progress = services.programme_progress(episode, progress, today)
    if progress is not None:
        rows.append(("Programme", progress.text
                     + (f". {progress.prompt}" if progress.plan_ending else "")))
    latest = episode.huddle_decisions.select_related("new_worker").first()
    if latest is not None:
        decision = latest.get_decision_display()
        if latest.new_worker:
            decision = f"{decision} to {latest.new_worker.display_name}"
        rows.append(("Huddle decision", f"{decision} (week of {long_date(latest.week_of)})"
                     + (f": {latest.note}" if latest.note else "")))
    return rows
