"""``upstream postcodes ONSPD.csv``: load postcode centroids for directory distance search."""

from pathlib import Path

import typer
from rich.console import Console

console = Console()


def postcodes(
    source: Path = typer.Argument(..., help="ONS Postcode Directory or NSPL CSV (columns pcds "
                                            "or pcd, lat, long)."),
) -> None:
    """Build the postcode centroid lookup (UPSTREAM_POSTCODE_DIRECTORY) from an ONS CSV."""
    from upstream.service.command import _setup_django

    _setup_django()
    from django.conf import settings

    from upstream.standards.postcode_directory import PostcodeFileError, build

    with console.status("Loading postcodes") as status:
        try:
            summary = build(source, settings.UPSTREAM_POSTCODE_DIRECTORY,
                            progress=lambda n: status.update(f"Loading postcodes: {n:,}"))
        except PostcodeFileError as error:
            console.print(f"[red]Nothing was changed.[/red] {error}", highlight=False)
            raise typer.Exit(1) from None
    console.print(f"{summary.loaded:,} postcodes loaded into "
                  f"{settings.UPSTREAM_POSTCODE_DIRECTORY}; {summary.without_coordinates:,} "
                  "without coordinates skipped.")
