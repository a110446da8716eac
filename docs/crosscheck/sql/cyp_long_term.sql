-- cyp_long_term: Children and young people's social prescribing, Royal London Hospital.
-- Programme text (PROGRAMMES.md):
--   "Ages 11–18 with sickle cell, thalassaemia, haemophilia, medically unexplained symptoms,
--    or renal dialysis."
--   "'sickle cell anaemia, thalassaemia': the diseases, not carrier traits (ICD-10 D57.3,
--    D56.3); 'receiving renal dialysis': currently, not ever."
-- Rules:
--   1. Aged 11 to 18 inclusive at the as-of date (an 18-year-old is in until 19).
--   2. Any of: sickle cell disease (D57 except D57.3 trait), thalassaemia (D56 except D56.3
--      trait), haemophilia, medically unexplained symptoms (ICD-10 F45 somatoform /
--      SNOMED somatisation: my codelist), ever recorded;
--      or renal dialysis recorded in the 3 months to the as-of date ("currently").
--                                                    [3 months as "currently": mine]
--   Living at the as-of date.
SELECT DISTINCT p.patient_id
FROM xc_people p
WHERE p.age BETWEEN 11 AND 18
  AND p.patient_id IN (
      SELECT patient_id FROM xc_coded
      WHERE codelist IN ('sickle_cell', 'thalassaemia', 'haemophilia',
                         'medically_unexplained_symptoms')
      UNION
      SELECT patient_id FROM xc_coded
      WHERE codelist = 'renal_dialysis'
        AND event_date > getvariable('as_of') - INTERVAL 3 MONTH
  )
