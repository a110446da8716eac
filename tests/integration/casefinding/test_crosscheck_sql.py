"""The engine against SQL written independently from the programme descriptions
(docs/crosscheck.md, docs/crosscheck/sql/), on a small synthetic world with planted people.

Where the readings agree, the independent SQL must find exactly the engine's people. Where they
differ, the aligned SQL (the engine's reading, written from its definition) must find exactly
the engine's people, and the independent SQL must differ in the documented direction: so the
documented reading is the whole of the difference, and a change on either side fails here.
"""

from datetime import date, datetime, time, timedelta

import pyarrow.parquet as pq
import pytest

from tests.benchmarks import crosscheck_sql as crosscheck
from tests.spec.conftest import AS_OF, contract_arrow
from upstream.casefinding.engine import available_cohorts
from upstream.synth.world import DEFAULT_AS_OF, generate

AGREE = {"core20", "cyp_long_term", "leicester_multimorbidity", "plus_ethnic_minority",
         "westminster_uec_hiu"}
WIDER = {"barts_heart", "barts_yad", "hillingdon_hiu", "kc_primary_care_hiu",
         "leicester_crisis", "ncl_ed_hiu", "nhse_ed_hiu"}
"""The independent reading finds everyone the engine finds, and more (docs/crosscheck.md)."""
BOTH_WAYS = {"cardiac_rehab_not_taken_up"}
"""Each reading finds people the other does not (windows in days and an uptake deadline)."""


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory):
    world = tmp_path_factory.mktemp("synth")
    generate(world, people=3000, seed=7)
    return {c.cohort: c for c in crosscheck.compare(world, DEFAULT_AS_OF)}


def test_every_shipped_cohort_is_cross_checked_and_classified():
    assert crosscheck.sql_cohort_names() == sorted(available_cohorts())
    assert AGREE | WIDER | BOTH_WAYS == set(available_cohorts())
    assert crosscheck.aligned_cohort_names() == sorted(WIDER | BOTH_WAYS)


@pytest.mark.parametrize("cohort", sorted(AGREE))
def test_where_readings_agree_the_independent_sql_finds_the_same_people(comparisons, cohort):
    found = comparisons[cohort]
    assert found.engine, "an empty cohort would agree vacuously"
    assert found.sql == found.engine
    assert found.own_codes == found.engine


@pytest.mark.parametrize("cohort", sorted(WIDER | BOTH_WAYS))
def test_where_readings_differ_the_aligned_sql_finds_the_engines_people(comparisons, cohort):
    found = comparisons[cohort]
    assert found.engine
    assert found.aligned == found.engine


@pytest.mark.parametrize("cohort", sorted(WIDER))
def test_the_wider_independent_readings_find_strictly_more(comparisons, cohort):
    found = comparisons[cohort]
    assert found.engine < found.sql


def test_cardiac_rehab_readings_each_find_people_the_other_does_not(comparisons):
    found = comparisons["cardiac_rehab_not_taken_up"]
    assert found.engine - found.sql and found.sql - found.engine


class BoundaryWorld:
    """A tiny world of boundary cases, one person per case, written as contract Parquet."""

    def __init__(self):
        self.rows: dict[str, list[dict]] = {table: [] for table in crosscheck.TABLES}

    def person(self, **patient) -> int:
        patient_id = len(self.rows["patients"]) + 1
        self.rows["patients"].append({"patient_id": patient_id,
                                      "birth_date": date(1980, 1, 1), **patient})
        return patient_id

    def add(self, table: str, patient_id: int, **row) -> None:
        self.rows[table].append({"patient_id": patient_id, **row})

    def write(self, folder) -> None:
        for table, rows in self.rows.items():
            pq.write_table(contract_arrow(table, rows), folder / f"{table}.parquet")


