"""Postcode → centroid (WGS84 latitude, longitude), for the API's ``postcode`` + ``proximity``.

Interim contract, until the directory loads the ONS Postcode Directory into a table:

- The setting ``UPSTREAM_POSTCODE_CENTROIDS_CSV`` (environment variable of the same name) names
  a CSV file the trust supplies, with a header row holding a postcode column (``pcds``, ``pcd``,
  ``pcd2`` or ``postcode``), a latitude column (``lat`` or ``latitude``) and a longitude column
  (``long``, ``longitude`` or ``lon``). The ONS Postcode Directory (ONSPD) and the National
  Statistics Postcode Lookup have these columns as published.
- Rows without a grid reference (empty coordinates, or ONSPD's ``99.999999`` latitude) are
  skipped: they have no centroid. Any other unreadable value is a ``CentroidFileError`` naming
  the file, line and column; nothing is guessed.
- The file is read once per process (again when it changes) and held in memory, a few hundred
  bytes a postcode: use a regional extract rather than the 2.7 million-row national file until
  the table exists.
- Without the setting, ``centroid`` raises ``CentroidsUnavailable`` and the API answers a
  postcode search with 501 (not implemented here), never with a silently unfiltered list.
"""

import csv
import functools
from pathlib import Path

from django.conf import settings

from upstream.standards import postcode as postcodes

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "postcode")
LATITUDE_COLUMNS = ("lat", "latitude")
LONGITUDE_COLUMNS = ("long", "longitude", "lon")
NO_GRID_REFERENCE_LATITUDE = 99.999999
"""ONSPD's latitude for a postcode with no grid reference."""


class CentroidsUnavailable(RuntimeError):
    """No postcode directory is configured."""


class CentroidFileError(ValueError):
    """The configured postcode directory cannot be read; the message says where and why."""


def _column(header: list[str], names: tuple[str, ...], what: str, path: Path) -> int:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    raise CentroidFileError(
        f"{path}: no {what} column; expected one of {', '.join(names)}, found "
        f"{', '.join(header) or 'no header'}")


def _number(text: str, path: Path, line: int, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise CentroidFileError(
            f"{path}, line {line}, column {column}: {text!r} is not a number") from None


@functools.cache
def _read(path: Path, modified: float) -> dict[str, tuple[float, float]]:
    """Normalised postcode → (latitude, longitude). ``modified`` keys the cache on the file's
    modification time, so a replaced file is read again."""
    found: dict[str, tuple[float, float]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        postcode_at = _column(header, POSTCODE_COLUMNS, "postcode", path)
        lat_at = _column(header, LATITUDE_COLUMNS, "latitude", path)
        lon_at = _column(header, LONGITUDE_COLUMNS, "longitude", path)
        for row in reader:
            line = reader.line_num
            if len(row) <= max(postcode_at, lat_at, lon_at):
                raise CentroidFileError(f"{path}, line {line}: too few columns")
            lat_text, lon_text = row[lat_at].strip(), row[lon_at].strip()
            if not lat_text or not lon_text:
                continue
            lat = _number(lat_text, path, line, header[lat_at])
            lon = _number(lon_text, path, line, header[lon_at])
            if lat == NO_GRID_REFERENCE_LATITUDE:
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise CentroidFileError(
                    f"{path}, line {line}: latitude {lat} / longitude {lon} out of range")
            found[postcodes.normalise(row[postcode_at])] = (lat, lon)
    return found


def configured_file() -> Path | None:
    value = getattr(settings, "UPSTREAM_POSTCODE_CENTROIDS_CSV", "")
    return Path(value) if value else None


def centroid(postcode: str) -> tuple[float, float] | None:
    """The centroid of ``postcode`` (any spacing or case), or None when the directory does not
    list it. Raises ``CentroidsUnavailable`` when no file is configured and
    ``CentroidFileError`` when the file is missing or unreadable."""
    path = configured_file()
    if path is None:
        raise CentroidsUnavailable(
            "postcode search is not available: no postcode directory is configured "
            "(UPSTREAM_POSTCODE_CENTROIDS_CSV)")
    try:
        modified = path.stat().st_mtime
    except OSError as error:
        raise CentroidFileError(f"{path}: cannot read the postcode directory ({error})") from None
    return _read(path, modified).get(postcodes.normalise(postcode))
