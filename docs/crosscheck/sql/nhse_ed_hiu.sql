-- nhse_ed_hiu: the national (NHS England) high intensity user definition.
-- Programme text: none in PROGRAMMES.md; the cohort's name is the only cue.
-- PHASE 1 (blind) read it from memory as "attends A&E five or more times a year" (the British
-- Red Cross wording, "more than five times a year"): 5+ ED attendances in 12 months, all ages.
-- PHASE 2 FIX (my SQL's defect): NHS England's High Intensity Use programme page
-- (https://www.england.nhs.uk/high-intensity-use-programme/) says: "typically supports
-- individuals aged 18 and over who attend an Emergency Department (ED) more than expected.
-- We define this as attending ED more than five times a month, or more than 20 times a year."
-- PROGRAMMES.md: "'attends the emergency department': major and single-specialty EDs (ECDS
-- types 1–2)"; "'12 months', '3 months', 'a month': calendar periods ... not 365/91/30 days".
-- Rules:
--   1. Aged 18 or over at the as-of date.
--   2. ED attendances = department types 1 and 2, in the 12 months to the as-of date.
--   3. More than 20 of them; or
--   4. more than 5 (6 or more) within one calendar month's span: some attendance date d in the
--      window with 6 or more attendances dated in (d - 1 month, d].   [rolling month: mine]
--   Living at the as-of date.
WITH ed AS (
    SELECT attendance_id, patient_id, arrival_date
    FROM xc_ed
    WHERE department_type IN (1, 2)
      AND arrival_date > getvariable('as_of') - INTERVAL 12 MONTH
),
year_count AS (
    SELECT patient_id FROM ed GROUP BY patient_id HAVING count(*) > 20
),
month_count AS (
    SELECT DISTINCT a.patient_id
    FROM ed a JOIN ed b
      ON b.patient_id = a.patient_id
     AND b.arrival_date <= a.arrival_date
     AND b.arrival_date > a.arrival_date - INTERVAL 1 MONTH
    GROUP BY a.patient_id, a.attendance_id
    HAVING count(*) > 5
)
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.age >= 18
  AND p.patient_id IN (SELECT patient_id FROM year_count UNION SELECT patient_id FROM month_count)
