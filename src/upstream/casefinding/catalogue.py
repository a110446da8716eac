"""The cohort catalogue, generated from the shipped definitions and codelists.

Regenerate ``docs/cohorts.md`` with ``python -m upstream.casefinding.catalogue``; a test checks
that the committed file equals what this module produces. For each cohort it gives the
programme's own words, every parameter with its provenance (the programme's words it implements,
or the rationale of a local choice), and then lists the local choices together, so a reviewer
sees at a glance what the programme did not say.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from upstream.casefinding import codelists, definitions

CATALOGUE_PATH = Path(__file__).resolve().parents[3] / "docs" / "cohorts.md"

_PREAMBLE = """\
# Cohort catalogue

Generated from `src/upstream/casefinding/definitions/*.yaml` by
`python -m upstream.casefinding.catalogue`; do not edit by hand.

Every parameter says where its default comes from: **programme** (with the programme's words it
implements) or **local** (a value the programme does not give, with the reason for it). Local
choices are listed again under each cohort and in the About sheet (or `<name>.about.<ext>`) of
every worklist `upstream find` writes; change one with `--param COHORT.KEY=VALUE`.

Windows are calendar months (`in_last_months`: the 12 months to 29 February 2024 start on
1 March 2023) unless a parameter says days. "ED" counts ECDS department types 1-2; "A&E/UEC"
counts all types. Long-term conditions are counted as distinct conditions of the Cambridge
Multimorbidity Score list, however many codes record them.
"""


def _value(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render() -> str:
    """The catalogue as Markdown."""
    parts = [_PREAMBLE]
    for name in definitions.available():
        definition = definitions.load(name)
        parts.append(f"## `{name}`: {definition.title}\n")
        parts.append(f"Programme: {definition.programme}. Version {definition.version} of "
                     f"{definition.definition_date.isoformat()}"
                     + (" (a population flag: runs only when named)."
                        if definition.kind == "population_flag" else ".") + "\n")
        parts.append(f"> {definition.source}\n")
        parts.append("| parameter | default | source | programme's words or rationale |")
        parts.append("|---|---|---|---|")
        for key, parameter in definition.parameters.items():
            basis = (f'"{parameter.quote}"' if parameter.source == "programme"
                     else parameter.rationale)
            parts.append(f"| `{key}` | {_cell(_value(parameter.default))} | {parameter.source} "
                         f"| {_cell(parameter.description)} {_cell(basis)} |")
        parts.append("")
        local = definition.local_choices()
        if local:
            parts.append("Local choices: " + "; ".join(
                f"`{key}` = {_value(p.default)}" for key, p in local.items()) + ".\n")
    parts.append("## Codelists\n")
    parts.append("| codelist | version | conditions | source |")
    parts.append("|---|---|---|---|")
    for name in codelists.available():
        codelist = codelists.load(name)
        conditions = ", ".join(codelist.by_condition())
        parts.append(f"| `{name}` | {codelist.version} | {_cell(conditions)} "
                     f"| {_cell(codelist.source)} |")
    parts.append("")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    """Write the catalogue to ``docs/cohorts.md``, or to the one path given."""
    parser = argparse.ArgumentParser(
        prog="python -m upstream.casefinding.catalogue",
        description="Write the generated cohort catalogue (docs/cohorts.md by default).")
    parser.add_argument("path", nargs="?", type=Path, default=CATALOGUE_PATH,
                        help="where to write the catalogue")
    path = parser.parse_args(argv).path
    path.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
