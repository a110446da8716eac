-- cardiac_rehab_not_taken_up: Barts cardiac rehabilitation, people who have not taken it up.
-- Programme text (PROGRAMMES.md):
--   "Barts cardiac rehabilitation. Low uptake due to homelessness, money, frailty, transport;
--    minority groups underserved. Target 80% uptake."
-- Rules (the programme gives no eligibility rule; all of this is my reading):
--   1. Eligible for cardiac rehabilitation: a myocardial infarction admission (xc_mi) dated
--      in the 12 months to the as-of date.                                      [mine]
--   2. Not taken up: no `attended` cardiac rehabilitation (treatment function 327)
--      outpatient appointment on or after the MI date up to the as-of date, for at least one
--      MI admission in the window. DNAs, cancellations and future bookings do not count as
--      uptake.                                                                  [mine]
--      [PHASE 2 FIX, my SQL's defect: phase 1 looked only after the person's first MI in the
--       window, so rehabilitation attended after a first infarction hid a second infarction
--       with no rehabilitation; each infarction is a new eligibility.]
--   Living at the as-of date.
SELECT DISTINCT m.patient_id
FROM xc_mi m JOIN xc_people p USING (patient_id)
WHERE m.mi_date > getvariable('as_of') - INTERVAL 12 MONTH
  AND NOT EXISTS (
    SELECT 1 FROM outpatient_appointments o
    WHERE o.patient_id = m.patient_id
      AND o.specialty_code = '327' AND o.attendance_status = 'attended'
      AND o.appointment_date >= m.mi_date AND o.appointment_date <= getvariable('as_of')
)
