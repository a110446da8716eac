"""Synthetic people: an England-like age/sex pyramid, ethnicity, a deprivation geography of LSOAs
and GP practices, deaths, and two latent traits (deprivation and morbidity) that drive activity.

Days are integers counted from 1970-01-01; everything is vectorised with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from upstream.data.schema import ETHNIC_CATEGORIES, SEXES
from upstream.standards.nhs_number import NO_CHECK_DIGIT, TEST_RANGE_PREFIX, modulus_11
from upstream.synth.codes import LEICESTER_PRACTICES

EPOCH = date(1970, 1, 1)
YEARS_OF_ACTIVITY = 3

# England mid-2021 population by five-year band, 0-4 .. 90+ (per cent, rounded).
_AGE_BANDS = np.arange(0, 95, 5)
_AGE_SHARES = np.array(
    [5.4, 5.9, 6.0, 5.6, 6.0, 6.6, 7.0, 6.7, 6.4, 6.4, 7.0, 6.8, 5.9, 5.0, 5.0, 3.6, 2.5, 1.5, 0.9]
)
_SEX_SHARES = np.array([0.504, 0.494, 0.0005, 0.0015])
# Census 2021 England, by NHS ethnic category (per cent, rounded; Z and 99 for unrecorded).
_ETHNIC_SHARES = np.array(
    [73.0, 1.8, 6.3, 0.8, 0.6, 1.0, 0.9, 3.1, 2.7, 1.1, 1.6, 2.5, 1.0, 0.5, 0.7, 2.0, 2.0, 1.0]
)
_PEOPLE_PER_LSOA = 1_500
_PEOPLE_PER_PRACTICE = 8_000
_PRACTICE_PREFIXES = ("C82", "F83", "E83", "F85", "E87", "C83", "F84", "E84")


def day_number(day: date) -> int:
    """Days from 1970-01-01."""
    return (day - EPOCH).days


@dataclass
class Geography:
    """LSOAs (each with an IMD decile and a nearby practice) and practice codes for a world."""

    lsoa_codes: np.ndarray
    lsoa_imd: np.ndarray  # int8; 0 where outside England (no English IMD)
    lsoa_practice: np.ndarray
    practice_codes: np.ndarray

    @classmethod
    def build(cls, people: int, rng: np.random.Generator) -> Geography:
        n_lsoa = max(20, people // _PEOPLE_PER_LSOA)
        # Practice i is prefix i % 8 numbered i // 8 + 1, so practices 0, 8 and 16 are the
        # Leicester practices C82001, C82002 and C82003.
        n_practice = max(8 * len(LEICESTER_PRACTICES), people // _PEOPLE_PER_PRACTICE)
        practice_codes = np.array(
            [f"{_PRACTICE_PREFIXES[i % 8]}{i // 8 + 1:03d}" for i in range(n_practice)]
        )
        english = rng.random(n_lsoa) >= 0.01
        imd = np.where(english, np.arange(n_lsoa) % 10 + 1, 0).astype(np.int8)
        rng.shuffle(imd)
        codes = np.array(
            [f"{'E' if e else 'W'}01{i + 1:06d}" for i, e in enumerate(english)]
        )
        return cls(codes, imd, rng.integers(0, n_practice, n_lsoa), practice_codes)


class NhsNumbers:
    """Valid 999 test-range NHS numbers in a seeded random order, one per person index.

    The test range holds 909,091 valid numbers; people beyond that have no NHS number (null),
    which the contract allows.
    """

    def __init__(self, rng: np.random.Generator):
        bodies = np.arange(1_000_000, dtype=np.int64)
        digits = [np.full_like(bodies, int(d)) for d in TEST_RANGE_PREFIX] + [
            bodies // 10 ** (5 - k) % 10 for k in range(6)
        ]
        check = modulus_11(digits[:9])
        valid = check != NO_CHECK_DIGIT
        numbers = (int(TEST_RANGE_PREFIX) * 1_000_000 + bodies[valid]) * 10 + check[valid]
        self.numbers = rng.permutation(numbers)

    def for_indices(self, indices: np.ndarray) -> pa.Array:
        """Numbers (as ten-character strings) for 0-based person indices; null past the range."""
        inside = indices < len(self.numbers)
        values = self.numbers[np.where(inside, indices, 0)]
        return pa.array(values, mask=~inside).cast(pa.string())


@dataclass
class People:
    """One chunk of synthetic people and their latent traits."""

    patient_id: np.ndarray
    birth_day: np.ndarray
    age: np.ndarray  # whole years at as_of (approximate: for rates only)
    sex: np.ndarray  # index into SEXES
    ethnic: np.ndarray  # index into ETHNIC_CATEGORIES
    lsoa: np.ndarray
    death_day: np.ndarray  # a day after the window where alive
    deprivation: np.ndarray  # activity multiplier, 1.5 in decile 1 to 0.6 in decile 10
    morbidity: np.ndarray  # gamma, mean 1
    ed_propensity: np.ndarray  # gamma, mean 1, heavy tailed: the few who attend ED very often
    gp_propensity: np.ndarray  # gamma, mean 1

    def __len__(self) -> int:
        return len(self.patient_id)


def make_people(
    patient_ids: np.ndarray, geography: Geography, as_of_day: int, rng: np.random.Generator
) -> People:
    """Draw people with the given ids."""
    n = len(patient_ids)
    band = rng.choice(_AGE_BANDS, size=n, p=_AGE_SHARES / _AGE_SHARES.sum())
    age_days = (band * 365.25 + rng.random(n) * 5 * 365.25).astype(np.int32)
    birth_day = as_of_day - age_days
    age = (age_days / 365.25).astype(np.int32)
    lsoa = rng.integers(0, len(geography.lsoa_codes), n)
    imd = geography.lsoa_imd[lsoa]
    deprivation = np.where(imd == 0, 1.0, 1.5 - (imd - 1) * 0.1)
    morbidity = rng.gamma(2.0, 0.5, n)
    window_start = as_of_day - YEARS_OF_ACTIVITY * 365 + 1
    yearly_death = np.minimum(0.5, np.exp(-10.2 + 0.092 * age)) * np.sqrt(deprivation)
    dies = rng.random(n) < 1 - (1 - yearly_death) ** YEARS_OF_ACTIVITY
    death_day = np.where(
        dies,
        np.maximum(birth_day, rng.integers(window_start, as_of_day + 1, n)),
        as_of_day + 10_000,
    ).astype(np.int32)
    return People(
        patient_id=patient_ids.astype(np.int64),
        birth_day=birth_day.astype(np.int32),
        age=age,
        sex=rng.choice(len(SEXES), size=n, p=_SEX_SHARES / _SEX_SHARES.sum()),
        ethnic=rng.choice(len(ETHNIC_CATEGORIES), size=n, p=_ETHNIC_SHARES / _ETHNIC_SHARES.sum()),
        lsoa=lsoa,
        death_day=death_day,
        deprivation=deprivation,
        morbidity=morbidity,
        ed_propensity=rng.gamma(1.0, 1.0, n),
        gp_propensity=rng.gamma(1.5, 1 / 1.5, n),
    )


def patients_table(
    people: People, geography: Geography, nhs: NhsNumbers, as_of_day: int, schema: pa.Schema
) -> pa.Table:
    """The ``patients`` rows of a chunk."""
    imd = geography.lsoa_imd[people.lsoa]
    dead = people.death_day <= as_of_day
    return pa.table(
        {
            "patient_id": people.patient_id,
            "nhs_number": nhs.for_indices(people.patient_id - 1),
            "birth_date": pa.array(people.birth_day, pa.int32()).cast(pa.date32()),
            "sex": pa.array(SEXES).take(people.sex),
            "ethnic_category": pa.array(ETHNIC_CATEGORIES).take(people.ethnic),
            "lsoa_code": pa.array(geography.lsoa_codes).take(people.lsoa),
            "imd_decile": pa.array(imd, pa.int8(), mask=imd == 0),
            "practice_code": pa.array(geography.practice_codes).take(
                geography.lsoa_practice[people.lsoa]
            ),
            "death_date": pa.array(people.death_day, pa.int32(), mask=~dead).cast(pa.date32()),
        },
        schema=schema,
    )
