"""Next opening from HSDS schedules (RFC 5545 rules)."""

from datetime import date, datetime, time

from upstream.standards.opening_times import Rule, next_opening, soonest

WEDNESDAY_NOON = datetime(2026, 12, 2, 12, 0)  # 2 December 2026 is a Wednesday


def test_weekly_on_tuesdays_opens_next_tuesday():
    rule = Rule(freq="WEEKLY", byday="TU", opens_at=time(9, 30), closes_at=time(12))
    opening = next_opening(rule, WEDNESDAY_NOON)
    assert opening.starts == datetime(2026, 12, 8, 9, 30)
    assert opening.ends == datetime(2026, 12, 8, 12, 0)


def test_a_session_running_now_is_the_next_opening_and_is_open():
    rule = Rule(freq="WEEKLY", byday="MO,WE", opens_at=time(10), closes_at=time(14))
    opening = next_opening(rule, WEDNESDAY_NOON)
    assert opening.starts == datetime(2026, 12, 2, 10, 0)
    assert opening.is_open_at(WEDNESDAY_NOON)


def test_a_session_that_finished_today_moves_to_the_next_day():
    rule = Rule(freq="WEEKLY", byday="WE,FR", opens_at=time(9), closes_at=time(11))
    assert next_opening(rule, WEDNESDAY_NOON).starts == datetime(2026, 12, 4, 9, 0)


def test_monthly_second_tuesday_and_last_friday():
    second_tuesday = Rule(freq="MONTHLY", byday="2TU", opens_at=time(18), closes_at=time(20))
    assert next_opening(second_tuesday, WEDNESDAY_NOON).starts == datetime(2026, 12, 8, 18)
    last_friday = Rule(freq="MONTHLY", byday="-1FR", opens_at=time(13))
    assert next_opening(last_friday, WEDNESDAY_NOON).starts == datetime(2026, 12, 25, 13)


def test_validity_and_unknown_rules_give_none():
    ended = Rule(freq="WEEKLY", byday="TU", opens_at=time(9), valid_to=date(2026, 11, 30))
    assert next_opening(ended, WEDNESDAY_NOON) is None
    assert next_opening(Rule(freq="WEEKLY", byday="TUESDAYS", opens_at=time(9)),
                        WEDNESDAY_NOON) is None
    assert next_opening(Rule(byday="TU", opens_at=time(9)), WEDNESDAY_NOON) is None
    assert next_opening(Rule(freq="WEEKLY", byday="TU"), WEDNESDAY_NOON) is None


def test_soonest_of_several_schedules():
    rules = [Rule(freq="WEEKLY", byday="FR", opens_at=time(9)),
             Rule(freq="WEEKLY", byday="TH", opens_at=time(14))]
    assert soonest(rules, WEDNESDAY_NOON).starts == datetime(2026, 12, 3, 14)
    assert soonest([], WEDNESDAY_NOON) is None
