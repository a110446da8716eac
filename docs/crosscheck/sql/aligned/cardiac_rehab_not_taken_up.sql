-- ALIGNED (phase 2): cardiac_rehab_not_taken_up with the engine's reading. Independent:
-- ../cardiac_rehab_not_taken_up.sql. Changed (all source: local in the definition):
--   * MI admissions dated 365 to 84 days (both included) before the as-of date, in days
--     (independent: the 12 calendar months to the as-of date, including the last 84 days);
--   * taken up = attended cardiac rehabilitation (327) 0 to 84 days after the admission
--     (independent: attended at any time after it).
SELECT DISTINCT m.patient_id
FROM xc_mi m JOIN xc_people p USING (patient_id)
WHERE m.mi_date BETWEEN getvariable('as_of') - 365 AND getvariable('as_of') - 84
  AND NOT EXISTS (
    SELECT 1 FROM outpatient_appointments o
    WHERE o.patient_id = m.patient_id
      AND o.specialty_code = '327' AND o.attendance_status = 'attended'
      AND o.appointment_date <= getvariable('as_of')
      AND o.appointment_date BETWEEN m.mi_date AND m.mi_date + 84
)
