"""The synthetic world: deterministic, valid against the contract, realistically structured,
and its planted truth holds every boundary case."""

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.data.schema import TABLES
from upstream.data.validation import validate
from upstream.standards.nhs_number import is_valid
from upstream.synth import codes, planted, truth
from upstream.synth.world import arrow_schema, generate

from .conftest import AS_OF

LAST_YEAR = "arrival_time > DATE '2025-03-31'"


def sql(world, query: str):
    folder, _ = world
    con = duckdb.connect()
    for name in (*TABLES, "truth"):
        con.read_parquet(str(folder / f"{name}.parquet")).create_view(name)
    return con.sql(query).fetchall()


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name, people=1_500, seed=seed, as_of=AS_OF, chunk_size=1_000)
    for table in (*TABLES, "truth"):
        first = (tmp_path / "a" / f"{table}.parquet").read_bytes()
        assert first == (tmp_path / "b" / f"{table}.parquet").read_bytes(), table
    different = pq.read_table(tmp_path / "c" / "patients.parquet")
    assert not different.equals(pq.read_table(tmp_path / "a" / "patients.parquet"))


def test_tables_follow_the_contract_and_pass_validation(world):
    folder, summary = world
    for name in TABLES:
        assert pq.read_schema(folder / f"{name}.parquet").equals(arrow_schema(name))
    report = validate(folder, AS_OF)
    assert report.ok, report.to_text()
    # the only remarks: rows after the as-of date (booked appointments, next-morning arrivals)
    assert {p.kind for p in report.problems} == {"future_date"}, report.to_text()
    assert summary.rows["patients"] == 20_000
    assert summary.activity_rows >= 15 * 20_000


def test_nhs_numbers_are_unique_valid_test_range_numbers(world):
    folder, _ = world
    numbers = pq.read_table(folder / "patients.parquet", columns=["nhs_number"]).column(0)
    values = numbers.to_pylist()
    assert None not in values and len(set(values)) == len(values)
    assert all(v.startswith("999") and is_valid(v) for v in values)


def test_every_planted_expectation_holds_in_the_truth(world):
    folder, _ = world
    found = pd.read_parquet(folder / "truth.parquet")
    members = set(zip(found["patient_id"], found["cohort"], strict=True))
    _, expectations = planted.plant(AS_OF)
    assert {e.cohort for e in expectations} == set(truth.COHORTS)
    wrong = [e for e in expectations if ((e.patient_id, e.cohort) in members) != e.member]
    assert wrong == []


def test_truth_excludes_the_dead_and_holds_random_people_too(world):
    dead_members = sql(world, """
        SELECT count(*) FROM truth JOIN patients USING (patient_id)
        WHERE death_date <= DATE '2026-03-31'
    """)  # fmt: skip
    assert dead_members == [(0,)]
    n_planted = len(planted.plant(AS_OF)[0]["patients"])
    per_cohort = dict(sql(world, f"""
        SELECT cohort, count(*) FROM truth WHERE patient_id > {n_planted} GROUP BY cohort
    """))  # fmt: skip
    for cohort in ("ncl_ed_hiu", "westminster_uec_hiu", "kc_primary_care_hiu", "hillingdon_hiu",
                   "core20", "cardiac_rehab_not_taken_up"):
        assert per_cohort.get(cohort, 0) > 0, cohort


def test_ed_use_has_a_heavy_tail(world):
    [(share,)] = sql(world, f"""
        WITH counts AS (
            SELECT p.patient_id, count(e.patient_id) AS n
            FROM patients p LEFT JOIN (SELECT * FROM ed_attendances WHERE {LAST_YEAR}) e
            USING (patient_id) GROUP BY 1),
        ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r FROM counts)
        SELECT sum(n) FILTER (WHERE r <= (SELECT count(*) FROM counts) / 100) / sum(n) FROM ranked
    """)  # fmt: skip
    assert 0.05 < share < 0.30


def test_deprivation_raises_ed_use_and_long_term_conditions(world):
    ltc = ", ".join(f"'{c}'" for c in codes.LTC_CODES)
    rows = sql(world, f"""
        SELECT imd_decile <= 2 AS deprived,
               avg((SELECT count(*) FROM ed_attendances e WHERE e.patient_id = p.patient_id)),
               avg((SELECT count(DISTINCT code) FROM conditions c
                    WHERE c.patient_id = p.patient_id AND code IN ({ltc})))
        FROM patients p WHERE imd_decile <= 2 OR imd_decile >= 9 GROUP BY 1
    """)  # fmt: skip
    by_group = {deprived: (ed, ltcs) for deprived, ed, ltcs in rows}
    assert by_group[True][0] > 1.5 * by_group[False][0]
    assert by_group[True][1] > 1.1 * by_group[False][1]


def test_frequent_attenders_regress_to_the_mean(world):
    [(kept,)] = sql(world, """
        WITH y AS (
            SELECT patient_id,
                   count(*) FILTER (WHERE arrival_time > DATE '2024-03-31'
                                    AND arrival_time <= DATE '2025-03-31') AS y1,
                   count(*) FILTER (WHERE arrival_time > DATE '2025-03-31') AS y2
            FROM ed_attendances GROUP BY 1),
        a AS (SELECT patient_id FROM y ORDER BY y1 DESC, patient_id LIMIT 200),
        b AS (SELECT patient_id FROM y ORDER BY y2 DESC, patient_id LIMIT 200)
        SELECT count(*) / 200 FROM a JOIN b USING (patient_id)
    """)  # fmt: skip
    assert kept < 0.5


