"""Display logic for the engagement pages: wording, dates, tags and table rows, so templates
only lay things out. Functions take models or ``caseload`` results and return plain dicts."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from upstream.service.connect.presenters import summary_lines as community_referral_lines
from upstream.service.engagement import services
from upstream.service.engagement.caseload import Case, Huddle, RiskReason
from upstream.service.engagement.models import DischargeSummary
from upstream.service.outreach.preferences import contact_panel
from upstream.service.people.presenters import active_flags, gp_practice
from upstream.service.practice.conversations import applies as applies_three_conversations
from upstream.service.practice.presenters import current_conversation_tag, episode_conversation
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import waiting_days
from upstream.service.referrals.states import Status
from upstream.service.schedules.presenters import episode_rows as schedule_rows
from upstream.service.ui import tags as ui_tags
from upstream.service.ui.format import (
    duration,
    long_date,
    long_date_time,
    plural,
    relative_day,
)
from upstream.service.ui.tags import Tag, goal_tag, status_tag
from upstream.standards.vocabularies import NEEDS


def day(value: datetime.date | datetime.datetime | None, missing: str = "Not set") -> str:
    """A date as NHS.UK style text, e.g. '4 March 2025', or ``missing``."""
    return long_date(value, empty=missing)


def _optional_reverse(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def episode_hub_url(episode: Episode) -> str | None:
    """The episode's hub page (owned by the referrals app), if that page exists."""
    return _optional_reverse("referrals:episode", episode_id=episode.pk)


def episode_header(episode: Episode) -> dict:
    """Who the episode is about, for the top of every engagement page."""
    person = episode.person
    return {
        "name": str(person),
        "rows": [
            ("NHS number", person.nhs_number_display),
            ("Date of birth", day(person.date_of_birth)),
            ("Team", episode.team.name),
            ("Worker", episode.worker.display_name if episode.worker else "Not allocated"),
            ("Next review", day(episode.next_review_on)),
            *schedule_rows(episode, timezone.localdate()),
        ],
        "status": status_tag(episode.status),
        "hub_url": episode_hub_url(episode),
        "conversation": episode_conversation(episode),
        "flags": active_flags(person),
        "flags_url": reverse("people:flags", args=[person.pk]),
    }


_PAGES = [
    ("contacts", "Contact attempts"),
    ("what_matters", "What matters"),
    ("plan", "Plan"),
    ("sessions", "Sessions"),
    ("network", "Strengths and network"),
]


def episode_nav(episode: Episode, current: str) -> list[dict]:
    """Links between the engagement pages of one episode; the last is closing or the summary."""
    pages = list(_PAGES)
    if applies_three_conversations(episode):
        pages.insert(pages.index(("sessions", "Sessions")) + 1,
                     ("conversations", "3 Conversations"))
    pages.append(("outcomes:episode", "Outcome measures"))
    if hasattr(episode, "discharge_summary"):
        pages.append(("summary", "Discharge summary"))
    elif episode.is_open:
        pages.append(("close", "Close"))
    return [{"href": reverse(name if ":" in name else f"engagement:{name}",
                             kwargs={"episode_id": episode.pk}),
             "text": text, "current": name.split(":")[0] == current} for name, text in pages]


# -- contacts ---------------------------------------------------------------------------------

def attempts_to_engage_text(episode: Episode) -> str:
    count = services.attempts_to_engage(episode)
    if count is None:
        return "Not engaged yet"
    return plural(count, "attempt")


def _delivery(attempt) -> str:
    """GOV.UK Notify's word on a message the attempt sent ('' for anything else)."""
    message = getattr(attempt, "outreach_message", None)
    return message.delivery_text if message is not None else ""


