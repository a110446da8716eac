"""The community referral's states and moves: the HL7 Gravity SDOH referral task states.

Pure Python, no Django. ``MOVES`` is the one declaration of what may happen to a community
referral: each move names who makes it (the link worker's team or the organisation), the states
it starts from, the state it ends in, and whether it needs a note (a reason). ``TRANSITIONS``
is worked out from it.

Gravity's task states (``http://hl7.org/fhir/task-status`` as profiled by the Gravity SDOH
Clinical Care IG): requested, accepted, rejected, cancelled, in-progress, on-hold, failed,
completed. "Attended" is not a state: it is the move from accepted (or on hold) to in progress,
and it stamps the referral's ``attended_at``. "Did not attend" is the move to failed.
"""

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    FAILED = "failed"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.REQUESTED: "Sent, awaiting response",
    Status.ACCEPTED: "Accepted",
    Status.REJECTED: "Declined",
    Status.CANCELLED: "Cancelled",
    Status.IN_PROGRESS: "Attending",
    Status.ON_HOLD: "On hold",
    Status.FAILED: "Did not attend",
    Status.COMPLETED: "Completed",
}

TERMINAL = frozenset({Status.REJECTED, Status.CANCELLED, Status.FAILED, Status.COMPLETED})
OPEN = frozenset(Status) - TERMINAL


class Side(StrEnum):
    """Who makes a move: the referring team (link worker, team lead) or the organisation."""

    TEAM = "team"
    PARTNER = "partner"


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    """The button's words."""
    side: Side
    sources: frozenset[Status]
    target: Status
    needs_note: bool = False
    note_label: str = "Note (optional)"


MOVES: dict[str, Move] = {m.name: m for m in [
    Move("accept", "Accept referral", Side.PARTNER, frozenset({Status.REQUESTED}),
         Status.ACCEPTED),
    Move("decline", "Decline referral", Side.PARTNER, frozenset({Status.REQUESTED}),
         Status.REJECTED, needs_note=True, note_label="Reason for declining"),
    Move("attended", "Mark as attended", Side.PARTNER,
         frozenset({Status.ACCEPTED, Status.ON_HOLD}), Status.IN_PROGRESS),
    Move("hold", "Put on hold", Side.PARTNER,
         frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), Status.ON_HOLD, needs_note=True,
         note_label="Why it is on hold"),
    Move("resume", "Resume", Side.PARTNER, frozenset({Status.ON_HOLD}), Status.IN_PROGRESS),
    Move("complete", "Mark as completed", Side.PARTNER, frozenset({Status.IN_PROGRESS}),
         Status.COMPLETED),
    Move("did_not_attend", "Did not attend", Side.PARTNER,
         frozenset({Status.ACCEPTED, Status.ON_HOLD}), Status.FAILED),
    Move("cancel", "Cancel referral", Side.TEAM,
         frozenset({Status.REQUESTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD}),
         Status.CANCELLED, needs_note=True, note_label="Reason for cancelling"),
]}
"""Every move a community referral can make. The one declaration."""

TRANSITIONS: dict[Status, frozenset[Status]] = {
    status: frozenset(m.target for m in MOVES.values() if status in m.sources)
    for status in Status
}
"""From each status, the statuses a referral may move to (from ``MOVES``)."""


def moves_from(status: str, side: Side) -> list[Move]:
    """The moves ``side`` may make from ``status``, in declaration order."""
    return [m for m in MOVES.values() if m.side == side and Status(status) in m.sources]


class IllegalMove(ValueError):
    """A move not allowed from the referral's current status, or not by this side."""

    def __init__(self, current: str, move: Move):
        current = Status(current)
        super().__init__(
            f"A community referral that is '{current.label}' cannot be moved with "
            f"'{move.label}'.")
        self.current = current
        self.move = move