def test_young_adults_and_deprived_people_miss_more_appointments(world):
    rows = dict(sql(world, """
        SELECT CASE WHEN date_diff('year', birth_date, DATE '2026-03-31') BETWEEN 17 AND 29
                    AND imd_decile <= 3 THEN 'young deprived'
                    WHEN date_diff('year', birth_date, DATE '2026-03-31') >= 40
                    AND imd_decile >= 8 THEN 'older affluent' END AS grp,
               avg((status = 'did_not_attend')::int)
        FROM gp_appointments JOIN patients USING (patient_id) GROUP BY 1
    """))  # fmt: skip
    assert rows["young deprived"] > 2 * rows["older affluent"]


def test_activity_stops_at_death_and_only_bookings_reach_past_the_as_of_date(world):
    for table, status in (("gp_appointments", "status"),
                          ("outpatient_appointments", "attendance_status")):
        [(after_death, future_held, booked, past_booked, furthest)] = sql(world, f"""
            SELECT count(*) FILTER (WHERE appointment_date > death_date),
                   count(*) FILTER (WHERE appointment_date > DATE '2026-03-31'
                                    AND {status} != 'booked'),
                   count(*) FILTER (WHERE {status} = 'booked'),
                   count(*) FILTER (WHERE {status} = 'booked'
                                    AND appointment_date <= DATE '2026-03-31'),
                   max(appointment_date) - DATE '2026-03-31'
            FROM {table} JOIN patients USING (patient_id)
        """)  # fmt: skip
        assert (after_death, future_held, past_booked) == (0, 0, 0), table
        assert booked > 100 and 0 < furthest <= 90, table
    [(next_morning, later)] = sql(world, """
        SELECT count(*) FILTER (WHERE arrival_time >= DATE '2026-04-01'
                                AND arrival_time < TIMESTAMP '2026-04-01 06:00'),
               count(*) FILTER (WHERE arrival_time >= TIMESTAMP '2026-04-01 06:00')
        FROM ed_attendances
    """)  # fmt: skip
    assert next_morning > 0 and later == 0


def test_the_world_is_a_linked_extract_with_department_types_twins_and_traits(world):
    [(types,)] = sql(world, "SELECT list(DISTINCT department_type ORDER BY department_type) "
                            "FROM ed_attendances")
    assert types == [1, 2, 3]
    ltc = ", ".join(f"'{c}'" for c in codes.LTC_CODES)
    twins = ", ".join(f"'{c}'" for c in codes.ICD10_TWINS.values())
    [(gp_records, hospital_twins)] = sql(world, f"""
        SELECT count(*) FILTER (WHERE code IN ({ltc})),
               count(*) FILTER (WHERE code_system = 'icd10' AND code IN ({twins}))
        FROM conditions
    """)  # fmt: skip
    assert 0.15 < hospital_twins / gp_records < 0.35  # 30%, less those dated after as-of
    traits = ", ".join(f"'{c}'" for c in codes.TRAITS.values())
    [(carriers,)] = sql(world, f"SELECT count(*) FROM conditions WHERE code IN ({traits})")
    assert carriers > 10
    dialysis = codes.CODES["renal_dialysis"]
    [(current, past_only)] = sql(world, f"""
        WITH last AS (SELECT patient_id, max(recorded_date) AS latest FROM conditions
                      WHERE code = '{dialysis}' GROUP BY 1)
        SELECT count(*) FILTER (WHERE latest > DATE '2025-12-31'),
               count(*) FILTER (WHERE latest <= DATE '2025-12-31') FROM last
    """)  # fmt: skip
    assert current > 0 and past_only > 0


def test_too_few_people_for_the_planted_ones_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path / "w", people=10, seed=1)
    assert not (tmp_path / "w" / "patients.parquet").exists()


def test_the_command_writes_a_world(tmp_path):
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app, ["synth", "--people", "1000", "--seed", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "truth.parquet" in result.output
    assert pq.read_metadata(out / "patients.parquet").num_rows == 1000
    assert not list(out.glob("*.partial"))


def test_social_care_comes_to_older_multimorbid_people_and_ends_at_death(world):
    ltc = ", ".join(f"'{c}'" for c in codes.LTC_CODES)
    rows = dict(sql(world, f"""
        WITH p AS (
            SELECT patient_id,
                   date_diff('year', birth_date, DATE '2026-03-31') >= 75 AS older,
                   (SELECT count(DISTINCT code) FROM conditions c
                    WHERE c.patient_id = patients.patient_id AND code IN ({ltc})) >= 2 AS multi
            FROM patients WHERE birth_date <= DATE '2008-03-31')
        SELECT CASE WHEN older AND multi THEN 'older multimorbid'
                    WHEN NOT older AND NOT multi THEN 'younger, fewer conditions' END,
               avg((SELECT count(*) FROM social_care_events s
                    WHERE s.patient_id = p.patient_id AND s.event_type = 'Request'))
        FROM p WHERE older = multi GROUP BY 1
    """))  # fmt: skip
    assert rows["older multimorbid"] > 10 * rows["younger, fewer conditions"] > 0
    [(after_death, open_when_dead, long_term)] = sql(world, """
        SELECT count(*) FILTER (WHERE s.event_start_date >= p.death_date
                                 OR s.event_end_date >= p.death_date),
               count(*) FILTER (WHERE p.death_date IS NOT NULL AND s.event_end_date IS NULL),
               count(*) FILTER (WHERE s.service_type LIKE 'Long Term Support:%')
        FROM social_care_events s JOIN patients p USING (patient_id)
    """)  # fmt: skip
    assert (after_death, open_when_dead) == (0, 0) and long_term > 0
