"""Reading directory feeds into HSDS table rows, whatever shape they come in.

``read_source(path)`` detects the format and returns a ``Source``: a flat list of ``Row``s, one
per HSDS record, with HSDS field names and references as ``<table>_id`` original ids, exactly
like the HSDS tabular format. The loader (``importer.py``) works only on rows.

Formats:

- ``hsds-3.0-json``: one compiled HSDS 3.0 service object, a list of them, or a paginated API
  page (``{"contents": [...]}``); nested records (organisation, locations, phones, attributes
  with their taxonomy terms...) become rows of their own tables.
- ``oruk-v1-json``: the legacy Open Referral UK list feed councils still publish (a list, or a
  page ``{"content": [...]}``), with its own names (``regular_schedules``,
  ``service_taxonomys``, ``eligibilitys``, ``physical_addresses``...) and vendor extensions
  (``pc_targetAudience``, ``deliverable_type``, ``attending_type``, ``attending_access``,
  ``pc_metadata``), which become taxonomy terms or HSDS fields where HSDS has a place for them.
- ``hsds-3.0-tabular``: a folder of CSVs (or its ``datapackage.json``, or one CSV), or the
  tabular JSON (``{"services.csv": [...], ...}``).

Anything a feed sends that HSDS has no field for is kept verbatim in the row's ``extensions``.
A structural fault (invalid JSON, wrong top-level shape, a nested array that is not an array,
a CSV row that cannot be parsed) raises ``FeedError`` naming file, record and field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: HSDS tables the directory stores, in the order the loader writes them.
TABLES = (
    "taxonomy", "taxonomy_term", "organization", "organization_identifier", "program",
    "service", "location", "service_at_location", "address", "contact", "phone", "schedule",
    "cost_option", "service_area", "language", "accessibility", "funding",
    "required_document", "attribute",
)

# Nested arrays and objects of each HSDS table: key → (child table, reference the child gets
# to its parent, or None when the parent refers to the child: the nested object case).
_ARRAYS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {
        "phones": ("phone", "service_id"), "schedules": ("schedule", "service_id"),
        "regular_schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"), "funding": ("funding", "service_id"),
        "fundings": ("funding", "service_id"), "cost_options": ("cost_option", "service_id"),
        "required_documents": ("required_document", "service_id"),
        "contacts": ("contact", "service_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
        "regular_schedules": ("schedule", "service_at_location_id"),
    },
    "location": {
        "languages": ("language", "location_id"), "addresses": ("address", "location_id"),
        "physical_addresses": ("address", "location_id"),
        "postal_addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"), "accessibility": ("accessibility", "location_id"),
        "accessibility_for_disabilities": ("accessibility", "location_id"),
        "phones": ("phone", "location_id"), "schedules": ("schedule", "location_id"),
        "regular_schedules": ("schedule", "location_id"),
    },
    "organization": {
        "funding": ("funding", "organization_id"), "fundings": ("funding", "organization_id"),
        "contacts": ("contact", "organization_id"), "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "programs": ("program", "organization_id"),
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}
_OBJECTS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id"),
                "program": ("program", "program_id")},
    "service_at_location": {"location": ("location", "location_id"),
                            "service": ("service", "service_id")},
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
}
# Legacy (ORUK v1) field names → HSDS 3.0 names, per table; used only when the HSDS name is
# absent from the record.
_ALIASES: dict[str, dict[str, str]] = {
    "organization": {"url": "website"},
    "language": {"language": "name"},
    "service_area": {"service_area": "name"},
    "accessibility": {"accessibility": "description"},
    "taxonomy_term": {"vocabulary": "taxonomy", "parent": "parent_id"},
}
_ADDRESS_TYPE_OF_KEY = {"physical_addresses": "physical", "postal_addresses": "postal"}

# ORUK v1 vendor classification fields → the taxonomy their values become terms of.
_VENDOR_CLASSIFICATIONS = {
    "pc_targetAudience": "Target audience",
    "deliverable_type": "Deliverable type",
    "attending_type": "Attending type",
    "attending_access": "Attending access",
}
_V1_MARKERS = {"regular_schedules", "service_taxonomys", "eligibilitys", "holiday_schedules",
               "physical_addresses", "accessibility_for_disabilities", "pc_metadata",
               "pc_targetAudience", "deliverable_type", "attending_access", "fundings"}

# CSV file names (without .csv) → HSDS table; singular and plural spellings both occur.
_CSV_TABLES = {
    **{t: t for t in TABLES},
    "organizations": "organization", "organization_identifiers": "organization_identifier",
    "programs": "program", "services": "service", "locations": "location",
    "services_at_location": "service_at_location", "service_at_locations": "service_at_location",
    "addresses": "address", "contacts": "contact", "phones": "phone", "schedules": "schedule",
    "cost_options": "cost_option", "service_areas": "service_area", "languages": "language",
    "accessibilities": "accessibility", "fundings": "funding",
    "required_documents": "required_document", "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term", "attributes": "attribute",
}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _organization_of(row: "Row") -> str | None:
    value = row.values.get("organization_id")
    return None if _empty(value) else str(value)


class FeedError(Exception):
    """A feed that cannot be imported at all; the message names file, record and field."""

    def __init__(self, file: str, problem: str, record: str | None = None,
                 field: str | None = None) -> None:
        self.file, self.problem, self.record, self.field = file, problem, record, field
        where = ", ".join(part for part in (
            file, record, f"field '{field}'" if field else None) if part)
        super().__init__(f"{where}: {problem}")


@dataclass
class Row:
    """One HSDS record read from a feed: ``values`` are raw (as the feed gave them), with
    references as ``<table>_id`` holding the referenced record's original id."""

    table: str
    original_id: str
    values: dict[str, Any]
    where: str
    extensions: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Source:
    path: Path
    format: str
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    complete: bool = True  # False for one page of a paginated feed: absences mean nothing
    pages: int | None = None  # how many pages the feed says it has, when it says


