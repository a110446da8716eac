"""Postcode centroids, for "how far is this service from the person's home".

Upstream ships no postcode data. A deployment loads the ONS Postcode Directory (ONSPD) or the
National Statistics Postcode Lookup (NSPL), published as CSV, with ``upstream postcodes FILE``;
``build`` turns it into a small read-only SQLite lookup file (postcode → latitude, longitude),
much as a GeoIP database is kept beside a service, so a lookup is one indexed read and the
2.7 million rows never sit in memory or in the operational database. The demo writes its
synthetic centroids into the same kind of file with ``write``. ADR 0018 records why.

Only the centroid of a postcode is held: it is public reference data, never a person's record.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from upstream.standards import postcode as postcodes

_POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "postcode")
_LATITUDE_COLUMNS = ("lat", "latitude")
_LONGITUDE_COLUMNS = ("long", "longitude", "lon")
_NO_GRID_REFERENCE = 99.999999
"""ONSPD's latitude for a postcode with no grid reference."""


class PostcodeFileError(ValueError):
    """The postcode file cannot be read; the message names the file, line and field."""


@dataclass(frozen=True)
class BuildSummary:
    loaded: int
    without_coordinates: int
    """Rows whose postcode has no grid reference (ONSPD latitude 99.999999): skipped, counted."""


def _column(header: list[str], names: tuple[str, ...], path: Path, what: str) -> str:
    lowered = {name.strip().lower(): name for name in header}
    for name in names:
        if name in lowered:
            return lowered[name]
    raise PostcodeFileError(
        f"{path}: line 1: no {what} column (expected one of {', '.join(names)})")


def _rows(path: Path, summary: dict[str, int]) -> Iterable[tuple[str, float, float]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        code = _column(header, _POSTCODE_COLUMNS, path, "postcode")
        lat_col = _column(header, _LATITUDE_COLUMNS, path, "latitude")
        lon_col = _column(header, _LONGITUDE_COLUMNS, path, "longitude")
        for row in reader:
            line = reader.line_num
            postcode = postcodes.normalise(row[code] or "")
            if not postcodes.is_valid(postcode):
                raise PostcodeFileError(
                    f"{path}: line {line}: field {code}: {row[code]!r} is not a UK postcode")
            try:
                latitude, longitude = float(row[lat_col]), float(row[lon_col])
            except (TypeError, ValueError):
                raise PostcodeFileError(
                    f"{path}: line {line}: field {lat_col}/{lon_col}: coordinates "
                    f"{row[lat_col]!r}, {row[lon_col]!r} are not numbers") from None
            if abs(latitude - _NO_GRID_REFERENCE) < 1e-6:
                summary["without_coordinates"] += 1
                continue
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise PostcodeFileError(
                    f"{path}: line {line}: field {lat_col}/{lon_col}: coordinates "
                    f"{latitude}, {longitude} are outside the world")
            yield postcode, latitude, longitude


def write(out_path: str | Path, centroids: Iterable[tuple[str, float, float]],
          progress: Callable[[int], None] | None = None) -> int:
    """Write a lookup file of ``(postcode, latitude, longitude)``, replacing any there.

    The file is written beside the target and renamed at the end, so a failure (such as a bad
    row) leaves the previous lookup file as it was. Returns the number of postcodes written.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    written = 0
    connection = sqlite3.connect(partial)
    try:
        connection.execute("CREATE TABLE centroid (postcode TEXT PRIMARY KEY, latitude REAL "
                           "NOT NULL, longitude REAL NOT NULL) WITHOUT ROWID")
        batch: list[tuple[str, float, float]] = []
        for row in centroids:
            batch.append((postcodes.normalise(row[0]), row[1], row[2]))
            if len(batch) == 50_000:
                connection.executemany("INSERT OR REPLACE INTO centroid VALUES (?, ?, ?)", batch)
                written += len(batch)
                batch.clear()
                if progress:
                    progress(written)
        connection.executemany("INSERT OR REPLACE INTO centroid VALUES (?, ?, ?)", batch)
        written += len(batch)
        connection.commit()
    except BaseException:
        connection.close()
        partial.unlink(missing_ok=True)
        raise
    connection.close()
    os.replace(partial, out)
    return written


def build(csv_path: str | Path, out_path: str | Path,
          progress: Callable[[int], None] | None = None) -> BuildSummary:
    """Build the lookup file from an ONSPD/NSPL-style CSV (columns ``pcds`` or ``pcd``, ``lat``,
    ``long``; other columns ignored). A malformed row raises ``PostcodeFileError`` naming the
    line and field, and the previous lookup file is kept."""
    path = Path(csv_path)
    if not path.is_file():
        raise PostcodeFileError(f"{path}: no such file")
    counts = {"without_coordinates": 0}
    loaded = write(out_path, _rows(path, counts), progress)
    return BuildSummary(loaded, counts["without_coordinates"])


class PostcodeDirectory:
    """Read-only lookups in a file made by ``build`` or ``write``. A missing file finds nothing
    (``available`` is False), so search without distance still works."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @property
    def available(self) -> bool:
        return self.path.is_file()

    def centroid(self, postcode: str) -> tuple[float, float] | None:
        """``(latitude, longitude)`` of the postcode's centroid, or None if unknown."""
        if not self.available or not postcodes.is_valid(postcode):
            return None
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT latitude, longitude FROM centroid WHERE postcode = ?",
                (postcodes.normalise(postcode),)).fetchone()
        finally:
            connection.close()
        return (row[0], row[1]) if row else None

    def centroids(self, postcodes_: Iterable[str]) -> dict[str, tuple[float, float]]:
        """``{postcode as given: (latitude, longitude)}`` for those of ``postcodes_`` the
        directory lists, in one connection; unknown or invalid postcodes are left out."""
        wanted = {p: postcodes.normalise(p) for p in set(postcodes_) if postcodes.is_valid(p)}
        if not self.available or not wanted:
            return {}
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            found = {}
            for given, code in wanted.items():
                row = connection.execute(
                    "SELECT latitude, longitude FROM centroid WHERE postcode = ?",
                    (code,)).fetchone()
                if row:
                    found[given] = (row[0], row[1])
        finally:
            connection.close()
        return found
