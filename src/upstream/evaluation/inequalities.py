"""Inequalities: who is eligible, referred, engaged and improved, by group, against the
eligible population.

**Input contract** (:data:`COLUMNS`): a person-level table (CSV or Parquet), one row per
person, with

- ``person_id``: unique;
- ``eligible``, ``referred``, ``engaged``, ``improved``: 0/1 stage flags (1 = reached).
  Eligible = found by case finding; the later stages are nested (improved implies engaged
  implies referred); people referred without being eligible are counted apart;
- ``imd_decile``: 1 (most deprived) to 10, empty if not known;
- ``ethnic_category``: NHS ethnic category code (A to S, Z not stated, 99 not known);
- ``age``: whole years at the index date, 0 to 120;
- ``sex``: F, M, I or U.

**Groups**: IMD quintile (deciles in pairs) and decile, broad ethnic group (the NHS Data
Dictionary's five, plus not stated/known), age band (:data:`AGE_BANDS`), sex, and Core20PLUS5
membership: Core20 and the PLUS ethnic-minority group, read from the shipped case-finding
definitions (``core20.yaml``, ``plus_ethnic_minority.yaml``), so there is one declaration.

**Figures.** For a stage S and a group g among eligible people: the rate is
(eligible people of g who reached S) / (eligible people of g), with a 95% Wilson score
interval; the rate ratio compares g with the rest of the eligible population
(rate of g / rate of everyone eligible not in g: the other groups' published counts added up,
or where one is hidden the published total less g), with a 95% interval by the Katz log method
(SE of log RR = sqrt(1/a - 1/n1 + 1/c - 1/n2)). A ratio above 1 means the group reaches the
stage more often than the others do.

**Disclosure.** Every count is published through one :class:`~upstream.standards.disclosure.
Release` (all tables are one release: the relations between breakdowns, quintile and decile,
Core20 and deciles, the PLUS group and ethnic groups, and the nesting of stages are declared
so the attack sees what a reader knows). Rates, ratios and intervals are computed from the
*published* (rounded) counts, and only where every count they use is shown, so they give away
nothing the counts do not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from upstream.casefinding import definitions
from upstream.evaluation.outputs import write_all_or_none
from upstream.standards.disclosure import Figure, Release
from upstream.standards.vocabularies import ETHNIC_CATEGORIES, SEX

STAGES = ("eligible", "referred", "engaged", "improved")
COLUMNS = ("person_id", *STAGES, "imd_decile", "ethnic_category", "age", "sex")
AGE_BANDS = ((0, 17, "0-17"), (18, 29, "18-29"), (30, 44, "30-44"), (45, 64, "45-64"),
             (65, 74, "65-74"), (75, 120, "75+"))
ETHNIC_GROUPS = {"White": "ABC", "Mixed": "DEFG", "Asian or Asian British": "HJKL",
                 "Black or Black British": "MNP", "Other ethnic group": "RS"}
NOT_STATED = "Not stated or not known"
UNKNOWN = "Not known"
Z95 = 1.959963984540054


class InequalitiesError(ValueError):
    """The table is wrong; the message names the file, the line and the column."""


def _core20_deciles() -> set[int]:
    return {int(d) for d in definitions.load("core20").values()["deciles"]}


def _not_minority() -> set[str]:
    return {str(c) for c in definitions.load("plus_ethnic_minority").values()["not_minority"]}


def read_people(path: Path) -> pd.DataFrame:
    """Read and check ``path`` against :data:`COLUMNS`; the error names the first bad line
    (CSV line numbers count the header as line 1; Parquet rows count from 1)."""
    try:
        if path.suffix.lower() == ".parquet":
            frame, first_line = pd.read_parquet(path), 1
        elif path.suffix.lower() == ".csv":
            frame, first_line = pd.read_csv(path, dtype=str, keep_default_na=False), 2
        else:
            raise InequalitiesError(f"{path}: not .csv or .parquet")
    except (OSError, ValueError) as error:
        if isinstance(error, InequalitiesError):
            raise
        raise InequalitiesError(f"{path}: cannot be read ({error})") from None
    what = "line" if first_line == 2 else "row"
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InequalitiesError(f"{path}: missing column(s) {', '.join(missing)} "
                                f"(the table needs {', '.join(COLUMNS)})")
    text = frame[list(COLUMNS)].astype("string").fillna("").apply(lambda c: c.str.strip())

    def refuse(column: str, bad: pd.Series, expected: str) -> None:
        if bad.any():
            index = int(np.flatnonzero(bad.to_numpy())[0])
            raise InequalitiesError(f"{path}: {what} {index + first_line}, column '{column}': "
                                    f"'{text[column].iloc[index]}' is not {expected}")

    refuse("person_id", text["person_id"] == "", "an id (empty)")
    duplicate = text["person_id"].duplicated()
    refuse("person_id", duplicate, "unique (it appears on an earlier line)")
    flags = {}
    for stage in STAGES:
        value = text[stage].replace({"1.0": "1", "0.0": "0", "True": "1", "False": "0"})
        refuse(stage, ~value.isin(["0", "1"]), "0 or 1")
        flags[stage] = value == "1"
    for later, earlier in zip(STAGES[2:], STAGES[1:-1], strict=True):
        refuse(later, flags[later] & ~flags[earlier], f"possible: {later} without {earlier}")
    decile = pd.to_numeric(text["imd_decile"], errors="coerce")
    refuse("imd_decile", (text["imd_decile"] != "") & ~decile.isin(range(1, 11)),
           "an IMD decile 1 to 10 (or empty)")
    refuse("ethnic_category", ~text["ethnic_category"].isin(list(ETHNIC_CATEGORIES)),
           "an NHS ethnic category code (A to S, Z, 99)")
    age = pd.to_numeric(text["age"], errors="coerce")
    refuse("age", ~age.between(0, 120) | (age % 1 != 0), "a whole number of years 0 to 120")
    refuse("sex", ~text["sex"].isin(list(SEX)), "F, M, I or U")
    return pd.DataFrame({
        **{stage: flags[stage] for stage in STAGES},
        "imd_decile": decile.astype("Int64"), "ethnic_category": text["ethnic_category"],
        "age": age.astype(int), "sex": text["sex"]})


def _quintile(decile) -> str:
    return UNKNOWN if pd.isna(decile) else f"Q{(int(decile) + 1) // 2}"


def _ethnic_group(code: str) -> str:
    return next((group for group, codes in ETHNIC_GROUPS.items() if code in codes), NOT_STATED)


def _age_band(age: int) -> str:
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


QUINTILE = "IMD quintile (Q1 most deprived)"
DECILE = "IMD decile (1 most deprived)"
ETHNIC = "Ethnic group"
AGE = "Age band"
SEX_BREAKDOWN = "Sex"
CORE20 = "Core20 (most deprived IMD deciles)"
PLUS = "PLUS: ethnic minority"


def dimensions() -> dict[str, tuple[Callable[[pd.DataFrame], pd.Series], list[str]]]:
    """Each breakdown: how a person's group is found, and the groups in display order."""
    core20, not_minority = _core20_deciles(), _not_minority()
    return {
        QUINTILE: (lambda f: f["imd_decile"].map(_quintile),
                   [f"Q{q}" for q in range(1, 6)] + [UNKNOWN]),
        DECILE: (lambda f: f["imd_decile"].map(lambda d: UNKNOWN if pd.isna(d) else str(int(d))),
                 [str(d) for d in range(1, 11)] + [UNKNOWN]),
        ETHNIC: (lambda f: f["ethnic_category"].map(_ethnic_group), [*ETHNIC_GROUPS, NOT_STATED]),
        AGE: (lambda f: f["age"].map(_age_band), [band for *_, band in AGE_BANDS]),
        SEX_BREAKDOWN: (lambda f: f["sex"].map(SEX), list(SEX.values())),
        CORE20: (lambda f: f["imd_decile"].map(lambda d: "Yes" if d in core20 else "No"),
                 ["Yes", "No"]),
        PLUS: (lambda f: f["ethnic_category"].map(
            lambda c: "No" if c in not_minority else "Yes"), ["Yes", "No"]),
    }


