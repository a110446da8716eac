"""Why a person was found: the words for each leaf criterion that fired, from its values.

Works on whole columns at once (pandas string operations), so describing hundreds of thousands
of matches stays fast. ``frame`` holds the wide table's columns for the matched people.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from upstream.casefinding.compiler import CONDITION_SEPARATOR
from upstream.casefinding.model import (
    CONDITION,
    Aged,
    ColumnIn,
    Compare,
    Count,
    Criterion,
    Events,
    Feature,
    FollowUp,
    Has,
    KWithin,
    PatientIn,
    Ratio,
    Window,
)

OPERATOR_WORDS = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most",
                  "==": "exactly", "!=": "other than"}
DEPARTMENT_WORDS = {
    (1,): "at major emergency departments (type 1)",
    (1, 2): "at emergency departments (types 1-2)",
    (1, 2, 3): "at emergency departments or urgent care (all types)",
    (3,): "at urgent treatment centres or walk-in centres (type 3)",
}
PATIENT_WORDS = {"practice_code": "registered at ", "imd_decile": "IMD decile ",
                 "ethnic_category": "ethnic category ", "sex": "sex ", "lsoa_code": "living in "}


def describe(leaf: Criterion, frame: pd.DataFrame, columns: Mapping[Feature, str],
             as_of: date) -> pd.Series:
    """One reason text per row of ``frame`` for ``leaf`` (meaningful where the leaf is true)."""
    if isinstance(leaf, Aged):
        return "aged " + _whole(frame["age"])
    if isinstance(leaf, PatientIn):
        return PATIENT_WORDS[leaf.column] + _text(frame[leaf.column])
    if isinstance(leaf, Compare):
        return _compare(leaf, frame, columns, as_of)
    assert isinstance(leaf, Has)
    feature, name = leaf.feature, columns[leaf.feature]
    day = _day(frame[name])
    if isinstance(feature, KWithin):
        chosen = feature.events
        return (f"{feature.k} {chosen.nouns}{_departments(chosen)} within {feature.days} days "
                "ending " + day)
    assert isinstance(feature, FollowUp)
    if feature.present:
        return (f"{feature.index.label} on " + day + f", then {feature.then.label} on "
                + _day(frame[f"{name}_then"]) + f" (within {feature.within_days} days)")
    return (f"{feature.index.label} on " + day
            + f" with no {feature.then.label} within {feature.within_days} days")


def _compare(leaf: Compare, frame: pd.DataFrame, columns: Mapping[Feature, str],
             as_of: date) -> pd.Series:
    feature, value = leaf.feature, frame[columns[leaf.feature]]
    if isinstance(feature, Ratio):
        numerator = _whole(frame[columns[feature.numerator]])
        denominator = _whole(frame[columns[feature.denominator]])
        percent = (value * 100).round(1).map("{:g}%".format)
        return (f"{feature.name} " + percent + " (" + numerator + " of " + denominator + ")"
                + _window_suffix(feature.denominator.events.window, as_of)
                + f" ({OPERATOR_WORDS[leaf.op]} {_number(leaf.value, feature)})")
    assert isinstance(feature, Count)
    chosen = feature.events
    one, many = chosen.label, chosen.nouns
    if feature.distinct and feature.distinct != CONDITION:
        many = f"different {many}"
    nouns = pd.Series(many, index=value.index).where(value != 1, one)
    text = _whole(value) + " " + nouns + _departments(chosen)
    if feature.distinct == CONDITION:
        text = text + _names(frame.get(f"{columns[feature]}_names"), value.index)
    return (text + _window_suffix(chosen.window, as_of)
            + f" ({OPERATOR_WORDS[leaf.op]} {_number(leaf.value, feature)})")


def _names(joined: pd.Series | None, index: pd.Index) -> pd.Series:
    """``" (asthma, COPD, diabetes)"``: each person's distinct conditions, sorted."""
    if joined is None:
        return pd.Series("", index=index)

    def words(value) -> str:
        if not isinstance(value, str) or not value:
            return ""
        names = sorted(set(value.split(CONDITION_SEPARATOR)), key=str.lower)
        return " (" + ", ".join(names) + ")"

    return joined.astype(object).map(words)


def _departments(chosen: Events) -> str:
    """Which ED department types an ED event set counts, in words ('' if not chosen by type)."""
    for kept in chosen.filters:
        if isinstance(kept, ColumnIn) and kept.column == "department_type":
            types = tuple(sorted(int(t) for t in kept.values))
            listed = ", ".join(map(str, types))
            return " " + DEPARTMENT_WORDS.get(types, f"at department types {listed}")
    return ""


def _number(value, feature: Feature) -> str:
    if isinstance(feature, Ratio):
        return f"{value * 100:g}%"
    return f"{value:g}"


def _window_suffix(window: Window | None, as_of: date) -> str:
    """The window in words: "in the 12 months to ..." only for a window of 12 calendar months,
    "in the 365 days to ..." for one of 365 days."""
    first, last = (window or Window(None)).bounds(as_of)
    if first is None:
        return f" recorded by {last.isoformat()}"
    if window.include_start:
        return f" from {first.isoformat()} to {last.isoformat()}"
    if window.start_months is not None:
        months = window.start_months
        return f" in the {months} month{'s' if months != 1 else ''} to {last.isoformat()}"
    return f" in the {window.start_days} days to {last.isoformat()}"


def _whole(values: pd.Series) -> pd.Series:
    return values.astype("Int64").astype(str)


def _text(values: pd.Series) -> pd.Series:
    """Values as text; whole numbers read back as floats (1.0) are written as integers (1)."""
    def word(value) -> str:
        if pd.isna(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return values.astype(object).map(word)


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d").fillna("")
