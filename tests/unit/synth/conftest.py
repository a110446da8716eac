"""One small synthetic world shared by the synth tests (generated once per session)."""

from datetime import date

import pytest

from upstream.synth.world import generate

AS_OF = date(2026, 3, 31)


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    """A 20,000-person world, seed 11, in chunks of 10,000."""
    out = tmp_path_factory.mktemp("world")
    summary = generate(out, people=20_000, seed=11, as_of=AS_OF, chunk_size=10_000)
    return out, summary
