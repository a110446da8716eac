"""The committed data dictionary is exactly what the contract generates."""

from upstream.data.dictionary import DICTIONARY_PATH, render
from upstream.data.schema import TABLES


def test_committed_dictionary_matches_the_contract():
    assert DICTIONARY_PATH.read_text(encoding="utf-8") == render(), (
        "docs/data-dictionary.md is stale: run python -m upstream.data.dictionary"
    )


def test_every_table_and_column_is_documented():
    text = render()
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for column in table.columns.values():
            assert column.description
            assert f"| `{column.name}` | {column.type} |" in text
