-- ALIGNED (phase 2, after reading the engine): barts_heart with the engine's reading, to show
-- that the reading is the whole of the difference. Independent reading: ../barts_heart.sql.
-- Changed from the independent reading:
--   * "at 1, 4 and 8 weeks after myocardial infarction": a 'yes' answer or a missed
--     cardiology appointment counts only 0 to 70 days (inclusive) after the admission date
--     (definition parameter follow_up_days = 70, 8 weeks plus 2 weeks for late screens).
--     The independent SQL took any answer after the infarction.
--   * Each MI admission in the window is its own index (the independent SQL used the first).
WITH mi AS (
    SELECT patient_id, mi_date FROM xc_mi
    WHERE mi_date > getvariable('as_of') - INTERVAL 12 MONTH
),
positive AS (
    SELECT m.patient_id
    FROM mi m JOIN screening_responses s ON s.patient_id = m.patient_id
    WHERE s.question_code = 'making_ends_meet' AND s.answer = 'yes'
      AND s.response_date <= getvariable('as_of')
      AND s.response_date BETWEEN m.mi_date AND m.mi_date + 70
),
dna AS (
    SELECT m.patient_id
    FROM mi m JOIN outpatient_appointments o ON o.patient_id = m.patient_id
    WHERE o.specialty_code = '320' AND o.attendance_status = 'did_not_attend'
      AND o.appointment_date <= getvariable('as_of')
      AND o.appointment_date BETWEEN m.mi_date AND m.mi_date + 70
)
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.patient_id IN (SELECT patient_id FROM positive UNION SELECT patient_id FROM dna)
