"""Who is in the population at all: age at as_of, deaths, deprivation and PLUS flags."""

from datetime import date, timedelta

from tests.spec.conftest import AS_OF, people


def born_years_ago(years: int, days_later: int = 0) -> date:
    return AS_OF.replace(year=AS_OF.year - years) + timedelta(days=days_later)


def test_age_is_whole_years_turning_on_the_birthday(engine):
    # 11 on the as-of birthday is in the 11-18 cohort, a day short of it is 10; 18 is in until
    # the 19th birthday.
    tables = {
        "patients": people({"birth_date": born_years_ago(11)},
                           {"birth_date": born_years_ago(11, days_later=1)},
                           {"birth_date": born_years_ago(19, days_later=1)},
                           {"birth_date": born_years_ago(19)}),
        "conditions": [{"patient_id": p, "code": "417357006", "recorded_date": date(2026, 1, 1)}
                       for p in (1, 2, 3, 4)],
    }
    assert engine.ids(tables, "cyp_long_term") == {1, 3}


def test_leap_day_birthday_turns_on_1_march_in_other_years(engine):
    tables = {
        "patients": people({"birth_date": date(2008, 2, 29)}),
        "conditions": [{"patient_id": 1, "code": "40108008", "recorded_date": date(2026, 1, 1)}],
    }
    # Born 29 February 2008: still 18 on 28 February 2027, 19 from 1 March 2027.
    assert engine.ids(tables, "cyp_long_term", as_of=date(2027, 2, 28)) == {1}
    assert engine.ids(tables, "cyp_long_term", as_of=date(2027, 3, 1)) == set()


def test_people_who_died_on_or_before_as_of_are_excluded(engine):
    tables = {"patients": people({"imd_decile": 1, "death_date": AS_OF - timedelta(days=1)},
                                 {"imd_decile": 1, "death_date": AS_OF},
                                 {"imd_decile": 1, "death_date": AS_OF + timedelta(days=1)},
                                 {"imd_decile": 1})}
    assert engine.ids(tables, "core20") == {3, 4}


def test_core20_is_imd_deciles_1_and_2(engine):
    tables = {"patients": people({"imd_decile": 1}, {"imd_decile": 2}, {"imd_decile": 3},
                                 {"imd_decile": None})}
    assert engine.ids(tables, "core20") == {1, 2}
    assert engine.ids(tables, "core20", overrides={"deciles": [1]}) == {1}


def test_plus_ethnic_minority_leaves_out_white_and_unknown_categories(engine):
    tables = {"patients": people(*({"ethnic_category": c} for c in ("A", "B", "C", "D", "H",
                                                                    "N", "S", "Z", "99")))}
    assert engine.ids(tables, "plus_ethnic_minority") == {4, 5, 6, 7}
