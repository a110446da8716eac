"""Comparing family names the way a demographic trace does. Pure Python.

Two spellings of one family name are the same name when they agree after ignoring case,
accents, spaces, hyphens and apostrophes: ``O'Brien`` = ``OBRIEN`` = ``o brien``,
``Smith-Jones`` = ``smith jones``. Nothing else is forgiven (no soundex, no nicknames): a name
that differs in any letter does not match, and identity then goes to a person to confirm.
"""

import unicodedata

IGNORED = frozenset(" \t-‐‑‒–—'’‘`´.")
"""Spaces, hyphens and dashes, apostrophes (straight and curly) and full stops."""


def normalise_family_name(name: str) -> str:
    """``name`` folded for comparison: accents removed, case folded, the characters in
    ``IGNORED`` dropped. ``normalise_family_name("O’Brien-Smith") == "obriensmith"``."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = (c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in "".join(letters).casefold() if c not in IGNORED)


def same_family_name(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are the same family name (see the module docstring). Two empty
    names are not the same name: there is nothing to agree on."""
    folded = normalise_family_name(a)
    return bool(folded) and folded == normalise_family_name(b)
