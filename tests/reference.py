"""The reference material beside the repository (``../shared/reference``: the HSDS 3.0 and Open
Referral UK schemas, and a real council directory feed), which tests may read."""

from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
HSDS_SCHEMAS = REFERENCE / "hsds-3.0" / "schema"
ORUK_PROFILE = REFERENCE / "oruk-uk-profile"
NORTH_LINCOLNSHIRE_FEED = REFERENCE / "oruk-feeds" / "north-lincolnshire-services.json"
"""North Lincolnshire Council's Open Referral UK feed (738 services), as published."""

if not NORTH_LINCOLNSHIRE_FEED.exists():  # a clear failure, not a skip (CI runs beside it)
    raise FileNotFoundError(f"The reference material is missing: {REFERENCE} should hold "
                            "../shared/reference beside the repository.")
