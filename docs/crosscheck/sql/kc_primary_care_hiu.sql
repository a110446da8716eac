-- kc_primary_care_hiu: Clinical coaches, Kensington & Chelsea (high intensity users in
-- primary care).
-- Programme text (PROGRAMMES.md):
--   "High intensity users in primary care: 5+ GP attendances in the recent 3 months and 2+
--    long-term conditions."
--   "'two or more LTCs': distinct conditions, whatever the coding"; "'3 months': calendar
--    periods".
-- Rules:
--   1. 5 or more GP appointments with status `attended` dated in the 3 months to the as-of
--      date (DNAs and future bookings are not attendances).
--   2. 2 or more distinct long-term conditions (codelist long_term_conditions, counted by
--      condition), ever recorded up to the as-of date.                     [ever: mine]
--   3. No age limit (none given).                                           [mine]
--   Living at the as-of date.
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
WHERE l.n_ltc >= 2
