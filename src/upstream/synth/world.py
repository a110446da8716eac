"""Generate a synthetic world: one Parquet file per contract table, plus ``truth.parquet``.

People are generated in chunks (``chunk_size`` people at a time, each chunk with its own random
stream derived from the seed), and every chunk's rows are appended to the tables' Parquet files
as they are made, so memory stays bounded whatever the population. The same ``seed``,
``people``, ``as_of`` and ``chunk_size`` give identical files.

The first patient ids are the planted people of :mod:`upstream.synth.planted`; ``truth.parquet``
(``patient_id, cohort``) lists every member of every shipped cohort, evaluated chunk by chunk by
:mod:`upstream.synth.truth`. Files are written under temporary names and renamed at the end, so
an interrupted run leaves no partial tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from upstream.data.schema import TABLES
from upstream.synth import activity as act
from upstream.synth import codes, planted, social_care, truth
from upstream.synth.people import Geography, NhsNumbers, day_number, make_people, patients_table

DEFAULT_AS_OF = date(2026, 3, 31)
DEFAULT_CHUNK_SIZE = 100_000
_ARROW_TYPES = {"int64": pa.int64(), "int8": pa.int8(), "string": pa.string(),
                "date": pa.date32(), "timestamp": pa.timestamp("us"), "bool": pa.bool_()}
_STREAM_GEOGRAPHY, _STREAM_NHS, _STREAM_PEOPLE, _STREAM_SOCIAL_CARE = 0, 1, 2, 3


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a contract table."""
    return pa.schema([
        pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable)
        for c in TABLES[table].columns.values()
    ])  # fmt: skip


@dataclass
class Summary:
    """What was written: rows per table, cohort sizes, and the parameters."""

    out_dir: Path
    people: int
    seed: int
    as_of: date
    rows: dict[str, int] = field(default_factory=dict)
    cohorts: dict[str, int] = field(default_factory=dict)

    @property
    def activity_rows(self) -> int:
        return sum(n for table, n in self.rows.items() if table != "patients")


def generate(
    out_dir: str | Path,
    people: int,
    seed: int,
    as_of: date = DEFAULT_AS_OF,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Write a world of ``people`` people (the planted ones included) into ``out_dir``.

    ``progress(done, total)`` is called after each chunk with people generated so far.
    """
    plot_rows, _ = planted.plant(as_of)
    n_planted = len(plot_rows["patients"])
    if people < n_planted:
        raise ValueError(f"people must be at least {n_planted} (the planted people)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writer = _Writer(out)
    as_of_day = day_number(as_of)
    geography = Geography.build(people, _rng(seed, _STREAM_GEOGRAPHY))
    nhs = NhsNumbers(_rng(seed, _STREAM_NHS))
    truths = []
    try:
        tables = _planted_tables(plot_rows, nhs, writer)
        truths.append(_write(writer, tables, as_of))
        done = n_planted
        if progress:
            progress(done, people)
        for index, start in enumerate(range(n_planted + 1, people + 1, chunk_size)):
            ids = np.arange(start, min(start + chunk_size, people + 1), dtype=np.int64)
            rng = _rng(seed, _STREAM_PEOPLE, index)
            tables = _random_tables(ids, geography, nhs, as_of_day, rng, writer,
                                    _rng(seed, _STREAM_SOCIAL_CARE, index))
            truths.append(_write(writer, tables, as_of))
            done += len(ids)
            if progress:
                progress(done, people)
        found = pd.concat(truths, ignore_index=True).sort_values(["cohort", "patient_id"])
        pq.write_table(
            pa.Table.from_pandas(found, preserve_index=False), out / "truth.parquet.partial"
        )
        writer.close()
    except BaseException:
        writer.abort()
        (out / "truth.parquet.partial").unlink(missing_ok=True)
        raise
    writer.commit()
    (out / "truth.parquet.partial").replace(out / "truth.parquet")
    summary = Summary(out, people, seed, as_of, dict(writer.rows),
                      found["cohort"].value_counts().sort_index().to_dict())
    (out / "manifest.json").write_text(json.dumps({
        "generator": "upstream synth", "people": people, "seed": seed,
        "as_of": as_of.isoformat(), "chunk_size": chunk_size, "rows": summary.rows,
        "cohorts": summary.cohorts,
    }, indent=2) + "\n")  # fmt: skip
    return summary


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


class _Writer:
    """One ParquetWriter per table under a temporary name; hands out event ids."""

    def __init__(self, out: Path):
        self.out = out
        self.writers = {
            name: pq.ParquetWriter(out / f"{name}.parquet.partial", arrow_schema(name))
            for name in TABLES
        }
        self.rows = dict.fromkeys(TABLES, 0)

    def ids(self, table: str, count: int) -> np.ndarray:
        """The next ``count`` identifiers of ``table``'s rows (1, 2, ... per table)."""
        first = self.rows[table] + 1
        return np.arange(first, first + count, dtype=np.int64)

    def write(self, table: str, rows: pa.Table) -> None:
        self.writers[table].write_table(rows)
        self.rows[table] += rows.num_rows

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()

    def abort(self) -> None:
        for name, writer in self.writers.items():
            writer.close()
            (self.out / f"{name}.parquet.partial").unlink(missing_ok=True)

    def commit(self) -> None:
        for name in self.writers:
            (self.out / f"{name}.parquet.partial").replace(self.out / f"{name}.parquet")


def _write(writer: _Writer, tables: dict[str, pa.Table], as_of: date) -> pd.DataFrame:
    """Append a chunk's tables and return its truth."""
    for name, rows in tables.items():
        writer.write(name, rows)
    frames = {
        name: rows.to_pandas(date_as_object=False) for name, rows in tables.items()
    }
    return truth.evaluate(frames, as_of)


def _planted_tables(rows: dict[str, list[dict]], nhs: NhsNumbers, writer: _Writer):
    tables = {}
    for name in TABLES:
        schema = arrow_schema(name)
        records = rows.get(name, [])
        id_column = TABLES[name].id_column().name
        if name == "patients":
            ids = np.array([r["patient_id"] for r in records], dtype=np.int64)
            numbers = nhs.for_indices(ids - 1).to_pylist()
            records = [{**r, "nhs_number": n} for r, n in zip(records, numbers, strict=True)]
        else:
            ids = writer.ids(name, len(records))
            records = [{**r, id_column: int(i)} for r, i in zip(records, ids, strict=True)]
        tables[name] = pa.Table.from_pylist(records, schema=schema)
    return tables


def _strings(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string())


def _days(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int32), pa.int32()).cast(pa.date32())