def contacts_view(episode: Episode) -> dict:
    """The contact history (newest first), the counts and, when due, the review prompt."""
    attempts = sorted(episode.contacts.select_related("by", "outreach_message"),
                      key=lambda a: (a.at, a.pk), reverse=True)
    streak = services.unsuccessful_in_a_row(episode)
    prompt = None
    if services.needs_attempts_review(episode):
        prompt = {
            "heading": f"{streak} unsuccessful attempts in a row: review at huddle",
            "text": (
                "There is no time limit on trying. Talk it through with your team at huddle: "
                "try a different channel or time of day, a door knock or a letter, ask the "
                "referrer or GP for other contact details, or agree to close as not engaged."
            ),
        }
    return {
        "rows": [
            {"when": long_date_time(a.at), "channel": a.get_channel_display(),
             "outcome": a.get_outcome_display(), "successful": a.successful,
             "outcome_tag": ui_tags.contact_outcome_tag(a.get_outcome_display(), a.successful),
             "duration": duration(a.duration_minutes),
             "note": a.note, "by": a.by.display_name if a.by else "",
             "delivery": _delivery(a)}
            for a in attempts
        ],
        "summary": [
            ("Attempts so far", str(len(attempts))),
            ("Unsuccessful in a row", str(streak)),
            ("Attempts to engage", attempts_to_engage_text(episode)),
            ("Review prompt after", f"{episode.team.attempts_prompt_after} unsuccessful attempts"),
        ],
        "prompt": prompt,
        "reach": contact_panel(episode.person),
        "send_url": reverse("outreach:send", kwargs={"episode_id": episode.pk}),
    }


# -- what matters, plan, sessions -------------------------------------------------------------

def what_matters_view(episode: Episode) -> list[dict]:
    return [
        {"on": day(c.conversation_on), "what_matters": c.what_matters, "strengths": c.strengths,
         "needs": c.needs_labels, "by": c.by.display_name if c.by else ""}
        for c in episode.what_matters.all()
    ]


def plan_view(episode: Episode, today: datetime.date) -> dict:
    goals = []
    for goal in episode.goals.all():
        reviews = list(goal.reviews.all())
        goals.append({
            "description": goal.description,
            "need": NEEDS.get(goal.need, ""),
            "target": day(goal.target_on),
            "status": goal_tag(goal.status),
            "achieved_on": day(goal.achieved_on, "") if goal.achieved_on else "",
            "reviews": [
                {"on": day(r.reviewed_on),
                 "progress": f"{r.progress} out of 10" if r.progress is not None else "",
                 "note": r.note}
                for r in reviews
            ],
        })
    actions = [
        {"pk": a.pk, "description": a.description, "service": a.onward_service,
         "due": day(a.due_on), "done": a.done,
         "state": (f"Done {day(a.done_on)}" if a.done
                   else "Overdue" if a.due_on and a.due_on < today
                   else "Due today" if a.due_on == today else "To do")}
        for a in episode.actions.all()
    ]
    review = episode.next_review_on
    return {
        "goals": goals, "actions": actions,
        "review": {"text": day(review),
                   "overdue": review is not None and review < today,
                   "due_today": review == today},
    }


def sessions_view(episode: Episode) -> dict:
    sessions = list(episode.sessions.all())
    minutes = sum(s.duration_minutes or 0 for s in sessions)
    return {
        "count": len(sessions),
        "total_time": duration(minutes),
        "rows": [
            {"on": day(s.held_on), "kind": s.get_kind_display(),
             "duration": duration(s.duration_minutes),
             "note": s.note, "by": s.by.display_name if s.by else ""}
            for s in reversed(sessions)
        ],
    }


# -- discharge summary ------------------------------------------------------------------------

CONFIDENTIALITY_MARKING = "OFFICIAL-SENSITIVE: personal"
"""The Government Security Classification marking every discharge summary carries."""


def sharing_readiness(person) -> tuple[bool, str]:
    """Whether a discharge summary about ``person`` can be shared with their GP: only when they
    agreed to share and their GP practice (ODS code) is recorded. The text says so, or names
    what is missing."""
    missing = []
    if not person.consent_to_share:
        missing.append("the person's consent to share with their GP")
    if not person.gp_practice_ods:
        missing.append("their GP practice")
    if not missing:
        return True, "Ready to share with the GP."
    return False, ("Not ready to share with the GP: record " + " and ".join(missing)
                   + " on their details first.")


def team_contact(team) -> list[str]:
    """The team's name and contact details (from its outreach settings, where set)."""
    settings_ = getattr(team, "outreach", None)
    lines = [team.name]
    if settings_ is not None:
        lines += [line for line in (settings_.address or "").splitlines() if line.strip()]
        lines += [f"Phone: {settings_.phone}"] if settings_.phone else []
        lines += [f"Email: {settings_.email}"] if settings_.email else []
    if len(lines) == 1:
        lines.append("Contact details not recorded: ask the team lead to add them")
    return lines


