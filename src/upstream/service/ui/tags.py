"""Every status the service shows as an NHS.UK tag, with its label and colour: the one map.

Colours follow one rule so a colour means the same thing on every page (ADR 0007):
blue = new, waiting for the team; aqua-green = accepted; yellow = waiting for capacity;
purple = allocated to a worker; orange = trying to reach the person; green = working with the
person, or done well; pink = being closed; grey = ended or not started; red = needs action now;
white = information only. Templates render a ``Tag`` with the ``ui/tags.jinja`` ``show`` macro.
"""

from dataclasses import dataclass

from upstream.service.engagement.models import GoalStatus
from upstream.service.referrals.models import Identity, Urgency
from upstream.service.referrals.states import Status

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


def no_contact_tag(days: int) -> Tag:
    """A case nobody has been in touch with for ``days`` days."""
    return Tag(f"No contact in {days} days", "yellow")
