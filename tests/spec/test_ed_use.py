"""ED high intensity use: counts in the last 12 months and 6 attendances within 30 days."""

from datetime import timedelta

from tests.spec.conftest import AS_OF, at, people


def days_ago(n: int):
    return AS_OF - timedelta(days=n)


def spread(patient_id: int, count: int, every: int = 20, first: int = 1) -> list[dict]:
    """``count`` attendances ``every`` days apart, the latest ``first`` days before as_of."""
    return [{"patient_id": patient_id, "arrival_time": at(days_ago(first + i * every))}
            for i in range(count)]


def test_ncl_more_than_15_in_12_months(engine):
    tables = {"patients": people({}, {}), "ed_attendances": spread(1, 15) + spread(2, 16)}
    assert engine.ids(tables, "ncl_ed_hiu") == {2}


def test_nhse_more_than_20_in_12_months(engine):
    tables = {"patients": people({}, {}), "ed_attendances": spread(1, 20, every=17)
              + spread(2, 21, every=17)}
    assert engine.ids(tables, "nhse_ed_hiu") == {2}


def test_twelve_months_are_the_365_days_ending_on_as_of(engine):
    # 15 spread attendances, plus one on the window's edge: as_of - 364 days is in, -365 out;
    # a late-evening arrival on as_of itself is in.
    tables = {
        "patients": people({}, {}, {}),
        "ed_attendances": spread(1, 15, every=20, first=5)
        + [{"patient_id": 1, "arrival_time": at(days_ago(364), 0, 1)}]
        + spread(2, 15, every=20, first=5)
        + [{"patient_id": 2, "arrival_time": at(days_ago(365), 23, 59)}]
        + spread(3, 15, every=20, first=5)
        + [{"patient_id": 3, "arrival_time": at(AS_OF, 23, 59)}],
    }
    assert engine.ids(tables, "ncl_ed_hiu") == {1, 3}


def test_six_within_fewer_than_30_days(engine):
    # Person 1: six attendances whose first and last dates are 29 days apart (in);
    # person 2: 30 days apart (out); person 3: only five within 10 days (out).
    tables = {
        "patients": people({}, {}, {}),
        "ed_attendances": [{"patient_id": 1, "arrival_time": at(days_ago(d))}
                           for d in (40, 35, 30, 25, 20, 11)]
        + [{"patient_id": 2, "arrival_time": at(days_ago(d))} for d in (40, 35, 30, 25, 20, 10)]
        + [{"patient_id": 3, "arrival_time": at(days_ago(d))} for d in (20, 18, 16, 14, 12)],
    }
    assert engine.ids(tables, "ncl_ed_hiu") == {1}
    assert engine.ids(tables, "nhse_ed_hiu") == {1}


def test_six_within_30_days_compares_arrival_dates_not_times(engine):
    # First arrival late in the evening, sixth early in the morning 30 dates later: under 30
    # days by the clock, but 30 days by date, so not a cluster.
    tables = {
        "patients": people({}),
        "ed_attendances": [{"patient_id": 1, "arrival_time": at(days_ago(40), 22)}]
        + [{"patient_id": 1, "arrival_time": at(days_ago(d))} for d in (35, 30, 25, 20)]
        + [{"patient_id": 1, "arrival_time": at(days_ago(10), 6)}],
    }
    assert engine.ids(tables, "ncl_ed_hiu") == set()


def test_cluster_must_fall_inside_the_12_months(engine):
    tables = {
        "patients": people({}),
        "ed_attendances": [{"patient_id": 1, "arrival_time": at(days_ago(d))}
                           for d in (380, 375, 370, 366, 364, 362)],
    }
    assert engine.ids(tables, "ncl_ed_hiu") == set()


def test_ed_cohorts_are_adults(engine):
    tables = {
        "patients": people({"birth_date": AS_OF.replace(year=AS_OF.year - 18)},
                           {"birth_date": AS_OF.replace(year=AS_OF.year - 18) + timedelta(days=1)}),
        "ed_attendances": spread(1, 16) + spread(2, 16),
    }
    assert engine.ids(tables, "ncl_ed_hiu") == {1}


def test_westminster_more_than_5_any_department_any_age(engine):
    child = {"birth_date": AS_OF.replace(year=AS_OF.year - 4)}
    tables = {
        "patients": people(child, {}),
        "ed_attendances": [{**row, "department_type": 2 + i % 2}
                           for i, row in enumerate(spread(1, 6, every=40))]
        + spread(2, 5, every=40),
    }
    assert engine.ids(tables, "westminster_uec_hiu") == {1}


def test_ncl_score_is_the_attendance_count_and_reasons_say_why(engine):
    tables = {"patients": people({}), "ed_attendances": spread(1, 17, every=5)}
    found = engine.matches(tables, "ncl_ed_hiu")
    assert found["score"].tolist() == [17.0]
    reasons = found["reasons"].iloc[0]
    assert ("17 ED attendances at emergency departments (types 1-2) in the 12 months to "
            "2026-03-31 (more than 15)") in reasons
    assert ("6 ED attendances at emergency departments (types 1-2) within 30 days ending "
            "2026-03-30") in reasons