def goals_not_started(episode: Episode) -> list[str]:
    """Descriptions of the episode's goals still "not started": closing asks the worker to
    review them first (or confirm)."""
    return [g.description for g in episode.goals.all() if g.status == "not_started"]


def summary_view(summary: DischargeSummary) -> dict:
    """The discharge summary as titled sections, shared by the printable page and the PDF:
    the confidentiality marking, the team's contact details, whether it is ready to share
    with the GP, the reason for referral and what matters to the person."""
    episode, person = summary.episode, summary.episode.person
    referrals = list(episode.referrals.all())
    latest = episode.what_matters.first()
    ready, readiness = sharing_readiness(person)
    return {
        "title": "Discharge summary",
        "marking": CONFIDENTIALITY_MARKING,
        "team_contact": team_contact(episode.team),
        "ready_to_share": ready,
        "readiness": readiness,
        "person": [
            ("Name", str(person)),
            ("NHS number", person.nhs_number_display),
            ("Date of birth", day(person.date_of_birth)),
            ("GP practice", gp_practice(person) or "Not recorded"),
            ("Consent to share", "Agreed to share with GP and community services"
             if person.consent_to_share else "Not recorded"),
        ],
        "episode": [
            ("Team", episode.team.name),
            ("Referred by", ", ".join(sorted({r.referrer_name for r in referrals
                                               if r.referrer_name})) or "Not recorded"),
            ("Support started", day(summary.started_on)),
            ("Support ended", day(summary.ended_on)),
            ("Sessions", str(summary.session_count)),
            ("Contact attempts", str(summary.contact_attempts)),
            ("Attempts to engage", str(summary.attempts_to_engage)
             if summary.attempts_to_engage is not None else "Not recorded"),
            ("Link worker", summary.written_by.display_name if summary.written_by else ""),
        ],
        "sections": [
            ("Reason for referral", [r.reason for r in referrals if r.reason.strip()]),
            ("What matters to the person", latest.what_matters.splitlines() if latest else []),
            ("Needs worked on", summary.themes_labels),
            ("Outcomes", summary.outcomes.splitlines()),
            ("Goals", summary.goals_summary.splitlines()),
            ("Community referrals", community_referral_lines(episode)),
            ("Onward services", summary.onward_services.splitlines()),
        ],
        "written": f"Written by {summary.written_by.display_name if summary.written_by else ''}"
                   f" on {day(summary.written_at)}",
    }


# -- team views -------------------------------------------------------------------------------

def _tags(case: Case) -> list[Tag]:
    tags = []
    if case.overdue:
        tags.append(ui_tags.OVERDUE)
    if case.due_today:
        tags.append(ui_tags.DUE_TODAY)
    if case.no_contact:
        tags.append(ui_tags.no_contact_tag(settings.UPSTREAM_NO_CONTACT_DAYS))
    if case.attempts_review:
        tags.append(ui_tags.REVIEW_ATTEMPTS)
    if case.not_yet_contacted:
        tags.append(ui_tags.NOT_YET_CONTACTED)
    if case.urgent:
        tags.append(ui_tags.URGENT)
    return tags


def _due_text(case: Case) -> str:
    parts = []
    if case.review_overdue:
        parts.append(f"Review was due {day(case.episode.next_review_on)}")
    elif case.review_due_today:
        parts.append("Review today")
    if case.actions_overdue:
        parts.append(f"{plural(case.actions_overdue, 'action')} overdue")
    if case.actions_due_today:
        parts.append(f"{plural(case.actions_due_today, 'action')} due today")
    if not parts and case.next_due:
        parts.append(f"Next due {day(case.next_due)}")
    return "; ".join(parts) or "Nothing scheduled"


def _last_contact_text(case: Case) -> str:
    last, seen = case.last_contact, case.last_seen_on
    if seen is None:
        return "None yet"
    when = relative_day(seen, today=case.today)
    if last is None or timezone.localdate(last.at) < seen:
        return f"{day(seen)} ({when}): session or goal review"
    outcome = last.get_outcome_display().lower()
    return f"{day(last.at)} ({when}): {last.get_channel_display()}, {outcome}"


