"""The interim postcode centroid lookup (directory/oruk/postcode_centroids.py): reads an ONS
Postcode Directory CSV named by a setting, and says exactly what is wrong with a bad file."""

import os

import pytest

from upstream.service.directory.oruk.postcode_centroids import (
    CentroidFileError,
    CentroidsUnavailable,
    centroid,
)

from .oruk_world import write_centroids


@pytest.fixture
def directory_file(tmp_path, settings):
    path = tmp_path / "postcodes.csv"
    settings.UPSTREAM_POSTCODE_CENTROIDS_CSV = str(path)
    return path


def test_onspd_columns_any_spacing_or_case(directory_file):
    write_centroids(directory_file)
    assert centroid("dn156aa") == (53.59, -0.65)
    assert centroid(" DN15  6AA ") == (53.59, -0.65)
    assert centroid("DN99 9ZZ") is None  # ONSPD's 99.999999: no grid reference
    assert centroid("DN17 1AB") is None  # not listed


def test_other_column_names_and_a_replaced_file_is_read_again(directory_file):
    directory_file.write_text("Postcode,Latitude,Longitude\nLS1 4AP,53.79,-1.55\n")
    assert centroid("LS1 4AP") == (53.79, -1.55)
    directory_file.write_text("postcode,latitude,longitude\nLS1 4AP,53.80,-1.54\n,,\n")
    stat = directory_file.stat()
    os.utime(directory_file, (stat.st_atime, stat.st_mtime + 5))
    assert centroid("LS1 4AP") == (53.80, -1.54)


@pytest.mark.parametrize(("content", "says"), [
    ("code,lat,long\nLS1 4AP,53.79,-1.55\n", "no postcode column; expected one of pcds"),
    ("pcds,lat\nLS1 4AP,53.79\n", "no longitude column"),
    ("pcds,lat,long\nLS1 4AP,53.79,-1.55\nLS2 7AB,north,-1.55\n",
     "line 3, column lat: 'north' is not a number"),
    ("pcds,lat,long\nLS1 4AP,153.79,-1.55\n", "line 2: latitude 153.79"),
    ("pcds,lat,long\nLS1 4AP,53.79\n", "line 2: too few columns"),
])
def test_a_bad_file_is_named_with_line_and_column(directory_file, content, says):
    directory_file.write_text(content)
    with pytest.raises(CentroidFileError, match=says) as caught:
        centroid("LS1 4AP")
    assert str(directory_file) in str(caught.value)


def test_a_missing_file_or_no_setting_is_a_clear_error(directory_file, settings):
    with pytest.raises(CentroidFileError, match="cannot read the postcode directory"):
        centroid("LS1 4AP")
    settings.UPSTREAM_POSTCODE_CENTROIDS_CSV = ""
    with pytest.raises(CentroidsUnavailable, match="UPSTREAM_POSTCODE_CENTROIDS_CSV"):
        centroid("LS1 4AP")
