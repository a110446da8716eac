"""Definition files: every shipped cohort is complete, parameters override, errors locate."""

from datetime import date
from pathlib import Path

import pytest
import yaml

from upstream.casefinding import definitions, model
from upstream.casefinding.engine import available_cohorts, build_cohorts

SHIPPED = ["barts_heart", "barts_yad", "cardiac_rehab_not_taken_up", "core20", "cyp_long_term",
           "hillingdon_hiu", "kc_primary_care_hiu", "leicester_crisis",
           "leicester_multimorbidity", "ncl_ed_hiu", "nhse_ed_hiu", "plus_ethnic_minority",
           "westminster_uec_hiu"]


def test_every_programme_cohort_is_shipped():
    assert available_cohorts() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_each_definition_states_its_source_date_version_and_parameters(name):
    definition = definitions.load(name)
    assert definition.title and definition.programme and definition.source
    assert isinstance(definition.definition_date, date) and definition.version
    assert all(p.description for p in definition.parameters.values())
    assert isinstance(definition.build().population, model.Criterion)


def test_ncl_defaults_and_overrides():
    ncl = definitions.load("ncl_ed_hiu")
    assert ncl.build().top_n == 120
    assert ncl.values({"more_than": 10})["more_than"] == 10
    assert ncl.build({"top_n": 50}).top_n == 50


def test_the_yaml_cohort_equals_the_same_cohort_written_in_python():
    ed = model.events("ed_attendances").where(department_type=[1, 2]).in_last(months=12)
    population = model.aged(18) & ((ed.count() > 15) | ed.k_within(6, days=30))
    assert definitions.load("ncl_ed_hiu").build().population == population


def test_unknown_or_mistyped_overrides_are_refused_by_name():
    with pytest.raises(definitions.DefinitionError, match="ncl_ed_hiu: no parameter 'morethan'"):
        build_cohorts(["ncl_ed_hiu"], {"ncl_ed_hiu": {"morethan": 3}})
    with pytest.raises(definitions.DefinitionError, match="parameter 'more_than' must be like 15"):
        build_cohorts(["ncl_ed_hiu"], {"ncl_ed_hiu": {"more_than": "lots"}})
    with pytest.raises(definitions.DefinitionError, match="unknown cohort"):
        build_cohorts(["ncl_ed_hiu"], {"ncl": {"more_than": 3}})


def test_an_unknown_cohort_is_named():
    with pytest.raises(definitions.DefinitionError, match="No cohort named 'nope'"):
        build_cohorts(["nope"])


def test_one_cohort_may_be_named_without_a_list():
    assert [c.name for c in build_cohorts("ncl_ed_hiu")] == ["ncl_ed_hiu"]