def case_row(case: Case) -> dict:
    episode = case.episode
    return {
        "name": str(episode.person),
        "nhs_number": episode.person.nhs_number_display,
        "born": long_date(episode.person.date_of_birth),
        "href": reverse("engagement:contacts", kwargs={"episode_id": episode.pk}),
        "hub_url": episode_hub_url(episode),
        "status": status_tag(episode.status),
        "tags": _tags(case),
        "attempts": (f"{case.attempts}" + (f" ({case.unsuccessful_in_a_row} unsuccessful in a row)"
                                           if case.unsuccessful_in_a_row else "")),
        "last_contact": _last_contact_text(case),
        "due": _due_text(case),
        "worker": episode.worker.display_name if episode.worker else "Not allocated",
        "conversation": current_conversation_tag(episode),
    }


CASELOAD_SORTS = {
    "priority": ("Most pressing first", lambda c: c.priority),
    "next_due": ("Next due date", lambda c: (c.next_due or datetime.date.max, c.priority)),
    "last_contact": ("Longest since contact",
                     lambda c: (c.last_contact.at.timestamp() if c.last_contact else 0,
                                c.priority)),
    "name": ("Name", lambda c: (c.episode.person.family_name.lower(),
                                c.episode.person.given_name.lower())),
}
CASELOAD_FILTERS = {
    "all": ("All open", lambda c: True),
    "overdue": ("Overdue", lambda c: c.overdue),
    "due_today": ("Due today", lambda c: c.due_today),
    "no_contact": (f"No contact in {settings.UPSTREAM_NO_CONTACT_DAYS} days",
                   lambda c: c.no_contact),
    "attempts_review": ("Review attempts at huddle", lambda c: c.attempts_review),
}


def caseload_view(cases: list[Case], *, sort: str, show: str, base_url: str,
                  keep_query: dict | None = None) -> dict:
    """The caseload page: a count per bucket (each a filter link), and the table rows in the
    chosen order. Unknown ``sort``/``show`` values fall back to priority / all. Links go to
    ``base_url`` with ``keep_query`` (e.g. the worker shown) before show and sort."""
    sort = sort if sort in CASELOAD_SORTS else "priority"
    show = show if show in CASELOAD_FILTERS else "all"

    def link(show: str, sort: str) -> str:
        return f"{base_url}?{urlencode({**(keep_query or {}), 'show': show, 'sort': sort})}"

    buckets = [
        {"key": key, "label": label, "count": sum(1 for c in cases if keep(c)),
         "href": link(key, sort), "current": key == show}
        for key, (label, keep) in CASELOAD_FILTERS.items()
    ]
    chosen = sorted((c for c in cases if CASELOAD_FILTERS[show][1](c)),
                    key=CASELOAD_SORTS[sort][1])
    return {
        "buckets": buckets,
        "sorts": [{"key": key, "label": label, "href": link(show, key),
                   "current": key == sort} for key, (label, _) in CASELOAD_SORTS.items()],
        "rows": [case_row(c) for c in chosen],
        "showing": CASELOAD_FILTERS[show][0],
        "total": len(cases),
    }


def _reason_text(code: str, case: Case) -> str:
    episode = case.episode
    if code == RiskReason.URGENT_WAITING:
        days = waiting_days(episode, case.today)
        return f"Urgent referral waiting for a worker for {days} days since referral"
    if code == RiskReason.ATTEMPTS:
        return f"{case.unsuccessful_in_a_row} unsuccessful contact attempts in a row"
    if code == RiskReason.NO_CONTACT:
        return (f"No contact for {case.days_since_contact} days" if case.last_seen_on
                else f"No contact since allocation on {day(episode.allocated_at)}")
    if code == RiskReason.REVIEW_OVERDUE:
        return f"Review overdue since {day(episode.next_review_on)}"
    return f"{plural(case.actions_overdue, 'plan action')} overdue"


def huddle_view(result: Huddle) -> dict:
    return {
        "week": f"{day(result.week_from)} to {day(result.today)}",
        "progress": [
            {**case_row(p.case),
             "achieved": [g.description for g in p.goals_achieved],
             "reviewed": [g.description for g in p.goals_reviewed],
             "strengths": p.strengths}
            for p in result.progress
        ],
        "risks": [
            {**case_row(r.case), "reasons": [_reason_text(code, r.case) for code in r.reasons]}
            for r in result.risks
        ],
        "endings": [
            {**case_row(c),
             "why": ("Ending proposed" if c.episode.status == Status.CLOSING
                     else "All goals achieved"),
             "close_url": reverse("engagement:close", kwargs={"episode_id": c.episode.pk})}
            for c in result.endings
        ],
    }
