"""``upstream directory import FILE_OR_FOLDER [--feed NAME]``: bring a published directory
feed into the community service directory and report its data quality."""

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

directory = typer.Typer(help="The community service directory (Open Referral UK / HSDS 3.0).",
                        no_args_is_help=True)
console = Console()


@directory.command("import")
def import_feed(
    source: Path = typer.Argument(..., help="HSDS 3.0 JSON, an ORUK v1 list feed, or an HSDS "
                                            "CSV data package (folder or datapackage.json)."),
    feed: str = typer.Option(None, "--feed", help="Feed name (default: from the file name). "
                                                  "Re-import under the same name to update."),
) -> None:
    """Import a directory feed (idempotent) and write its data-quality report."""
    from upstream.service.command import _migrate, _setup_django

    _setup_django()
    _migrate()
    from upstream.service.directory.importer import FeedError, import_directory

    with Progress(TextColumn("Importing {task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=console, transient=True) as bar:
        task = bar.add_task(source.name, total=None)
        try:
            outcome = import_directory(
                source, feed, progress=lambda done, total: bar.update(task, completed=done,
                                                                      total=total))
        except FeedError as error:
            bar.stop()
            console.print(f"[red]Import failed, nothing was changed.[/red] {error}",
                          highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
    report = outcome.report
    records = Table(title=f"Feed {report.feed} ({report.source_format})")
    for column in ("Table", "In feed", "Created", "Updated", "Unchanged", "No longer in feed"):
        records.add_column(column, justify="left" if column == "Table" else "right")
    for table, counts in report.counts.items():
        if any(counts.values()):
            records.add_row(table, *(str(counts[k]) for k in
                                     ("in_feed", "created", "updated", "unchanged", "absent")))
    console.print(records)
    quality = Table(title="Data quality")
    for column in ("Table", "Field", "Valid", "Missing", "Malformed"):
        quality.add_column(column, justify="left" if column in ("Table", "Field") else "right")
    for row in report.as_dict()["fields"]:
        quality.add_row(row["table"], row["field"],
                        *(f"{row[k]} ({row[k + '_percent']}%)"
                          for k in ("valid", "missing", "malformed")))
    console.print(quality)
    for note in report.notes:
        console.print(f"[yellow]Note:[/yellow] {note}", highlight=False)
    console.print(f"{len(report.attention)} records need attention; "
                  f"{len(report.not_imported)} could not be imported (reasons in the report).")
    console.print(f"Report: {outcome.report_markdown} and {outcome.report_json}",
                  highlight=False, soft_wrap=True)
