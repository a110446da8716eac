"""One command line: ``upstream demo | serve | synth | find | ...``.

Each command lives beside the code it drives (``<package>/command.py``) and imports its heavy
dependencies inside the function, so ``upstream --help`` stays fast.
"""

import typer

from upstream.casefinding.command import find
from upstream.evaluation.command import evaluate
from upstream.service.audit.command import audit, db_roles
from upstream.service.command import demo, demo_code, migrate, serve
from upstream.service.directory.command import directory
from upstream.service.directory.postcodes_command import postcodes
from upstream.service.outreach.command import outreach
from upstream.service.referrals.command import push_worklist
from upstream.synth.command import synth

app = typer.Typer(
    help="Upstream: community-led prevention in hospital pathways.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(demo)
app.command()(serve)
app.command("demo-code")(demo_code)
app.command()(synth)
app.command()(find)
app.command("push-worklist")(push_worklist)
app.command()(migrate)
app.command("db-roles")(db_roles)
app.add_typer(audit, name="audit")
app.add_typer(outreach, name="outreach")
app.add_typer(directory, name="directory")
app.add_typer(evaluate, name="evaluate")
app.command()(postcodes)

if __name__ == "__main__":
    app()
