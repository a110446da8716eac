"""Calendar windows: "12 months", "3 months", "6 months" are calendar periods ending on the
as-of date (12 months to 29 February 2024 start on 1 March 2023), not 365/91/182 days; reasons
say "12 months" only for 12 months."""

from datetime import date

from tests.spec.conftest import at, people
from upstream.casefinding import model as m
from upstream.casefinding.engine import find_matches

LEAP_DAY = date(2024, 2, 29)


def six_visits(patient_id: int, first: date) -> list[dict]:
    """Six attendances, the first on ``first`` and five in the winter of 2023-24."""
    later = [date(2023, 10, 1), date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 2),
             date(2024, 2, 1)]
    return [{"patient_id": patient_id, "arrival_time": at(day)} for day in [first, *later]]


def test_twelve_months_to_29_february_start_on_1_march(engine):
    # The last 365 days to 29 Feb 2024 start on 2 March 2023, so a count in days would miss
    # 1 March; the 12 months include it and leave out 28 February 2023.
    tables = {"patients": people({}, {}),
              "ed_attendances": six_visits(1, date(2023, 3, 1)) + six_visits(2, date(2023, 2, 28))}
    assert engine.ids(tables, "westminster_uec_hiu", as_of=LEAP_DAY) == {1}


def test_twelve_months_to_31_march_2024_hold_366_days(engine):
    # 365 days back from 31 March 2024 start on 2 April 2023; 12 months start on 1 April 2023.
    as_of = date(2024, 3, 31)
    tables = {"patients": people({}, {}),
              "ed_attendances": six_visits(1, date(2023, 4, 1)) + six_visits(2, date(2023, 3, 31))}
    assert engine.ids(tables, "westminster_uec_hiu", as_of=as_of) == {1}


def test_three_months_are_calendar_months(engine):
    # 3 months to 31 May start on 1 March (91 days would start on 2 March).
    as_of = date(2025, 5, 31)
    visits = [date(2025, 5, d) for d in (1, 8, 15, 22)]
    tables = {
        "patients": people({}, {}),
        "gp_appointments": [{"patient_id": p, "appointment_date": d}
                            for p, first in ((1, date(2025, 3, 1)), (2, date(2025, 2, 28)))
                            for d in [first, *visits]],
        "conditions": [{"patient_id": p, "code": c, "recorded_date": date(2020, 1, 1)}
                       for p in (1, 2) for c in ("38341003", "195967001")],
    }
    assert engine.ids(tables, "kc_primary_care_hiu", as_of=as_of) == {1}


def test_reasons_say_12_months_only_for_12_months(engine):
    tables = {"patients": people({}),
              "ed_attendances": six_visits(1, date(2023, 6, 1))}
    months = engine.matches(tables, "westminster_uec_hiu", as_of=LEAP_DAY)["reasons"].iloc[0]
    assert "in the 12 months to 2024-02-29" in months
    in_days = m.Cohort("days", m.events("ed_attendances").in_last(days=365).count() > 5)
    loaded = engine.load(tables)
    reasons = find_matches(loaded, [in_days], LEAP_DAY)["reasons"].iloc[0]
    assert "in the 365 days to 2024-02-29" in reasons
    assert "12 months" not in reasons
