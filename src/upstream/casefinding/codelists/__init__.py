"""Codelists: versioned lists of SNOMED CT and ICD-10 codes that cohort definitions select on.

Each codelist is two files in this folder: ``<name>.csv`` with columns ``code,term,system``
(``system`` is ``snomed`` or ``icd10``) and optionally ``condition``, and ``<name>.yaml`` with
``name``, ``title``, ``version``, ``date`` and ``source``. SNOMED CT codes match exactly; ICD-10
codes match by prefix, ignoring dots, so ``I21`` matches ``I21.9`` and ``Z99.2`` matches
``Z992``.

Codes stand for conditions: the ``condition`` column names the condition of each code (e.g.
the Cambridge Multimorbidity Score condition in ``long_term_conditions``); a codelist without
it stands for one condition, named by its title in lower case. Counting conditions rather than
codes is what makes a GP's SNOMED CT code and a hospital's ICD-10 code for one disease one
condition.
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
    conditions: dict[tuple[str, str], str] = field(default_factory=dict, compare=False,
                                                   hash=False)
    """(system, code) -> condition, for every code."""

    def by_condition(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """condition -> (its SNOMED CT codes, its ICD-10 prefixes without dots), in file
        order of first appearance."""
        found: dict[str, tuple[set[str], set[str]]] = {}
        for (system, code), condition in self.conditions.items():
            snomed, icd10 = found.setdefault(condition, (set(), set()))
            (snomed if system == "snomed" else icd10).add(
                code if system == "snomed" else normalise_icd10(code))
        return {name: (frozenset(s), frozenset(i)) for name, (s, i) in found.items()}

    def condition_of(self, code: str, system: str) -> str | None:
        """The condition one code of ``system`` stands for (None if not in the list)."""
        if system == "snomed":
            return self.conditions.get(("snomed", code))
        plain = normalise_icd10(code)
        for (kind, listed), condition in self.conditions.items():
            if kind == "icd10" and plain.startswith(normalise_icd10(listed)):
                return condition
        return None

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
        if reader.fieldnames not in (["code", "term", "system"],
                                     ["code", "term", "system", "condition"]):
            raise CodelistError(f"{table.name}: columns must be code,term,system[,condition], "
                                f"not {','.join(reader.fieldnames or [])}")
        whole = str(meta["title"]).lower()
        conditions: dict[tuple[str, str], str] = {}
        for line, row in enumerate(reader, start=2):
            code, system = (row["code"] or "").strip(), (row["system"] or "").strip()
            if not code:
                raise CodelistError(f"{table.name} line {line}: code is empty")
            if system not in SYSTEMS:
                raise CodelistError(f"{table.name} line {line}: system must be one of "
                                    f"{', '.join(SYSTEMS)}, not '{system}'")
            by_system[system].add(code)
            terms[code] = (row["term"] or "").strip()
            condition = (row.get("condition") or "").strip()
            if "condition" in reader.fieldnames and not condition:
                raise CodelistError(f"{table.name} line {line}: condition is empty")
            conditions[(system, code)] = condition or whole
    return Codelist(
        name=name, title=str(meta["title"]), version=str(meta["version"]), date=meta["date"],
        source=" ".join(str(meta["source"]).split()), codes=frozenset(terms),
        snomed=frozenset(by_system["snomed"]), icd10=frozenset(by_system["icd10"]), terms=terms,
        conditions=conditions,
    )
