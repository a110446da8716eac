"""NHS numbers: Modulus 11 validation, formatting, and synthetic test-range numbers.

An NHS number is ten digits; the tenth is a check digit computed by Modulus 11 over the first
nine with weights 10..2. A remainder giving check digit 10 means the number is invalid.
Synthetic people use the test range beginning 999, which is never issued to real patients.
"""

import random
import re
from collections.abc import Iterator

WEIGHTS = tuple(range(10, 1, -1))
"""The Modulus 11 weights of the first nine digits."""
NO_CHECK_DIGIT = 10
"""What :func:`modulus_11` gives for nine digits that no check digit can complete."""
TEST_RANGE_PREFIX = "999"


def modulus_11(digits):
    """The Modulus 11 check digit of the first nine ``digits`` (weights 10 to 2), or
    :data:`NO_CHECK_DIGIT` when there is none. The one statement of the rule: it is arithmetic
    only, so ``digits`` may be Python ints, NumPy arrays (the synthetic world) or Ibis integer
    expressions (validation, run where the data live)."""
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True))
    return (11 - total % 11) % 11


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid digit exists."""
    digit = modulus_11([int(d) for d in first_nine])
    return None if digit == NO_CHECK_DIGIT else digit


def normalise(value: str) -> str:
    """Strip spaces and hyphens: ``'999 123 4560'`` → ``'9991234560'``."""
    return re.sub(r"[\s-]", "", value or "")


def is_valid(value: str) -> bool:
    """True when ``value`` (spaces and hyphens allowed) is ten digits passing Modulus 11."""
    digits = normalise(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    return check_digit(digits[:9]) == int(digits[9])


def validation_error(value: str) -> str | None:
    """A sentence saying what is wrong with ``value``, or None when it is a valid NHS number."""
    digits = normalise(value)
    if not re.fullmatch(r"\d+", digits):
        return "NHS number must contain only digits"
    if len(digits) != 10:
        return f"NHS number must be 10 digits (this has {len(digits)})"
    if not is_valid(digits):
        return "NHS number is not valid: the check digit does not match"
    return None


def format_nhs_number(value: str) -> str:
    """Display form, 3-3-4: ``'999 123 4560'``."""
    d = normalise(value)
    return f"{d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else value


def synthetic(rng: random.Random) -> str:
    """A valid NHS number from the 999 test range, drawn from ``rng``."""
    while True:
        body = TEST_RANGE_PREFIX + "".join(str(rng.randrange(10)) for _ in range(6))
        digit = check_digit(body)
        if digit is not None:
            return body + str(digit)


def test_range() -> Iterator[str]:
    """Every valid NHS number of the 999 test range, in ascending order (about 909,000)."""
    for body in range(1_000_000):
        first_nine = TEST_RANGE_PREFIX + f"{body:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            yield first_nine + str(digit)
