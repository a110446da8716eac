"""The episode state machine, pinned by tables: every legal move, and a sample of illegal ones
refused with a message that names both statuses and the allowed next steps."""

import pytest

from upstream.service.referrals.states import (
    CASELOAD,
    OPEN,
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    Status,
    check_transition,
)

LEGAL = """
referred     triaged not_suitable closed declined deceased
triaged      waiting allocated closed declined deceased
waiting      allocated closed declined deceased
allocated    contacting engaged waiting declined deceased
contacting   engaged not_engaged declined deceased
engaged      active closing declined deceased
active       closing declined deceased
closing      closed active deceased
closed
not_engaged
declined
not_suitable
deceased
"""
"""Each line: a status, then every status it may move to."""

EXPECTED = {
    Status(line.split()[0]): {Status(s) for s in line.split()[1:]}
    for line in LEGAL.strip().splitlines()
}

ILLEGAL = [
    ("referred", "allocated"),
    ("referred", "engaged"),
    ("triaged", "engaged"),
    ("waiting", "contacting"),
    ("allocated", "closed"),
    ("contacting", "active"),
    ("engaged", "closed"),
    ("active", "engaged"),
    ("closing", "referred"),
    ("closed", "referred"),
    ("declined", "engaged"),
    ("deceased", "active"),
    ("not_engaged", "contacting"),
    ("referred", "referred"),
]


def test_the_table_covers_every_status():
    assert set(EXPECTED) == set(Status) == set(TRANSITIONS)


@pytest.mark.parametrize("current", list(Status))
def test_legal_moves_match_the_table(current):
    assert set(TRANSITIONS[current]) == EXPECTED[current]


@pytest.mark.parametrize("current, requested",
                         [(c, r) for c, targets in EXPECTED.items() for r in sorted(targets)])
def test_every_legal_move_is_allowed(current, requested):
    assert check_transition(current.value, requested.value) == requested


@pytest.mark.parametrize("current, requested", ILLEGAL)
def test_illegal_moves_are_refused_with_a_clear_message(current, requested):
    with pytest.raises(IllegalTransition) as refused:
        check_transition(current, requested)
    message = str(refused.value)
    assert f"'{Status(current).label}' cannot move to '{Status(requested).label}'" in message
    assert "Allowed next steps:" in message


def test_a_closed_episode_says_nothing_follows():
    with pytest.raises(IllegalTransition, match=r"none \(it is closed\)"):
        check_transition("closed", "active")


def test_terminal_statuses_have_no_way_out_and_open_ones_do():
    assert all(not TRANSITIONS[s] for s in TERMINAL)
    assert all(TRANSITIONS[s] for s in OPEN)
    assert OPEN | TERMINAL == set(Status) and not OPEN & TERMINAL


def test_every_open_episode_can_still_be_closed_somehow():
    def reaches_terminal(status, seen=frozenset()):
        return status in TERMINAL or any(
            reaches_terminal(n, seen | {status}) for n in TRANSITIONS[status] - seen)
    assert all(reaches_terminal(s) for s in Status)


def test_the_caseload_counts_allocated_to_closing():
    assert CASELOAD == {Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED, Status.ACTIVE,
                        Status.CLOSING}
    assert CASELOAD <= OPEN
