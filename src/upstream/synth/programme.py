"""A synthetic programme evaluation with planted truth: regression to the mean plus a known effect.

One row per person, as ``upstream evaluate table`` reads it:

- covariates ``age``, ``sex`` (F/M, categorical), ``ltc`` (long-term conditions, 0-5) and
  ``imd_quintile`` (1 most deprived);
- each person has a **persistent propensity** for hospital use: a log-rate from age, long-term
  conditions and deprivation plus a personal random part (SD ``person_sd``), the same every
  year;
- each year adds **year-to-year noise** (a normal shock on the log-rate, SD ``year_sd``), and
  ED attendances that year are Poisson with that year's rate: ``ed_y1`` (two years before the
  index date), ``ed_y2`` (the year before) and ``ed_after`` (the year after);
- people are **supported because their recent use was high**: the chance of support is a
  logistic function of ``ed_y2`` (and of long-term conditions), so the supported are the
  people whose last year was unusually busy, and their use falls afterwards by itself
  (regression to the mean);
- among supported people the programme **prevents a share** ``effect`` of the attendances
  they would have had in the after year (each one prevented independently).

The planted truth (:class:`Truth`) is the effect on the treated people of this run: the mean
over supported people of (attendances with support - attendances without), both simulated
from the same after-year rate, so it is known exactly. Support depends only on columns in the
table, so matching on them can recover it; the naive before/after change of the supported
people is biased downwards (it counts the regression to the mean as benefit).

No Django; numpy and pandas only. The same arguments give the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

COVARIATES = ("age", "sex", "ltc", "imd_quintile")
BEFORE = ("ed_y1", "ed_y2")
AFTER = "ed_after"


@dataclass(frozen=True)
class Truth:
    """What was planted."""

    effect_on_treated: float
    """Mean over supported people of (after with support - after without): negative = fewer."""
    treated: int
    share_prevented: float
    regression_to_the_mean: float
    """Mean over supported people of (after without support - mean of before): the change
    they would have shown with no programme."""


def simulate_programme(people: int, seed: int, *, share_prevented: float = 0.25,
                       person_sd: float = 0.8, year_sd: float = 0.4,
                       supported_share: float = 0.005) -> tuple[pd.DataFrame, Truth]:
    """A table of ``people`` people (about ``supported_share`` of them supported) and its truth.

    Columns: ``person_id``, ``supported`` (0/1), the covariates, ``ed_y1``, ``ed_y2``,
    ``ed_after``.
    """
    if people < 100:
        raise ValueError("people must be at least 100")
    if not 0 <= share_prevented < 1:
        raise ValueError("share_prevented must be from 0 to under 1")
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 91, size=people)
    sex = rng.choice(np.array(["F", "M"]), size=people)
    ltc = np.minimum(rng.poisson(0.3 + 2.0 * (age - 18) / 72, size=people), 5)
    imd = rng.integers(1, 6, size=people)
    log_rate = (-1.6 + 0.012 * (age - 50) + 0.35 * ltc + 0.12 * (3 - imd)
                + rng.normal(0, person_sd, size=people))

    def year() -> np.ndarray:
        return np.exp(log_rate + rng.normal(0, year_sd, size=people))

    ed_y1 = rng.poisson(year())
    ed_y2 = rng.poisson(year())
    after_rate = year()
    ed_without = rng.poisson(after_rate)
    # Supported because last year was busy: logistic in ed_y2 and ltc, intercept set so about
    # supported_share of people are supported.
    pull = 0.3 * ed_y2 + 0.15 * ltc
    intercept = _intercept_for_share(pull, supported_share)
    supported = rng.random(people) < 1 / (1 + np.exp(-(intercept + pull)))
    ed_with = rng.binomial(ed_without, 1 - share_prevented)
    ed_after = np.where(supported, ed_with, ed_without)
    table = pd.DataFrame({
        "person_id": np.arange(1, people + 1), "supported": supported.astype(np.int8),
        "age": age, "sex": sex, "ltc": ltc, "imd_quintile": imd,
        "ed_y1": ed_y1, "ed_y2": ed_y2, "ed_after": ed_after,
    })
    before = (ed_y1 + ed_y2) / 2
    truth = Truth(
        effect_on_treated=float((ed_with - ed_without)[supported].mean()),
        treated=int(supported.sum()), share_prevented=share_prevented,
        regression_to_the_mean=float((ed_without - before)[supported].mean()),
    )
    return table, truth


def _intercept_for_share(pull: np.ndarray, share: float) -> float:
    """The intercept giving a mean support probability of ``share`` (bisection)."""
    low, high = -40.0, 10.0
    for _ in range(60):
        middle = (low + high) / 2
        if (1 / (1 + np.exp(-(middle + pull)))).mean() > share:
            high = middle
        else:
            low = middle
    return (low + high) / 2
