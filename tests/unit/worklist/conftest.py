"""Small hand-made matches and patients frames, shaped as the engine and the data contract
give them."""

from datetime import date

import pandas as pd
import pytest

AS_OF = date(2024, 6, 30)


def make_matches(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    """``(patient_id, cohort, reasons, score)`` rows as the engine's matches frame."""
    frame = pd.DataFrame(rows, columns=["patient_id", "cohort", "reasons", "score"])
    return frame.astype({"patient_id": "int64", "score": "float64"})


def make_patients(rows: list[dict]) -> pd.DataFrame:
    """Patients with defaults for every contract column not given."""
    defaults = {"nhs_number": None, "birth_date": date(1980, 1, 1), "sex": "F",
                "ethnic_category": "A", "lsoa_code": "E01000001", "imd_decile": 5,
                "practice_code": "C82001", "death_date": None}
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    return frame.astype({"patient_id": "int64", "imd_decile": "Int8"})


@pytest.fixture
def as_of() -> date:
    return AS_OF
