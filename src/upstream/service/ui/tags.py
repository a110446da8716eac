"""Every status the service shows as an NHS.UK tag, with its label and colour: the one map.

Colours follow one rule so a colour means the same thing on every page (ADR 0007):
blue = new, waiting for the team; aqua-green = accepted; yellow = waiting for capacity;
purple = allocated to a worker; orange = trying to reach the person; green = working with the
person, or done well; pink = being closed; grey = ended or not started; red = needs action now;
white = information only. Templates render a ``Tag`` with nhsuk-frontend-jinja's ``tag`` macro, or
``show_tag`` from ``ui/tags.jinja`` when it may be None.
"""

from dataclasses import dataclass

from upstream.service.engagement.models import GoalStatus
from upstream.service.practice.models import SHORT_NAMES, Conversation
from upstream.service.referrals.models import Identity, Urgency
from upstream.service.referrals.states import Status
from upstream.service.schedules.models import ScreeningStatus

COLOURS = frozenset({"white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red",
                     "orange", "yellow"})
"""The NHS.UK tag colours (``nhsuk-tag--<colour>``)."""


@dataclass(frozen=True)
class Tag:
    """One NHS.UK tag: the words shown and the colour name."""

    text: str
    colour: str

    def __post_init__(self):
        if self.colour not in COLOURS:
            raise ValueError(f"{self.colour!r} is not an NHS.UK tag colour")


STATUS_COLOURS: dict[Status, str] = {
    Status.REFERRED: "blue",
    Status.TRIAGED: "aqua-green",
    Status.WAITING: "yellow",
    Status.ALLOCATED: "purple",
    Status.CONTACTING: "orange",
    Status.ENGAGED: "green",
    Status.ACTIVE: "green",
    Status.CLOSING: "pink",
    Status.CLOSED: "grey",
    Status.NOT_ENGAGED: "grey",
    Status.DECLINED: "grey",
    Status.NOT_SUITABLE: "grey",
    Status.DECEASED: "grey",
}
"""An episode's status."""

GOAL_COLOURS: dict[str, str] = {
    GoalStatus.NOT_STARTED: "grey",
    GoalStatus.IN_PROGRESS: "blue",
    GoalStatus.ACHIEVED: "green",
    GoalStatus.NOT_ACHIEVED: "red",
}
"""A goal's status in the care and support plan."""

IDENTITY_COLOURS: dict[str, str] = {
    Identity.CONFIRMED: "green",
    Identity.TO_CONFIRM: "red",
    Identity.LINKED: "white",
    Identity.CORRECTED: "white",
    Identity.KEPT_APART: "white",
}
"""Whether a referral's person is confirmed as one record."""


SCREENING_COLOURS: dict[str, str] = {
    ScreeningStatus.DUE: "blue",
    ScreeningStatus.NEGATIVE: "green",
    ScreeningStatus.POSITIVE: "orange",
    ScreeningStatus.MISSED: "red",
}
"""A scheduled screening: due (new), done and fine, done and referred, missed (act now)."""

CONVERSATION_COLOURS: dict[int, str] = {
    Conversation.CONNECT: "white",
    Conversation.CRISIS: "red",
    Conversation.GOOD_LIFE: "white",
}
"""3 Conversations: conversation 2 is a crisis (red: needs action now); 1 and 3 information."""


def status_tag(status: str) -> Tag:
    """An episode status code (``referrals.states.Status``) as its tag."""
    status = Status(status)
    return Tag(status.label, STATUS_COLOURS[status])


def goal_tag(status: str) -> Tag:
    """A goal status code (``engagement.models.GoalStatus``) as its tag."""
    status = GoalStatus(status)
    return Tag(status.label, GOAL_COLOURS[status])


def identity_tag(identity: str) -> Tag:
    """A referral's identity code (``referrals.models.Identity``) as its tag."""
    identity = Identity(identity)
    return Tag(identity.label, IDENTITY_COLOURS[identity])


