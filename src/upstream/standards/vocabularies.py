"""Coded vocabularies Upstream records against.

Codes are stable identifiers stored in the database; labels are what people read. Changing a
label is safe; changing or removing a code needs a data migration.
"""

NEEDS: dict[str, str] = {
    "money_debt": "Money, benefits and debt",
    "housing": "Housing and homelessness",
    "loneliness": "Loneliness and social isolation",
    "mental_wellbeing": "Mental wellbeing and therapy needs",
    "employment_education": "Employment, education and training",
    "substance_use": "Alcohol and substance use",
    "carer_support": "Carer support",
    "physical_activity": "Physical activity",
    "food": "Food and nutrition",
    "immigration": "Immigration and asylum",
    "digital_exclusion": "Digital exclusion",
    "ltc_self_management": "Long-term condition self-management",
    "transport": "Transport and access to appointments",
    "domestic_abuse": "Domestic abuse and safety",
}
"""The needs taxonomy: what a person may want support with."""

ETHNIC_CATEGORIES: dict[str, str] = {
    "A": "White - British",
    "B": "White - Irish",
    "C": "White - Any other White background",
    "D": "Mixed - White and Black Caribbean",
    "E": "Mixed - White and Black African",
    "F": "Mixed - White and Asian",
    "G": "Mixed - Any other mixed background",
    "H": "Asian or Asian British - Indian",
    "J": "Asian or Asian British - Pakistani",
    "K": "Asian or Asian British - Bangladeshi",
    "L": "Asian or Asian British - Any other Asian background",
    "M": "Black or Black British - Caribbean",
    "N": "Black or Black British - African",
    "P": "Black or Black British - Any other Black background",
    "R": "Other Ethnic Groups - Chinese",
    "S": "Other Ethnic Groups - Any other ethnic group",
    "Z": "Not stated",
    "99": "Not known",
}
"""NHS Data Dictionary ethnic category (2001 census categories), code -> label; the one
declaration, used by the data contract, the synthetic world and the service."""

SEX: dict[str, str] = {"F": "Female", "M": "Male", "I": "Indeterminate", "U": "Not known"}
"""Sex, as the NHS Data Dictionary's person phenotypic sex (and the older "sex" data element):
male, female, indeterminate (unable to be classified as either male or female) and not known,
written with the letters NHS extracts use. The one declaration: the data contract, the synthetic
world, worklists and the service all use it."""

GENDER_IDENTITY: dict[str, str] = {
    "1": "Male (including trans man)",
    "2": "Female (including trans woman)",
    "3": "Non-binary",
    "4": "Other (not listed)",
    "X": "Not known",
    "Z": "Not stated",
}


def choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    """Django ``choices`` for a vocabulary."""
    return list(vocabulary.items())
