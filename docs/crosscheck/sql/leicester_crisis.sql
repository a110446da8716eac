-- leicester_crisis: 3 Conversations (Leicester City South PCN).
-- Programme text (PROGRAMMES.md):
--   "Adults 18+ at three practices with a police welfare notice (PPN) raising mental health
--    in the last 6 months, also found through ED reports."
--   "The sources give ... no practice codes for Leicester: any value chosen for these is a
--    local choice and must say so."
-- Rules:
--   1. Aged 18 or over at the as-of date.
--   2. A police notice with mental_health_concern = true dated in the 6 months to the as-of
--      date.
--   3. Practices: no practice codes are given, so every practice is included.
--                                                               [LOCAL CHOICE: mine]
--   4. "also found through ED reports": not implemented; the ED table carries no mental
--      health flag or diagnosis to find them by.                               [mine]
--   Living at the as-of date.
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.age >= 18
  AND p.patient_id IN (
      SELECT patient_id FROM police_notices
      WHERE mental_health_concern
        AND notice_date > getvariable('as_of') - INTERVAL 6 MONTH
        AND notice_date <= getvariable('as_of')
  )