def broken(tmp_path: Path, change) -> Path:
    spec = yaml.safe_load((definitions.FOLDER / "ncl_ed_hiu.yaml").read_text())
    change(spec)
    path = tmp_path / "ncl_ed_hiu.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.pop("source"), "ncl_ed_hiu.yaml: key 'source' is missing"),
    (lambda s: s["parameters"]["min_age"].pop("description"),
     "parameters.min_age: key 'description' is missing"),
    (lambda s: s["features"]["attendances"].update(count="ed_visits"),
     "features.attendances.count: 'ed_visits' must be one of 'ed_attendances', "),
    (lambda s: s["features"]["attendances"].update(codelist="nope"),
     "features.attendances.codelist: no codelist 'nope'"),
    (lambda s: s["population"]["all"][1]["any"].__setitem__(0, "attendances >> 3"),
     r"population.all\[1\].any\[0\]: 'attendances >> 3' is neither"),
    (lambda s: s["population"]["all"][1]["any"].__setitem__(0, "attendances > $nope"),
     r"'\$nope' is not a parameter"),
    (lambda s: s["population"]["all"].append({"older": 3}),
     r"population.all\[2\]: must be 'feature <op> number', a date feature's name, or a "),
    (lambda s: s.update(kind="flag"), "kind: 'flag' must be one of 'worklist' or "),
    (lambda s: s["parameters"]["min_age"].pop("source"),
     "parameters.min_age: key 'source' is missing"),
    (lambda s: s["parameters"]["min_age"].update(source="ours"),
     "parameters.min_age.source: 'ours' must be one of 'programme' or 'local'"),
    (lambda s: s["parameters"]["min_age"].pop("rationale"),
     "parameters.min_age: source: local needs a rationale"),
    (lambda s: s["parameters"]["more_than"].pop("quote"),
     "parameters.more_than: source: programme needs the quote it implements"),
    (lambda s: s["parameters"]["more_than"].update(quote="more than 10 times a year"),
     "parameters.more_than: quote 'more than 10 times a year' is not in the programme source"),
    (lambda s: s["features"]["attendances"].update(in_last_days=365),
     "features.attendances: give one window, not in_last_days and in_last_months"),
    (lambda s: s["features"]["attendances"].update(distinct="site_cod"),
     "ncl_ed_hiu.yaml: features.attendances.distinct: ed_attendances has no column 'site_cod'; "
     "did you mean 'site_code'"),
    (lambda s: s["features"]["attendances"]["where"].update(departmnt_type=1),
     "ncl_ed_hiu.yaml: features.attendances.where: ed_attendances has no column "
     "'departmnt_type'"),
])
def test_a_broken_definition_names_file_and_key(tmp_path, change, message):
    with pytest.raises(definitions.DefinitionError, match=message):
        definitions.read(broken(tmp_path, change))


def test_dividing_counts_gives_a_rate_to_compare():
    clinic = model.events("outpatient_appointments").where(specialty_code="307").in_last(365)
    criterion = clinic.where(attendance_status="did_not_attend").count() / clinic.count() >= 0.2
    assert isinstance(criterion, model.Compare) and isinstance(criterion.feature, model.Ratio)


def test_a_code_given_as_a_number_overrides_a_text_parameter():
    assert definitions.load("barts_yad").values({"specialty_code": 307})["specialty_code"] == "307"


def test_population_flags_are_declared_in_their_files():
    flags = {name for name in definitions.available()
             if definitions.load(name).kind == "population_flag"}
    assert flags == {"core20", "plus_ethnic_minority"}
    assert definitions.load("ncl_ed_hiu").kind == "worklist"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_parameter_says_where_it_comes_from(name):
    definition = definitions.load(name)
    source = " ".join(definition.source.split())
    for key, parameter in definition.parameters.items():
        assert parameter.source in ("programme", "local"), key
        if parameter.source == "programme":
            assert parameter.quote and parameter.quote in source, key
        else:
            assert parameter.rationale, key


@pytest.mark.parametrize("name", SHIPPED)
def test_every_window_says_whether_it_is_in_months_or_days(name):
    spec = yaml.safe_load((definitions.FOLDER / f"{name}.yaml").read_text())
    for key, parameter in spec["parameters"].items():
        if "window" in key or key.endswith("_ago") or key.endswith("_months"):
            assert key.endswith(("_months", "_days", "_days_ago")), key
            unit = "month" if key.endswith("_months") else "day"
            assert unit in parameter["description"], key


def test_the_rules_the_programmes_do_not_give_are_local_choices():
    # From the analysts' reading of the sources (docs: PROGRAMMES, "Reading the definitions").
    local = {name: set(definitions.load(name).local_choices()) for name in SHIPPED}
    assert "min_age" in local["ncl_ed_hiu"]
    assert {"min_age", "max_age", "min_appointments"} <= local["barts_yad"]
    assert {"min_conditions", "min_attendances"} <= local["hillingdon_hiu"]
    assert "practices" in local["leicester_crisis"]
    assert "more_than" not in local["ncl_ed_hiu"] and "top_n" not in local["ncl_ed_hiu"]


def test_months_windows_build_calendar_windows():
    cohort = definitions.load("westminster_uec_hiu").build({"window_months": 6})
    leaf = cohort.population
    assert leaf.feature.events.window == model.Window(None, start_months=6)
