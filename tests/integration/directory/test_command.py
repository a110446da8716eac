"""``upstream directory import``: exit codes and what it prints."""

import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.service.directory.models import Service

from .conftest import hsds_service, oruk_v1_service, write_json

pytestmark = pytest.mark.django_db


def run(*args):
    return CliRunner().invoke(app, ["directory", "import", *map(str, args)],
                              env={"COLUMNS": "200"})


def test_an_import_prints_counts_quality_and_where_the_report_is(tmp_path, var_dir):
    feed = write_json(tmp_path / "council.json",
                      [oruk_v1_service(1), oruk_v1_service(2, name="")])
    result = run(feed, "--feed", "My Council")

    assert result.exit_code == 0, result.output
    assert "Feed my-council (oruk-v1-json)" in result.output
    assert "1 records need attention" in result.output
    assert str(var_dir / "directory-reports" / "my-council-") in result.output
    assert Service.objects.filter(feed__name="my-council").count() == 2


def test_a_malformed_file_exits_non_zero_naming_the_record_and_field(tmp_path):
    write_json(tmp_path / "good.json", [hsds_service()])
    assert run(tmp_path / "good.json", "--feed", "council").exit_code == 0
    bad = write_json(tmp_path / "bad.json", [hsds_service(), hsds_service(phones="0800 1")])

    result = run(bad, "--feed", "council")

    assert result.exit_code == 1
    assert "Import failed, nothing was changed." in result.output
    assert "bad.json, record 2 (id ac148810-d857-441c-9679-408f346de14b), field 'phones': " \
           "must be a list, found str" in result.output
    assert Service.objects.count() == 1


def test_a_missing_file_exits_non_zero(tmp_path):
    result = run(tmp_path / "nowhere.json")
    assert result.exit_code == 1
    assert "nowhere.json: no such file or folder" in result.output
