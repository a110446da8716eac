"""Display logic for referrals and episodes: status tags, outcomes in plain words, timelines
and the links an episode page offers."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from upstream.service.people.presenters import PersonPresenter
from upstream.service.referrals.models import (
    Episode,
    Referral,
    ReferralSource,
    TriageOutcome,
)
from upstream.service.referrals.services import (
    caseload_counts,
    triage_words,
    waiting_days,
    waiting_list,
)
from upstream.service.referrals.states import TRANSITIONS, Status
from upstream.service.ui.format import date_time, long_date, plural
from upstream.service.ui.format import nhs_number as format_nhs_number
from upstream.service.ui.tags import (
    AWAITING_TRIAGE,
    URGENT,
    Tag,
    not_accepted_tag,
    status_tag,
    urgency_tag,
)
from upstream.standards.vocabularies import NEEDS

ENGAGEMENT_PAGES = [
    ("Contact attempts", "engagement:contacts"),
    ("What matters to me", "engagement:what_matters"),
    ("Care and support plan", "engagement:plan"),
    ("Sessions", "engagement:sessions"),
    ("Close the episode", "engagement:close"),
    ("Discharge summary", "engagement:summary"),
    ("Schedules, screenings and huddle decisions", "schedules:episode"),
]
"""The engagement pages an episode links to, each taking ``episode_id``."""

MOVES_ELSEWHERE = {Status.ALLOCATED}
"""Moves made on their own pages (allocation checks the caseload limit), not by a button."""


@dataclass(frozen=True)
class Link:
    text: str
    href: str


def need_labels(codes: list[str]) -> list[str]:
    return [NEEDS.get(code, code) for code in codes]


def engagement_links(episode: Episode) -> list[Link]:
    """Links to the engagement pages that exist in this build of the service. The discharge
    summary is linked only once it is written (an open episode has none to show)."""
    links = []
    for text, name in ENGAGEMENT_PAGES:
        if name == "engagement:summary" and not hasattr(episode, "discharge_summary"):
            continue
        try:
            links.append(Link(text, reverse(name, kwargs={"episode_id": episode.pk})))
        except NoReverseMatch:
            continue
    return links


def allowed_moves(episode: Episode) -> list[Status]:
    """The status moves offered as buttons, in flow order."""
    allowed = TRANSITIONS[Status(episode.status)] - MOVES_ELSEWHERE
    return [s for s in Status if s in allowed]


@dataclass(frozen=True)
class TimelineRow:
    at: str
    change: str
    by: str
    reason: str


class EpisodePresenter:
    def __init__(self, episode: Episode):
        self.episode = episode

    @property
    def status(self) -> Tag:
        return status_tag(self.episode.status)

    @property
    def worker(self) -> str:
        return self.episode.worker.display_name if self.episode.worker else "Not allocated"

    @property
    def opened(self) -> str:
        return long_date(self.episode.opened_at)

    @property
    def closed(self) -> str:
        return long_date(self.episode.closed_at)

    @property
    def waiting_days(self) -> int | None:
        """Days waiting for a worker, counted from referral; None when not waiting."""
        if self.episode.status != Status.WAITING:
            return None
        return waiting_days(self.episode)

    def summary_rows(self) -> list[dict]:
        e = self.episode
        rows = [
            {"key": {"text": "Team"}, "value": {"text": e.team.name}},
            {"key": {"text": "Worker"}, "value": {"text": self.worker}},
            {"key": {"text": "Opened"}, "value": {"text": self.opened}},
        ]
        if self.waiting_days is not None:
            rows.append({"key": {"text": "Waiting"},
                         "value": {"text": f"{plural(self.waiting_days, 'day')} (since "
                                           f"referral on {long_date(e.opened_at)})"}})
        if e.closed_at:
            rows.append({"key": {"text": "Closed"}, "value": {"text": self.closed}})
        if e.status_reason:
            rows.append({"key": {"text": "Reason"}, "value": {"text": e.status_reason}})
        return rows

    def timeline(self) -> list[TimelineRow]:
        """Every status change, and each triage decision with its note, oldest first."""
        events = []
        for t in self.episode.transitions.select_related("by"):
            before = Status(t.from_status).label if t.from_status else "New"
            events.append((t.at, 1, TimelineRow(
                at=date_time(t.at),
                change=f"{before} to {Status(t.to_status).label}",
                by=t.by.display_name if t.by else (t.by_label or "System"),
                reason=t.reason,
            )))
        for r in self.episode.referrals.exclude(triage_outcome="").select_related("triaged_by"):
            events.append((r.triaged_at or r.received_at, 0, TimelineRow(
                at=date_time(r.triaged_at),
                change=f"Triage of referral R{r.pk}: {triage_words(r)}",
                by=r.triaged_by.display_name if r.triaged_by else "System",
                reason=f"Triage note: {r.triage_note}" if r.triage_note else "",
            )))
        return [row for _, _, row in sorted(events, key=lambda e: (e[0], e[1]))]


class ReferralPresenter:
    def __init__(self, referral: Referral):
        self.referral = referral

    @property
    def received(self) -> str:
        return long_date(self.referral.received_at)

    @property
    def days_waiting(self) -> int:
        """Whole days since the referral was received."""
        return (timezone.localdate() - timezone.localdate(self.referral.received_at)).days

    @property
    def needs(self) -> list[str]:
        return need_labels(self.referral.needs)

    @property
    def urgency(self) -> Tag | None:
        return urgency_tag(self.referral.urgency)

    @property
    def referrer(self) -> str:
        r = self.referral
        return r.referrer_name or (r.referrer.display_name if r.referrer else r.external_system)

    @property
    def triage(self) -> str:
        """The triage decision in words (``services.triage_words``)."""
        return triage_words(self.referral)

    @property
    def outcome(self) -> Tag:
        """What happened to this referral, as the referrer should read it: the triage
        decision when it was not accepted, otherwise where the episode is now."""
        r = self.referral
        if r.triage_outcome in (TriageOutcome.REJECT, TriageOutcome.REDIRECT):
            return not_accepted_tag(self.triage)
        if r.episode is None:
            return AWAITING_TRIAGE
        return status_tag(r.episode.status)

    @property
    def why(self) -> str:
        """Why the episode is where it is (closures and waiting), if recorded."""
        r = self.referral
        if r.triage_outcome in (TriageOutcome.REJECT, TriageOutcome.REDIRECT) or r.episode is None:
            return ""
        return r.episode.status_reason if not r.episode.is_open else ""

    @property
    def consent(self) -> str:
        """Consent as recorded; a case-finding referral has not asked the person yet."""
        r = self.referral
        if r.consent_given:
            return "Yes"
        if r.source == ReferralSource.CASE_FINDING:
            return "Not yet asked (found by case finding): ask at first contact"
        return "No"

    @property
    def safeguarding(self) -> str:
        """The safeguarding concerns given with a child's referral, or "" when none."""
        r = self.referral
        return (r.safeguarding_details or "Details not given") if r.safeguarding_concerns else ""

    def child_rows(self) -> list[tuple[str, str]]:
        """A child's parent or carer, safeguarding answer and consent, when recorded."""
        r = self.referral
        if not (r.parent_carer_name or r.consent_by or r.safeguarding_concerns is not None):
            return []
        yes_no = {True: "Yes", False: "No", None: "Not recorded"}
        safeguarding = yes_no[r.safeguarding_concerns]
        if r.safeguarding_concerns and r.safeguarding_details:
            safeguarding = f"Yes: {r.safeguarding_details}"
        return [
            ("Parent or carer", ", ".join(filter(None, [
                r.parent_carer_name, r.parent_carer_relationship, r.parent_carer_phone]))
             or "Not recorded"),
            ("Parental responsibility", yes_no[r.parental_responsibility]),
            ("Safeguarding concerns", safeguarding),
            ("Who agreed to the referral", r.get_consent_by_display() or "Not recorded"),
        ]

    def summary_rows(self, *, staff: bool = False) -> list[dict]:
        """The referral's rows; ``staff`` adds the triage note (not shown to referrers)."""
        r = self.referral
        rows = [
            ("Received", self.received),
            ("Team", r.team.name),
            ("Source", r.get_source_display()),
            ("Referred by", self.referrer),
            ("Urgency", r.get_urgency_display()),
            ("Needs", ", ".join(self.needs)),
            ("Reason", r.reason or "None given"),
            ("Consent to referral", self.consent),
            *self.child_rows(),
            ("Triage", self.triage),
        ]
        if staff and r.triage_outcome:
            rows.append(("Triage note", r.triage_note or "None written"))
        return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def worker_options(team) -> list[tuple[str, str]]:
    """Select options for the team's workers, each with their caseload against the limit."""
    options = []
    for load in caseload_counts(team):
        full = ", full" if load.is_full else ""
        options.append((str(load.worker.pk),
                        f"{load.worker.display_name} ({load.count} of {load.limit}{full})"))
    return options