def read_source(path: Path, known_fields: dict[str, set[str]]) -> Source:
    """Read ``path`` (file or folder). ``known_fields``: per HSDS table, the scalar field names
    the directory stores (anything else goes to ``extensions``)."""
    path = Path(path)
    if not path.exists():
        raise FeedError(str(path), "no such file or folder")
    if path.is_dir() and not any(path.glob("*.csv")) and any(path.glob("*.json")) and not (
            path / "datapackage.json").exists():
        return _read_json_pages(path, known_fields)
    if path.is_dir() or path.name == "datapackage.json" or path.suffix.lower() == ".csv":
        return _read_tabular_files(path, known_fields)
    return _read_json_file(path, known_fields)


def _read_json_pages(folder: Path, known_fields: dict[str, set[str]]) -> Source:
    """A folder of JSON files, e.g. every page of a paginated feed saved one file a page: one
    feed, read in file-name order. Complete when no page says more pages exist than the folder
    holds."""
    pages = [_read_json_file(page, known_fields) for page in sorted(folder.glob("*.json"))]
    formats = {page.format for page in pages}
    expected = max((page.pages or 1 for page in pages), default=1)
    complete = all(page.complete for page in pages) or expected <= len(pages)
    notes = [note for page in pages for note in page.notes
             if not complete or " of a paginated feed" not in note]
    if complete and expected > 1:
        notes.append(f"{len(pages)} pages of a paginated feed read from {folder.name}.")
    return Source(folder, "oruk-v1-json" if "oruk-v1-json" in formats else formats.pop(),
                  [row for page in pages for row in page.rows], notes, complete)