@dataclass(frozen=True)
class Row:
    dimension: str
    group: str
    counts: dict[str, Figure]
    """Published count of eligible people of the group at each stage (``eligible``: all)."""
    rates: dict[str, tuple[float, float, float] | None]
    """Rate and 95% Wilson interval per later stage, from published counts; None if hidden."""
    ratios: dict[str, tuple[float, float, float] | None]
    """Rate ratio against the rest of the eligible and its 95% Katz interval; None if hidden
    or undefined."""


def wilson(k: int, n: int) -> tuple[float, float, float]:
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return k / n, float(low), float(high)


def katz_rate_ratio(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float] | None:
    """(a/n1) / (c/n2) with its 95% interval by the Katz log method; None if a or c is 0."""
    if not (a and c and n1 and n2):
        return None
    ratio = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)


@dataclass(frozen=True)
class Inequalities:
    rows: list[Row]
    totals: dict[str, Figure]
    """Published counts of all eligible people at each stage."""
    referred_not_eligible: Figure


def inequalities(people: pd.DataFrame) -> Inequalities:
    """Rates and rate ratios by group (module docstring), through the disclosure rule."""
    eligible = people[people["eligible"]]
    release = Release()
    layout: list[tuple[str, str]] = []
    groups_of: dict[str, pd.Series] = {}
    for dimension, (group_of, groups) in dimensions().items():
        groups_of[dimension] = group_of(eligible)
        for group in groups:
            members = eligible[groups_of[dimension] == group]
            for stage in STAGES:
                release.count((dimension, group, stage), int(members[stage].sum()))
            layout.append((dimension, group))
    dims = list(dimensions())
    for stage in STAGES:
        first = [(dims[0], g, stage) for d, g in layout if d == dims[0]]
        release.total(("all", stage), first)
        for dimension in dims[1:]:
            release.relate([(dimension, g, stage) for d, g in layout if d == dimension], "==",
                           first)
        for dimension, group in layout:  # quintile from deciles, Core20 from deciles
            if stage != STAGES[0]:
                earlier = STAGES[STAGES.index(stage) - 1]
                release.relate([(dimension, group, stage)], "<=",
                               [(dimension, group, earlier)])
        _declare_known_links(release, stage)
    release.count("referred_not_eligible",
                  int((people["referred"] & ~people["eligible"]).sum()))
    published = release.protect()
    totals = {stage: published[("all", stage)] for stage in STAGES}
    rows = []
    for dimension, group in layout:
        counts = {stage: published[(dimension, group, stage)] for stage in STAGES}
        others = [g for d, g in layout if d == dimension and g != group]
        rest = {stage: _rest(totals[stage], counts[stage],
                             [published[(dimension, g, stage)] for g in others])
                for stage in STAGES}
        rates, ratios = {}, {}
        for stage in STAGES[1:]:
            n, k = counts["eligible"].value, counts[stage].value
            rates[stage] = wilson(k, n) if n and k is not None else None
            n2, c = rest["eligible"], rest[stage]
            ratios[stage] = (katz_rate_ratio(k, n, c, n2)
                             if None not in (n, k, n2, c) and n2 >= c >= 0 else None)
        rows.append(Row(dimension, group, counts, rates, ratios))
    return Inequalities(rows, totals, published["referred_not_eligible"])