@dataclass(frozen=True)
class WaitingRow:
    episode: Episode
    person: PersonPresenter
    urgency: Tag | None
    since: str
    days: int


def waiting_row(episode: Episode) -> WaitingRow:
    """One row of a waiting list; ``episode`` is annotated by ``services.waiting_queryset``.
    ``since`` is the referral date: the waiting clock starts at referral."""
    return WaitingRow(episode, PersonPresenter(episode.person),
                      URGENT if episode.urgent else None,
                      long_date(episode.opened_at), waiting_days(episode))


def waiting_rows(team) -> list[WaitingRow]:
    """The team's waiting list (``services.waiting_list`` order) ready to show."""
    return [waiting_row(entry.episode) for entry in waiting_list(team)]


class ReferredAsPresenter:
    """The person as the referrer described them on ``referral``: what referrer-facing pages
    (confirmation, my referrals, the referral and its episode) show, never the stored record,
    so nobody is shown demographics they did not enter. Same names as ``PersonPresenter``."""

    def __init__(self, referral: Referral):
        self.referral = referral

    @property
    def name(self) -> str:
        r = self.referral
        return f"{r.referred_given_name} {r.referred_family_name}".strip() or "Not recorded"

    @property
    def nhs_number(self) -> str:
        number = self.referral.referred_nhs_number
        return format_nhs_number(number)

    @property
    def date_of_birth(self) -> str:
        return long_date(self.referral.referred_date_of_birth, empty="Not recorded")


