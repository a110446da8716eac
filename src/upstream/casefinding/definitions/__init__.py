"""Cohort definitions: human-readable, versioned YAML files, one per cohort, in this folder.

Each file holds ``name``, ``title``, ``programme``, ``source`` (the programme's own description),
``definition_date``, ``version``, optionally ``kind`` (``worklist``, the default: people to
contact; or ``population_flag``: a group such as Core20 that ``--cohort all`` leaves out and
runs only when named), ``parameters`` (each with a ``default``, a ``description`` and its
provenance: ``source: programme`` with the ``quote`` of the programme's words it implements,
which must appear in the file's ``source``, or ``source: local`` with the ``rationale`` for a
value the programme does not give), named ``features`` (counts, k-within-days, follow-ups,
ratios over the contract's event tables), the ``population`` criterion, the rank key
``score`` and ``top_n``.
Values written ``$name`` are parameters. Windows are given in calendar months
(``in_last_months``) or in days (``in_last_days``, ``days_ago``), so each file says which it
uses; ``distinct: condition`` counts distinct conditions (see :mod:`.codelists`), not codes.
See ``ncl_ed_hiu.yaml`` for the shape;
:func:`load` checks a file and reports problems naming the file and the key.

Criteria (``population``) are written as:

- ``"feature > 15"`` (also ``>=``, ``<``, ``<=``, ``==``, ``!=``; the number may be
  ``$param``),
- ``"feature"`` for a date feature (k within days, followed by, not followed by),
- ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``,
- ``{aged: {min: 18, max: 64}}``, ``{practice_in: [C82001]}``,
  ``{patient_in: {column: imd_decile, values: [1, 2]}}``, ``{patient_not_in: {...}}``.

The shape of a file is declared once, by the pydantic models of
:mod:`upstream.casefinding.definition_format` (published as ``docs/cohort-definition.schema.json``
for editors); this module checks the meaning while building the cohort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from upstream.casefinding import codelists
from upstream.casefinding import definition_format as files
from upstream.casefinding import model as m

FOLDER = Path(__file__).parent
_COMPARISON = re.compile(r"^\s*(\w+)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")


class DefinitionError(ValueError):
    """A definition file or a parameter override is wrong; the message names file and key."""


@dataclass(frozen=True)
class Parameter:
    """A parameter and where its default comes from: ``source`` is ``programme`` (``quote``
    holds the programme's words it implements) or ``local`` (``rationale`` says why)."""

    default: object
    description: str
    source: str = "local"
    quote: str = ""
    rationale: str = ""


@dataclass(frozen=True)
class Definition:
    """A cohort definition as read from its file; :meth:`build` makes the :class:`Cohort`."""

    name: str
    title: str
    programme: str
    source: str
    kind: str
    definition_date: date
    version: str
    parameters: dict[str, Parameter]
    spec: dict = field(repr=False)
    path: Path = field(repr=False)

    def local_choices(self) -> dict[str, Parameter]:
        """The parameters whose defaults are local choices, not the programme's."""
        return {name: p for name, p in self.parameters.items() if p.source == "local"}

    def values(self, overrides: dict | None = None) -> dict[str, object]:
        """Parameter values: defaults with ``overrides`` applied (checked by name and type)."""
        values = {name: p.default for name, p in self.parameters.items()}
        for key, value in (overrides or {}).items():
            if key not in self.parameters:
                raise DefinitionError(
                    f"{self.name}: no parameter '{key}'; parameters: "
                    f"{', '.join(self.parameters) or 'none'}")
            values[key] = _checked(self.name, key, self.parameters[key].default, value)
        return values

    def build(self, overrides: dict | None = None) -> m.Cohort:
        """The cohort with these parameter overrides."""
        values = self.values(overrides)
        reader = _Reader(self.path.name, values)
        features: dict[str, m.Feature] = {}
        for name, spec in (self.spec.get("features") or {}).items():
            features[name] = reader.feature(f"features.{name}", spec, features)
        population = reader.criterion("population", self.spec["population"], features)
        score = reader.value("score", self.spec.get("score", 1.0))
        if isinstance(score, str):
            if score not in features or isinstance(features[score], (m.KWithin, m.FollowUp)):
                raise DefinitionError(f"{self.path.name}: score: '{score}' is not a count or "
                                      f"ratio feature")
            score = features[score]
        top_n = reader.value("top_n", self.spec.get("top_n"))
        return m.Cohort(self.name, population, score, top_n, parameters=values)


def available() -> list[str]:
    """Names of the shipped cohort definitions."""
    return sorted(path.stem for path in FOLDER.glob("*.yaml"))


ALL = "all"
"""The name that stands for every shipped worklist cohort (see :func:`select`)."""


def select(requested: str | list[str]) -> list[str]:
    """The shipped cohorts to run for ``requested`` names, in the order given, without repeats.
    ``"all"`` means every shipped cohort of kind ``worklist``; population flags (Core20, PLUS)
    run only when named. The one meaning of "all", for the library and the command line alike.
    :class:`DefinitionError` names an unknown cohort."""
    names = [requested] if isinstance(requested, str) else list(requested)
    shipped = available()
    chosen: list[str] = []
    for name in names:
        if name == ALL:
            chosen += [c for c in shipped if load(c).kind == "worklist"]
        elif name in shipped:
            chosen.append(name)
        else:
            raise DefinitionError(
                f"No cohort named '{name}'. Cohorts: {', '.join(shipped)}, or '{ALL}'.")
    return list(dict.fromkeys(chosen))


@cache
def load(name: str) -> Definition:
    """The definition called ``name``, checked (and built once with its defaults)."""
    path = FOLDER / f"{name}.yaml"
    if not path.exists():
        raise DefinitionError(f"No cohort definition '{name}'; cohorts: {', '.join(available())}")
    return read(path)


def read(path: Path) -> Definition:
    """Read and check one definition file: its shape by :mod:`.files` (pydantic), then its
    meaning by building the cohort. :class:`DefinitionError` names the file, the path inside it
    and the problem (one line per problem)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DefinitionError(f"{path.name}: not valid YAML: {error}") from None
    try:
        parsed = files.parse(raw, path.name)
    except ValueError as error:
        raise DefinitionError(str(error)) from None
    if parsed.name != path.stem:
        raise DefinitionError(f"{path.name}: name: '{parsed.name}' must match the file name")
    spec = parsed.model_dump(by_alias=True, exclude_none=True)
    parameters = {key: _parameter(path.name, key, item, parsed.source)
                  for key, item in (parsed.parameters or {}).items()}
    definition = Definition(
        name=parsed.name, title=parsed.title, programme=parsed.programme,
        source=" ".join(parsed.source.split()), kind=parsed.kind,
        definition_date=parsed.definition_date, version=str(parsed.version),
        parameters=parameters, spec=spec, path=path,
    )
    definition.build()
    return definition


def _parameter(file: str, key: str, item: files.Parameter, programme_words: str) -> Parameter:
    """One parameter with its provenance. Its shape (a ``source``, with the ``quote`` or the
    ``rationale`` it needs) is checked by :mod:`.definition_format`; here, that a programme
    quote is the programme's own words, found in the file's ``source``."""
    quote = " ".join((item.quote or "").split())
    rationale = " ".join((item.rationale or "").split())
    if item.source == "programme" and quote not in " ".join(programme_words.split()):
        raise DefinitionError(f"{file}: parameters.{key}: quote '{quote}' is not in the "
                              f"programme source of this file")
    return Parameter(item.default, item.description, item.source, quote, rationale)


def _checked(cohort: str, key: str, default, value):
    if default is None or value is None:
        return value
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(default, bool) and isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float))
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int)
    elif isinstance(default, str) and isinstance(value, (int, float)):
        ok, value = True, str(value)  # e.g. specialty_code=320 read as a number
    elif isinstance(default, list):
        ok = isinstance(value, (list, tuple))
        value = list(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise DefinitionError(f"{cohort}: parameter '{key}' must be like {default!r}, "
                              f"not {value!r}")
    return value


class _Reader:
    """Turns the declarative parts of one file into model objects, with located errors."""

    def __init__(self, file: str, values: dict[str, object]):
        self.file = file
        self.values = values

    def fail(self, key: str, message: str):
        raise DefinitionError(f"{self.file}: {key}: {message}")

    def value(self, key: str, raw):
        if isinstance(raw, str) and raw.startswith("$"):
            if raw[1:] not in self.values:
                self.fail(key, f"'{raw}' is not a parameter of this cohort")
            return self.values[raw[1:]]
        if isinstance(raw, list):
            return [self.value(f"{key}[{i}]", item) for i, item in enumerate(raw)]
        return raw

    def integer(self, key: str, raw) -> int:
        value = self.value(key, raw)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(key, f"must be a whole number, not {value!r}")
        return value

    # ---------------------------------------------------------------------------- events

    def events(self, key: str, spec: dict, table_key: str = "events") -> m.Events:
        """The event set of a (shape-checked) mapping; the table is under ``table_key``."""
        chosen = m.events(spec[table_key], spec.get("label", ""), spec.get("plural", ""))
        where = spec.get("where") or {}
        if where:
            try:
                chosen = chosen.where(**{c: self.value(f"{key}.where.{c}", v)
                                         for c, v in where.items()})
            except m.ModelError as error:
                self.fail(f"{key}.where", str(error))
        if "codelist" in spec:
            names = spec["codelist"] if isinstance(spec["codelist"], list) else [spec["codelist"]]
            for name in names:
                if name not in codelists.available():
                    self.fail(f"{key}.codelist", f"no codelist '{name}'; codelists: "
                              f"{', '.join(codelists.available())}")
            try:
                chosen = chosen.coded(*names)
            except m.ModelError as error:
                self.fail(f"{key}.codelist", str(error))
        if "in_last_days" in spec:
            chosen = chosen.in_last(self.integer(f"{key}.in_last_days", spec["in_last_days"]))
        elif "in_last_months" in spec:
            chosen = chosen.in_last(
                months=self.integer(f"{key}.in_last_months", spec["in_last_months"]))
        elif "days_ago" in spec:
            bounds = self.value(f"{key}.days_ago", spec["days_ago"])
            try:
                chosen = chosen.days_ago(*(self.integer(f"{key}.days_ago", b) for b in bounds))
            except m.ModelError as error:
                self.fail(f"{key}.days_ago", str(error))
        elif spec.get("by_as_of"):
            chosen = chosen.by_as_of()
        return chosen

    # ---------------------------------------------------------------------------- features

    def feature(self, key: str, spec: dict, known: dict[str, m.Feature]) -> m.Feature:
        """The feature of a (shape-checked) mapping; ratios name count features in ``known``."""
        kind = next(k for k in files.FEATURE_KINDS if k in spec)
        if kind == "ratio":
            parts = spec["ratio"]
            if not all(isinstance(known.get(p), m.Count) for p in parts):
                self.fail(f"{key}.ratio", "must name two count features defined above it")
            return m.Ratio(known[parts[0]], known[parts[1]], spec.get("label", "rate"))
        if kind in ("followed_by", "not_followed_by"):
            body = spec[kind]
            index = self.events(f"{key}.{kind}.index", body["index"])
            then = self.events(f"{key}.{kind}.then", body["then"])
            days = self.integer(f"{key}.{kind}.within_days", body["within_days"])
            return m.FollowUp(index, then, days, present=kind == "followed_by")
        chosen = self.events(key, spec, table_key=kind)
        if kind == "k_within":
            return m.KWithin(chosen, self.integer(f"{key}.k", spec.get("k")),
                             self.integer(f"{key}.days", spec.get("days")))
        distinct = spec.get("distinct")
        try:  # the model checks a distinct column against the data contract
            if distinct == m.CONDITION:
                return chosen.count_conditions()
            return chosen.count_distinct(distinct) if distinct else chosen.count()
        except m.ModelError as error:
            self.fail(f"{key}.distinct", str(error))

    # ---------------------------------------------------------------------------- criteria

    def criterion(self, key: str, node, features: dict[str, m.Feature]) -> m.Criterion:
        """The criterion of a (shape-checked) text or one-key mapping."""
        if isinstance(node, str):
            return self._text_criterion(key, node, features)
        (kind, body), = node.items()
        where = f"{key}.{kind}"
        if kind in ("all", "any"):
            parts = tuple(self.criterion(f"{where}[{i}]", p, features) for i, p in enumerate(body))
            return m.All(parts) if kind == "all" else m.Any(parts)
        if kind == "not":
            return m.Not(self.criterion(where, body, features))
        if kind == "aged":
            low = self.value(f"{where}.min", body.get("min"))
            high = self.value(f"{where}.max", body.get("max"))
            return m.aged(low, high)
        if kind == "practice_in":
            return m.practice_in(*self._list(where, body))
        make = m.patient_in if kind == "patient_in" else m.patient_not_in
        return make(body["column"], self._list(f"{where}.values", body["values"]))

    def _list(self, key: str, raw) -> list:
        """A list value, or a parameter's (whose value an override may have changed)."""
        values = self.value(key, raw)
        if not isinstance(values, list) or not values:
            self.fail(key, "must be a non-empty list")
        return values

    def _text_criterion(self, key: str, text: str, features: dict[str, m.Feature]):
        match = _COMPARISON.match(text)
        if match is None:
            feature = features.get(text.strip())
            if not isinstance(feature, (m.KWithin, m.FollowUp)):
                self.fail(key, f"'{text}' is neither 'feature <op> number' nor the name of a "
                               f"k_within or follow-up feature")
            return m.Has(feature)
        name, op, raw = match.groups()
        feature = features.get(name)
        if not isinstance(feature, (m.Count, m.Ratio)):
            self.fail(key, f"'{name}' is not a count or ratio feature defined in features")
        number = self.value(key, raw)
        if isinstance(number, str):
            try:
                number = float(number) if "." in number else int(number)
            except ValueError:
                self.fail(key, f"'{raw}' is not a number")
        if not isinstance(number, (int, float)) or isinstance(number, bool):
            self.fail(key, f"'{raw}' is not a number")
        return m.Compare(feature, op, number)
