"""``upstream audit verify`` (check the audit log's hash chain) and ``upstream db-roles`` (set
up PostgreSQL's runtime role, which cannot rewrite the audit log). Heavy imports happen inside
the commands, so ``upstream --help`` stays fast."""

import os
from typing import Annotated

import typer

audit = typer.Typer(help="The audit log: check that it has not been altered.",
                    no_args_is_help=True, add_completion=False)

BROKEN = 1
"""Exit code when the chain is broken (an event altered or missing)."""


@audit.command()
def verify() -> None:
    """Walk the audit log's hash chain, oldest event first.

    Exit 0 when every event checks out (the head hash is printed: keep it elsewhere to detect
    later removal of the newest events); exit 1 naming the first altered or missing event.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from upstream.service.command import _setup_django

    _setup_django()
    from django.utils import timezone

    from upstream.service.audit.chain import verify_log
    from upstream.service.audit.models import AuditEvent

    console = Console()
    total = AuditEvent.objects.count()
    with Progress(TextColumn("Checking the audit log"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task("verify", total=total)
        verdict = verify_log(on_progress=lambda n: progress.advance(task, n))
    if verdict.intact:
        console.print(f"[green]The audit log is intact: {verdict.checked} events checked.")
        console.print(f"Head hash: {verdict.head}")
        return
    broken = verdict.broken
    at = timezone.localtime(broken.at).isoformat(timespec="seconds")
    console.print(f"[red]The audit log has been altered.[/red] Event {broken.event_id} "
                  f"(at {at}) {broken.what}. {verdict.checked} events before it check out.")
    raise typer.Exit(BROKEN)


def db_roles(
    role: Annotated[str, typer.Option(help="Name of the runtime login role.")] = "upstream_app",
) -> None:
    """PostgreSQL: create or update the runtime role the service connects as.

    Run as the owner that migrates (DATABASE_URL). The role may read and write the service's
    tables but only read and append to the audit log. Its password is UPSTREAM_APP_DB_PASSWORD,
    or one is generated for a new role and printed once. Then serve with
    UPSTREAM_APP_DATABASE_URL set to the URL printed. `upstream migrate` repeats the grants.
    """
    from rich.console import Console

    from upstream.service.command import _setup_django

    os.environ["UPSTREAM_AS_OWNER"] = "1"
    _setup_django()
    from django.conf import settings

    from upstream.service.audit.roles import RoleSetupError, set_up_runtime_role

    console = Console()
    try:
        made = set_up_runtime_role(role, os.environ.get("UPSTREAM_APP_DB_PASSWORD") or None)
    except RoleSetupError as refused:
        console.print(f"[red]{refused}")
        raise typer.Exit(2) from None
    owner = settings.DATABASES["default"]
    console.print(f"Role {made.name} {'created' if made.created else 'updated'}: it can read "
                  "and append to the audit log but not change, delete or truncate it.")
    if made.password and not os.environ.get("UPSTREAM_APP_DB_PASSWORD"):
        url = (f"postgres://{made.name}:{made.password}@{owner['HOST'] or 'localhost'}:"
               f"{owner['PORT'] or 5432}/{owner['NAME']}")
        console.print("Serve with (keep it secret):")
        console.print(f"  UPSTREAM_APP_DATABASE_URL={url}", soft_wrap=True)
