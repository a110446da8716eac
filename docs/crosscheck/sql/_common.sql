-- Shared views for the independent cross-check SQL (docs/crosscheck.md).
-- Written blind from /work/shared/PROGRAMMES.md and docs/data-dictionary.md only.
--
-- Expects: the contract tables (patients, ed_attendances, admissions, outpatient_appointments,
-- gp_appointments, conditions, screening_responses, police_notices) as tables or views, the
-- table xc_codelist loaded from docs/crosscheck/codelists.csv, and the variable as_of
-- (SET VARIABLE as_of = DATE 'YYYY-MM-DD').
--
-- Readings shared by every cohort (mine):
--  * "as of" a date: rows dated after it are ignored (data dictionary: "a date after the as-of
--    date has not happened yet at that date").
--  * A worklist is of living people: died on or before the as-of date -> excluded. [mine]
--  * Age is completed years at the as-of date; a 29 February birthday is reached on 1 March in
--    other years. [mine]
--  * "N months": calendar periods ending on the as-of date, i.e. dates in
--    (as_of - N months, as_of] (PROGRAMMES.md: "12 months to 29 February 2024 starts on
--    1 March 2023").
--  * A diagnosis is a code in `conditions` (SNOMED CT or ICD-10); ICD-10 codes are compared
--    without the dot, by prefix. "Whatever the coding": conditions are counted by condition,
--    not by code.
--    [PHASE 2 FIX, my SQL's defect: phase 1 also counted admissions' primary diagnoses as
--     conditions. The data dictionary says the `conditions` table's codes "are matched
--     against the codelists of the cohort definitions"; an admission's diagnosis is an event
--     of the admission, used only where a programme names the hospital event (the MI
--     admission, xc_mi below).]
--  * A myocardial infarction is an admission whose primary diagnosis is in the
--    myocardial_infarction codelist, dated by its admission date.
--    [PHASE 2 FIX, my SQL's defect: phase 1 also took MI codes from `conditions`, whose
--     recorded_date is when a code was recorded (e.g. by the GP, later), not when the
--     infarction happened, so it cannot date the "weeks after myocardial infarction".]

CREATE OR REPLACE TEMP VIEW xc_people AS
SELECT
    patient_id,
    birth_date,
    imd_decile,
    ethnic_category,
    practice_code,
    year(getvariable('as_of')) - year(birth_date)
        - CASE WHEN strftime(getvariable('as_of'), '%m%d') < strftime(birth_date, '%m%d')
               THEN 1 ELSE 0 END AS age
FROM patients
WHERE birth_date <= getvariable('as_of')
  AND (death_date IS NULL OR death_date > getvariable('as_of'));

CREATE OR REPLACE TEMP VIEW xc_records AS
SELECT patient_id, upper(trim(code)) AS code, code_system, recorded_date AS event_date
FROM conditions
WHERE recorded_date <= getvariable('as_of');

-- One row per (person, codelist, condition, date) with a matching code.
CREATE OR REPLACE TEMP VIEW xc_coded AS
SELECT DISTINCT r.patient_id, c.codelist, c.condition, r.event_date
FROM xc_records r
JOIN xc_codelist c
  ON c.include
 AND r.code_system = c.code_system
 AND replace(r.code, '.', '') LIKE replace(c.pattern, '.', '')
WHERE NOT EXISTS (
    SELECT 1 FROM xc_codelist x
    WHERE NOT x.include
      AND x.codelist = c.codelist
      AND x.code_system = r.code_system
      AND replace(r.code, '.', '') LIKE replace(x.pattern, '.', '')
);

-- Distinct long-term conditions per person, ever recorded up to the as-of date.
CREATE OR REPLACE TEMP VIEW xc_ltc_count AS
SELECT patient_id, count(DISTINCT condition) AS n_ltc
FROM xc_coded
WHERE codelist = 'long_term_conditions'
GROUP BY patient_id;

-- ED attendances up to the as-of date, with the arrival date.
CREATE OR REPLACE TEMP VIEW xc_ed AS
SELECT attendance_id, patient_id, CAST(arrival_time AS DATE) AS arrival_date, department_type
FROM ed_attendances
WHERE CAST(arrival_time AS DATE) <= getvariable('as_of');

-- Myocardial infarction admissions up to the as-of date (one row per admission).
CREATE OR REPLACE TEMP VIEW xc_mi AS
SELECT a.admission_id, a.patient_id, a.admission_date AS mi_date
FROM admissions a
WHERE a.admission_date <= getvariable('as_of')
  AND EXISTS (
      SELECT 1 FROM xc_codelist c
      WHERE c.include AND c.codelist = 'myocardial_infarction' AND c.code_system = 'icd10'
        AND replace(upper(trim(a.primary_diagnosis)), '.', '') LIKE replace(c.pattern, '.', '')
  )
  AND NOT EXISTS (
      SELECT 1 FROM xc_codelist x
      WHERE NOT x.include AND x.codelist = 'myocardial_infarction' AND x.code_system = 'icd10'
        AND replace(upper(trim(a.primary_diagnosis)), '.', '') LIKE replace(x.pattern, '.', '')
  );
