"""Postcode → centroid (WGS84 latitude, longitude) for the API's ``postcode`` + ``proximity``,
from the service's one postcode directory (``standards.postcode_directory``: built from a
user-supplied ONS Postcode Directory by ``upstream postcodes ONSPD.csv`` into the file the
``UPSTREAM_POSTCODE_DIRECTORY`` setting names).

Without that file, ``centroid`` raises ``CentroidsUnavailable`` and the API answers a postcode
search with 501 (not implemented here), never with a silently unfiltered list.
"""

from django.conf import settings

from upstream.standards.postcode_directory import PostcodeDirectory


class CentroidsUnavailable(RuntimeError):
    """No postcode directory has been built."""


def centroid(postcode: str) -> tuple[float, float] | None:
    """The centroid of ``postcode`` (any spacing or case), or None when the directory does not
    list it. Raises ``CentroidsUnavailable`` when no directory has been built and
    ``sqlite3.Error`` when its file cannot be read."""
    directory = PostcodeDirectory(settings.UPSTREAM_POSTCODE_DIRECTORY)
    if not directory.available:
        raise CentroidsUnavailable(
            "postcode search is not available: no postcode directory has been built "
            "(upstream postcodes ONSPD.csv)")
    return directory.centroid(postcode)
