"""Window bounds: calendar months by calendar arithmetic, days by days; one place computes
them for the compiler and the reasons."""

from datetime import date

import pytest

from upstream.casefinding import model as m


@pytest.mark.parametrize(("as_of", "months", "first"), [
    (date(2024, 2, 29), 12, date(2023, 3, 1)),   # 12 months to 29 Feb start on 1 March
    (date(2024, 3, 31), 1, date(2024, 3, 1)),    # a month back from 31 March is 29 February
    (date(2025, 5, 31), 3, date(2025, 3, 1)),
    (date(2026, 3, 31), 6, date(2025, 10, 1)),
])
def test_months_windows_start_the_day_after_the_same_date_months_back(as_of, months, first):
    window = m.events("ed_attendances").in_last(months=months).window
    assert window.bounds(as_of) == (first, as_of)


def test_days_windows_count_days():
    window = m.events("ed_attendances").in_last(days=365).window
    assert window.bounds(date(2024, 2, 29)) == (date(2023, 3, 2), date(2024, 2, 29))
    assert m.Window(None).bounds(date(2024, 2, 29)) == (None, date(2024, 2, 29))


def test_a_window_takes_days_or_months_not_both():
    with pytest.raises(m.ModelError, match="days or months"):
        m.events("ed_attendances").in_last(days=30, months=1)
    with pytest.raises(m.ModelError, match="days or months"):
        m.events("ed_attendances").in_last()


def test_counting_conditions_needs_a_codelist():
    with pytest.raises(m.ModelError, match="codelist"):
        m.events("conditions").count_conditions()
    coded = m.events("conditions").coded("long_term_conditions")
    assert coded.count_conditions().distinct == m.CONDITION
