"""Worklists: the people case finding found, one row each, with reasons, ranked by priority.

:func:`build_worklist` turns the engine's matches (one row per person per cohort: ``patient_id``,
``cohort``, ``reasons``, ``score``) and the ``patients`` rows of those people into the worklist:

- **De-duplicated**: one row per person, listing every cohort they are in and, per cohort, the
  reasons each criterion fired (``"cohort: reasons | other_cohort: reasons"``).
- **Top N per cohort** (before de-duplication): a cohort whose definition ranks and caps it, such
  as North Central London's top 120 high intensity users of A&E, keeps only its N highest scores
  (ties broken by the lower ``patient_id``, so the cut is deterministic).
- **Priority** (see :class:`Priority` and docs/adr/0003): each cohort score is normalised to
  0-1 by the highest score in that cohort, weighted per cohort, combined by ``max`` (default) or
  ``sum``, then multiplied by the deprivation weight ``1 + w * (10 - imd_decile) / 9`` (IMD decile
  1 most deprived gets ``1 + w``, decile 10 gets 1; unknown decile gets 1). Rank 1 is the highest
  priority; ties go to the person in more cohorts, then the lower ``patient_id``.
- People who died on or before the as-of date are left out.

The worklist itself is identifiable (it is for the care team that will contact people).
:func:`summarise` is the aggregate view of it, protected as one release by
:mod:`upstream.standards.disclosure` (1 to 9 shown as ``"<10"``, others rounded to the nearest 5,
``"[c]"`` where a hidden count could otherwise be worked out). :func:`about` says how the
worklist was made: the as-of date and how it was chosen, the rows after it that were ignored,
each cohort's definition version and every local choice (a parameter value the programme did
not give, with its rationale). :func:`write_worklist` writes CSV, Parquet or Excel atomically;
:func:`read_worklist` reads any of them back with the right types.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from upstream.standards import disclosure, vocabularies

MATCH_COLUMNS = ("patient_id", "cohort", "reasons", "score")
PATIENT_COLUMNS = ("patient_id", "nhs_number", "birth_date", "sex", "imd_decile",
                   "practice_code", "death_date")
WORKLIST_COLUMNS = ("rank", "patient_id", "nhs_number", "age", "sex", "imd_decile", "core20",
                    "practice_code", "cohorts", "reasons", "priority")
SUMMARY_COLUMNS = ("breakdown", "group", "people", "note")
NOT_RUN = "not run"
ABOUT_COLUMNS = ("item", "value")

COHORT_SEPARATOR = "; "
REASON_SEPARATOR = " | "
CORE20_DECILES = (1, 2)
FORMATS = (".csv", ".parquet", ".xlsx")

AGE_BANDS = ((0, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 84),
             (85, None))
SEX_LABELS = vocabularies.SEX


@dataclass(frozen=True)
class Priority:
    """How people are ordered on the worklist.

    ``deprivation_weight`` (w >= 0) is the extra weight for the most deprived decile: 0 means no
    weighting, 0.5 (default) gives decile 1 one and a half times the priority of decile 10.
    ``combine`` is how a person's cohort scores become one: ``"max"`` (the strongest reason) or
    ``"sum"`` (more cohorts, more priority). ``cohort_weights`` scale each cohort's normalised
    score (default 1).
    """

    deprivation_weight: float = 0.5
    combine: Literal["max", "sum"] = "max"
    cohort_weights: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not np.isfinite(self.deprivation_weight) or self.deprivation_weight < 0:
            raise ValueError("The deprivation weight must be a number of 0 or more")
        if self.combine not in ("max", "sum"):
            raise ValueError("Combine cohort scores by 'max' or 'sum'")
        for cohort, weight in self.cohort_weights.items():
            if not np.isfinite(weight) or weight < 0:
                raise ValueError(f"The weight of cohort {cohort} must be a number of 0 or more")

    def deprivation_multiplier(self, imd_decile: pd.Series) -> pd.Series:
        """``1 + w * (10 - decile) / 9`` per person; 1 where the decile is not known."""
        decile = pd.to_numeric(imd_decile, errors="coerce").astype("float64")
        return (1 + self.deprivation_weight * (10 - decile) / 9).fillna(1.0)


def top_per_cohort(matches: pd.DataFrame, top_n: Mapping[str, int]) -> pd.DataFrame:
    """Keep, for each cohort named in ``top_n``, only its N highest-scoring people (ties to the
    lower ``patient_id``); other cohorts are kept whole."""
    if not top_n:
        return matches
    ordered = matches.sort_values(["cohort", "score", "patient_id"],
                                  ascending=[True, False, True], kind="stable")
    position = ordered.groupby("cohort", sort=False).cumcount()
    limit = ordered["cohort"].map(dict(top_n)).astype("float64").fillna(np.inf)
    return ordered[position < limit].sort_index()


def build_worklist(matches: pd.DataFrame, patients: pd.DataFrame, *, as_of: date,
                   priority: Priority | None = None,
                   top_n: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The worklist (columns :data:`WORKLIST_COLUMNS`, ordered by ``rank``) from the engine's
    ``matches`` and the ``patients`` rows of the matched people (extra patients are ignored).

    Raises ``ValueError`` if a column is missing or a matched person has no ``patients`` row.
    """
    priority = priority or Priority()
    _require(matches, MATCH_COLUMNS, "matches")
    _require(patients, PATIENT_COLUMNS, "patients")
    matches = top_per_cohort(matches[list(MATCH_COLUMNS)], top_n or {})
    scored = matches.assign(weighted=_normalised(matches) * matches["cohort"].map(
        lambda cohort: priority.cohort_weights.get(cohort, 1.0)))
    scored = scored.sort_values(["patient_id", "cohort"], kind="stable")
    scored = scored.assign(reason_text=scored["cohort"] + ": " + scored["reasons"].astype(str))
    per_person = scored.groupby("patient_id", sort=False).agg(
        cohorts=("cohort", COHORT_SEPARATOR.join),
        reasons=("reason_text", REASON_SEPARATOR.join),
        cohort_count=("cohort", "size"),
        cohort_score=("weighted", priority.combine),
    )
    people = _people(patients, per_person.index, as_of)
    worklist = people.merge(per_person.reset_index(), on="patient_id", how="inner")
    worklist["priority"] = worklist["cohort_score"] * priority.deprivation_multiplier(
        worklist["imd_decile"])
    worklist = worklist.sort_values(["priority", "cohort_count", "patient_id"],
                                    ascending=[False, False, True], kind="stable")
    worklist["rank"] = np.arange(1, len(worklist) + 1, dtype="int64")
    worklist["priority"] = worklist["priority"].round(4)
    return worklist[list(WORKLIST_COLUMNS)].reset_index(drop=True)


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s): {', '.join(missing)}")


