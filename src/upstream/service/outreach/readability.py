"""Reading age of a template's text, measured with ``textstat``.

Reading age = Flesch-Kincaid grade level + 5, rounded to the nearest whole year and never
below 5 (the US school grade is the number of years at school; children start at about 5).
The text is measured after merging sample values (``merge.SAMPLE``), so a merge field counts as
the word a person will read, not as brackets.
"""

from dataclasses import dataclass

import textstat

from upstream.service.outreach import merge

YEARS_BEFORE_FIRST_GRADE = 5
FORMULA = "reading age = Flesch-Kincaid grade + 5, rounded to a whole year"


@dataclass(frozen=True)
class ReadingAge:
    years: int
    target: int

    @property
    def above_target(self) -> bool:
        return self.years > self.target


def reading_age_years(text: str) -> int:
    """The reading age in years of ``text`` (see the module docstring for the formula)."""
    plain = merge.merge(text, {**merge.SAMPLE, **_unknown_as_words(text)})
    if not plain.strip():
        return YEARS_BEFORE_FIRST_GRADE
    grade = textstat.flesch_kincaid_grade(plain)
    return max(YEARS_BEFORE_FIRST_GRADE, round(grade + YEARS_BEFORE_FIRST_GRADE))


def reading_age(text: str, target: int) -> ReadingAge:
    return ReadingAge(years=reading_age_years(text), target=target)


def _unknown_as_words(text: str) -> dict[str, str]:
    return {name: "name" for name in merge.unknown_fields(text)}
