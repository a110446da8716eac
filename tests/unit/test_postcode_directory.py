"""Postcode centroid lookup files built from ONSPD-style CSV."""

import pytest

from upstream.standards.postcode_directory import PostcodeDirectory, PostcodeFileError, build

ONSPD = (
    "pcd,pcd2,pcds,doterm,lat,long\n"
    "E1  6AN,E1  6AN,E1 6AN,,51.517,-0.071\n"
    "SW1A1AA,SW1A 1AA,SW1A 1AA,,51.501,-0.142\n"
    "ZE3 9JZ,ZE3 9JZ,ZE3 9JZ,,99.999999,0.000000\n"
)


def test_build_loads_centroids_and_skips_postcodes_without_a_grid_reference(tmp_path):
    source = tmp_path / "onspd.csv"
    source.write_text(ONSPD)
    summary = build(source, tmp_path / "postcodes.sqlite3")
    assert (summary.loaded, summary.without_coordinates) == (2, 1)
    lookup = PostcodeDirectory(tmp_path / "postcodes.sqlite3")
    assert lookup.centroid("e16an") == (51.517, -0.071)
    assert lookup.centroid("SW1A 1AA") == (51.501, -0.142)
    assert lookup.centroid("ZE3 9JZ") is None
    assert lookup.centroid("nonsense") is None


def test_a_bad_row_names_line_and_field_and_keeps_the_previous_file(tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(ONSPD)
    bad.write_text(ONSPD + "E2 7QX,E2 7QX,E2 7QX,,north,-0.06\n")
    out = tmp_path / "postcodes.sqlite3"
    build(good, out)
    with pytest.raises(PostcodeFileError, match=r"bad.csv: line 5: field lat/long"):
        build(bad, out)
    assert PostcodeDirectory(out).centroid("E1 6AN") == (51.517, -0.071)
    assert not (tmp_path / "postcodes.sqlite3.partial").exists()


def test_a_file_without_coordinates_columns_is_refused(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("pcds,easting\nE1 6AN,1\n")
    with pytest.raises(PostcodeFileError, match="line 1: no latitude column"):
        build(source, tmp_path / "out.sqlite3")


def test_without_a_lookup_file_nothing_is_found(tmp_path):
    lookup = PostcodeDirectory(tmp_path / "missing.sqlite3")
    assert not lookup.available and lookup.centroid("E1 6AN") is None


def test_centroids_looks_up_many_at_once_keyed_as_given(tmp_path):
    source = tmp_path / "onspd.csv"
    source.write_text(ONSPD)
    build(source, tmp_path / "postcodes.sqlite3")
    lookup = PostcodeDirectory(tmp_path / "postcodes.sqlite3")
    assert lookup.centroids(["e16an", "SW1A 1AA", "ZE3 9JZ", "nonsense", ""]) == {
        "e16an": (51.517, -0.071), "SW1A 1AA": (51.501, -0.142)}
    assert PostcodeDirectory(tmp_path / "missing.sqlite3").centroids(["E1 6AN"]) == {}


@pytest.mark.parametrize("given,district", [
    ("le1 6tp", "LE1"), ("SW1A 1AA", "SW1A"), ("E16AN", "E1"), ("EC1A 1BB", "EC1A"),
    ("", ""), ("LE1 3CC", ""), ("not a postcode", "")])
def test_district_is_the_outward_code_of_a_valid_postcode(given, district):
    from upstream.standards.postcode import district as district_of

    assert district_of(given) == district
