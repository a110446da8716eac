-- ALIGNED (phase 2): hillingdon_hiu with the engine's reading. Independent:
-- ../hillingdon_hiu.sql. Changed (all source: local in the definition):
--   * a long-term condition is required (min_conditions = 1), and then loneliness/isolation
--     or frailty, or higher than normal use (independent: any one of the four, "and/or");
--   * higher than normal use = 3 or more ED attendances at department types 1-2 in the 12
--     months (independent: 5 or more at any type).
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.age >= 18
  AND p.patient_id IN (SELECT patient_id FROM xc_coded WHERE codelist = 'long_term_conditions')
  AND p.patient_id IN (
      SELECT patient_id FROM xc_coded WHERE codelist IN ('loneliness', 'frailty')
      UNION
      SELECT patient_id FROM xc_ed
      WHERE department_type IN (1, 2)
        AND arrival_date > getvariable('as_of') - INTERVAL 12 MONTH
      GROUP BY patient_id HAVING count(*) >= 3
  )
