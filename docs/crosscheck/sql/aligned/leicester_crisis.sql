-- ALIGNED (phase 2): leicester_crisis with the engine's reading. Independent:
-- ../leicester_crisis.sql. Changed: only the three placeholder practices C82001, C82002,
-- C82003 (practices, source: local, marked PLACEHOLDERS in the definition; independent: every
-- practice, as no codes are given).
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.age >= 18
  AND p.practice_code IN ('C82001', 'C82002', 'C82003')
  AND p.patient_id IN (
      SELECT patient_id FROM police_notices
      WHERE mental_health_concern
        AND notice_date > getvariable('as_of') - INTERVAL 6 MONTH
        AND notice_date <= getvariable('as_of')
  )
