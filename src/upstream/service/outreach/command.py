"""``upstream outreach check-deliveries``: ask GOV.UK Notify what became of the messages sent
through it (run it every few minutes from the server's scheduler). Heavy imports happen inside
the command, so ``upstream --help`` stays fast."""

import typer

outreach = typer.Typer(help="Outreach through GOV.UK Notify.", no_args_is_help=True,
                       add_completion=False)


@outreach.command("check-deliveries")
def check_deliveries() -> None:
    """Store Notify's delivery status of each message sent in the last 7 days and tell the
    sender of each one not delivered. Exit 1 when Notify is not configured."""
    from rich.console import Console

    from upstream.service.command import _setup_django

    _setup_django()
    from upstream.service.outreach import notify, services

    console = Console()
    if not notify.configured():
        console.print("[red]GOV.UK Notify is not configured (UPSTREAM_NOTIFY_API_KEY is not "
                      "set), so there is nothing to check.")
        raise typer.Exit(1)
    found = services.check_deliveries()
    console.print(f"Asked about {found.asked} messages: {found.changed} changed, "
                  f"{found.failed} not delivered (senders told), {found.unanswered} not "
                  "answered (asked again next time).")
