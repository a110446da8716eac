"""``upstream find`` and ``upstream push-worklist`` (being built: see issue 3)."""

import typer


def find() -> None:
    """Run cohort definitions over population data and write a worklist."""
    raise typer.Exit("upstream find is not built yet")


def push_worklist() -> None:
    """Push a worklist into the service as case-finding referrals."""
    raise typer.Exit("upstream push-worklist is not built yet")