def _normalised(matches: pd.DataFrame) -> pd.Series:
    """Each score divided by the highest score in its cohort, within 0-1 (1 when the cohort has
    no positive score, e.g. a cohort that does not rank its members)."""
    score = pd.to_numeric(matches["score"], errors="coerce").astype("float64")
    highest = score.groupby(matches["cohort"]).transform("max")
    ratio = (score / highest.where(highest > 0)).clip(0, 1)
    return ratio.where(highest > 0, 1.0).fillna(0.0)


def _people(patients: pd.DataFrame, ids: pd.Index, as_of: date) -> pd.DataFrame:
    """One row per matched person with age at ``as_of`` and the Core20 flag; the deceased
    are dropped."""
    rows = patients[patients["patient_id"].isin(ids)]
    missing = len(set(ids) - set(rows["patient_id"]))
    if missing:
        raise ValueError(f"{missing} matched people have no row in patients")
    died = pd.to_datetime(rows["death_date"])
    rows = rows[died.isna() | (died > pd.Timestamp(as_of))]
    birth = pd.to_datetime(rows["birth_date"])
    before_birthday = (birth.dt.month > as_of.month) | (
        (birth.dt.month == as_of.month) & (birth.dt.day > as_of.day))
    decile = pd.to_numeric(rows["imd_decile"], errors="coerce").astype("Int8")
    return pd.DataFrame({
        "patient_id": rows["patient_id"].astype("int64"),
        "nhs_number": rows["nhs_number"].astype("string"),
        "age": (as_of.year - birth.dt.year - before_birthday).astype("int64"),
        "sex": rows["sex"].astype("string"),
        "imd_decile": decile,
        "core20": decile.isin(CORE20_DECILES).fillna(False).astype(bool),
        "practice_code": rows["practice_code"].astype("string"),
    })


# --- The aggregate summary -------------------------------------------------------------------

def age_band(age: int) -> str:
    """The band of :data:`AGE_BANDS` holding ``age``, e.g. ``"25-34"`` or ``"85+"``."""
    for band in AGE_BANDS:
        if band[1] is None or age <= band[1]:
            return _band_label(band)
    raise AssertionError("AGE_BANDS ends open")


