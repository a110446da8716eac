"""Relevance of directory search: precision at 5 on the labelled need statements.

Run: ``.venv/bin/python tests/benchmarks/relevance_directory_search.py``

It migrates a fresh SQLite file (``var/bench/relevance.sqlite3``), imports the demo's synthetic
directory (``synth.directory``, seed 2026, 400 services: what ``upstream demo`` loads) through
the directory importer, then searches with each statement of
``tests/benchmarks/directory_needs.yaml`` as free text (no need, place or filter chosen) and
counts how many of the first five results are relevant: filed under one of the statement's
labels or a term beneath one. A statement with fewer than five results counts the missing
places as not relevant. It prints one Markdown row per statement and the mean precision at 5
for docs/directory-search.md, and exits non-zero below the bar (0.7).
"""

import argparse
import datetime
import os
import statistics
import sys
from pathlib import Path

import yaml

BAR = 0.7
REPO = Path(__file__).resolve().parents[2]
STATEMENTS = Path(__file__).with_name("directory_needs.yaml")
AT = datetime.datetime(2026, 12, 2, 12, 0)


def _setup(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["UPSTREAM_VAR_DIR"] = str(database.parent)
    os.environ.setdefault("UPSTREAM_SECRET_KEY", "bench-relevance-not-secret-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def precision_at_5(statements: list[dict]) -> list[tuple[str, float, list[str]]]:
    """(statement, precision at 5, the codes of the first five results) for each statement."""
    from upstream.service.directory.models import Attribute
    from upstream.service.directory.search import Query, search
    from upstream.standards.taxonomy import descendants

    scored = []
    for statement in statements:
        relevant_codes = descendants(statement["labels"])
        results = search(Query(text=statement["text"], limit=5), AT)
        codes_of = {}
        for attribute in Attribute.for_records("service", [r.service.id for r in results]):
            codes_of.setdefault(attribute.link_id, set()).add(attribute.taxonomy_term.code)
        hits = [bool(codes_of.get(r.service.id, set()) & relevant_codes) for r in results]
        shown = [",".join(sorted(c for c in codes_of.get(r.service.id, set()) if ":" not in c))
                 for r in results]
        scored.append((statement["text"], sum(hits) / 5, shown))
    return scored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--services", type=int, default=400)
    args = parser.parse_args()
    _setup(REPO / "var" / "bench" / "relevance.sqlite3")
    from django.conf import settings

    from upstream.service.directory.importer import import_directory
    from upstream.synth import directory as synthetic

    feed = synthetic.write(Path(settings.VAR_DIR) / "relevance-directory.json",
                           synthetic.generate(seed=args.seed, services=args.services))
    import_directory(feed, "demo-directory")
    statements = yaml.safe_load(STATEMENTS.read_text())["statements"]
    scored = precision_at_5(statements)
    print("| need statement | P@5 | terms of the first five results |")
    print("|---|---|---|")
    for text, p, shown in scored:
        print(f"| {text} | {p:.1f} | {'; '.join(shown)} |")
    mean = statistics.mean(p for _, p, _ in scored)
    print(f"\nMean precision at 5 over {len(scored)} statements: {mean:.3f} (bar {BAR})")
    return 0 if mean >= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
