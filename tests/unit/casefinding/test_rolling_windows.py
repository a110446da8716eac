"""The portable k-within-days formulation agrees with counting every 30-day stretch by hand."""

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.spec.conftest import AS_OF, contract_frame
from upstream.casefinding.engine import find_matches


def by_hand(days_ago: list[int], k: int = 6, within: int = 30, more_than: int = 15) -> bool:
    """NCL by brute force: some date d such that k arrivals fall on dates in [d, d + 29],
    or more than 15 arrivals, counting only the 365 days to as_of."""
    dates = sorted(AS_OF - timedelta(days=n) for n in days_ago if n < 365)
    if len(dates) > more_than:
        return True
    return any(sum(start <= d < start + timedelta(days=within) for d in dates) >= k
               for start in dates)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.integers(0, 80), st.integers(330, 400)), max_size=18),
                min_size=1, max_size=6))
def test_ncl_matches_a_brute_force_count(people_days):
    patients = [{"patient_id": i, "birth_date": date(1980, 1, 1)}
                for i in range(1, len(people_days) + 1)]
    attendances = [
        {"patient_id": i, "arrival_time": datetime.combine(AS_OF - timedelta(days=n),
                                                           datetime.min.time())
         + timedelta(hours=(n * 7) % 24)}
        for i, days in enumerate(people_days, start=1) for n in days
    ]
    tables = {"patients": contract_frame("patients", patients),
              "ed_attendances": contract_frame("ed_attendances", attendances)}
    found = set(find_matches(tables, ["ncl_ed_hiu"], AS_OF)["patient_id"])
    expected = {i for i, days in enumerate(people_days, start=1) if by_hand(days)}
    assert found == expected
