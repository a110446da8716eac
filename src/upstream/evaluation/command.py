"""``upstream evaluate``: impact evaluations. ``upstream evaluate table`` is the generic mode:
any person-level table (CSV or Parquet), a matched comparison, difference-in-differences;
``upstream evaluate activity`` is the Upstream mode over the activity data of the contract.
Heavy imports happen inside the commands."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

INVALID_INPUT = 2
"""Exit code when the input is refused (nothing is written)."""

evaluate = typer.Typer(help="Evaluate impact against a matched comparison group, value for "
                                "money and inequalities.",
                       no_args_is_help=True)


def _names(text: str, option: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if text.strip() and len(names) != len([n for n in text.split(",")]):
        raise typer.BadParameter(f"'{text}' has an empty column name", param_hint=option)
    return names


@evaluate.command("table")
def table(
    file: Annotated[Path, typer.Argument(
        help="Person-level table, one row per person: .csv (comma-separated, header row) or "
             ".parquet.")],
    id: Annotated[str, typer.Option("--id", help="Column with each person's id (unique).")],
    treated: Annotated[str, typer.Option(
        help="Column that is 1 for people the programme supported, 0 for possible controls.")],
    before: Annotated[str, typer.Option(
        help="Column(s) measured before the index date, comma-separated (e.g. ed_y1,ed_y2).")],
    after: Annotated[str, typer.Option(help="Column measured after the index date.")],
    covariates: Annotated[str, typer.Option(
        help="Columns to match on, comma-separated (numbers, or categories: see "
             "--categorical).")],
    out: Annotated[Path, typer.Option(
        help="Folder for result.json, report.md and chart.png/.svg (created if needed).")],
    categorical: Annotated[str, typer.Option(
        help="Covariates to treat as categories even though they hold numbers (e.g. an IMD "
             "quintile or region code), comma-separated. Covariates with no numbers at all "
             "are categorical anyway.")] = "",
    exact: Annotated[str, typer.Option(
        help="Columns to match on exactly (strata), comma-separated.")] = "",
    neighbours: Annotated[int, typer.Option(
        min=1, max=20, help="Controls matched to each treated person, with replacement.")] = 4,
    caliper: Annotated[float, typer.Option(
        min=0.001, help="Largest distance between matched people, in standard deviations "
                        "of the logit of the propensity score.")] = 0.2,
    resamples: Annotated[int, typer.Option(
        min=100, help="Bootstrap resamples for the 95% interval.")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap and tie-breaking.")] = 1,
    drop_missing: Annotated[bool, typer.Option(
        help="Leave out people with a missing value in a column used (the count is "
             "reported); without it, missing values are refused.")] = False,
    plan: Annotated[Path | None, typer.Option(
        help="Evaluation plan (YAML: outcomes, windows, comparison, estimator) declared before "
             "the results; the run must follow it. Its fingerprint and whether it changed "
             "after results were first seen go into result.json and report.md.")] = None,
    register: Annotated[Path | None, typer.Option(
        help="Plan register file (default: plan-register.json in --out).")] = None,
) -> None:
    """Estimate a programme's impact on one measure from a person-level table.

    Treated people are matched to similar controls (propensity score on the covariates and
    the before columns, nearest neighbours with replacement within a caliper); the impact is
    the difference-in-differences of (after - mean of before) between them, with a bootstrap
    95% interval, shown beside the naive before/after change and the change expected from
    regression to the mean alone. The table is checked first: on any problem the error names
    the column and the first line, and nothing is written (exit code 2).

    With ``--plan`` the run must follow the plan (else exit code 2, naming each plan key it
    departs from); the first run records the plan's fingerprint in the register, and later
    runs with a changed plan are reported as "plan changed after results were first seen".
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from upstream.evaluation.impact import STEPS, Method
    from upstream.evaluation.impact import evaluate as run
    from upstream.evaluation.report import write_outputs
    from upstream.evaluation.table import Roles, TableError, load_table

    roles = Roles(id=id, treated=treated, before=_names(before, "--before"), after=after,
                  covariates=_names(covariates, "--covariates"),
                  categorical=_names(categorical, "--categorical"),
                  exact=_names(exact, "--exact"))
    method = Method(neighbours=neighbours, caliper_sd=caliper, resamples=resamples, seed=seed)
    console = Console(stderr=True)
    record = _plan_record(plan, register, out, roles, method, console) if plan else None
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console)
    try:
        with progress:
            task = progress.add_task(f"Reading and checking {file.name}", total=len(STEPS) + 2)
            people = load_table(file, roles, drop_missing=drop_missing)

            def step(description: str) -> None:
                progress.update(task, advance=1, description=description)

            result = run(people, method, progress=step)
            step(f"Writing {out}")
            paths = write_outputs(result, out, source=str(file), roles=roles, plan=record)
            progress.update(task, completed=len(STEPS) + 2, description="Done")
    except TableError as error:
        console.print(f"Error: {error}", markup=False, highlight=False, style="red")
        console.print("Nothing was written.")
        raise typer.Exit(INVALID_INPUT) from None
    _print_result(result)
    if record:
        typer.echo(f"Plan {record.fingerprint[:12]}: {record.status_text}")
    for path in paths:
        typer.echo(f"Wrote {path}")