def _random_tables(ids, geography, nhs, as_of_day, rng, writer: _Writer,
                   care_rng: np.random.Generator) -> dict[str, pa.Table]:
    people = make_people(ids, geography, as_of_day, rng)
    acts = act.Activity(people, as_of_day, rng)
    pid = people.patient_id

    def table(name: str, columns: dict) -> pa.Table:
        n = len(next(iter(columns.values())))
        id_column = TABLES[name].id_column().name
        return pa.table({id_column: writer.ids(name, n), **columns}, schema=arrow_schema(name))

    found = acts.conditions()
    diabetic = np.zeros(len(people), dtype=bool)
    diabetic[found["person"][np.isin(found["code"], list(codes.DIABETES_CODES))]] = True
    ed = acts.ed_attendances()
    admitted, mi = acts.admissions()
    screening, after_mi = acts.after_mi(mi)
    outpatients = acts.outpatients(diabetic)
    outpatient_person = np.concatenate([outpatients["person"], after_mi["person"]])
    outpatient_order = np.argsort(outpatient_person, kind="stable")
    gp = acts.gp_appointments()
    police = acts.police_notices()
    discharged = admitted["discharge"] <= as_of_day
    ready = social_care.discharge_ready_days(admitted, people, care_rng)
    care = social_care.social_care_events(people, as_of_day, care_rng)
    statuses = pa.array(act.OUTPATIENT_STATUSES)
    return {
        "patients": patients_table(people, geography, nhs, as_of_day, arrow_schema("patients")),
        "ed_attendances": table("ed_attendances", {
            "patient_id": pid[ed["person"]],
            "arrival_time": pa.array(ed["arrival"], pa.timestamp("us")),
            "site_code": _strings(ed["site"]),
            "department_type": ed["department_type"],
            "acuity": pa.array(ed["acuity"], pa.int8(), mask=ed["acuity"] == 0),
            "discharge_destination": _strings(ed["destination"]),
        }),
        "admissions": table("admissions", {
            "patient_id": pid[admitted["person"]],
            "admission_date": _days(admitted["day"]),
            "discharge_date": pa.array(admitted["discharge"].astype(np.int32), pa.int32(),
                                       mask=~discharged).cast(pa.date32()),
            "admission_method": _strings(admitted["method"]),
            "primary_diagnosis": _strings(admitted["diagnosis"]),
            "discharge_ready_date": pa.array(ready.astype(np.int32), pa.int32(),
                                             mask=~discharged | (ready < 0)).cast(pa.date32()),
        }),
        "outpatient_appointments": table("outpatient_appointments", {
            "patient_id": pid[outpatient_person[outpatient_order]],
            "appointment_date": _days(
                np.concatenate([outpatients["day"], after_mi["day"]])[outpatient_order]),
            "specialty_code": _strings(np.concatenate(
                [outpatients["specialty"], after_mi["specialty"]])[outpatient_order]),
            "attendance_status": statuses.take(np.concatenate(
                [outpatients["status"], after_mi["status"]])[outpatient_order]),
        }),
        "gp_appointments": table("gp_appointments", {
            "patient_id": pid[gp["person"]],
            "appointment_date": _days(gp["day"]),
            "status": pa.array(act.GP_STATUSES).take(gp["status"]),
        }),
        "conditions": table("conditions", {
            "patient_id": pid[found["person"]],
            "code": _strings(found["code"]),
            "code_system": _strings(found["code_system"]),
            "recorded_date": _days(found["day"]),
        }),
        "screening_responses": table("screening_responses", {
            "patient_id": pid[screening["person"]],
            "response_date": _days(screening["day"]),
            "question_code": _strings(screening["question"]),
            "answer": _strings(screening["answer"]),
        }),
        "social_care_events": table("social_care_events", {
            "patient_id": pid[care["person"]],
            "la_code": _strings(np.full(len(care["person"]), social_care.LA_CODE, dtype=object)),
            "client_type": _strings(np.full(len(care["person"]), "Service User", dtype=object)),
            "event_type": _strings(care["event_type"]),
            "event_start_date": _days(care["start"]),
            "event_end_date": pa.array([None if e is None else int(e) for e in care["end"]],
                                       pa.int32()).cast(pa.date32()),
            "event_outcome": _strings(care["outcome"]),
            "service_type": _strings(care["service_type"]),
            "service_component": _strings(care["component"]),
            "primary_support_reason": _strings(care["reason"]),
        }),
        "police_notices": table("police_notices", {
            "patient_id": pid[police["person"]],
            "notice_date": _days(police["day"]),
            "mental_health_concern": police["concern"],
        }),
    }
