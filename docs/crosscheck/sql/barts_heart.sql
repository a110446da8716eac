-- barts_heart: Barts Heart Centre (cardiology), financial difficulty after a heart attack.
-- Programme text (PROGRAMMES.md):
--   "Advanced clinical practitioners ask 'do you have difficulties making ends meet at the end
--    of the month?' at 1, 4 and 8 weeks after myocardial infarction. Patients who meet
--    criteria, or who do not attend, go to social prescribers embedded in the pathway"
-- Rules:
--   1. A myocardial infarction admission (xc_mi: primary diagnosis in codelist
--      myocardial_infarction) dated in the 12 months to the as-of date.
--                                                                  [12-month window: mine]
--   2a. "meet criteria": answered `yes` to question `making_ends_meet` on or after the MI date
--       (and not after the as-of date).                                [any time after: mine]
--   2b. "do not attend": a `did_not_attend` cardiology (treatment function 320) outpatient
--       appointment on or after the MI date.                 [cardiology clinic as the proxy
--       for the 1/4/8-week reviews: mine]
--   Person is in the cohort if 1 and (2a or 2b). Living at the as-of date (see _common.sql).
WITH mi AS (
    SELECT patient_id, min(mi_date) AS mi_date
    FROM xc_mi
    WHERE mi_date > getvariable('as_of') - INTERVAL 12 MONTH
    GROUP BY patient_id
),
positive AS (
    SELECT DISTINCT m.patient_id
    FROM mi m JOIN screening_responses s ON s.patient_id = m.patient_id
    WHERE s.question_code = 'making_ends_meet' AND s.answer = 'yes'
      AND s.response_date >= m.mi_date AND s.response_date <= getvariable('as_of')
),
dna AS (
    SELECT DISTINCT m.patient_id
    FROM mi m JOIN outpatient_appointments o ON o.patient_id = m.patient_id
    WHERE o.specialty_code = '320' AND o.attendance_status = 'did_not_attend'
      AND o.appointment_date >= m.mi_date AND o.appointment_date <= getvariable('as_of')
)
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.patient_id IN (SELECT patient_id FROM positive UNION SELECT patient_id FROM dna)
