-- core20: Core20PLUS5 "Core20" population flag.
-- Programme text: none in PROGRAMMES.md (the cohort's name is the cue; `upstream find --help`
-- says Core20PLUS5 population flags run only when named). NHS England's Core20PLUS5 "Core20"
-- is the most deprived 20% of the national population as identified by the Index of Multiple
-- Deprivation (outside knowledge).
-- Data dictionary: imd_decile "1 most deprived, 10 least; empty where the LSOA is outside
-- England".
-- Rules:
--   1. imd_decile 1 or 2 (the most deprived 20% nationally); empty decile -> not included.
--   2. All ages.                                                            [mine]
--   Living at the as-of date.
SELECT DISTINCT patient_id
FROM xc_people
WHERE imd_decile IN (1, 2)
