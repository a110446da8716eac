"""Codelists: versioned lists of SNOMED CT and ICD-10 codes that cohort definitions select on.

Each codelist is two files in this folder: ``<name>.csv`` with columns ``code,term,system``
(``system`` is ``snomed`` or ``icd10``) and ``<name>.yaml`` with ``name``, ``title``, ``version``,
``date`` and ``source``. SNOMED CT codes match exactly; ICD-10 codes match by prefix, ignoring
dots, so ``I21`` matches ``I21.9`` and ``Z99.2`` matches ``Z992``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent
SYSTEMS = ("snomed", "icd10")


class CodelistError(ValueError):
    """A codelist is missing or malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Codelist:
    """One versioned codelist. ``codes`` holds every code of every system (as written)."""

    name: str
    title: str
    version: str
    date: date
    source: str
    codes: frozenset[str]
    snomed: frozenset[str] = field(default_factory=frozenset)
    icd10: frozenset[str] = field(default_factory=frozenset)
    terms: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def icd10_prefixes(self) -> tuple[str, ...]:
        """ICD-10 codes without dots, shortest first: the prefixes a diagnosis may start with."""
        return tuple(sorted({normalise_icd10(code) for code in self.icd10}, key=len))

    def matches(self, code: str, system: str) -> bool:
        """Whether one code of ``system`` is in the list (ICD-10 by prefix)."""
        if system == "snomed":
            return code in self.snomed
        return normalise_icd10(code).startswith(self.icd10_prefixes) if self.icd10 else False


def normalise_icd10(code: str) -> str:
    """``"I21.9"`` -> ``"I219"``: ICD-10 codes compared without dots or spaces, upper case."""
    return code.replace(".", "").replace(" ", "").upper()


def available() -> list[str]:
    """Names of the codelists shipped in this folder."""
    return sorted(path.stem for path in FOLDER.glob("*.csv"))


@cache
def load(name: str) -> Codelist:
    """The codelist called ``name``; :class:`CodelistError` if it is missing or malformed."""
    table, sidecar = FOLDER / f"{name}.csv", FOLDER / f"{name}.yaml"
    if not table.exists():
        raise CodelistError(
            f"No codelist named '{name}' (looked for {table.name}); "
            f"codelists: {', '.join(available())}"
        )
    if not sidecar.exists():
        raise CodelistError(f"{sidecar.name} is missing: every codelist needs its metadata file")
    meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    for key in ("name", "title", "version", "date", "source"):
        if key not in meta:
            raise CodelistError(f"{sidecar.name}: key '{key}' is missing")
    if meta["name"] != name:
        raise CodelistError(f"{sidecar.name}: name is '{meta['name']}', expected '{name}'")
    if not isinstance(meta["date"], date):
        raise CodelistError(f"{sidecar.name}: date must be YYYY-MM-DD, not {meta['date']!r}")
    by_system: dict[str, set[str]] = {system: set() for system in SYSTEMS}
    terms: dict[str, str] = {}
    with table.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["code", "term", "system"]:
            raise CodelistError(f"{table.name}: columns must be code,term,system, "
                                f"not {','.join(reader.fieldnames or [])}")
        for line, row in enumerate(reader, start=2):
            code, system = (row["code"] or "").strip(), (row["system"] or "").strip()
            if not code:
                raise CodelistError(f"{table.name} line {line}: code is empty")
            if system not in SYSTEMS:
                raise CodelistError(f"{table.name} line {line}: system must be one of "
                                    f"{', '.join(SYSTEMS)}, not '{system}'")
            by_system[system].add(code)
            terms[code] = (row["term"] or "").strip()
    return Codelist(
        name=name, title=str(meta["title"]), version=str(meta["version"]), date=meta["date"],
        source=" ".join(str(meta["source"]).split()), codes=frozenset(terms),
        snomed=frozenset(by_system["snomed"]), icd10=frozenset(by_system["icd10"]), terms=terms,
    )
