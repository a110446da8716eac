-- westminster_uec_hiu: Community champions and wellbeing coaches, North Westminster.
-- Programme text (PROGRAMMES.md):
--   "High intensity users = more than 5 A&E/UEC attendances in any recent 12 months"
--   "urgent treatment centres and walk-in centres are 'urgent and emergency care'
--    (Westminster's 'A&E/UEC' takes all types)".
-- Rules:
--   1. A&E/UEC = ED attendances of every department type (1, 2, 3).
--   2. "more than 5": 6 or more in the 12 months to the as-of date.
--                            ["any recent 12 months" read as the latest 12 months: mine]
--   3. No age limit (none given).                                           [mine]
--   Living at the as-of date.
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.patient_id IN (
    SELECT patient_id FROM xc_ed
    WHERE arrival_date > getvariable('as_of') - INTERVAL 12 MONTH
    GROUP BY patient_id
    HAVING count(*) > 5
)