def _rest(total: Figure, part: Figure, others: list[Figure]) -> int | None:
    """The published count of everyone else: the sum of the other groups' published counts
    when all are shown (so that the ratios of a table agree with its cells), else the
    published total minus the group; None when that cannot be worked out."""
    if part.suppressed:
        return None
    if not any(other.suppressed for other in others):
        return sum(other.value for other in others)
    return None if total.suppressed else max(0, total.value - part.value)


def _declare_known_links(release: Release, stage: str) -> None:
    """Relations a reader knows between breakdowns: a quintile is two deciles, Core20 is its
    deciles, the PLUS group is the stated ethnic groups other than White."""
    for q in range(1, 6):
        release.relate([(QUINTILE, f"Q{q}", stage)], "==",
                       [(DECILE, str(2 * q - 1), stage), (DECILE, str(2 * q), stage)])
    release.relate([(QUINTILE, UNKNOWN, stage)], "==", [(DECILE, UNKNOWN, stage)])
    release.relate([(CORE20, "Yes", stage)], "==",
                   [(DECILE, str(d), stage) for d in sorted(_core20_deciles())])
    not_minority = _not_minority()
    minority = [group for group, codes in ETHNIC_GROUPS.items()
                if not set(codes) & not_minority]
    covered = {code for group in minority for code in ETHNIC_GROUPS[group]}
    if covered | not_minority == set(ETHNIC_CATEGORIES):  # PLUS is a union of whole groups
        release.relate([(PLUS, "Yes", stage)], "==", [(ETHNIC, g, stage) for g in minority])


