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
--  * A diagnosis is a code in `conditions` (SNOMED CT or ICD-10) or the ICD-10 primary
--    diagnosis of an admission; ICD-10 codes are compared without the dot. "Whatever the
--    coding": conditions are counted by condition, not by code. [the admissions half is mine]

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
WHERE recorded_date <= getvariable('as_of')
UNION ALL
SELECT patient_id, upper(trim(primary_diagnosis)), 'icd10', admission_date
FROM admissions
WHERE admission_date <= getvariable('as_of');

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
