-- nhse_ed_hiu: the national (NHS England) high intensity user definition.
-- Programme text: none in PROGRAMMES.md; the cohort's name is the only cue. The NHS England
-- High Intensity Use programme describes high intensity users as people who attend A&E five
-- or more times a year (my recollection of the national definition, not from the sources).
-- PROGRAMMES.md: "'attends the emergency department': major and single-specialty EDs (ECDS
-- types 1–2)"; "'12 months' ... calendar periods".
-- Rules:
--   1. 5 or more ED attendances (department types 1 and 2) in the 12 months to the as-of
--      date.                                    [threshold and types: mine, outside source]
--   2. No age limit.                                                        [mine]
--   Living at the as-of date.
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.patient_id IN (
    SELECT patient_id FROM xc_ed
    WHERE department_type IN (1, 2)
      AND arrival_date > getvariable('as_of') - INTERVAL 12 MONTH
    GROUP BY patient_id
    HAVING count(*) >= 5
)
