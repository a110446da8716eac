-- ALIGNED (phase 2): barts_yad with the engine's reading. Independent: ../barts_yad.sql.
-- Changed: at least 3 attended-or-missed diabetes clinic appointments in the window
-- (definition parameter min_appointments = 3, source: local). The independent SQL set no
-- minimum (PROGRAMMES.md: the sources give no minimum bookings; any value is local).
WITH clinic AS (
    SELECT patient_id,
           count(*) FILTER (WHERE attendance_status = 'did_not_attend') AS dna,
           count(*) AS held
    FROM outpatient_appointments
    WHERE specialty_code = '307'
      AND attendance_status IN ('attended', 'did_not_attend')
      AND appointment_date > getvariable('as_of') - INTERVAL 12 MONTH
      AND appointment_date <= getvariable('as_of')
    GROUP BY patient_id
)
SELECT DISTINCT p.patient_id
FROM xc_people p JOIN clinic c USING (patient_id)
WHERE p.age BETWEEN 16 AND 25
  AND c.held >= 3
  AND c.dna >= 0.20 * c.held
  AND p.patient_id IN (SELECT patient_id FROM xc_coded WHERE codelist = 'diabetes')
