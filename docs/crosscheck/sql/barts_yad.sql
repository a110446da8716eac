-- barts_yad: Barts young adult diabetes (YAD), high did-not-attend rate.
-- Programme text (PROGRAMMES.md):
--   "Type 1 and 2 diabetes, high did-not-attend (DNA) rates. ... High risk = DNA of 20% of
--    clinic appointments"
--   "The sources give no ages or minimum bookings for young adult diabetes ...: any value
--    chosen for these is a local choice and must say so."
-- Rules:
--   1. Diabetes, type 1 or type 2 (codelist diabetes), ever recorded.
--   2. Young adult: aged 16 to 25 at the as-of date.                  [LOCAL CHOICE: mine]
--   3. Clinic appointments = diabetic medicine (treatment function 307) outpatient
--      appointments in the 12 months to the as-of date that were held or missed
--      (attended or did_not_attend; cancelled and booked are not clinic attendances to miss).
--                                                           [12 months, denominator: mine]
--   4. DNA / (attended + DNA) >= 20%, with at least 1 DNA (no minimum bookings).
--                                                     [">= 20%" and no minimum: LOCAL, mine]
--   Living at the as-of date.
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
  AND c.dna >= 1 AND c.dna >= 0.20 * c.held
  AND p.patient_id IN (SELECT patient_id FROM xc_coded WHERE codelist = 'diabetes')
