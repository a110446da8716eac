-- cardiac_rehab_not_taken_up: Barts cardiac rehabilitation, people who have not taken it up.
-- Programme text (PROGRAMMES.md):
--   "Barts cardiac rehabilitation. Low uptake due to homelessness, money, frailty, transport;
--    minority groups underserved. Target 80% uptake."
-- Rules (the programme gives no eligibility rule; all of this is my reading):
--   1. Eligible for cardiac rehabilitation: a myocardial infarction admission (xc_mi) dated
--      in the 12 months to the as-of date.                                      [mine]
--   2. Not taken up: no `attended` cardiac rehabilitation (treatment function 327)
--      outpatient appointment on or after the (first such) MI date up to the as-of date.
--      DNAs, cancellations and future bookings do not count as uptake.          [mine]
--   Living at the as-of date.
WITH mi AS (
    SELECT patient_id, min(mi_date) AS mi_date
    FROM xc_mi
    WHERE mi_date > getvariable('as_of') - INTERVAL 12 MONTH
    GROUP BY patient_id
)
SELECT DISTINCT m.patient_id
FROM mi m JOIN xc_people p USING (patient_id)
WHERE NOT EXISTS (
    SELECT 1 FROM outpatient_appointments o
    WHERE o.patient_id = m.patient_id
      AND o.specialty_code = '327' AND o.attendance_status = 'attended'
      AND o.appointment_date >= m.mi_date AND o.appointment_date <= getvariable('as_of')
)
