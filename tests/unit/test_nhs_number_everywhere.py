"""One NHS number check (upstream.standards.nhs_number) agreed on by the synthetic generator,
the data validator (an Ibis expression run in the database) and the service's model field."""

import random

import ibis
import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from upstream.data.validation import _valid_nhs_number
from upstream.service.people.models import Person
from upstream.standards import nhs_number
from upstream.synth.people import NhsNumbers

TEN_DIGITS = st.text(alphabet="0123456789", min_size=10, max_size=10)
NEAR_MISSES = st.text(alphabet="0123456789 x", min_size=8, max_size=12)


def validator_says(values: list[str]) -> list[bool]:
    """The data validator's verdict on each value, computed in DuckDB."""
    table = ibis.memtable(pd.DataFrame({"n": pd.array(values, dtype="string")}))
    verdict = table.select(ok=_valid_nhs_number(table.n).fill_null(False)).to_pandas()
    return [bool(v) for v in verdict["ok"]]


def service_says(value: str) -> bool:
    field = Person._meta.get_field("nhs_number")
    try:
        field.run_validators(value)
    except ValidationError:
        return False
    return True


@settings(max_examples=40, deadline=None)
@given(st.lists(TEN_DIGITS | NEAR_MISSES, min_size=1, max_size=40))
def test_validator_and_service_agree_with_the_standard(values):
    standard = [nhs_number.is_valid(v) and v == nhs_number.normalise(v) for v in values]
    assert validator_says(values) == standard
    # The service accepts spaces and hyphens: its form (and Person.save) normalise a typed
    # number before the model field, whose 10-character limit is for the digits, checks it.
    assert ([service_says(nhs_number.normalise(v)) for v in values]
            == [nhs_number.is_valid(v) for v in values])


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_synthetic_number_is_valid_everywhere_and_in_the_test_range(seed):
    generated = NhsNumbers(np.random.default_rng(seed)).for_indices(np.arange(30))
    one_by_one = [nhs_number.synthetic(random.Random(seed + i)) for i in range(5)]
    values = [str(v) for v in generated.to_pylist()] + one_by_one
    assert all(v.startswith(nhs_number.TEST_RANGE_PREFIX) for v in values)
    assert all(nhs_number.is_valid(v) for v in values)
    assert all(validator_says(values))
    assert all(service_says(v) for v in values)


def test_the_generator_covers_exactly_the_valid_test_range():
    generated = NhsNumbers(np.random.default_rng(0)).numbers
    assert len(generated) == sum(1 for _ in nhs_number.test_range())
