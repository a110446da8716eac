"""The committed cohort catalogue is exactly what the definitions generate, and lists every
local choice."""

from upstream.casefinding import definitions
from upstream.casefinding.catalogue import CATALOGUE_PATH, render


def test_committed_catalogue_matches_the_definitions():
    assert CATALOGUE_PATH.read_text(encoding="utf-8") == render(), (
        "docs/cohorts.md is stale: run python -m upstream.casefinding.catalogue"
    )


def test_every_local_choice_is_listed_with_its_rationale():
    text = render()
    for name in definitions.available():
        definition = definitions.load(name)
        section = text.split(f"## `{name}`")[1].split("\n## ")[0]
        for key, parameter in definition.local_choices().items():
            assert f"| `{key}` |" in section and "| local |" in section
            assert f"`{key}` = " in section.split("Local choices:")[1]
            assert " ".join(parameter.rationale.split())[:40] in section
