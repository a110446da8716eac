-- hillingdon_hiu: H4ALL high intensity use service, Hillingdon.
-- Programme text (PROGRAMMES.md):
--   "Adults 18+ with long-term conditions, loneliness or isolation, frailty and/or higher than
--    normal use."
--   "The sources give ... no threshold for Hillingdon's 'higher than normal use' ...: any
--    value chosen for these is a local choice and must say so."
-- Rules:
--   1. Aged 18 or over at the as-of date.
--   2. Any one of ("and/or" read as any of the four):                          [mine]
--      a. at least one long-term condition (codelist long_term_conditions), ever;
--                                                   [">= 1" for the plural: mine]
--      b. loneliness or social isolation coded, ever;                       [ever: mine]
--      c. frailty coded, ever;                                              [ever: mine]
--      d. higher than normal use: 5 or more A&E/UEC attendances (all department types) in
--         the 12 months to the as-of date.                        [LOCAL CHOICE: mine]
--   Living at the as-of date.
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.age >= 18
  AND p.patient_id IN (
      SELECT patient_id FROM xc_coded
      WHERE codelist IN ('long_term_conditions', 'loneliness', 'frailty')
      UNION
      SELECT patient_id FROM xc_ed
      WHERE arrival_date > getvariable('as_of') - INTERVAL 12 MONTH
      GROUP BY patient_id HAVING count(*) >= 5
  )
