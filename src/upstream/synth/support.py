"""Plant a programme with a known effect in a synthetic world, for ``upstream evaluate``.

:func:`plant_support` takes a world written by :mod:`upstream.synth.world` and:

1. gives every adult a candidate index date, uniform over the days the world can measure
   (``before_days`` of history and ``after_days`` of follow-up);
2. supports people **because their recent ED use was high**: the chance of support is a
   logistic function of their ED attendances (department types 1 and 2) in the last
   ``period_days`` up to the index date, with the intercept set so about ``supported`` people
   are chosen. Their use falls afterwards by itself (the world's ED use has persistent
   propensities and yearly shocks: regression to the mean);
3. among supported people, **prevents a share** ``share_prevented`` of their type 1-2 ED
   attendances in the after period ``(index, index + after_days]``: each removed
   independently from ``ed_attendances.parquet``.

The planted truth is exact: the effect on the treated is minus the attendances removed per
supported person (nothing else is changed, so every other outcome's true effect is 0). It is
written to ``support_truth.json`` beside ``supported.csv`` (``patient_id, index_date``, as
``upstream evaluate activity`` reads it), and per person to ``support_prevented.csv``
(``patient_id, prevented``), so the truth can be taken over the people an evaluation matched.
Support depends only on measured prior use, so matching on the prior-use trajectory can
recover the effect; the naive before/after change of the supported people counts their
regression to the mean as benefit. Files are replaced all or none.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from upstream.synth.people import YEARS_OF_ACTIVITY

ED_TYPES = (1, 2)


@dataclass(frozen=True)
class SupportTruth:
    """What was planted."""

    supported: int
    share_prevented: float
    effect_on_treated: float
    """Mean over supported people of (ED attendances in the after period with support -
    without); negative = fewer."""
    regression_to_the_mean: float
    """Mean over supported people of (after without support - mean of the before periods,
    scaled to the after period's length), as ``upstream evaluate activity`` measures change."""
    period_days: int
    before_periods: int
    after_days: int
    first_index: str
    last_index: str


def plant_support(world: str | Path, seed: int, *, supported: int = 200,
                  share_prevented: float = 0.3, period_days: int = 182,
                  before_periods: int = 2, after_days: int = 365,
                  selection_slope: float = 0.8) -> SupportTruth:
    """Plant the programme in ``world`` (see the module docstring); return its truth."""
    if not 0 <= share_prevented < 1:
        raise ValueError("share_prevented must be from 0 to under 1")
    folder = Path(world)
    manifest = json.loads((folder / "manifest.json").read_text())
    as_of = date.fromisoformat(manifest["as_of"])
    data_from = as_of - timedelta(days=YEARS_OF_ACTIVITY * 365 - 1)
    margin = 31  # the world's rarest tables may start a little after its first day
    first = data_from + timedelta(days=period_days * before_periods + margin)
    last = as_of - timedelta(days=after_days)
    if first > last:
        raise ValueError("the world is too short for these periods")
    rng = np.random.default_rng([seed, 7])
    con = duckdb.connect()
    patients = con.sql(f"""
        select patient_id, birth_date, death_date from read_parquet('{folder}/patients.parquet')
        order by patient_id""").to_arrow_table()
    n = patients.num_rows
    span = (last - first).days + 1
    index = np.datetime64(first) + rng.integers(0, span, n).astype("timedelta64[D]")
    birth = patients.column("birth_date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    death = pc.fill_null(patients.column("death_date"), date(9999, 12, 31)).to_numpy(
        zero_copy_only=False).astype("datetime64[D]")
    adult = (index - birth).astype(int) >= 18 * 365.25
    candidates = pa.table({"patient_id": patients.column("patient_id"),
                           "index_date": pa.array(index.astype("datetime64[D]"), pa.date32()),
                           "eligible": pa.array(adult & (death > index))})
    con.register("candidates", candidates)
    types = ", ".join(map(str, ED_TYPES))
    con.execute(f"""
        create table dated as
        select e.attendance_id, c.patient_id,
               datediff('day', c.index_date, cast(e.arrival_time as date)) as offset_days
        from read_parquet('{folder}/ed_attendances.parquet') e
        join candidates c using (patient_id)
        where e.department_type in ({types})""")
    recent = con.sql(f"""
        select c.patient_id, count(d.attendance_id) as n
        from candidates c left join dated d
          on d.patient_id = c.patient_id and d.offset_days > {-period_days}
             and d.offset_days <= 0
        group by c.patient_id order by c.patient_id""").to_arrow_table()
    count = recent.column("n").to_numpy().astype(float)
    eligible = candidates.column("eligible").to_numpy(zero_copy_only=False)
    pull = np.where(eligible, selection_slope * count, -np.inf)
    intercept = _intercept_for(pull, supported)
    chosen = rng.random(n) < 1 / (1 + np.exp(-(intercept + pull)))
    ids = patients.column("patient_id").to_numpy()[chosen]
    con.register("chosen", pa.table({"patient_id": ids}))
    after = con.sql(f"""
        select d.attendance_id, d.patient_id from dated d join chosen using (patient_id)
        where d.offset_days > 0 and d.offset_days <= {after_days}
        order by d.attendance_id""").to_arrow_table()
    removed = after.filter(pa.array(rng.random(after.num_rows) < share_prevented))
    before = con.sql(f"""
        select coalesce(sum(case when d.offset_days > {-period_days * before_periods}
                                  and d.offset_days <= 0 then 1 else 0 end), 0) as b
        from dated d join chosen using (patient_id)""").fetchone()[0]
    truth = SupportTruth(
        supported=int(chosen.sum()), share_prevented=share_prevented,
        effect_on_treated=-removed.num_rows / max(int(chosen.sum()), 1),
        regression_to_the_mean=(after.num_rows - before / before_periods * after_days
                                / period_days) / max(int(chosen.sum()), 1),
        period_days=period_days, before_periods=before_periods, after_days=after_days,
        first_index=first.isoformat(), last_index=last.isoformat())
    ed = pq.read_table(folder / "ed_attendances.parquet")
    kept = ed.filter(pc.invert(pc.is_in(ed.column("attendance_id"),
                                        value_set=removed.column("attendance_id"))))
    prevented = pa.table({"patient_id": ids, "prevented": pa.array(
        [0] * len(ids), pa.int64())}) if removed.num_rows == 0 else _prevented(ids, removed)
    listed = pa.table({"patient_id": ids,
                       "index_date": candidates.column("index_date").filter(pa.array(chosen))})
    partial = {name: folder / f".{name}.partial" for name in
               ("ed_attendances.parquet", "supported.csv", "support_truth.json",
                "support_prevented.csv")}
    try:
        pq.write_table(kept, partial["ed_attendances.parquet"])
        pacsv.write_csv(listed, partial["supported.csv"])
        partial["support_truth.json"].write_text(json.dumps(asdict(truth), indent=2) + "\n")
        pacsv.write_csv(prevented, partial["support_prevented.csv"])
    except BaseException:
        for path in partial.values():
            path.unlink(missing_ok=True)
        raise
    for name, path in partial.items():
        path.replace(folder / name)
    return truth


def _prevented(ids: np.ndarray, removed: pa.Table) -> pa.Table:
    """(patient_id, prevented): attendances removed per supported person."""
    people, counts = np.unique(removed.column("patient_id").to_numpy(), return_counts=True)
    per_person = dict(zip(people.tolist(), counts.tolist(), strict=True))
    return pa.table({"patient_id": ids, "prevented": pa.array(
        [per_person.get(int(i), 0) for i in ids], pa.int64())})


def _intercept_for(pull: np.ndarray, expected: int) -> float:
    """The intercept giving ``expected`` supported people on average (bisection)."""
    low, high = -60.0, 20.0
    for _ in range(80):
        middle = (low + high) / 2
        if (1 / (1 + np.exp(-(middle + pull)))).sum() > expected:
            high = middle
        else:
            low = middle
    return (low + high) / 2
