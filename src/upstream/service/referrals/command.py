"""``upstream push-worklist``: a worklist written by ``upstream find`` -> case-finding referrals
in a team's triage queue (:mod:`upstream.service.referrals.worklist_push`). Django is set up
inside the command, so importing this module stays light."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer


def push_worklist(
    worklist: Annotated[Path, typer.Option(
        exists=True, dir_okay=False, help="Worklist written by 'upstream find' (.csv, .parquet "
                                          "or .xlsx).")],
    team: Annotated[str, typer.Option(help="Name of the team whose triage queue receives it.")],
    closed_within_days: Annotated[int, typer.Option(
        min=0, help="Do not refer again people whose episode in the team closed within this "
                    "many days.")] = 90,
    dry_run: Annotated[bool, typer.Option(
        help="Work out what would happen, then change nothing.")] = False,
) -> None:
    """Push a worklist into the service as case-finding referrals to a team's triage queue.

    Rows are matched to people by NHS number; rows the service cannot identify are counted as
    needing re-identification and skipped. People with an open episode in the team, or one
    closed within --closed-within-days, are flagged and not referred again.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
    import django

    django.setup()
    from rich.console import Console
    from rich.table import Table

    from upstream.casefinding.worklist import read_worklist
    from upstream.service.accounts.models import Team
    from upstream.service.referrals import worklist_push as push

    chosen = Team.objects.filter(name=team).first()
    if chosen is None:
        names = ", ".join(Team.objects.order_by("name").values_list("name", flat=True))
        raise typer.BadParameter(f"No team named '{team}'. Teams: {names or 'none yet'}",
                                 param_hint="--team")
    try:
        frame = read_worklist(worklist)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--worklist") from None
    if missing := push.missing_columns(frame):
        raise typer.BadParameter(f"The worklist lacks column(s): {', '.join(missing)}",
                                 param_hint="--worklist")
    report = push.push_worklist(frame, chosen, closed_within_days=closed_within_days,
                                dry_run=dry_run)
    verb = "Would push" if dry_run else "Pushed"
    table = Table(title=f"{verb} {worklist.name} to {report.team}"
                        + (" (dry run: nothing changed)" if dry_run else ""))
    table.add_column("Outcome")
    table.add_column("Rows", justify="right")
    table.add_column("Worklist ranks")
    for outcome in push.Outcome:
        ranks = report.ranks.get(outcome, [])
        shown = ", ".join(map(str, ranks[:20])) + (" ..." if len(ranks) > 20 else "")
        table.add_row(push.describe(outcome, closed_within_days), str(len(ranks)),
                      "" if outcome == push.Outcome.PUSHED else shown)
    table.add_row("Total", str(report.total), "")
    Console().print(table)
    if report.people_created:
        typer.echo(f"New people created from identifying details: {report.people_created}")