IDENTITY_FIELDS = [
    ("NHS number", lambda p: p.nhs_number_display),
    ("Given name", lambda p: p.given_name),
    ("Family name", lambda p: p.family_name),
    ("Date of birth", lambda p: long_date(p.date_of_birth)),
    ("Sex", lambda p: p.get_sex_display()),
    ("Postcode", lambda p: p.postcode or "Not recorded"),
    ("GP practice", lambda p: p.gp_practice_ods or "Not recorded"),
]
"""What a team lead compares to confirm identity, as a demographic trace would: no contact
details, ethnicity or gender identity (not needed to tell two people apart)."""


@dataclass(frozen=True)
class IdentityRow:
    label: str
    referred: str
    existing: str

    @property
    def differs(self) -> bool:
        return self.referred != self.existing


def identity_rows(referral: Referral) -> list[IdentityRow]:
    """The referred details beside the existing record's, field by field. The referred NHS
    number is the one typed (the new record holds none until the lead decides)."""
    typed, existing = referral.person, referral.identity_candidate
    rows = []
    for label, value in IDENTITY_FIELDS:
        mine = ReferredAsPresenter(referral).nhs_number if label == "NHS number" else value(typed)
        rows.append(IdentityRow(label, mine, value(existing) if existing else "No longer held"))
    return rows