def summarise(worklist: pd.DataFrame, cohorts: Iterable[str] = (),
              not_run: Iterable[str] = ()) -> pd.DataFrame:
    """People on the worklist by cohort, IMD decile, Core20, sex and age band, every count
    protected together by :mod:`upstream.standards.disclosure` (docs/adr/0006).

    Columns (:data:`SUMMARY_COLUMNS`): ``breakdown``, ``group``, ``people`` (the published
    number: 0, or 10 or more rounded to the nearest 5; empty when not published) and ``note``
    (why ``people`` is empty: ``<10`` or ``[c]`` for a suppressed figure, ``not run`` for a
    cohort in ``not_run``, which could not run because the source lacks a table it needs).

    ``cohorts`` lists cohorts to show even when nobody was found in them. A person in several
    cohorts counts once in each. Sexes and age bands with nobody in them are left out. The
    release tells the disclosure check what a reader knows: deciles, sexes and age bands each
    add up to everyone; Core20 is deciles 1-2; each cohort is at most everyone and together
    the cohorts cover everyone.
    """
    release = disclosure.Release()
    rows: list[tuple[str, str, object]] = [("All people", "All", "all")]
    deciles = worklist["imd_decile"].astype("Int8")
    by_decile = {decile: int((deciles == decile).sum()) for decile in range(1, 11)}
    if deciles.isna().any():
        by_decile[None] = int(deciles.isna().sum())
    for decile, count in by_decile.items():
        release.count(("decile", decile), count)
    everyone = [("decile", decile) for decile in by_decile]
    release.total("all", everyone)

    in_cohort = worklist["cohorts"].str.split(COHORT_SEPARATOR).explode().value_counts()
    cohort_keys = []
    for cohort in sorted(set(in_cohort.index.dropna()) | set(cohorts)):
        key = ("cohort", cohort)
        release.count(key, int(in_cohort.get(cohort, 0)))
        release.relate([key], "<=", everyone)
        cohort_keys.append(key)
        rows.append(("Cohort", cohort, key))
    if cohort_keys:
        release.relate(cohort_keys, ">=", everyone)

    for decile in by_decile:
        label = "Not known" if decile is None else f"{decile}{_decile_note(decile)}"
        rows.append(("IMD decile", label, ("decile", decile)))
    release.total("core20", [("decile", d) for d in CORE20_DECILES])
    release.total("not core20", [k for k in everyone if k[1] not in CORE20_DECILES])
    rows += [("Core20 (IMD deciles 1-2)", "Yes", "core20"),
             ("Core20 (IMD deciles 1-2)", "No", "not core20")]

    sex = worklist["sex"].where(worklist["sex"].isin(list(SEX_LABELS)), "U")
    bands = worklist["age"].map(age_band)
    for breakdown, values, groups in (
        ("Sex", sex, [(code, label) for code, label in SEX_LABELS.items()]),
        ("Age band", bands, [(band, band) for band in map(_band_label, AGE_BANDS)]),
    ):
        counts = values.value_counts()
        keys = []
        for value, label in groups:
            if counts.get(value, 0):
                key = (breakdown, value)
                release.count(key, int(counts[value]))
                keys.append(key)
                rows.append((breakdown, label, key))
        release.relate(keys, "==", everyone)

    figures = release.protect()
    published = [(breakdown, group, figures[key].value,
                  figures[key].display if figures[key].suppressed else "")
                 for breakdown, group, key in rows]
    at = next((i for i, row in enumerate(published) if row[0] != "Cohort" and i), len(published))
    published[at:at] = [("Cohort", cohort, None, NOT_RUN) for cohort in not_run]
    frame = pd.DataFrame(published, columns=list(SUMMARY_COLUMNS))
    return frame.astype({"people": "Int64"})


def shown(row) -> str:
    """A summary row's figure as printed: the number with thousands separators, or the note."""
    return row.note if pd.isna(row.people) else f"{int(row.people):,}"


def _band_label(band: tuple[int, int | None]) -> str:
    low, high = band
    return f"{low}+" if high is None else f"{low}-{high}"


def _decile_note(decile: int) -> str:
    return {1: " (most deprived)", 10: " (least deprived)"}.get(decile, "")


# --- How the worklist was made ----------------------------------------------------------------

