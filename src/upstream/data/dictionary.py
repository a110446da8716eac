"""The data dictionary, generated from the contract in :mod:`upstream.data.schema`.

Regenerate ``docs/data-dictionary.md`` with ``python -m upstream.data.dictionary``; a test checks
that the committed file equals what this module produces, so the two never drift.
"""

import inspect
import sys
from pathlib import Path

from upstream.data.schema import CSV_ENCODING, TABLES, WRITTEN_AS

DICTIONARY_PATH = Path(__file__).resolve().parents[3] / "docs" / "data-dictionary.md"

_PREAMBLE = """\
# Population data dictionary

Generated from `src/upstream/data/schema.py` by `python -m upstream.data.dictionary`; do not edit
by hand.

Case finding reads these tables from a folder holding, for each table, `<table>.parquet`,
`<table>.csv` or a folder `<table>/` of Parquet parts, or from a database Ibis reaches that holds
tables of these names. `patients` is required; a missing event table is reported as a warning,
and `upstream find` refuses (exit code 2) to run a chosen cohort that needs it, unless given
`--allow-missing`, which reports that cohort as not run (the library's `find_matches` likewise
raises `MissingTables`, unless `allow_missing=True`). Extra columns are ignored. Integer
columns accept any integer width. `upstream find` validates the source first and writes nothing
if any error is found.
"""


def render() -> str:
    """The data dictionary as Markdown."""
    parts = [_PREAMBLE, "## How values are written in CSV files\n",
             f"CSV files are {CSV_ENCODING} text with a header row naming the columns (line 1); "
             "validation reports a problem by the file's own line number. Values are written:\n"]
    parts += [f"- {kind}: {rule}" for kind, rule in WRITTEN_AS.items()]
    parts.append("")
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
