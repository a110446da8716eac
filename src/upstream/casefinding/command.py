"""``upstream find``: cohorts -> worklist file. Heavy imports happen inside the command; nothing
here imports Django (pushing a worklist into the service is the service's own command,
:mod:`upstream.service.referrals.command`)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

INVALID_INPUT = 2
"""Exit code when the input is refused (invalid data, unknown cohort or team, bad options)."""


class Combine(StrEnum):
    MAX = "max"
    SUM = "sum"


class Engine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


def find(
    data: Annotated[str, typer.Option(
        help="Folder of Parquet/CSV files named after the contract tables (patients, "
             "ed_attendances, ...), or a database URL Ibis can connect to.")],
    cohort: Annotated[list[str], typer.Option(
        help="Cohort to find, or 'all' (every shipped cohort except the Core20PLUS5 population "
             "flags, which run only when named); repeat for several.")],
    out: Annotated[Path, typer.Option(
        help="Worklist file: .csv or .parquet (summary and metadata written beside it as "
             "<name>.summary.<ext> and <name>.about.<ext>) or .xlsx (Worklist, Summary and "
             "About sheets).")],
    as_of: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"],
        help="Reference date of the worklist (YYYY-MM-DD); rows dated after it are ignored. "
             "Default: the latest complete day in the data (the day before the last day with "
             "recorded activity).")] = None,
    top: Annotated[int | None, typer.Option(
        min=1, help="Keep only the N highest-scoring people of each cohort (instead of each "
                    "definition's own top_n, e.g. 120 for ncl_ed_hiu).")] = None,
    deprivation_weight: Annotated[float, typer.Option(
        min=0.0, help="Proportionate universalism: priority x (1 + W x (10 - IMD decile) / 9). "
                      "0 turns deprivation weighting off.")] = 0.5,
    combine: Annotated[Combine, typer.Option(
        help="Combine a person's cohort scores by their max or their sum.")] = Combine.MAX,
    cohort_weight: Annotated[list[str] | None, typer.Option(
        help="Weight of one cohort's scores in the priority, as NAME=W (default 1); "
             "repeatable.")] = None,
    param: Annotated[list[str] | None, typer.Option(
        help="Override a cohort parameter, as COHORT.KEY=VALUE (VALUE read as YAML, e.g. 15, "
             "2024-01-31, [C82001, C82002]); repeatable.")] = None,
    allow_missing: Annotated[bool, typer.Option(
        help="Run the cohorts the source has the tables for, and report the others as 'not "
             "run' (never as 0 people). Without it, a missing table a chosen cohort needs is "
             "an error.")] = False,
    engine: Annotated[Engine, typer.Option(
        help="Where the cohorts run: duckdb (in this process), or spark (Apache Spark in "
             "local mode over the folder's Parquet files; needs Java and the 'spark' "
             "extra).")] = Engine.DUCKDB,
) -> None:
    """Run cohort definitions over population data and write a worklist.

    The source is validated first: if it has errors, or lacks a table a chosen cohort needs
    (unless --allow-missing), the report is printed, nothing is written and the exit code is
    2. Otherwise the cohorts run together (one query), each cohort is cut
    to its top N (its definition's top_n, or --top), people are de-duplicated and ranked,
    the worklist is written atomically and the summary (protected by the disclosure rule of
    docs/adr/0006) is printed. Rows dated after the as-of date are ignored, and counted in the
    output and in the worklist's metadata (with every local choice of the cohorts run).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from upstream.casefinding import worklist as wl
    from upstream.casefinding.definitions import DefinitionError
    from upstream.casefinding.definitions import load as load_definition
    from upstream.casefinding.engine import build_cohorts, find_matches, rows_after

    try:
        wl.output_paths(out)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--out") from None
    if not out.parent.is_dir():
        raise typer.BadParameter(f"There is no folder {out.parent}", param_hint="--out")
    cohorts = _chosen_cohorts(cohort)
    overrides = parse_params(param or [], cohorts)
    try:
        definitions = build_cohorts(cohorts, overrides)
    except DefinitionError as error:
        raise typer.BadParameter(str(error), param_hint="--param") from None
    top_n = {c.name: top or c.top_n for c in definitions if top or c.top_n}
    priority = wl.Priority(deprivation_weight=deprivation_weight, combine=combine.value,
                           cohort_weights=parse_cohort_weights(cohort_weight or [], cohorts))
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(stderr=True))
    with progress:
        step = progress.add_task("Validating the source", total=4)
        sources, as_of_date, as_of_reason = _validated_sources(
            data, as_of.date() if as_of else None, progress)
        progress.console.print(f"As of {as_of_date.isoformat()}: {as_of_reason}.",
                               markup=False, highlight=False)
        not_run = _cohorts_missing_tables(definitions, sources, allow_missing, progress)
        running = [c for c in definitions if c.name not in not_run]
        ignored = rows_after(sources, as_of_date)
        if ignored:
            progress.console.print(
                f"Ignored {sum(ignored.values())} row(s) dated after the as-of date: "
                + ", ".join(f"{table} {count}" for table, count in ignored.items()) + ".",
                markup=False, highlight=False)
        progress.update(step, advance=1, description=f"Finding {len(running)} cohort(s)")
        tables = _engine_tables(engine, sources)
        matches = find_matches(tables, running, as_of_date)
        progress.update(step, advance=1, description="Loading the people found")
        patients = _patients_of(tables["patients"], matches, wl.PATIENT_COLUMNS)
        worklist = wl.build_worklist(matches, patients, as_of=as_of_date, priority=priority,
                                     top_n=top_n)
        summary = wl.summarise(worklist, [c.name for c in running], not_run=not_run)
        progress.update(step, advance=1, description=f"Writing {out.name}")
        metadata = wl.about(as_of_date, as_of_reason, ignored,
                            [load_definition(c.name) for c in running], overrides)
        paths = wl.write_worklist(worklist, summary, out, metadata)
        progress.update(step, advance=1, description="Done")
    _print_summary(summary, as_of_date)
    for path in paths:
        typer.echo(f"Wrote {path}")


