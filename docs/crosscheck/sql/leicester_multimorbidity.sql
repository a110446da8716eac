-- leicester_multimorbidity: Multimorbidity project (Leicester).
-- Programme text (PROGRAMMES.md):
--   "Ages 18–64 with 5+ comorbidities in a PCN"
--   "'five or more comorbidities': distinct conditions, whatever the coding (SNOMED CT from
--    the GP and ICD-10 from the hospital for one disease is one condition; type 1 and type 2
--    diabetes codes for one person are one condition, diabetes)."
-- Rules:
--   1. Aged 18 to 64 inclusive at the as-of date.
--   2. 5 or more distinct long-term conditions (codelist long_term_conditions, counted by
--      condition), ever recorded up to the as-of date.                     [ever: mine]
--   3. "in a PCN": no practice codes given, every practice included.   [LOCAL CHOICE: mine]
--   Living at the as-of date.
SELECT DISTINCT p.patient_id
FROM xc_people p JOIN xc_ltc_count l USING (patient_id)
WHERE p.age BETWEEN 18 AND 64
  AND l.n_ltc >= 5
