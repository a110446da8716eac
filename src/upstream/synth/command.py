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
    supported: int = typer.Option(
        0, "--supported", min=0, help="Also plant a programme: about this many people "
        "supported because their recent ED use was high (supported.csv, support_truth.json)."),
    share_prevented: float = typer.Option(
        0.3, "--share-prevented", min=0.0, max=0.99,
        help="Share of the supported people's ED attendances (types 1-2) in the year after "
             "their index date that the planted programme prevents."),
    period_days: int = typer.Option(
        182, "--period-days", min=28, help="Before-period length the planted programme "
        "assumes (two periods; the after period is 365 days)."),
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
    if supported:
        from upstream.synth.support import plant_support

        truth = plant_support(out, seed, supported=supported, share_prevented=share_prevented,
                              period_days=period_days, selection_slope=2.0)
        console.print(f"Planted programme: {truth.supported:,} supported people, true effect "
                      f"{truth.effect_on_treated:.3f} ED attendances per person "
                      f"(supported.csv, support_truth.json)")
    table = Table("table", "rows", title=f"Synthetic world in {out}")
    for name, rows in summary.rows.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    cohorts = Table("cohort", "planted truth members", title="truth.parquet")
    for name, members in summary.cohorts.items():
        cohorts.add_row(name, f"{members:,}")
    console.print(cohorts)