def _validated_sources(data: str, as_of: date | None, progress):
    """``(sources, as_of, why that as-of)``: the contract tables of ``data``, validated at
    ``as_of`` (None: the latest complete day in the data); warnings are printed. Exits with
    code 2, writing nothing, if the source cannot be read, has any error or (with no as-of
    given) holds no activity to date it by."""
    from upstream.casefinding.engine import latest_complete_day
    from upstream.data.sources import SourceError, load_sources
    from upstream.data.validation import validate

    console = progress.console
    reason = "given with --as-of"
    try:  # files open lazily, so an unreadable one is found while validating
        sources = load_sources(_source(data))
        if as_of is None:
            latest = latest_complete_day(sources)
            if latest is None:
                progress.stop()
                console.print("The source records no activity to take an as-of date from: "
                              "give one with --as-of YYYY-MM-DD.", markup=False, highlight=False)
                raise typer.Exit(INVALID_INPUT)
            as_of, last_day = latest
            reason = (f"the latest complete day in the data (activity is recorded up to "
                      f"{last_day.isoformat()}, which may be partial); set another with --as-of")
        report = validate(sources, as_of)
    except SourceError as error:
        progress.stop()
        console.print(str(error), markup=False, highlight=False)
        raise typer.Exit(INVALID_INPUT) from None
    if not report.ok:
        progress.stop()
        console.print(report.to_text(), markup=False, highlight=False)
        console.print("Nothing was written: fix the errors above and run again.", style="red")
        raise typer.Exit(INVALID_INPUT)
    for warning in report.warnings:
        console.print(warning.to_text(), markup=False, highlight=False)
    return sources, as_of, reason


def _cohorts_missing_tables(cohorts, sources, allow_missing: bool, progress) -> dict[str, list]:
    """Cohort name -> the tables it needs that ``sources`` lacks, for the cohorts that cannot
    run. Unless ``allow_missing``, any such cohort is an error: the cohorts and tables are
    named and the command exits with code 2, writing nothing. The check is the library's
    (:func:`upstream.casefinding.engine.missing_tables`, as ``find_matches`` makes it)."""
    from upstream.casefinding.engine import missing_tables

    missing = missing_tables(sources, cohorts)
    if not missing:
        return {}
    lines = [f"  {name} needs {', '.join(tables)}" for name, tables in missing.items()]
    if allow_missing:
        progress.console.print("Not run, because the source lacks tables they need:\n"
                               + "\n".join(lines), markup=False, highlight=False)
        return missing
    progress.stop()
    progress.console.print(
        f"{sources.location} lacks tables that cohorts chosen to run need:\n"
        + "\n".join(lines) + "\nNothing was written: add the tables, or run with "
        "--allow-missing to run the other cohorts and report these as not run.",
        markup=False, highlight=False)
    raise typer.Exit(INVALID_INPUT)


