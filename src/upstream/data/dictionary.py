"""The data dictionary, generated from the contract in :mod:`upstream.data.schema`.

Regenerate ``docs/data-dictionary.md`` with ``python -m upstream.data.dictionary``; a test checks
that the committed file equals what this module produces, so the two never drift.
"""

import inspect
import sys
from pathlib import Path

from upstream.data.schema import TABLES

DICTIONARY_PATH = Path(__file__).resolve().parents[3] / "docs" / "data-dictionary.md"

_PREAMBLE = """\
# Population data dictionary

Generated from `src/upstream/data/schema.py` by `python -m upstream.data.dictionary`; do not edit
by hand.

Case finding reads these tables from a folder holding, for each table, `<table>.parquet`,
`<table>.csv` or a folder `<table>/` of Parquet parts, or from a database Ibis reaches that holds
tables of these names. `patients` is required; a missing event table is reported as a warning
and cohorts needing it cannot run. Extra columns are ignored. Integer columns accept any
integer width. `upstream find` validates the source first and writes nothing if any error is
found.
"""


def render() -> str:
    """The data dictionary as Markdown."""
    parts = [_PREAMBLE]
    for table in TABLES.values():
        parts.append(f"## `{table.name}`\n")
        parts.append(inspect.cleandoc(table.__doc__ or "") + "\n")
        if table.required:
            parts.append("This table is required.\n")
        parts.append("| column | type | description | constraints |")
        parts.append("|---|---|---|---|")
        for column in table.columns.values():
            constraints = "; ".join(column.constraints())
            parts.append(
                f"| `{column.name}` | {column.type} | {column.description} | {constraints} |"
            )
        parts.append("")
    return "\n".join(parts)


def main() -> None:
    """Write the dictionary to ``docs/data-dictionary.md`` (or the path given)."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DICTIONARY_PATH
    path.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