def boundary_world() -> tuple[BoundaryWorld, dict[str, int]]:
    """The boundary cases at AS_OF (31 March 2026) and the ids of the telling ones."""
    w, ids = BoundaryWorld(), {}
    child = date(2012, 1, 1)
    for code, system in [("d57.1", "icd10"), ("D573", "icd10"), ("16402000", "snomed"),
                         ("D57.3", "icd10"), ("Z992", "icd10")]:
        w.add("conditions", w.person(birth_date=child), code=code, code_system=system,
              recorded_date=date(2026, 1, 1))
    for day in (date(2025, 12, 31), date(2026, 1, 1)):    # dialysis: 3 months start 1 January
        w.add("conditions", w.person(birth_date=child), code="265764009",
              code_system="snomed", recorded_date=day)
    for span in (28, 29, 30):                              # six ED arrivals over `span` days
        ids[f"ed_span_{span}"] = p = w.person()
        for day in [AS_OF - timedelta(days=span), *(AS_OF - timedelta(days=i) for i in range(5))]:
            w.add("ed_attendances", p, arrival_time=datetime.combine(day, time(23, 59)),
                  department_type=1)
    p = w.person()
    for _ in range(6):                                     # six at one moment, type 2
        w.add("ed_attendances", p, arrival_time=datetime(2025, 6, 10, 12), department_type=2)
    for day in (date(2025, 3, 31), date(2025, 4, 1)):      # 12 months start 1 April 2025
        p = w.person()
        for hour in range(6):
            w.add("ed_attendances", p, arrival_time=datetime.combine(day, time(hour)),
                  department_type=3)
    for day in (date(2025, 12, 31), date(2026, 1, 1)):     # 3 months start 1 January
        p = w.person()
        for _ in range(5):
            w.add("gp_appointments", p, appointment_date=day, status="attended")
        for code in ("38341003", "195967001"):
            w.add("conditions", p, code=code, code_system="snomed",
                  recorded_date=date(2020, 1, 1))
    five = [("46635009", "snomed"), ("E11.9", "icd10"), ("38341003", "snomed"), ("I10", "icd10"),
            ("195967001", "snomed"), ("J44.1", "icd10"), ("84114007", "snomed")]
    for codes in (five[:-1], five):     # diabetes twice over = one condition: 4, then 5
        p = w.person()
        for code, system in codes:
            w.add("conditions", p, code=code, code_system=system, recorded_date=date(2020, 1, 1))
    for gap in (70, 71):                                   # 'yes' 70 / 71 days after the MI
        ids[f"heart_yes_day_{gap}"] = p = w.person(birth_date=date(1960, 1, 1))
        w.add("admissions", p, admission_date=date(2025, 10, 1), primary_diagnosis="I21.4")
        w.add("screening_responses", p, response_date=date(2025, 10, 1) + timedelta(days=gap))
    for ago, gap in ((84, None), (83, None), (200, 84), (200, 85), (365, None), (366, None)):
        ids[f"rehab_{ago}_{gap}"] = p = w.person(birth_date=date(1960, 1, 1))
        day = AS_OF - timedelta(days=ago)
        w.add("admissions", p, admission_date=day, primary_diagnosis="i21.0")
        if gap is not None:
            w.add("outpatient_appointments", p, appointment_date=day + timedelta(days=gap),
                  specialty_code="327", attendance_status="attended")
    for age, attended in ((16, 4), (25, 4), (26, 4), (20, 5), (20, 2)):   # one DNA each
        p = w.person(birth_date=date(AS_OF.year - age, 1, 1))
        w.add("conditions", p, code="E10.9", code_system="icd10", recorded_date=date(2020, 1, 1))
        w.add("outpatient_appointments", p, appointment_date=date(2026, 1, 1),
              specialty_code="307", attendance_status="did_not_attend")
        for i in range(attended):
            w.add("outpatient_appointments", p, appointment_date=date(2025, 6, 1 + i),
                  specialty_code="307", attendance_status="attended")
    for day in (date(2025, 9, 30), date(2025, 10, 1)):     # 6 months start 1 October
        w.add("police_notices", w.person(practice_code="C82001"), notice_date=day)
    w.person(birth_date=date(2026, 6, 1), imd_decile=1, ethnic_category="D")   # born later
    w.person(imd_decile=2, death_date=date(2026, 5, 1), ethnic_category="H")   # dies later
    w.person(imd_decile=None, ethnic_category="Z")
    return w, ids


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory):
    folder = tmp_path_factory.mktemp("boundaries")
    world, ids = boundary_world()
    world.write(folder)
    return {c.cohort: c for c in crosscheck.compare(folder, AS_OF)}, ids


def test_at_the_boundaries_agreeing_readings_find_the_same_people(boundaries):
    found, _ = boundaries
    for cohort in AGREE:
        assert found[cohort].engine, cohort
        assert found[cohort].sql == found[cohort].engine, cohort


def test_at_the_boundaries_the_aligned_sql_finds_the_engines_people(boundaries):
    found, _ = boundaries
    for cohort in WIDER | BOTH_WAYS:
        assert found[cohort].aligned == found[cohort].engine, cohort


def test_at_the_boundaries_the_differences_are_the_documented_ones(boundaries):
    found, ids = boundaries
    # "a month": 30 days wide is not fewer than 30 days (engine) but is within a calendar month
    for cohort in ("ncl_ed_hiu", "nhse_ed_hiu"):
        assert found[cohort].sql - found[cohort].engine == {ids["ed_span_30"]}
        assert {ids["ed_span_28"], ids["ed_span_29"]} <= found[cohort].engine
    heart = found["barts_heart"]
    assert ids["heart_yes_day_70"] in heart.engine
    assert heart.sql - heart.engine == {ids["heart_yes_day_71"]}
    rehab = found["cardiac_rehab_not_taken_up"]
    assert rehab.sql - rehab.engine == {ids["rehab_83_None"]}                  # too recent
    assert {ids["rehab_200_85"], ids["rehab_365_None"]} <= rehab.engine - rehab.sql
    assert ids["rehab_200_84"] not in rehab.engine | rehab.sql
    assert ids["rehab_366_None"] not in rehab.engine | rehab.sql
