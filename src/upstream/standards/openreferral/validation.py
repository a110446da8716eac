"""Check JSON against the official Open Referral schemas, offline.

Two standards are held in ``schemas/`` (verbatim copies, see ``schemas/SOURCES.md``): HSDS 3.0
and the Open Referral UK profile. Each file is registered under the URL the standard publishes
it at, so the ``$ref`` between files (relative, like ``"phone.json"``, or absolute, like the
OpenAPI documents' ``https://raw.githubusercontent.com/...``) resolve to the local copies; a
reference to anything else fails instead of reaching the network.

- ``schema_errors(instance, "compiled/service.json")``: one object against one schema file.
- ``response_errors(body, "/services/{id}")``: an API answer against the 200 response schema
  that the standard's OpenAPI document gives for ``GET`` on that path.
- ``check_response(body, path)``: the same against every standard that defines the path;
  raises ``SchemaViolation`` listing every error.

Formats are checked, not just annotated: ``uuid``, ``email``, ``uri`` and ``date-time`` (the
ones the schemas use), so an id that is not a UUID or an empty URL is an error.
"""

import copy
import datetime
import functools
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"


@dataclass(frozen=True)
class Standard:
    name: str
    folder: str
    """Where its files are under ``schemas/``."""
    base_url: str
    """Where the standard publishes its ``schema/`` folder; the files' ``$ref`` assume it."""


HSDS_3 = Standard(
    "HSDS 3.0", "hsds-3.0",
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/")
UK_PROFILE = Standard(
    "Open Referral UK profile", "uk-profile",
    "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/")
STANDARDS = (HSDS_3, UK_PROFILE)

RESPONSE_SCHEMA_ERRATA = {"/service_at_locations/{id}": "compiled/service_at_location.json"}
"""Response schemas the published OpenAPI documents give wrongly. Both declare
``GET /service_at_locations/{id}`` as returning a compiled *service*; HSDS corrected it to
the compiled ``service_at_location.json`` (openreferral/specification pull request 574, a
3.0 patch release of January 2026). We validate against the corrected schema."""

MAX_MESSAGE = 240
"""Error messages quote the offending value; long values are cut to keep reports readable."""


class SchemaViolation(AssertionError):
    """JSON that an official schema rejects; ``errors`` says where and why, one per line."""

    def __init__(self, what: str, errors: list[str]):
        self.errors = errors
        shown = "\n  ".join(errors[:20])
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{what} breaks {len(errors)} schema rule(s):\n  {shown}{more}")


# Formats ------------------------------------------------------------------------------------

FORMATS = FormatChecker(formats=())
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


@FORMATS.checks("uuid")
def _is_uuid(value) -> bool:
    return not isinstance(value, str) or bool(_UUID.fullmatch(value))


@FORMATS.checks("email")
def _is_email(value) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.fullmatch(value))


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    """An absolute URI (RFC 3986): a scheme, no spaces; web addresses need a host."""
    if not isinstance(value, str):
        return True
    if not value or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if not _SCHEME.fullmatch(parts.scheme or ""):
        return False
    return bool(parts.netloc) if parts.scheme.lower() in ("http", "https") else True


@FORMATS.checks("date-time")
def _is_date_time(value) -> bool:
    """RFC 3339: a date, ``T``, a time and a zone (``Z`` or an offset), and a real instant."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


# The registry of local files -----------------------------------------------------------------

def _load(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _files(standard: Standard) -> dict[str, Path]:
    """``relative name`` (``compiled/service.json``) → file, for one standard."""
    folder = SCHEMAS_DIR / standard.folder
    found = {}
    for path in sorted(folder.rglob("*.json*")):
        name = path.relative_to(folder).as_posix().removesuffix(".gz")
        found[name] = path
    return found


@functools.cache
def registry() -> Registry:
    """Every schema file of every standard, under its published URL. No retrieval: an
    unknown reference raises ``referencing.exceptions.Unresolvable``."""
    resources = []
    for standard in STANDARDS:
        for name, path in _files(standard).items():
            contents = _load(path)
            resources.append((standard.base_url + name,
                              Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources).crawl()


@functools.cache
def _validator(root_url: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": root_url}, registry=registry(), format_checker=FORMATS)


def _messages(standard: Standard, validator: Draft202012Validator, instance) -> list[str]:
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    found = []
    for error in errors:
        message = error.message
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + "..."
        found.append(f"{standard.name}: {error.json_path}: {message}")
    return found


def schema_errors(instance, schema: str, standard: Standard = HSDS_3) -> list[str]:
    """What is wrong with ``instance`` under one schema file (empty when it is valid).

    ``schema`` is the file's name within the standard, e.g. ``"compiled/service.json"``.
    Each error names the standard, the JSON path and the rule broken."""
    if schema not in _files(standard):
        raise KeyError(f"{standard.name} has no schema file {schema!r}")
    return _messages(standard, _validator(standard.base_url + schema), instance)


# API responses -------------------------------------------------------------------------------

@functools.cache
def _openapi(standard: Standard) -> dict:
    return _load(_files(standard)["openapi.json"])


def openapi_document(standard: Standard = HSDS_3) -> dict:
    """A copy of the standard's OpenAPI document, with ``RESPONSE_SCHEMA_ERRATA`` applied."""
    document = copy.deepcopy(_openapi(standard))
    for path, schema in RESPONSE_SCHEMA_ERRATA.items():
        if path in document["paths"]:
            content = document["paths"][path]["get"]["responses"]["200"]["content"]
            content["application/json"]["schema"] = {"$ref": standard.base_url + schema}
    return document


def api_paths(standard: Standard = HSDS_3) -> list[str]:
    """The paths the standard's OpenAPI document defines ``GET`` for (``"/services/{id}"``)."""
    return sorted(p for p, item in _openapi(standard)["paths"].items() if "get" in item)


def _pointer_token(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def response_schema_url(path: str, standard: Standard = HSDS_3) -> str:
    """The URL (into the local registry) of the 200 response schema of ``GET path``."""
    if path not in api_paths(standard):
        raise KeyError(f"{standard.name} defines no GET {path}")
    if path in RESPONSE_SCHEMA_ERRATA:
        return standard.base_url + RESPONSE_SCHEMA_ERRATA[path]
    pointer = "/".join(["paths", _pointer_token(path), "get", "responses", "200", "content",
                        _pointer_token("application/json"), "schema"])
    return f"{standard.base_url}openapi.json#/{pointer}"


def response_errors(body, path: str, standard: Standard = HSDS_3) -> list[str]:
    """What is wrong with ``body`` as the answer to ``GET path`` (empty when it is valid)."""
    return _messages(standard, _validator(response_schema_url(path, standard)), body)


def check_response(body, path: str, standards=STANDARDS) -> list[Standard]:
    """Validate ``body`` as the answer to ``GET path`` under every standard in ``standards``
    that defines that path; return those standards (at least one, or ``KeyError``).

    Raises ``SchemaViolation`` with every error of every standard."""
    applicable = [s for s in standards if path in api_paths(s)]
    if not applicable:
        raise KeyError(f"no standard defines GET {path}")
    errors = [e for s in applicable for e in response_errors(body, path, s)]
    if errors:
        raise SchemaViolation(f"GET {path}", errors)
    return applicable
