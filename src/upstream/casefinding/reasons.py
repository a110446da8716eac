"""Why a person was found: the words for each leaf criterion that fired, from its values.

Works on whole columns at once (pandas string operations), so describing hundreds of thousands
of matches stays fast. ``frame`` holds the wide table's columns for the matched people.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd

from upstream.casefinding.model import (
    Aged,
    Compare,
    Count,
    Criterion,
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
SPANS = {365: "12 months", 366: "12 months", 182: "6 months", 183: "6 months", 91: "3 months",
         92: "3 months"}
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
        return f"{feature.k} {chosen.nouns} within {feature.days} days ending " + day
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
    if feature.distinct:
        many = f"different {many}"
    nouns = pd.Series(many, index=value.index).where(value != 1, one)
    return (_whole(value) + " " + nouns + _window_suffix(chosen.window, as_of)
            + f" ({OPERATOR_WORDS[leaf.op]} {_number(leaf.value, feature)})")


def _number(value, feature: Feature) -> str:
    if isinstance(feature, Ratio):
        return f"{value * 100:g}%"
    return f"{value:g}"


def _window_suffix(window: Window | None, as_of: date) -> str:
    if window is None:
        return ""
    last = as_of - timedelta(days=window.end_days)
    if window.start_days is None:
        return f" recorded by {last.isoformat()}"
    if window.include_start:
        first = as_of - timedelta(days=window.start_days)
        return f" from {first.isoformat()} to {last.isoformat()}"
    span = SPANS.get(window.start_days, f"{window.start_days} days")
    return f" in the {span} to {last.isoformat()}"


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
