"""``upstream synth``: generate a synthetic population with planted truth."""

from datetime import datetime
from pathlib import Path

import typer


def synth(
    people: int = typer.Option(100_000, "--people", min=1, help="How many people."),
    seed: int = typer.Option(1, "--seed", help="Random seed; the same seed gives the same world."),
    out: Path = typer.Option(Path("var/synth"), "--out", help="Folder to write the tables to."),
    as_of: datetime = typer.Option(
        "2026-03-31", "--as-of", formats=["%Y-%m-%d"], help="Reference date; activity ends here."
    ),
    chunk_size: int = typer.Option(100_000, "--chunk-size", min=1000, help="People per chunk."),
) -> None:
    """Generate a synthetic population (one Parquet file per table) with planted truth."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    from upstream.synth.world import generate

    console = Console()
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    ) as bar:  # fmt: skip
        task = bar.add_task("people", total=people)
        try:
            summary = generate(
                out, people, seed, as_of=as_of.date(), chunk_size=chunk_size,
                progress=lambda done, total: bar.update(task, completed=done),
            )
        except ValueError as error:
            raise typer.BadParameter(str(error)) from error
    table = Table("table", "rows", title=f"Synthetic world in {out}")
    for name, rows in summary.rows.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    cohorts = Table("cohort", "planted truth members", title="truth.parquet")
    for name, members in summary.cohorts.items():
        cohorts.add_row(name, f"{members:,}")
    console.print(cohorts)
