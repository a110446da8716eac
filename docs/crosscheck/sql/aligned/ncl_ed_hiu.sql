-- ALIGNED (phase 2): ncl_ed_hiu with the engine's reading. Independent: ../ncl_ed_hiu.sql.
-- Changed (source: local in the definition):
--   * "more than 5 times a month" = 6 attendances whose first and last arrival dates are
--     fewer than 30 days apart (cluster_days = 30; independent: 6 within a rolling calendar
--     month, (d - 1 month, d]);
--   * aged 18 or over (min_age = 18; independent: no age limit, as the source gives none).
WITH ed AS (
    SELECT patient_id, arrival_date,
           lag(arrival_date, 5) OVER (PARTITION BY patient_id ORDER BY arrival_date) AS sixth_back
    FROM xc_ed
    WHERE department_type IN (1, 2)
      AND arrival_date > getvariable('as_of') - INTERVAL 12 MONTH
)
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.age >= 18
  AND p.patient_id IN (
      SELECT patient_id FROM ed GROUP BY patient_id HAVING count(*) > 15
      UNION
      SELECT patient_id FROM ed WHERE arrival_date - sixth_back < 30
  )