def _plan_record(plan_file: Path, register: Path | None, out: Path, roles, method, console):
    """Load the plan, check the run follows it and compare it with the register; on any
    problem print it, say nothing was written and exit with code 2."""
    from upstream.evaluation.plan import REGISTER_NAME, PlanError, departures, load_plan, standing
    from upstream.evaluation.report import FILES

    try:
        plan = load_plan(plan_file)
        problems = departures(plan, roles, method)
        if problems:
            raise PlanError(f"{plan_file}: the run does not follow the plan:\n  "
                            + "\n  ".join(problems))
        return standing(plan, plan_file, register or out / REGISTER_NAME,
                        results_exist=any((out / name).exists() for name in FILES))
    except PlanError as error:
        console.print(f"Error: {error}", markup=False, highlight=False, style="red")
        console.print("Nothing was written.")
        raise typer.Exit(INVALID_INPUT) from None


def _print_result(result) -> None:
    from rich.console import Console

    from upstream.evaluation.report import published_counts
    from upstream.standards.disclosure import enough_for_a_summary

    counts = published_counts(result)
    console = Console()
    console.print(f"Treated: {counts['treated']} ({counts['matched']} matched, "
                  f"{counts['unmatched']} without a match); controls used: "
                  f"{counts['controls_used']}")
    if not enough_for_a_summary(result.n_treated_matched):
        console.print("Fewer than 10 matched treated people: figures not shown.")
        return
    console.print(f"Impact (difference-in-differences): {result.estimate:,.3f} "
                  f"(95% CI {result.ci_low:,.3f} to {result.ci_high:,.3f})")
    console.print(f"Naive before/after change of the treated: {result.naive_estimate:,.3f}")
    console.print(f"Change expected without the programme (matched comparison): "
                  f"{result.expected_change_without_programme:,.3f}")


