-- ncl_ed_hiu: High intensity use service, North Middlesex (Enfield, Haringey).
-- Programme text (PROGRAMMES.md):
--   "Attends ED more than 15 times a year or more than 5 times a month. The team receives a
--    report of the top 120 high intensity users from A&E systems"
--   "'attends the emergency department': major and single-specialty EDs (ECDS types 1–2)";
--   "'12 months', '3 months', 'a month': calendar periods"; "The sources give no age for
--    North Middlesex".
-- Rules:
--   1. ED attendances = department types 1 and 2.
--   2. "a year": 16 or more attendances in the 12 months to the as-of date; or
--   3. "a month": 6 or more attendances within one calendar month's span: some attendance
--      date d in the 12-month window such that the attendances dated in (d - 1 month, d]
--      number 6 or more (a rolling calendar month inside the last 12 months).
--                                                                   [rolling month: mine]
--   4. No age limit (the source gives none).                               [LOCAL: mine]
--   The "top 120" cut is a worklist size, not membership: the cross-check compares the
--   uncut cohort.                                                             [mine]
--   Living at the as-of date.
WITH ed AS (
    SELECT attendance_id, patient_id, arrival_date
    FROM xc_ed
    WHERE department_type IN (1, 2)
      AND arrival_date > getvariable('as_of') - INTERVAL 12 MONTH
),
year_count AS (
    SELECT patient_id FROM ed GROUP BY patient_id HAVING count(*) > 15
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
WHERE p.patient_id IN (SELECT patient_id FROM year_count UNION SELECT patient_id FROM month_count)
