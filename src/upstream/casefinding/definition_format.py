"""The cohort definition file format, as pydantic models: the one statement of what a file may
hold, used to parse every file and published as a JSON Schema (``docs/cohort-definition.schema
.json``) so that editors check a definition while it is typed.

Regenerate the schema with ``python -m upstream.casefinding.definition_format``; a test fails
when the committed copy is stale. :func:`parse` turns pydantic's errors into one line each that
names the file, the path inside it (``features.attendances.in_last_days``) and the problem.

This module checks the *shape* of a file; :mod:`upstream.casefinding.definitions` then checks its
meaning (parameters used exist, features named in criteria are defined, codelists exist, the
columns named in ``where`` and ``distinct`` are columns of the table in the data contract) when
the file is loaded, by building the cohort. To add a key, add a field here (with a
description: it becomes the editor's hover text) and read it there.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from upstream.data.schema import EVENT_TABLES

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "cohort-definition.schema.json"
PARAMETER = r"^\$[A-Za-z_][A-Za-z0-9_]*$"
PATIENT_COLUMNS = ("sex", "ethnic_category", "lsoa_code", "imd_decile", "practice_code")


def _parameter_or(kind: str, check, schema: dict):
    """A value of ``kind`` (checked by ``check``) or a ``$parameter`` reference, with one plain
    error message and a JSON Schema an editor understands."""

    def validate(value):
        if isinstance(value, str) and value.startswith("$"):
            return value
        if check(value):
            return value
        raise ValueError(f"must be {kind} or a $parameter, not {value!r}")

    return Annotated[Any, PlainValidator(validate), WithJsonSchema(
        {"anyOf": [schema, {"type": "string", "pattern": PARAMETER}]})]


Whole = _parameter_or("a whole number",
                      lambda v: isinstance(v, int) and not isinstance(v, bool),
                      {"type": "integer"})
Number = _parameter_or("a number",
                       lambda v: isinstance(v, int | float) and not isinstance(v, bool),
                       {"type": "number"})
Values = _parameter_or("a list of values", lambda v: isinstance(v, list) and bool(v),
                       {"type": "array", "minItems": 1})
EventTable = Literal[tuple(EVENT_TABLES)]
PatientColumn = Literal[PATIENT_COLUMNS]


class Strict(BaseModel):
    """Unknown keys are errors (a misspelt key must not be ignored)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


class Parameter(Strict):
    """A value a cohort can be run with, and where its default comes from: the programme's own
    rule (with the quote it implements, which must be words of the file's ``source``) or a
    local choice (with the rationale for it)."""

    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"if": {"properties": {"source": {"const": "programme"}}},
         "then": {"required": ["quote"]}},
        {"if": {"properties": {"source": {"const": "local"}}},
         "then": {"required": ["rationale"]}},
    ]})

    default: Any = Field(description="The value used unless overridden (--param).")
    description: str = Field(description="What the parameter means, for the documentation.")
    source: Literal["programme", "local"] = Field(
        description="programme: the programme's own rule (give the quote); local: a choice "
                    "made here (give the rationale).")
    quote: str | None = Field(None, description="The programme's words this value implements "
                                                "(found in the file's source).")
    rationale: str | None = Field(None, description="Why this local choice was made.")

    @model_validator(mode="after")
    def _provenance(self):
        if self.source == "programme" and not (self.quote or "").strip():
            raise ValueError("source: programme needs the quote it implements")
        if self.source == "local" and not (self.rationale or "").strip():
            raise ValueError("source: local needs a rationale")
        return self


WINDOWS = ("in_last_days", "in_last_months", "days_ago", "by_as_of")


class Choice(Strict):
    """Which rows of an event table: filters and at most one date window."""

    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"not": {"required": [a, b]}} for i, a in enumerate(WINDOWS) for b in WINDOWS[i + 1:]
    ]})

    where: dict[str, Any] | None = Field(
        None, description="Column -> a value, a list of values or a $parameter.")
    codelist: str | list[str] | None = Field(None, description="Codelist name(s) to match.")
    in_last_days: Whole | None = Field(None, description="Events in the N days to as-of.")
    in_last_months: Whole | None = Field(
        None, description="Events in the N calendar months to as-of.")
    days_ago: Annotated[list[Whole], Field(min_length=2, max_length=2)] | None = Field(
        None, description="[from, to] days before as-of, both included.")
    by_as_of: bool | None = Field(None, description="Every event on or before as-of.")
    label: str | None = Field(None, description="What one event is called in reasons.")
    plural: str | None = Field(None, description="The plural of label, when not label + s.")

    @model_validator(mode="after")
    def _one_window(self):
        windows = [key for key in WINDOWS if getattr(self, key) is not None]
        if len(windows) > 1:
            raise ValueError(f"give one window, not {' and '.join(windows)}")
        return self


class Events(Choice):
    events: EventTable


class CountFeature(Choice):
    count: EventTable = Field(description="Count the rows of this event table.")
    distinct: str | None = Field(
        None, description="Count distinct values of this column of the counted table, or "
                          "'condition': distinct conditions of the codelists' codes.")


class KWithinFeature(Choice):
    k_within: EventTable = Field(description="k events of this table within fewer than days.")
    k: Whole
    days: Whole


class FollowUp(Strict):
    index: Events
    then: Events
    within_days: Whole