def _read_json_file(path: Path, known_fields: dict[str, set[str]]) -> Source:
    text, encoding_note = _decode(path.name, path.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(str(path), f"not valid JSON: {error.msg} at line {error.lineno} "
                                   f"column {error.colno}") from None
    if isinstance(data, dict) and data and all(str(k).endswith(".csv") for k in data):
        source = _read_tabular_json(path, data, known_fields)
    else:
        source = _read_service_json(path, data, known_fields)
    source.notes.extend([encoding_note] if encoding_note else [])
    return source


def _decode(name: str, data: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without a byte-order mark); failing that Windows-1252, as spreadsheets
    export it, with a note for the report."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        try:
            return data.decode("cp1252"), (f"{name} is not UTF-8 (first at line {line}): read "
                                           "as Windows-1252; check accented letters.")
        except UnicodeDecodeError:
            raise FeedError(name, f"not UTF-8 text (byte {error.start})",
                            f"line {line}") from None


# --- JSON (HSDS 3.0 compiled services, ORUK v1 lists) -------------------------------------


def _read_service_json(path: Path, data: Any, known_fields: dict[str, set[str]]) -> Source:
    notes: list[str] = []
    complete, pages = True, None
    if isinstance(data, dict):
        items_key = None if "id" in data else next(
            (k for k in ("contents", "content", "items", "data", "services")
             if isinstance(data.get(k), list)), None)
        if items_key:
            items = data[items_key]
            pages = data.get("total_pages", data.get("totalPages"))
            pages = pages if isinstance(pages, int) else None
            if pages and pages > 1:
                complete = False
                notes.append(f"{path.name} is page "
                             f"{data.get('page_number', data.get('number', '?'))} of {pages} of a "
                             "paginated feed: records missing from it are not flagged as gone.")
        elif "id" in data or "name" in data:
            items = [data]
        else:
            raise FeedError(str(path), "expected a service, a list of services or a page "
                                       "with 'contents'; found an object with keys "
                                       f"{', '.join(sorted(map(str, data))[:8])}")
    elif isinstance(data, list):
        items = data
    else:
        raise FeedError(str(path), f"expected a list of services, found {type(data).__name__}")
    legacy = any(isinstance(item, dict) and _V1_MARKERS & set(item) for item in items)
    reader = _JsonFlattener(path.name, known_fields)
    for index, item in enumerate(items):
        record = f"record {index + 1}"
        if not isinstance(item, dict):
            raise FeedError(path.name, f"a service must be an object, found "
                                       f"{type(item).__name__}", record)
        if item.get("id") not in (None, ""):
            record += f" (id {item['id']})"
        kind = _kind_of(item)
        if kind == "service":
            reader.service(item, record)
        else:  # HSDS API responses for an organisation or a service at a location
            reader.record(kind, item, record, parent=None, fallback_id=record)
    return Source(path, "oruk-v1-json" if legacy else "hsds-3.0-json", reader.rows, notes,
                  complete, pages)


_ORGANIZATION_MARKERS = {"organization_identifiers", "programs", "services", "website",
                         "year_incorporated", "legal_status", "tax_status"}
_SERVICE_MARKERS = {"status", "organization", "organization_id", "service_at_locations",
                    "regular_schedules", "service_taxonomys"}


def _kind_of(item: dict) -> str:
    """Which HSDS object a top-level JSON item is: a service (the usual case), an
    organisation or a service at a location."""
    if isinstance(item.get("service"), dict) and "location" in item:
        return "service_at_location"
    if _ORGANIZATION_MARKERS & set(item) and not _SERVICE_MARKERS & set(item):
        return "organization"
    return "service"


class _JsonFlattener:
    def __init__(self, file: str, known_fields: dict[str, set[str]]) -> None:
        self.file = file
        self.known = known_fields
        self.rows: list[Row] = []

    def service(self, item: dict, where: str) -> None:
        item = dict(item)
        derived: dict[str, Any] = {}
        pc_metadata = item.pop("pc_metadata", None)
        if isinstance(pc_metadata, dict):
            rest = dict(pc_metadata)
            for source_key, hsds in (("date_modified", "last_modified"),
                                     ("date_assured", "assured_date"),
                                     ("assured_by", "assurer_email")):
                if source_key in rest and item.get(hsds) in (None, ""):
                    derived[hsds] = rest.pop(source_key)
            if rest:
                derived["__extensions__pc_metadata"] = rest
        elif pc_metadata is not None:
            derived["__extensions__pc_metadata"] = pc_metadata
        access_info = item.pop("pc_attendingAccess_additionalInfo", None)
        if access_info not in (None, ""):
            if item.get("application_process") in (None, ""):
                derived["application_process"] = access_info
            else:
                derived["__extensions__pc_attendingAccess_additionalInfo"] = access_info
        eligibilities = item.pop("eligibilitys", None)
        classifications = {key: item.pop(key) for key in list(item)
                           if key in _VENDOR_CLASSIFICATIONS}
        service_taxonomys = item.pop("service_taxonomys", None)
        row = self.record("service", item, where, parent=None, fallback_id=where)
        for key, value in derived.items():
            if key.startswith("__extensions__"):
                row.extensions[key.removeprefix("__extensions__")] = value
            else:
                row.values[key] = value
        if eligibilities is not None:
            self._eligibilities(row, eligibilities, where)
        for key, value in classifications.items():
            self._vendor_classification(row, key, value, where)
        if service_taxonomys is not None:
            self._service_taxonomys(row, service_taxonomys, where)

    def record(self, table: str, obj: dict, where: str, parent: tuple[str, str, str] | None,
               fallback_id: str) -> Row:
        """Add ``obj`` as a row of ``table`` and its nested records as rows of theirs.
        ``parent``: (parent table, parent original id, the reference this row gets)."""
        original_id = obj.get("id")
        notes = []
        if original_id in (None, ""):
            original_id = fallback_id
            notes.append("The feed gives this record no id: it is identified by its position, "
                         "which changes if the feed is reordered.")
        elif isinstance(original_id, (dict, list)):
            raise FeedError(self.file, "an id must be text or a number", where, "id")
        row = Row(table, str(original_id), {}, where, notes=notes)
        aliases = _ALIASES.get(table, {})
        known = self.known[table]
        children: list[tuple[str, Any]] = []
        for key, value in obj.items():
            if key == "id":
                continue
            if key in _ARRAYS.get(table, {}) or key == "attributes":
                children.append((key, value))
            elif key in _OBJECTS.get(table, {}):
                children.append((key, value))
            elif key == "taxonomy" and table == "taxonomy_term" and isinstance(value, str):
                row.values["taxonomy"] = value
            elif key in known:
                if table == "attribute" and key in ("link_id", "link_entity") and parent:
                    continue  # the nesting says what the attribute belongs to
                row.values[key] = value
            elif key in aliases and aliases[key] not in obj:
                row.values[aliases[key]] = value
            else:
                row.extensions[key] = value
        if parent is not None:  # the nesting says whose record this is
            parent_table, parent_id, reference = parent
            if reference == "link_id":
                row.values["link_entity"] = parent_table
            row.values[reference] = parent_id
        self.rows.append(row)
        children.sort(key=lambda child: child[0] != "organization")  # before its program
        for key, value in children:
            self._children(table, row, key, value, where)
        return row

    def _children(self, table: str, row: Row, key: str, value: Any, where: str) -> None:
        if value is None:
            return
        if key in _OBJECTS.get(table, {}):
            child_table, reference = _OBJECTS[table][key]
            if not isinstance(value, dict):
                raise FeedError(self.file, f"must be an object, found {type(value).__name__}",
                                where, key)
            child = self.record(child_table, value, f"{where} › {key}", None,
                                f"{row.original_id}/{key}")
            row.values[reference] = child.original_id
            if child_table == "program" and _empty(child.values.get("organization_id")):
                # A service's program belongs to the service's organisation.
                organization = _organization_of(row)
                if organization:
                    child.values["organization_id"] = organization
            return
        if not isinstance(value, list):
            raise FeedError(self.file, f"must be a list, found {type(value).__name__}",
                            where, key)
        if key == "attributes":
            child_table, reference = "attribute", "link_id"
        else:
            child_table, reference = _ARRAYS[table][key]
        for index, item in enumerate(value):
            item_where = f"{where} › {key}[{index}]"
            if not isinstance(item, dict):
                raise FeedError(self.file, f"must be a list of objects, item {index} is "
                                           f"{type(item).__name__}", where, key)
            child = self.record(child_table, item, item_where,
                                (table, row.original_id, reference),
                                f"{row.original_id}/{key}[{index}]")
            if key in _ADDRESS_TYPE_OF_KEY and "address_type" not in child.values:
                child.values["address_type"] = _ADDRESS_TYPE_OF_KEY[key]

    # ORUK v1 specifics.

    def _eligibilities(self, service: Row, value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise FeedError(self.file, f"must be a list, found {type(value).__name__}",
                            where, "eligibilitys")
        texts, minimums, maximums = [], [], []
        for item in value:
            if not isinstance(item, dict):
                raise FeedError(self.file, "must be a list of objects", where, "eligibilitys")
            if item.get("eligibility"):
                texts.append(str(item["eligibility"]))
            if item.get("minimum_age") not in (None, ""):
                minimums.append(item["minimum_age"])
            if item.get("maximum_age") not in (None, ""):
                maximums.append(item["maximum_age"])
        values = service.values
        if texts and values.get("eligibility_description") in (None, ""):
            values["eligibility_description"] = "; ".join(texts)
        if len(minimums) == 1 and values.get("minimum_age") in (None, ""):
            values["minimum_age"] = minimums[0]
        if len(maximums) == 1 and values.get("maximum_age") in (None, ""):
            values["maximum_age"] = maximums[0]
        if len(minimums) > 1 or len(maximums) > 1:
            service.extensions["eligibilitys"] = value
            service.notes.append("Several eligibility age ranges: kept in extensions, "
                                 "not as minimum_age/maximum_age.")

    def _service_taxonomys(self, service: Row, value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise FeedError(self.file, f"must be a list, found {type(value).__name__}",
                            where, "service_taxonomys")
        for index, item in enumerate(value):
            item_where = f"{where} › service_taxonomys[{index}]"
            term = item.get("taxonomy") if isinstance(item, dict) else None
            if not isinstance(term, dict):
                raise FeedError(self.file, "each item must have a 'taxonomy' object", where,
                                "service_taxonomys")
            term_row = self.record("taxonomy_term", term, f"{item_where} › taxonomy", None,
                                   f"term:{term.get('name', '')}")
            self.rows.append(Row("attribute", str(item.get("id") or
                                                  f"{service.original_id}/term/{term_row.original_id}"),
                                 {"link_entity": "service", "link_id": service.original_id,
                                  "taxonomy_term_id": term_row.original_id,
                                  "link_type": "service_taxonomy"}, item_where))

    def _vendor_classification(self, service: Row, key: str, value: Any, where: str) -> None:
        """A vendor's classification field (a label, a list of labels or of objects holding
        one) → terms of a taxonomy named after the field, linked by attributes. Labels with
        '>' are paths: 'Low Income>Unemployed' is 'Unemployed' under 'Low Income'."""
        taxonomy_name = _VENDOR_CLASSIFICATIONS[key]
        labels = []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                label = next((v for k, v in item.items() if k != "id" and isinstance(v, str)),
                             "")
            else:
                label = "" if item is None else str(item)
            label = ">".join(part.strip() for part in label.split(">") if part.strip())
            if label:
                labels.append(label)
        if not labels:
            if value not in (None, "", []):
                service.extensions[key] = value
            return
        taxonomy_id = f"upstream:{key}"
        self._ensure(Row("taxonomy", taxonomy_id, {
            "name": taxonomy_name,
            "description": f"Values of the feed's '{key}' field."}, f"{where} › {key}"))
        for label in labels:
            parent_id = None
            parts = label.split(">")
            for depth in range(len(parts)):
                term_id = f"{key}:{'>'.join(parts[:depth + 1])}"
                self._ensure(Row("taxonomy_term", term_id, {
                    "name": parts[depth], "taxonomy_id": taxonomy_id, "parent_id": parent_id,
                    "description": ""}, f"{where} › {key}"))
                parent_id = term_id
            self._ensure(Row("attribute", f"{service.original_id}/{key}/{label}", {
                "link_entity": "service", "link_id": service.original_id,
                "taxonomy_term_id": parent_id, "link_type": key}, f"{where} › {key}"))

    def _ensure(self, row: Row) -> None:
        """Add a row the importer makes up; the loader merges repeats of the same id."""
        self.rows.append(row)


# --- Tabular (CSV data packages, tabular JSON) --------------------------------------------


def _table_of(name: str) -> str | None:
    stem = re.sub(r"\.csv$", "", name.lower().strip())
    return _CSV_TABLES.get(stem)


def _read_tabular_files(path: Path, known_fields: dict[str, set[str]]) -> Source:
    notes: list[str] = []
    if path.is_dir():
        package = path / "datapackage.json"
        folder = path
    elif path.name == "datapackage.json":
        package, folder = path, path.parent
    else:
        package, folder = None, path.parent
    files: list[tuple[Path, str | None]] = []
    if path.suffix.lower() == ".csv":
        files = [(path, _table_of(path.name))]
    elif package is not None and package.is_file():
        try:
            descriptor = json.loads(package.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            descriptor = None  # the HSDS examples ship a pointer file here: read the folder
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        if isinstance(resources, list):
            for resource in resources:
                if not isinstance(resource, dict) or not resource.get("path"):
                    raise FeedError(package.name, "each resource needs a 'path'",
                                    field="resources")
                table = _table_of(str(resource.get("name", ""))) or _table_of(
                    Path(str(resource["path"])).name)
                files.append((folder / str(resource["path"]), table))
        elif path.name == "datapackage.json":
            raise FeedError(package.name, "a data package needs a 'resources' list")
    if not files:
        files = [(csv_path, _table_of(csv_path.name))
                 for csv_path in sorted(folder.glob("*.csv"))]
    if not files:
        raise FeedError(str(path), "no CSV files found")
    rows: list[Row] = []
    read: set[Path] = set()
    for csv_path, table in files:
        if table is None:
            notes.append(f"{csv_path.name}: not an HSDS table the directory stores; "
                         "not imported.")
            continue
        if not csv_path.is_file():
            raise FeedError(csv_path.name, "the data package lists this file but it is missing")
        if csv_path.resolve() in read:
            continue
        read.add(csv_path.resolve())
        file_rows, encoding_note = _read_csv(csv_path, table, known_fields[table])
        rows.extend(file_rows)
        notes.extend([encoding_note] if encoding_note else [])
    return Source(path, "hsds-3.0-tabular", rows, notes)


def _read_csv(csv_path: Path, table: str, known: set[str]) -> tuple[list[Row], str | None]:
    text, encoding_note = _decode(csv_path.name, csv_path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return [], encoding_note
    except csv.Error as error:
        raise FeedError(csv_path.name, f"cannot be read as CSV: {error}", "line 1") from None
    header = [name.strip() for name in header]
    if len(set(header)) != len(header):
        raise FeedError(csv_path.name, "the header names a column twice", "line 1")
    rows = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise FeedError(csv_path.name, f"cannot be read as CSV: {error}",
                            f"line {reader.line_num}") from None
        if not any(value.strip() for value in values):
            continue  # a blank line
        where = f"line {reader.line_num}"
        if len(values) != len(header):
            raise FeedError(csv_path.name, f"has {len(values)} values but the header has "
                                           f"{len(header)} columns", where)
        record = dict(zip(header, values, strict=True))
        rows.append(_tabular_row(csv_path.name, table, record, where, known))
    return rows, encoding_note


def _read_tabular_json(path: Path, data: dict, known_fields: dict[str, set[str]]) -> Source:
    rows, notes = [], []
    for name, records in data.items():
        table = _table_of(name)
        if table is None:
            notes.append(f"{name}: not an HSDS table the directory stores; not imported.")
            continue
        if not isinstance(records, list):
            raise FeedError(path.name, "must be a list of rows", name)
        for index, record in enumerate(records):
            where = f"{name} row {index + 1}"
            if not isinstance(record, dict):
                raise FeedError(path.name, "a row must be an object", where)
            rows.append(_tabular_row(path.name, table, record, where, known_fields[table]))
    return Source(path, "hsds-3.0-tabular", rows, notes)


def _tabular_row(file: str, table: str, record: dict, where: str, known: set[str]) -> Row:
    record = {key: (None if value == "" else value) for key, value in record.items()}
    original_id = record.pop("id", None)
    notes = []
    if original_id in (None, ""):
        original_id = f"{file} {where}"
        notes.append("The feed gives this record no id: it is identified by its position, "
                     "which changes if the feed is reordered.")
    values, extensions = {}, {}
    aliases = _ALIASES.get(table, {})
    for key, value in record.items():
        if key in known or (table == "taxonomy_term" and key == "taxonomy"):
            values[key] = value
        elif key in aliases and aliases[key] not in record:
            values[aliases[key]] = value
        elif value is not None:
            extensions[key] = value
    id_where = f"{file} {where} (id {original_id})"
    return Row(table, str(original_id), values, id_where, extensions, notes)
