"""``upstream serve`` and ``upstream demo``: run the web service with gunicorn;
``upstream demo-code``: the two-factor code the demo users sign in with now."""

import os
import secrets
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
    import django

    django.setup()


def _prepare(reset_database: Path | None = None) -> None:
    """Migrate the database and collect static assets (NHS.UK frontend from node_modules)."""
    if reset_database is not None:
        reset_database.unlink(missing_ok=True)
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    nhsuk = settings.NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"
    if not nhsuk.is_dir():
        console.print(f"[red]NHS.UK frontend assets are missing at {nhsuk}: run `npm ci` first.")
        raise typer.Exit(1)
    _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)


def _migrate() -> bool:
    """Migrate the database (True), unless the service is configured to run as the runtime
    role (``UPSTREAM_APP_DATABASE_URL``): then only ``upstream migrate`` may, as the owner."""
    from django.conf import settings
    from django.core.management import call_command

    if os.environ.get("UPSTREAM_APP_DATABASE_URL") and os.environ.get("UPSTREAM_AS_OWNER") != "1":
        console.print("Running as the runtime role (UPSTREAM_APP_DATABASE_URL): not migrating; "
                      "run `upstream migrate` with the owner's DATABASE_URL first.")
        return False
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # the shared cache (API rate limits)
    if os.environ.get("UPSTREAM_APP_DATABASE_URL"):
        import dj_database_url

        from upstream.service.audit.roles import set_up_runtime_role

        runtime = dj_database_url.parse(os.environ["UPSTREAM_APP_DATABASE_URL"])
        if runtime["NAME"] != settings.DATABASES["default"]["NAME"]:
            console.print(f"[red]UPSTREAM_APP_DATABASE_URL names database {runtime['NAME']}, "
                          f"DATABASE_URL {settings.DATABASES['default']['NAME']}: they must agree.")
            raise typer.Exit(2)
        set_up_runtime_role(runtime["USER"], runtime["PASSWORD"] or None)
    return True


def migrate() -> None:
    """Migrate the database as its owner (DATABASE_URL).

    When UPSTREAM_APP_DATABASE_URL names a runtime role, grant it its privileges afterwards."""
    os.environ["UPSTREAM_AS_OWNER"] = "1"
    _setup_django()
    if not _migrate():
        raise typer.Exit(2)
    console.print("Database migrated.")


ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
"""gunicorn's default access log line without the query string and the referring page: the
public "Find support" search is a GET form, and what someone types there (their need, their
postcode) must not be written to the log. Every page logs the same: method, path, status."""


def _gunicorn(host: str, port: int, workers: int) -> None:
    """Replace this process with gunicorn serving the WSGI app."""
    args = [
        sys.executable, "-m", "gunicorn", "upstream.service.config.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
        "--access-logformat", ACCESS_LOG_FORMAT,
    ]
    console.print(f"Serving Upstream at [bold]http://{host}:{port}[/bold] (Ctrl+C to stop)")
    sys.stdout.flush()
    os.execv(sys.executable, args)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(3, help="gunicorn worker processes."),
) -> None:
    """Run the service on the configured database (DATABASE_URL, default SQLite in var/)."""
    _prepare()
    _gunicorn(host, port, workers)


def demo(
    seed: int = typer.Option(2026, help="Seed for the synthetic demo world."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(3, help="gunicorn worker processes."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Build the demo world and stop."),
) -> None:
    """Build a fresh synthetic demo world on embedded SQLite, print the logins and serve it."""
    var_dir = Path(os.environ.get("UPSTREAM_VAR_DIR", Path.cwd() / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    database = var_dir / "demo.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["UPSTREAM_VAR_DIR"] = str(var_dir)
    # Synthetic postcode centroids, apart from any real postcode directory in the var folder.
    os.environ["UPSTREAM_POSTCODE_DIRECTORY"] = str(var_dir / "demo-postcodes.sqlite3")
    # A fresh secret key for this demo run, shared by the gunicorn workers (they inherit it).
    os.environ.setdefault("UPSTREAM_SECRET_KEY", secrets.token_urlsafe(50))
    _prepare(reset_database=database)
    from upstream.service.demo.totp import DEMO_TOTP_SECRET
    from upstream.service.demo.world import DEMO_PASSWORD, build_demo_world

    logins = build_demo_world(seed=seed, progress=console)
    table = Table(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
    for column in ("Role", "Username", "Team"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.role, login.username, login.team)
    console.print(table)
    console.print(
        "Every demo user signs in with two-factor sign-in. For the security code, run "
        "[bold]upstream demo-code[/bold], or add this demo-only key to an authenticator app: "
        f"[bold]{DEMO_TOTP_SECRET}[/bold]"
    )
    if not no_serve:
        _gunicorn(host, port, workers)


def demo_code() -> None:
    """Print the 6-digit security code every demo user signs in with now."""
    from upstream.service.demo.totp import current_code

    code, seconds_left = current_code()
    console.print(f"Security code for the demo users: [bold]{code}[/bold] "
                  f"(changes in {seconds_left} seconds)")
