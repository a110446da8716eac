"""``upstream synth``: generate a synthetic population (being built: see issue 3)."""

import typer


def synth() -> None:
    """Generate a synthetic population with planted truth."""
    raise typer.Exit("upstream synth is not built yet")
