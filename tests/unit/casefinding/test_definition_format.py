"""Definition files are parsed by pydantic models whose JSON Schema is published in docs/, so
editors check a file as it is typed; errors name the file, the path inside it and the problem."""

import json
from datetime import date

import jsonschema
import pytest
import yaml

from upstream.casefinding import definition_format as fmt
from upstream.casefinding import definitions


def spec_of(name: str) -> dict:
    return yaml.safe_load((definitions.FOLDER / f"{name}.yaml").read_text())


def as_json(spec: dict) -> dict:
    """The file as an editor sees it: dates are text."""
    return json.loads(json.dumps(spec, default=lambda v: v.isoformat()))


def editor_check(spec: dict) -> None:
    """Validate as an editor does with the published schema (formats such as date checked)."""
    jsonschema.validate(as_json(spec), fmt.json_schema(),
                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_the_published_json_schema_is_current():
    """Regenerate with: python -m upstream.casefinding.definition_format"""
    assert fmt.SCHEMA_PATH.read_text(encoding="utf-8") == fmt.render()


@pytest.mark.parametrize("name", definitions.available())
def test_every_shipped_definition_is_valid_for_pydantic_and_the_json_schema(name):
    spec = spec_of(name)
    assert fmt.parse(spec, f"{name}.yaml").name == name
    editor_check(spec)


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s["features"]["attendances"].update(in_last_dayz=365),
     "features.attendances: unknown key 'in_last_dayz'"),
    (lambda s: s["features"]["attendances"].update(in_last_days="a year"),
     r"features.attendances.in_last_days: must be a whole number or a \$parameter, not 'a year'"),
    (lambda s: s["features"]["attendances"].update(by_as_of=True),
     "features.attendances: give one window, not in_last_months and by_as_of"),
    (lambda s: s["features"]["cluster"].pop("k"), "features.cluster: key 'k' is missing"),
    (lambda s: s["features"].update(both={"count": "admissions", "ratio": ["a", "b"]}),
     "features.both: needs exactly one of count, k_within"),
    (lambda s: s["population"]["all"][0]["aged"].update(min=[18]),
     r"population.all\[0\].aged.min: must be a whole number"),
    (lambda s: s.update(definition_date="last week"), "definition_date: "),
])
def test_pydantic_and_the_json_schema_refuse_the_same_mistakes(change, message):
    spec = spec_of("ncl_ed_hiu")
    change(spec)
    with pytest.raises(ValueError, match=f"^ncl_ed_hiu.yaml: {message}"):
        fmt.parse(spec, "ncl_ed_hiu.yaml")
    with pytest.raises(jsonschema.ValidationError):
        editor_check(spec)


def test_every_problem_is_reported_at_once_one_line_each():
    spec = spec_of("ncl_ed_hiu")
    spec.pop("title")
    spec["features"]["attendances"]["count"] = "ed_visits"
    with pytest.raises(ValueError) as raised:
        fmt.parse(spec, "ncl_ed_hiu.yaml")
    assert str(raised.value).splitlines() == [
        "ncl_ed_hiu.yaml: key 'title' is missing",
        "ncl_ed_hiu.yaml: features.attendances.count: 'ed_visits' must be one of "
        "'ed_attendances', 'admissions', 'outpatient_appointments', 'gp_appointments', "
        "'conditions', 'screening_responses' or 'police_notices'",
    ]


def test_provenance_and_month_windows_have_a_place_in_the_format():
    """Keys the programme-provenance and calendar-window work adds are part of the format."""
    spec = spec_of("ncl_ed_hiu")
    spec["parameters"]["more_than"].update(source="programme", quote="more than 15 times")
    spec["parameters"]["min_age"].update(source="local", rationale="adults' service")
    parsed = fmt.parse(spec, "ncl_ed_hiu.yaml")
    assert parsed.parameters["more_than"].quote == "more than 15 times"
    assert isinstance(parsed.definition_date, date)
    month = {"count": "ed_attendances", "in_last_months": 12}
    assert fmt.CountFeature.model_validate(month).in_last_months == 12