@evaluate.command("activity")
def activity(
    source: Annotated[Path, typer.Argument(
        help="Activity data: a folder of contract tables (Parquet or CSV), as for "
             "'upstream find'.")],
    supported: Annotated[Path, typer.Option(
        help="Supported people (.csv or .parquet), one row per person: their patient_id in "
             "the activity data and their index date (YYYY-MM-DD), e.g. the first contact of "
             "their episode.")],
    out: Annotated[Path, typer.Option(
        help="Folder for result.json, outcomes.csv, report.md and chart.png/.svg.")],
    exclude: Annotated[Path | None, typer.Option(
        help="Further people (.csv or .parquet with a patient_id column) never to use as "
             "comparison people, e.g. everyone any team has supported.")] = None,
    id_column: Annotated[str, typer.Option(help="Person id column of --supported.")
                         ] = "patient_id",
    index_column: Annotated[str, typer.Option(help="Index date column of --supported.")
                            ] = "index_date",
    as_of: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="Last day of the activity data (default: the latest "
                                   "complete day it records).")] = None,
    data_from: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="First day every outcome table covers (default: the "
                                   "latest of their earliest dates).")] = None,
    period_days: Annotated[int, typer.Option(min=28, help="Days in each before period.")
                           ] = 365,
    before_periods: Annotated[int, typer.Option(min=1, max=4, help="Before periods.")] = 2,
    after_days: Annotated[int, typer.Option(min=28, help="Days in the after period.")] = 365,
    outcomes: Annotated[str, typer.Option(
        help="Outcomes, comma-separated (default all; the list is in "
             "docs/evaluation-activity.md, and a wrong name is refused listing them).")] = "",
    department_types: Annotated[str, typer.Option(
        help="ECDS department types counted as ED attendances (1,2: emergency departments; "
             "1,2,3: all urgent and emergency care).")] = "1,2",
    exact: Annotated[str, typer.Option(
        help="Match exactly on: index_quarter, sex, imd_quintile (comma-separated).")
    ] = "index_quarter,sex",
    neighbours: Annotated[int, typer.Option(min=1, max=20)] = 4,
    caliper: Annotated[float, typer.Option(min=0.001)] = 0.2,
    resamples: Annotated[int, typer.Option(min=100)] = 2000,
    seed: Annotated[int, typer.Option(help="Seed of comparison index dates, tie-breaking "
                                           "and the bootstrap.")] = 1,
) -> None:
    """Impact of a service on its supported people's use of ED, hospital, GP, outpatients
    and adult social care, against matched comparison people from the activity data.

    Each outcome is counted in periods before and after each person's index date; comparison
    people (never supported) get index dates drawn from the supported people's and are matched
    on the calendar quarter, sex, age, IMD, long-term conditions and their prior use of every
    outcome. The impact is the difference-in-differences with a bootstrap 95% interval, beside
    the naive before/after change and the change expected without the programme. The data are
    validated first; on any problem (unknown person ids, index dates the data cannot follow,
    a missing table) the error says what and where and nothing is written (exit code 2)."""
    from rich.console import Console

    from upstream.casefinding.engine import latest_complete_day
    from upstream.data.sources import SourceError, load_sources
    from upstream.data.validation import validate
    from upstream.evaluation import activity as act
    from upstream.evaluation.activity_report import write_activity
    from upstream.evaluation.impact import Method

    console = Console(stderr=True)

    def refuse(message: str) -> None:
        console.print(f"Error: {message}", markup=False, highlight=False, style="red")
        console.print("Nothing was written.")
        raise typer.Exit(INVALID_INPUT)

    try:
        windows = act.Windows(period_days, before_periods, after_days)
        method = Method(neighbours=neighbours, caliper_sd=caliper, resamples=resamples,
                        seed=seed)
        people = act.read_supported(supported, id_column=id_column, index_column=index_column)
        if exclude:
            people.excluded = act.read_excluded(exclude, id_column=id_column)
        sources = load_sources(source)
        last = as_of.date() if as_of else (latest_complete_day(sources) or (None,))[0]
        if last is None:
            refuse(f"{source} holds no activity")
        report = validate(sources, as_of=last)
        if not report.ok:
            refuse("the activity data do not follow the data contract:\n"
                   + "\n".join(p.to_text() for p in report.errors))
        console.print(f"Activity data to {last}; evaluating...", highlight=False)
        result = act.evaluate_activity(
            sources, people, as_of=last, windows=windows, method=method,
            outcomes=_names(outcomes, "--outcomes") or tuple(act.OUTCOMES),
            department_types=tuple(int(t) for t in _names(department_types,
                                                           "--department-types")),
            exact=_names(exact, "--exact"),
            data_from=data_from.date() if data_from else None,
            progress=lambda step: console.print(step, highlight=False))
        paths = write_activity(result, out, source=str(source), supported=str(supported))
    except (act.ActivityError, SourceError, ValueError) as error:
        refuse(str(error))
    _print_activity(result)
    for path in paths:
        typer.echo(f"Wrote {path}")