def tables(result: Inequalities) -> dict[str, pd.DataFrame]:
    """One display table per breakdown (strings, as published)."""
    out: dict[str, pd.DataFrame] = {}
    for row in result.rows:
        record = {"group": row.group}
        for stage in STAGES:
            record[stage] = row.counts[stage].display
        for stage in STAGES[1:]:
            record[f"{stage} rate (95% CI)"] = _rate(row.rates[stage])
            record[f"{stage} rate ratio (95% CI)"] = _ratio(row.ratios[stage])
        out.setdefault(row.dimension, []).append(record)
    return {dimension: pd.DataFrame(records) for dimension, records in out.items()}


def _rate(value) -> str:
    if value is None:
        return ""
    rate, low, high = value
    return f"{rate:.0%} ({low:.0%} to {high:.0%})"


def _ratio(value) -> str:
    if value is None:
        return ""
    ratio, low, high = value
    return f"{ratio:.2f} ({low:.2f} to {high:.2f})"


FILES = ("inequalities.csv", "report.md")


def write_inequalities(result: Inequalities, out: Path, *, source: str) -> list[Path]:
    """Write :data:`FILES` into ``out`` (created if needed; temporary names renamed at the
    end, so a failed run leaves nothing half-written). Every figure is as published."""
    out.mkdir(parents=True, exist_ok=True)
    by_dimension = tables(result)
    combined = pd.concat([table.assign(breakdown=dimension) for dimension, table
                          in by_dimension.items()], ignore_index=True)
    combined = combined[["breakdown", *[c for c in combined.columns if c != "breakdown"]]]
    lines = [
        "# Inequalities: who is eligible, referred, engaged and improved", "",
        f"Source: `{source}`. Eligible people: {result.totals['eligible'].display}; referred: "
        f"{result.totals['referred'].display}; engaged: {result.totals['engaged'].display}; "
        f"improved: {result.totals['improved'].display}. Referred without being eligible "
        f"(not in the tables): {result.referred_not_eligible.display}.", "",
        "Rates are among eligible people of the group (95% Wilson interval); the rate ratio "
        "compares the group with the rest of the eligible population (95% interval, Katz log "
        "method). Counts: 0 shown, 1 to 9 shown as <10, others rounded to the nearest 5, "
        "[c] hidden to protect another figure; rates and ratios are computed from the "
        "published counts and left blank where a count they need is hidden.", "",
        "Core20: IMD deciles " + ", ".join(map(str, sorted(_core20_deciles())))
        + " (casefinding/definitions/core20.yaml). PLUS ethnic minority: ethnic categories "
        "other than " + ", ".join(sorted(_not_minority()))
        + " (plus_ethnic_minority.yaml).", ""]
    for dimension, table in by_dimension.items():
        lines += [f"## {dimension}", "", _markdown(table), ""]
    lines += ["Method decisions: docs/adr/0020-value-for-money-and-inequalities.md.", ""]
    contents = {"inequalities.csv": combined.to_csv(index=False).encode(),
                "report.md": "\n".join(lines).encode()}
    return write_all_or_none(out, {name: contents[name] for name in FILES})


def _markdown(table: pd.DataFrame) -> str:
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(
        index=False)]
    return "\n".join([header, rule, *body])