def urgency_tag(urgency: str) -> Tag | None:
    """``Urgent`` in red; routine referrals carry no tag."""
    return Tag("Urgent", "red") if urgency == Urgency.URGENT else None


def screening_tag(status: str) -> Tag:
    """A scheduled screening's status (``schedules.models.ScreeningStatus``) as its tag."""
    status = ScreeningStatus(status)
    return Tag(status.label, SCREENING_COLOURS[status])


def conversation_tag(conversation: int | None) -> Tag | None:
    """``Conversation 2: intensive support in a crisis``; None before any conversation."""
    if conversation is None:
        return None
    conversation = Conversation(conversation)
    return Tag(f"Conversation {conversation.value}: {SHORT_NAMES[conversation]}",
               CONVERSATION_COLOURS[conversation])


def reading_age_tag(years: int, target: int) -> Tag:
    """A message template's reading age: orange above the team's target, green within it."""
    if years > target:
        return Tag(f"Reading age {years}: above {target}", "orange")
    return Tag(f"Reading age {years}", "green")


def overdue_tag(days: int) -> Tag:
    """Something due ``days`` ago: red when overdue, orange when due today."""
    if days <= 0:
        return DUE_TODAY
    return Tag(f"{days} day{'' if days == 1 else 's'} overdue", "red")


def not_accepted_tag(words: str) -> Tag:
    """A referral rejected or redirected at triage, in the triage decision's words (ended)."""
    return Tag(words, "grey")


def contact_outcome_tag(label: str, successful: bool) -> Tag:
    """A contact attempt's outcome: green when the person was reached, grey otherwise."""
    return Tag(label, "green" if successful else "grey")


OVERDUE = Tag("Overdue", "red")
DUE_TODAY = Tag("Due today", "orange")
CASELOAD_FULL = Tag("Full", "red")
LINKED_TO_OPEN_EPISODE = Tag("Linked to open episode", "white")
DUPLICATE_LINKED = Tag("Duplicate, linked", "white")
NOT_YET_CONTACTED = Tag("Not yet contacted", "blue")
REVIEW_ATTEMPTS = Tag("Review attempts at huddle", "pink")
URGENT = Tag("Urgent", "red")
AWAITING_TRIAGE = Tag("Awaiting triage", "blue")
CORRECTED = Tag("Corrected by a later note", "yellow")
NEW = Tag("New", "blue")


def no_contact_tag(days: int) -> Tag:
    """A case nobody has been in touch with for ``days`` days."""
    return Tag(f"No contact in {days} days", "yellow")


CAPACITY_WORDS = ("Capacity not known", "Not accepting referrals", "Accepting referrals")
"""Staff wording of ``capacity_tag``: not known, not accepting, accepting."""


def capacity_tag(accepting_referrals: bool | None,
                 words: tuple[str, str, str] = CAPACITY_WORDS) -> Tag:
    """A directory service's capacity: green accepting referrals, yellow not accepting (waiting
    for capacity), white not known (information only). ``words`` (not known, not accepting,
    accepting) lets the public pages say it in their own plain words."""
    not_known, not_accepting, accepting = words
    if accepting_referrals is None:
        return Tag(not_known, "white")
    return Tag(accepting, "green") if accepting_referrals else Tag(not_accepting, "yellow")


def community_referral_tag(status: str) -> Tag:
    """A community referral's status (``connect.states.Status``, the Gravity SDOH task states):
    blue sent and waiting, aqua-green accepted, green attending or completed, yellow on hold,
    grey ended otherwise (declined, cancelled, did not attend)."""
    from upstream.service.connect.states import Status as ReferralStatus

    status = ReferralStatus(status)
    colour = {"requested": "blue", "accepted": "aqua-green", "in-progress": "green",
              "completed": "green", "on-hold": "yellow"}.get(status.value, "grey")
    return Tag(status.label, colour)


def no_response_tag(days: int) -> Tag:
    """A community referral the organisation has not answered in ``days`` days (act now)."""
    return Tag(f"No response in {days} days", "red")
