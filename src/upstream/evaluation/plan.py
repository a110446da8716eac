"""An evaluation plan declared before its results are seen, and fingerprinted.

A plan file (YAML) states the outcome, the before and after windows, the comparison and the
estimator with its parameters. Its fingerprint is the SHA-256 of a canonical JSON of the
*parsed* plan (keys sorted, defaults filled in), so comments, key order and spacing do not
change it but any change of substance does.

A register (JSON) kept beside the results records every plan fingerprint seen for those
results, with the time and whether results were already there. The status it gives is one of:

- ``declared-before-results``: the plan is the one recorded before any results were written;
- ``changed-after-results``: the plan differs from the one first recorded, i.e. it was
  changed after the results were first seen;
- ``declared-after-results``: results were already in the folder when a plan was first
  recorded.

The register is only appended to, never rewritten, so a changed plan can not hide.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from upstream.evaluation.yaml_files import load_model

REGISTER_NAME = "plan-register.json"

STATUS_TEXT = {
    "declared-before-results": "plan declared before the results were first computed",
    "changed-after-results": "plan changed after results were first seen",
    "declared-after-results": "plan declared after results were first seen",
}


class PlanError(ValueError):
    """A plan or register file that cannot be used; the message names the file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Windows(_Strict):
    before: list[str] = Field(min_length=1, description="Columns measured before the index "
                                                        "date (their mean is the baseline).")
    after: str = Field(min_length=1, description="Column measured after the index date.")
    description: str = Field(default="", description="The windows in words, e.g. 'two years "
                                                     "before, one year after referral'.")


class Comparison(_Strict):
    kind: Literal["matched"] = "matched"
    covariates: list[str] = Field(min_length=1)
    categorical: list[str] = Field(default_factory=list)
    exact: list[str] = Field(default_factory=list)


class Estimator(_Strict):
    name: Literal["difference-in-differences"] = "difference-in-differences"
    neighbours: int = Field(default=4, ge=1, le=20)
    caliper_sd: float = Field(default=0.2, gt=0)
    resamples: int = Field(default=2000, ge=100)
    seed: int = 1


class Plan(_Strict):
    """The content of a plan file."""

    outcomes: list[str] = Field(min_length=1, max_length=1, description=(
        "The outcome the evaluation is judged on (one; it must be windows.after)."))
    windows: Windows
    comparison: Comparison
    estimator: Estimator = Estimator()

    def canonical_json(self) -> str:
        """Keys sorted, no spaces, defaults filled in: the text that is fingerprinted."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False)

    def fingerprint(self) -> str:
        """SHA-256 (hex) of :meth:`canonical_json`."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def load_plan(path: Path) -> Plan:
    """Parse a plan file; on any problem raise :class:`PlanError` naming the file and key."""
    plan = load_model(path, Plan, PlanError)
    if plan.outcomes[0] != plan.windows.after:
        raise PlanError(f"{path}: key 'outcomes': '{plan.outcomes[0]}' is not the after "
                        f"window's column '{plan.windows.after}'")
    return plan


def departures(plan: Plan, roles, method) -> list[str]:
    """Where a run (its column roles and method) does not follow the plan, one line each
    naming the plan key; empty when it follows it."""
    planned = {
        "windows.before": (list(plan.windows.before), list(roles.before)),
        "windows.after": (plan.windows.after, roles.after),
        "comparison.covariates": (list(plan.comparison.covariates), list(roles.covariates)),
        "comparison.categorical": (sorted(plan.comparison.categorical),
                                   sorted(roles.categorical)),
        "comparison.exact": (sorted(plan.comparison.exact), sorted(roles.exact)),
        "estimator.neighbours": (plan.estimator.neighbours, method.neighbours),
        "estimator.caliper_sd": (plan.estimator.caliper_sd, method.caliper_sd),
        "estimator.resamples": (plan.estimator.resamples, method.resamples),
        "estimator.seed": (plan.estimator.seed, method.seed),
    }
    return [f"{key}: the plan says {want!r}, the run has {got!r}"
            for key, (want, got) in planned.items() if want != got]


@dataclass(frozen=True)
class PlanRecord:
    """A plan's standing against the register of the results it goes with."""

    file: str
    fingerprint: str
    status: str
    first_fingerprint: str
    first_recorded_at: str
    register: Path
    register_after: dict
    """The register's content once this run is recorded (written with the results)."""

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    def to_dict(self) -> dict:
        return {"file": self.file, "fingerprint": self.fingerprint, "status": self.status,
                "status_text": self.status_text, "first_fingerprint": self.first_fingerprint,
                "first_recorded_at": self.first_recorded_at, "register": str(self.register)}

    def markdown(self) -> list[str]:
        lines = ["## Analysis plan", "",
                 f"Plan `{self.file}`, fingerprint (SHA-256) `{self.fingerprint}`.", "",
                 f"**Status: {self.status_text}.**"]
        if self.status == "changed-after-results":
            lines += ["", f"The plan first recorded for these results ({self.first_recorded_at}) "
                          f"had fingerprint `{self.first_fingerprint}`: the analysis was "
                          f"changed after its results were first seen. See `{self.register}`."]
        elif self.status == "declared-after-results":
            lines += ["", f"Results were already in the output folder when this plan was first "
                          f"recorded ({self.first_recorded_at}). See `{self.register}`."]
        else:
            lines += ["", f"Recorded {self.first_recorded_at}, before any results were written."]
        return lines

    def register_bytes(self) -> bytes:
        return (json.dumps(self.register_after, indent=2) + "\n").encode()


def standing(plan: Plan, plan_file: Path, register: Path, *, results_exist: bool,
             now: datetime | None = None) -> PlanRecord:
    """Compare ``plan`` with ``register`` (absent means no plan recorded yet).

    ``results_exist`` says whether results were already written for this register's output.
    Nothing is written here: the caller writes :meth:`PlanRecord.register_bytes` together with
    the results, so a refused run records nothing."""
    recorded_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    entries = _read_register(register)
    fingerprint = plan.fingerprint()
    if not any(entry["fingerprint"] == fingerprint for entry in entries):
        entries = [*entries, {"fingerprint": fingerprint, "recorded_at": recorded_at,
                              "results_existed": results_exist, "plan": plan.model_dump()}]
    first = entries[0]
    if first["results_existed"]:
        status = "declared-after-results"
    elif fingerprint == first["fingerprint"]:
        status = "declared-before-results"
    else:
        status = "changed-after-results"
    return PlanRecord(file=str(plan_file), fingerprint=fingerprint, status=status,
                      first_fingerprint=first["fingerprint"],
                      first_recorded_at=first["recorded_at"], register=register,
                      register_after={"plans": entries})


def _read_register(register: Path) -> list[dict]:
    if not register.exists():
        return []
    try:
        data = json.loads(register.read_text(encoding="utf-8"))
        entries = data["plans"]
        for index, entry in enumerate(entries):
            for key in ("fingerprint", "recorded_at", "results_existed"):
                if key not in entry:
                    raise PlanError(f"{register}: plans[{index}] has no '{key}'")
    except (OSError, ValueError, KeyError, TypeError) as error:
        if isinstance(error, PlanError):
            raise
        raise PlanError(f"{register}: not a plan register ({error})") from None
    if not entries:
        raise PlanError(f"{register}: the register lists no plans")
    return entries