class FollowedBy(Strict):
    followed_by: FollowUp


class NotFollowedBy(Strict):
    not_followed_by: FollowUp


class RatioFeature(Strict):
    ratio: Annotated[list[str], Field(min_length=2, max_length=2)] = Field(
        description="[numerator, denominator]: two count features defined above.")
    label: str = "rate"


FEATURE_KINDS = ("count", "k_within", "followed_by", "not_followed_by", "ratio")


def _kind(value, kinds: tuple[str, ...]) -> str | None:
    """The tag (``<kind>``) of a tagged union's member: the one key of ``kinds`` in a mapping,
    ``<text>`` for text where allowed; None when there is no single one."""
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True, exclude_none=True)
    if not isinstance(value, dict):
        return "<text>" if isinstance(value, str) and "text" in kinds else None
    found = [kind for kind in kinds if kind in value]
    return f"<{found[0]}>" if len(found) == 1 else None


Feature = Annotated[
    Annotated[CountFeature, Tag("<count>")] | Annotated[KWithinFeature, Tag("<k_within>")]
    | Annotated[FollowedBy, Tag("<followed_by>")]
    | Annotated[NotFollowedBy, Tag("<not_followed_by>")] | Annotated[RatioFeature, Tag("<ratio>")],
    Discriminator(lambda v: _kind(v, FEATURE_KINDS), custom_error_type="feature_kind",
                  custom_error_message="needs exactly one of " + ", ".join(FEATURE_KINDS)),
]


class AgeRange(Strict):
    min: Whole | None = None
    max: Whole | None = None


class PatientValues(Strict):
    column: PatientColumn
    values: Values


class AllOf(Strict):
    all: Annotated[list[Criterion], Field(min_length=1)]


class AnyOf(Strict):
    any: Annotated[list[Criterion], Field(min_length=1)]


class NotOf(Strict):
    not_: Criterion = Field(alias="not")


class Aged(Strict):
    aged: AgeRange


class PracticeIn(Strict):
    practice_in: Values


class PatientIn(Strict):
    patient_in: PatientValues


class PatientNotIn(Strict):
    patient_not_in: PatientValues


CRITERION_KINDS = ("text", "all", "any", "not", "aged", "practice_in", "patient_in",
                   "patient_not_in")

Criterion = Annotated[
    Annotated[str, Tag("<text>")] | Annotated[AllOf, Tag("<all>")] | Annotated[AnyOf, Tag("<any>")]
    | Annotated[NotOf, Tag("<not>")] | Annotated[Aged, Tag("<aged>")]
    | Annotated[PracticeIn, Tag("<practice_in>")] | Annotated[PatientIn, Tag("<patient_in>")]
    | Annotated[PatientNotIn, Tag("<patient_not_in>")],
    Discriminator(lambda v: _kind(v, CRITERION_KINDS), custom_error_type="criterion_kind",
                  custom_error_message="must be 'feature <op> number', a date feature's name, "
                  "or a mapping with one of all, any, not, aged, practice_in, patient_in, "
                  "patient_not_in"),
]


class DefinitionFile(Strict):
    """One cohort definition file (``src/upstream/casefinding/definitions/<name>.yaml``)."""

    model_config = ConfigDict(title="Upstream cohort definition")

    name: str = Field(description="The cohort's name: the file name without .yaml.")
    title: str
    programme: str = Field(description="The programme whose cohort this is.")
    source: str = Field(description="The programme's own description of who it is for.")
    definition_date: date
    version: int | str
    kind: Literal["worklist", "population_flag"] = Field(
        "worklist", description="worklist: people to contact; population_flag: a group such as "
                                "Core20 that 'all' leaves out.")
    parameters: dict[str, Parameter] | None
    features: dict[str, Feature] | None = None
    population: Criterion
    score: Number | str = Field(1.0, description="A count or ratio feature, or a constant.")
    top_n: Whole | None = Field(None, description="How many people the worklist keeps.")


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


def parse(raw: object, file: str) -> DefinitionFile:
    """``raw`` (a file's YAML) as a :class:`DefinitionFile`; ``ValueError`` with one line per
    problem: ``<file>: <path inside it>: <problem>``."""
    try:
        return DefinitionFile.model_validate(raw)
    except ValidationError as error:
        raise ValueError("\n".join(_located(file, item) for item in error.errors())) from None


def _located(file: str, item: dict) -> str:
    """One pydantic error as ``<file>: <path>: <problem>``, in the words of the file."""
    loc = list(item["loc"])
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] == "missing":
        message = f"key '{loc.pop()}' is missing"
    elif item["type"] == "extra_forbidden":
        message = f"unknown key '{loc.pop()}'"
    elif item["type"] == "literal_error":
        message = f"{item['input']!r} must be one of {item['ctx']['expected']}"
    path = ""
    for part in loc:
        if isinstance(part, str) and part.startswith("<"):
            continue  # the tag of a union's member, not a key of the file
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return f"{file}: {path}: {message}" if path else f"{file}: {message}"


def json_schema() -> dict:
    """The JSON Schema of a definition file (draft 2020-12), for editors."""
    schema = DefinitionFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def render() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    """Write the JSON Schema to ``docs/cohort-definition.schema.json`` (or the path given)."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_PATH
    path.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