def _engine_tables(engine: Engine, sources):
    """The validated ``sources`` on the chosen engine: as they are (DuckDB, or the database of
    a URL), or the same Parquet files opened by a local Spark session."""
    if engine == Engine.DUCKDB:
        return sources
    from upstream.casefinding import spark

    if not sources.is_folder:
        raise typer.BadParameter("--engine spark reads a folder of Parquet files",
                                 param_hint="--engine")
    try:
        return spark.read_folder(spark.connect(), sources.files)
    except (ValueError, RuntimeError) as error:
        raise typer.BadParameter(str(error), param_hint="--engine") from None


def _source(data: str):
    """A folder path, or an Ibis connection for a URL such as ``postgres://...``."""
    if "://" in data:
        import ibis

        return ibis.connect(data)
    return Path(data)


def _chosen_cohorts(requested: list[str]) -> list[str]:
    """The cohorts to run, in the order given (:func:`definitions.select`: 'all' leaves out the
    population flags, which run only when named); an unknown name is a bad --cohort."""
    from upstream.casefinding.definitions import DefinitionError, select

    try:
        return select(requested)
    except DefinitionError as error:
        raise typer.BadParameter(str(error), param_hint="--cohort") from None


def parse_params(params: list[str], cohorts: list[str]) -> dict[str, dict[str, object]]:
    """``["ncl_ed_hiu.top_n=200"]`` -> ``{"ncl_ed_hiu": {"top_n": 200}}``; values are read as
    YAML so numbers, dates and lists keep their types."""
    import yaml

    overrides: dict[str, dict[str, object]] = {}
    for item in params:
        target, equals, text = item.partition("=")
        cohort, dot, key = target.partition(".")
        if not (equals and dot and cohort and key):
            raise typer.BadParameter(f"'{item}' is not COHORT.KEY=VALUE", param_hint="--param")
        if cohort not in cohorts:
            raise typer.BadParameter(f"'{item}' names cohort '{cohort}', which is not being run",
                                     param_hint="--param")
        try:
            overrides.setdefault(cohort, {})[key] = yaml.safe_load(text)
        except yaml.YAMLError:
            raise typer.BadParameter(f"Cannot read the value in '{item}'",
                                     param_hint="--param") from None
    return overrides


def parse_cohort_weights(items: list[str], cohorts: list[str]) -> dict[str, float]:
    """``["ncl_ed_hiu=2"]`` -> ``{"ncl_ed_hiu": 2.0}``."""
    weights: dict[str, float] = {}
    for item in items:
        cohort, equals, text = item.partition("=")
        try:
            weight = float(text)
        except ValueError:
            weight = -1.0
        if not equals or cohort not in cohorts or weight < 0:
            raise typer.BadParameter(
                f"'{item}' is not NAME=W for a cohort being run and a weight of 0 or more",
                param_hint="--cohort-weight")
        weights[cohort] = weight
    return weights


def _patients_of(patients, matches, columns):
    """The ``patients`` rows of the matched people, fetched by a join where the data live."""
    import ibis

    ids = ibis.memtable(matches[["patient_id"]].drop_duplicates().astype("int64"))
    return patients.semi_join(ids, "patient_id").select(*columns).to_pandas()


def _print_summary(summary, as_of: date) -> None:
    from rich.console import Console
    from rich.table import Table

    from upstream.casefinding import worklist as wl

    table = Table(title=f"People found as of {as_of.isoformat()} (1 to 9 shown as <10, others "
                        "rounded to the nearest 5, [c] hidden so that no <10 can be worked out)")
    table.add_column("Breakdown")
    table.add_column("Group")
    table.add_column("People", justify="right")
    previous = None
    for row in summary.itertuples(index=False):
        table.add_row("" if row.breakdown == previous else row.breakdown, row.group,
                      wl.shown(row))
        previous = row.breakdown
    Console().print(table)
