-- plus_ethnic_minority: Core20PLUS5 "PLUS" population flag, ethnic minority communities.
-- Programme text: none in PROGRAMMES.md ("minority groups underserved" appears under Barts
-- cardiac rehabilitation). NHS England's Core20PLUS5 names ethnic minority communities among
-- the locally chosen PLUS groups (outside knowledge).
-- Data dictionary: ethnic_category "NHS ethnic category code (A to S, Z not stated, 99 not
-- known)".
-- Rules:
--   1. Ethnic category D to S (Mixed, Asian or Asian British, Black or Black British, Chinese,
--      any other ethnic group). White British (A), White Irish (B) and any other White
--      background (C) are not included; not stated (Z) and not known (99) are not included.
--      [mine; another reading counts every group except White British (A) as a minority,
--       which would add B and C]
--   2. All ages.                                                            [mine]
--   Living at the as-of date.
SELECT DISTINCT patient_id
FROM xc_people
WHERE ethnic_category IN ('D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S')
