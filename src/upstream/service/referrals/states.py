"""The episode state machine: the statuses of an episode of support and the legal moves.

Pure Python, no Django, so the rules are easy to read and to test on their own.
"""

from enum import StrEnum


class Status(StrEnum):
    REFERRED = "referred"
    TRIAGED = "triaged"
    WAITING = "waiting"
    ALLOCATED = "allocated"
    CONTACTING = "contacting"
    ENGAGED = "engaged"
    ACTIVE = "active"
    CLOSING = "closing"
    CLOSED = "closed"
    NOT_ENGAGED = "not_engaged"
    DECLINED = "declined"
    NOT_SUITABLE = "not_suitable"
    DECEASED = "deceased"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.REFERRED: "Referred, awaiting triage",
    Status.TRIAGED: "Accepted",
    Status.WAITING: "On waiting list",
    Status.ALLOCATED: "Allocated to a worker",
    Status.CONTACTING: "Trying to make contact",
    Status.ENGAGED: "Engaged",
    Status.ACTIVE: "Active support",
    Status.CLOSING: "Closing",
    Status.CLOSED: "Closed",
    Status.NOT_ENGAGED: "Closed: did not engage",
    Status.DECLINED: "Closed: declined",
    Status.NOT_SUITABLE: "Closed: not suitable",
    Status.DECEASED: "Closed: deceased",
}

TERMINAL = frozenset(
    {Status.CLOSED, Status.NOT_ENGAGED, Status.DECLINED, Status.NOT_SUITABLE, Status.DECEASED}
)
OPEN = frozenset(Status) - TERMINAL

CASELOAD = frozenset(
    {Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED, Status.ACTIVE, Status.CLOSING}
)
"""Statuses in which an episode counts towards its worker's caseload (and the team's limit)."""

_ENDINGS = {Status.DECLINED, Status.DECEASED}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REFERRED: frozenset({Status.TRIAGED, Status.NOT_SUITABLE, Status.CLOSED} | _ENDINGS),
    Status.TRIAGED: frozenset({Status.WAITING, Status.ALLOCATED, Status.CLOSED} | _ENDINGS),
    Status.WAITING: frozenset({Status.ALLOCATED, Status.CLOSED} | _ENDINGS),
    Status.ALLOCATED: frozenset({Status.CONTACTING, Status.ENGAGED, Status.WAITING} | _ENDINGS),
    Status.CONTACTING: frozenset({Status.ENGAGED, Status.NOT_ENGAGED} | _ENDINGS),
    Status.ENGAGED: frozenset({Status.ACTIVE, Status.CLOSING} | _ENDINGS),
    Status.ACTIVE: frozenset({Status.CLOSING} | _ENDINGS),
    Status.CLOSING: frozenset({Status.CLOSED, Status.ACTIVE, Status.DECEASED}),
    **{s: frozenset() for s in TERMINAL},
}
"""From each status, the statuses an episode may move to. Terminal statuses have none."""


class IllegalTransition(ValueError):
    """Raised when an episode is asked to make a move the state machine does not allow."""

    def __init__(self, current: Status, requested: Status):
        allowed = ", ".join(sorted(s.label for s in TRANSITIONS[current])) or "none (it is closed)"
        super().__init__(
            f"An episode that is '{current.label}' cannot move to '{requested.label}'. "
            f"Allowed next steps: {allowed}."
        )
        self.current = current
        self.requested = requested


def check_transition(current: str, requested: str) -> Status:
    """Return ``requested`` as a Status if the move is legal; raise IllegalTransition if not."""
    cur, req = Status(current), Status(requested)
    if req not in TRANSITIONS[cur]:
        raise IllegalTransition(cur, req)
    return req