def _print_activity(result) -> None:
    from rich.console import Console

    from upstream.evaluation.activity import OUTCOMES
    from upstream.evaluation.report import published_counts
    from upstream.standards.disclosure import enough_for_a_summary

    first = next(iter(result.outcomes.values()))
    counts = published_counts(first)
    console = Console()
    console.print(f"Supported: {counts['treated']} ({counts['matched']} matched); comparison "
                  f"people used: {counts['controls_used']}")
    if not enough_for_a_summary(first.n_treated_matched):
        console.print("Fewer than 10 matched supported people: figures not shown.")
        return
    for name, found in result.outcomes.items():
        console.print(f"{OUTCOMES[name].label}: impact {found.estimate:,.3f} (95% CI "
                      f"{found.ci_low:,.3f} to {found.ci_high:,.3f}); naive "
                      f"{found.naive_estimate:,.3f}; expected without the programme "
                      f"{found.expected_change_without_programme:,.3f}", highlight=False)


@evaluate.command("value")
def value(
    result: Annotated[Path, typer.Option(
        help="result.json of 'upstream evaluate table' or 'upstream evaluate activity' "
             "(the effect per person).")],
    programme: Annotated[Path, typer.Option(
        help="Programme file (YAML): posts, on-costs, overheads, non-staff costs, the unit "
             "cost that values the measure, wider social value.")],
    out: Annotated[Path, typer.Option(help="Folder for value.json, report.md and "
                                           "tornado.png/.svg (created if needed).")],
    price_year: Annotated[str, typer.Option(
        help="Financial year to express all money in: 2025/26, or 2025 for the "
             "year starting in April 2025.")],
    costs: Annotated[Path | None, typer.Option(
        help="Unit costs CSV (default: the shipped National Cost Collection / PSSRU table).")
    ] = None,
    inflation: Annotated[Path | None, typer.Option(
        help="Inflation index CSV (default: the shipped NHSCII table).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the simulated draws when the result "
                                           "holds no bootstrap draws.")] = 1,
    outcome: Annotated[str | None, typer.Option(
        help="For a result of 'upstream evaluate activity': the outcome to value "
             "(ed_attendances, emergency_admissions, bed_days, ...), with the programme "
             "file's unit cost for it.")] = None,
) -> None:
    """Net cashable savings and return per £1 with 95% intervals, wider social value apart,
    and a one-way sensitivity analysis (tornado chart). On bad input the error names the file
    and the line, column or key, and nothing is written (exit code 2)."""
    from upstream.evaluation import economics as ec
    from upstream.evaluation.value_report import money, write_value

    costs = costs or ec.DEFAULT_UNIT_COSTS
    inflation = inflation or ec.DEFAULT_INFLATION_INDEX
    try:
        found = ec.value_for_money(
            ec.load_effect(result, seed=seed, outcome=outcome), ec.load_programme(programme),
            ec.load_unit_costs(costs), ec.load_inflation_index(inflation),
            ec.financial_year(price_year, "--price-year"))
    except ec.EconomicsError as error:
        typer.echo(f"Error: {error}\nNothing was written.", err=True)
        raise typer.Exit(INVALID_INPUT) from None
    paths = write_value(found, out, sources={
        "impact result": str(result), "programme": str(programme), "unit costs": str(costs),
        "inflation index": str(inflation)})
    low, high = found.return_per_pound_ci
    typer.echo(f"Return per £1: {money(found.return_per_pound, 2)} (95% CI "
               f"{money(low, 2)} to {money(high, 2)})")
    for path in paths:
        typer.echo(f"Wrote {path}")


@evaluate.command("inequalities")
def inequalities(
    file: Annotated[Path, typer.Argument(
        help="Person-level table (.csv or .parquet): person_id, eligible, referred, engaged, "
             "improved (0/1), imd_decile, ethnic_category, age, sex.")],
    out: Annotated[Path, typer.Option(help="Folder for inequalities.csv and report.md.")],
) -> None:
    """Rates and rate ratios (95% CIs) of referral, engagement and improvement among eligible
    people by IMD quintile and decile, ethnic group, age band, sex and Core20PLUS5, every
    figure through the disclosure rule. On bad input the error names the file, line and
    column, and nothing is written (exit code 2)."""
    from upstream.evaluation import inequalities as iq

    try:
        result = iq.inequalities(iq.read_people(file))
    except iq.InequalitiesError as error:
        typer.echo(f"Error: {error}\nNothing was written.", err=True)
        raise typer.Exit(INVALID_INPUT) from None
    for path in iq.write_inequalities(result, out, source=str(file)):
        typer.echo(f"Wrote {path}")