def about(as_of: date, as_of_reason: str, ignored: Mapping[str, int],
          definitions: Iterable, overrides: Mapping[str, Mapping] | None = None) -> pd.DataFrame:
    """The worklist's metadata (columns :data:`ABOUT_COLUMNS`): the as-of date and why it was
    chosen, the rows dated after it that every cohort ignored (per table), and for each cohort
    (a :class:`upstream.casefinding.definitions.Definition`) its version and every local
    choice: ``local choice: <cohort>.<parameter>`` with the value used and the rationale (or
    "set for this run" when overridden)."""
    rows = [("as of", as_of.isoformat()), ("as of chosen", as_of_reason)]
    rows += [(f"rows after the as-of date, ignored: {table}", str(count))
             for table, count in ignored.items()]
    if not ignored:
        rows.append(("rows after the as-of date, ignored", "none"))
    overrides = overrides or {}
    for definition in definitions:
        rows.append((f"cohort: {definition.name}", f"{definition.title}, version "
                     f"{definition.version} of {definition.definition_date.isoformat()}"))
        given = overrides.get(definition.name, {})
        for key, parameter in definition.local_choices().items():
            value = given.get(key, parameter.default)
            why = "set for this run" if key in given else parameter.rationale
            rows.append((f"local choice: {definition.name}.{key}",
                         f"{_value_text(value)}: {why}"))
    return pd.DataFrame(rows, columns=list(ABOUT_COLUMNS))


def _value_text(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


# --- Writing and reading ---------------------------------------------------------------------

def output_paths(out: Path, with_about: bool = False) -> list[Path]:
    """The files :func:`write_worklist` writes for ``out``: the Excel workbook alone, or for
    CSV and Parquet the worklist plus its summary beside it (``<name>.summary.<ext>``) and,
    ``with_about``, its metadata (``<name>.about.<ext>``)."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"Write the worklist to a {', '.join(FORMATS)} file, not '{out.name}'")
    if suffix == ".xlsx":
        return [out]
    extra = ["summary", "about"] if with_about else ["summary"]
    return [out, *(out.with_name(f"{out.stem}.{part}{out.suffix}") for part in extra)]


def write_worklist(worklist: pd.DataFrame, summary: pd.DataFrame, out: Path,
                   about: pd.DataFrame | None = None) -> list[Path]:
    """Write the worklist, its summary and (if given) its metadata from :func:`about` in the
    format of ``out``'s extension (Excel: sheets Worklist, Summary, About); return the paths
    written. Atomic: everything is written to temporary files in the same folder and only
    then renamed into place, so on any error no output (and no temporary file) is left. Files
    are readable by their owner only (mode 0600): the worklist is identifiable."""
    out = Path(out)
    paths = output_paths(out, with_about=about is not None)
    with _atomic(paths) as temporary:
        if out.suffix.lower() == ".xlsx":
            _write_excel(worklist, summary, about, temporary[0])
        else:
            write = _WRITERS[out.suffix.lower()]
            write(worklist, temporary[0])
            write(summary, temporary[1])
            if about is not None:
                write(about, temporary[2])
    return paths


def read_worklist(path: Path) -> pd.DataFrame:
    """A worklist written by :func:`write_worklist` (or edited in a spreadsheet), with NHS
    numbers and practice codes as text. Extra columns (e.g. names added by re-identification)
    are kept."""
    path = Path(path)
    text = {"nhs_number": "string", "practice_code": "string", "sex": "string"}
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(path, dtype=text)
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
    elif suffix == ".xlsx":
        frame = pd.read_excel(path, sheet_name="Worklist", dtype=text)
    else:
        raise ValueError(f"Read a worklist from a {', '.join(FORMATS)} file, not '{path.name}'")
    if "imd_decile" in frame.columns:
        frame["imd_decile"] = pd.to_numeric(frame["imd_decile"]).astype("Int8")
    return frame


@contextlib.contextmanager
def _atomic(paths: list[Path]) -> Iterator[list[Path]]:
    """Yield temporary paths beside ``paths``; on success rename each onto its target, on any
    error remove them (and any target already renamed in this call)."""
    temporary: list[Path] = []
    renamed: list[Path] = []
    try:
        for path in paths:
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                            dir=path.parent)
            os.close(handle)
            temporary.append(Path(name))  # mkstemp creates it owner-only (0600)
        yield temporary
        for source, target in zip(temporary, paths, strict=True):
            os.replace(source, target)
            renamed.append(target)
    except BaseException:
        for path in temporary + renamed:
            path.unlink(missing_ok=True)
        raise


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False)


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


_WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    ".csv": _write_csv, ".parquet": _write_parquet,
}


def _write_excel(worklist: pd.DataFrame, summary: pd.DataFrame, about: pd.DataFrame | None,
                 path: Path) -> None:
    sheets = [("Worklist", worklist), ("Summary", summary)]
    if about is not None:
        sheets.append(("About", about))
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, frame in sheets:
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
            for column, title in enumerate(frame.columns):
                width = max([len(str(title)), *frame[title].astype(str).str.len().head(500)])
                sheet.set_column(column, column, min(width + 2, 80))
