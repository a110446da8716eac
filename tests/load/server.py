"""Run the service for real, as it is deployed: gunicorn worker processes on a migrated database
with a seeded world (``world.py``). Used by the load benchmark and the concurrency test.

``serve(database_url, kind=..., sessions=..., workers=...)`` is a context manager giving a
``Server`` (its base URL and database, the world JSON, the server's error and access logs),
and stops gunicorn after.
"""

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    url: str
    database_url: str
    world: dict
    log: Path
    access_log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of every process that touches the served database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "upstream.service.config.settings",
        "DATABASE_URL": database_url,
        "UPSTREAM_VAR_DIR": str(var_dir),
        "UPSTREAM_SECRET_KEY": secrets.token_urlsafe(50),
        # The load is many staff and one API client: the per-client API rate limit is not
        # what is measured, so it is set out of reach.
        "UPSTREAM_API_RATE": "1000000/min",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src"),
                                       env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    })
    env.pop("UPSTREAM_DEBUG", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed:\n{done.stdout}\n{done.stderr}")


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log.read_text()}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {seconds}s:\n{log.read_text()}")


@contextlib.contextmanager
def serve(database_url: str | None = None, *, kind: str = "small", sessions: int = 12,
          workers: int = 3, threads: int = 1, var_dir: Path | None = None):
    """Migrate ``database_url`` (default: a new SQLite file), seed a ``kind`` world with
    ``sessions`` staff sessions, start gunicorn on a free port and yield a ``Server``."""
    with tempfile.TemporaryDirectory(prefix="upstream-serve-") as scratch:
        scratch = Path(scratch)
        var_dir = var_dir or scratch
        database_url = database_url or f"sqlite:///{scratch / 'upstream.sqlite3'}"
        env = server_env(database_url, var_dir)
        python = sys.executable
        _run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        _run([python, "manage.py", "createcachetable"], env)  # a database cache, if configured
        world_file = scratch / "world.json"
        _run([python, "-m", "tests.load.world", kind, "--out", str(world_file),
              "--sessions", str(sessions)], env)
        port = free_port()
        log, access_log = scratch / "gunicorn.log", scratch / "access.log"
        with open(log, "w") as log_out:
            process = subprocess.Popen(
                [python, "-m", "gunicorn", "upstream.service.config.wsgi:application",
                 "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                 "--threads", str(threads), "--timeout", "60", "--error-logfile", "-",
                 "--access-logfile", str(access_log)],
                env=env, cwd=REPO, stdout=log_out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process, log)
            yield Server(url, database_url, json.loads(world_file.read_text()), log, access_log)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
