"""The load benchmark: 50 simulated staff for 60 s against gunicorn, on SQLite and PostgreSQL.

    .venv/bin/python -m tests.load.run_load                 # both databases
    .venv/bin/python -m tests.load.run_load --database sqlite --users 50 --duration 60

For each database it migrates a fresh one (a new SQLite file; a new PostgreSQL database on the
server in ``UPSTREAM_TEST_POSTGRES``, dropped afterwards), builds the synthetic demo world
with a signed-in session per simulated user (``world.py``), starts gunicorn on 127.0.0.1 on a
free port (``server.py``), runs Locust headless (``locustfile.py``) and prints: requests,
failures, server errors (5xx, counted from gunicorn's own access log), p50 and p95 page time
and throughput, overall and per kind of request. It exits non-zero if any request got a 5xx.
"""

import argparse
import contextlib
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from tests.load.server import REPO, serve, server_env

POSTGRES = os.environ.get("UPSTREAM_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")
STATUS = re.compile(r'" (\d{3}) ')


@contextlib.contextmanager
def fresh_postgres():
    """A new, empty PostgreSQL database on the test server; dropped afterwards."""
    import psycopg

    server, _, _ = POSTGRES.rpartition("/")
    name = f"upstream_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _locust(url: str, world: dict, *, users: int, duration: int, out: Path) -> Path:
    world_file = out / "world.json"
    world_file.write_text(json.dumps(world))
    env = {**server_env("", out), "UPSTREAM_LOAD_WORLD": str(world_file)}
    prefix = out / "locust"
    done = subprocess.run([
        sys.executable, "-m", "locust", "-f", str(REPO / "tests/load/locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", "10", "--run-time", f"{duration}s",
        "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "10",
    ], env=env, cwd=REPO, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise RuntimeError(f"Locust wrote no statistics:\n{done.stdout[-4000:]}")
    return stats


def _rows(stats_csv: Path) -> list[dict]:
    with open(stats_csv) as handle:
        return list(csv.DictReader(handle))


def _server_errors(access_log: str) -> int:
    return sum(1 for status in STATUS.findall(access_log) if status.startswith("5"))


def run_one(database: str, *, users: int, duration: int, workers: int) -> dict:
    """Run the load against ``database`` ('sqlite' or 'postgres'); return the figures."""
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(fresh_postgres()) if database == "postgres" else None
        out = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="upstream-load-")))
        server = stack.enter_context(serve(url, kind="demo", sessions=users, workers=workers))
        stats = _rows(_locust(server.url, server.world, users=users, duration=duration,
                              out=out))
        access_log = server.access_log.read_text()
        server_errors = _server_errors(access_log)
        tracebacks = server.log_text().count("Traceback")
    total = next(r for r in stats if r["Name"] == "Aggregated")
    return {
        "database": database, "users": users, "duration_s": duration, "workers": workers,
        "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
        "server_errors_5xx": server_errors, "tracebacks": tracebacks,
        "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]),
        "throughput_rps": round(float(total["Requests/s"]), 1),
        "by_request": [
            {"name": r["Name"], "method": r["Type"], "requests": int(r["Request Count"]),
             "failures": int(r["Failure Count"]), "p50_ms": float(r["50%"]),
             "p95_ms": float(r["95%"])}
            for r in stats if r["Name"] != "Aggregated"
        ],
    }


def report(result: dict) -> str:
    lines = [
        f"== {result['database']}: {result['users']} users for {result['duration_s']} s, "
        f"gunicorn {result['workers']} workers ==",
        f"requests {result['requests']}, failures {result['failures']}, "
        f"server errors (5xx) {result['server_errors_5xx']}, "
        f"tracebacks in server log {result['tracebacks']}",
        f"page time p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms; "
        f"throughput {result['throughput_rps']} requests/s",
        f"{'request':42} {'n':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7}",
    ]
    lines += [f"{r['method'] + ' ' + r['name']:42} {r['requests']:>6} {r['failures']:>5} "
              f"{r['p50_ms']:>7.0f} {r['p95_ms']:>7.0f}" for r in result["by_request"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        result = run_one(database, users=args.users, duration=args.duration,
                         workers=args.workers)
        print(report(result), flush=True)
        results.append(result)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 1 if any(r["server_errors_5xx"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
