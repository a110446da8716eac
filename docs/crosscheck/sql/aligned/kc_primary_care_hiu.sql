-- ALIGNED (phase 2): kc_primary_care_hiu with the engine's reading. Independent:
-- ../kc_primary_care_hiu.sql. Changed: aged 18 or over (min_age = 18, source: local; the
-- programme gives no age).
WITH gp AS (
    SELECT patient_id
    FROM gp_appointments
    WHERE status = 'attended'
      AND appointment_date > getvariable('as_of') - INTERVAL 3 MONTH
      AND appointment_date <= getvariable('as_of')
    GROUP BY patient_id
    HAVING count(*) >= 5
)
SELECT DISTINCT p.patient_id
FROM xc_people p
JOIN gp USING (patient_id)
JOIN xc_ltc_count l USING (patient_id)
WHERE l.n_ltc >= 2 AND p.age >= 18
