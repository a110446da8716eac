"""Import a directory feed: read it (``sources``), store every importable record as HSDS
tables with provenance, judge its data quality (``quality``), all in one transaction.

Contract of ``import_directory``:

- A malformed file raises ``FeedError`` (file, record, field) before anything is written; any
  other failure rolls the whole import back. The directory is never half-imported.
- Upsert by ``(feed, original_id)``: a record already imported from the feed keeps its ``id``
  and is written only when a value changed, so importing the same file again changes no row.
- Nothing is dropped silently. Records with problems are stored and listed as needing
  attention; the few that cannot be stored (a service-at-location whose service is not in the
  feed) are listed under "not imported" with the reason.
- Records a complete feed no longer contains: services, organisations and locations are kept
  (referrals may point at them) and flagged "not in the feed's latest import"; their child
  records (phones, schedules, attributes...) are deleted, so the directory mirrors the feed.
- Fields Upstream's users maintain are not overwritten by a feed that does not give them:
  ``accepting_referrals`` and ``waiting_time_days`` (set only when the feed has a value),
  ``last_verified`` (the later of the stored value and the feed's ``assured_date``),
  ``provision_type`` (changed only when the feed's terms say peer support, befriending,
  volunteering, faith group or community group).
- A service's opening times come from one place: once its organisation has set them in Upstream
  (schedules of the service with no feed, ``connect.services.update_opening_times``), the
  feed's schedules of that service are not imported, each listed under "not imported" with the
  reason, so the two never show side by side (ADR 0021).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import math
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.text import slugify

from upstream.standards import postcode

from . import models as directory
from .html_text import plain_text
from .ids import derived_id, record_id
from .quality import FIELD_CHECKS, REQUIRED, AttentionItem, QualityReport
from .sources import TABLES, FeedError, Row, Source, read_source

__all__ = ["FeedError", "ImportOutcome", "import_directory", "feed_name_for"]

REPORTS_FOLDER = "directory-reports"
PLACEHOLDER_ORGANIZATION = "upstream:placeholder-organization"
_PROVENANCE = {"id", "feed", "original_id", "imported_at", "extensions", "needs_attention",
               "attention_reasons", "is_placeholder"}
_UPSTREAM_MANAGED = {"accepting_referrals", "waiting_time_days"}
_NOT_FROM_FEEDS = {"capacity_updated_at", "last_verified", "provision_type"}
_KEPT_WHEN_ABSENT = {"organization", "service", "location", "taxonomy", "taxonomy_term"}
_FLAGGED_TABLES = {"organization", "service", "location"}
_ABSENT_REASON = "Not in the feed's latest import."
_PROVISION_KEYWORDS = (
    (directory.Service.ProvisionType.PEER_SUPPORT, ("peer",)),
    (directory.Service.ProvisionType.BEFRIENDING, ("befriend",)),
    (directory.Service.ProvisionType.VOLUNTEERING, ("volunteer",)),
    (directory.Service.ProvisionType.FAITH_GROUP,
     ("faith", "church", "mosque", "religio", "temple", "gurdwara", "synagogue")),
    (directory.Service.ProvisionType.COMMUNITY_GROUP,
     ("community group", "social activity", "community asset", "social group")),
)
_TABLE_OF_MODEL = {model: table for table, model in directory.HSDS_TABLES.items()}
_BATCH = 500
_ORIGINAL_ID_LENGTH = directory.Service._meta.get_field("original_id").max_length


def _fit(original_id: str) -> str:
    """An original id as stored: ids longer than the column keep their start and a digest."""
    if len(original_id) <= _ORIGINAL_ID_LENGTH:
        return original_id
    digest = hashlib.sha256(original_id.encode()).hexdigest()[:32]
    return f"{original_id[:_ORIGINAL_ID_LENGTH - 33]}~{digest}"


@functools.cache
def _stored_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _PROVENANCE]


def known_fields() -> dict[str, set[str]]:
    """Per HSDS table, the field names a feed may give (references as ``<name>_id``)."""
    return {table: {f.attname for f in _stored_fields(model)} - _NOT_FROM_FEEDS
            for table, model in directory.HSDS_TABLES.items()}


def feed_name_for(path: Path) -> str:
    """The default feed name: the file's (or folder's) name, as a slug."""
    path = Path(path)
    stem = path.parent.name if path.name == "datapackage.json" else path.stem
    return slugify(stem) or "feed"


@dataclass
class ImportOutcome:
    run: directory.ImportRun
    report: QualityReport
    report_json: Path
    report_markdown: Path


def import_directory(path: Path, feed_name: str | None = None,
                     progress: Callable[[int, int], None] | None = None) -> ImportOutcome:
    """Import the feed at ``path`` as ``feed_name`` (default: from the file name).
    ``progress(done, total)`` is called as records are written. Raises ``FeedError``."""
    path = Path(path)
    feed_name = slugify(feed_name) if feed_name else feed_name_for(path)
    if not feed_name:
        raise FeedError(str(path), "the feed name must contain letters or digits")
    source = read_source(path, known_fields())
    started = timezone.now()
    report = QualityReport(feed_name, str(path), source.format, started)
    report.notes.extend(source.notes)
    with transaction.atomic():
        feed, _ = directory.Feed.objects.get_or_create(name=feed_name,
                                                       defaults={"source": str(path)})
        if feed.source != str(path):
            feed.source = str(path)
            feed.save(update_fields=["source"])
        _Loader(feed, report, started, progress).load(source)
        run = directory.ImportRun.objects.create(
            feed=feed, source=str(path), source_format=source.format, started_at=started,
            finished_at=timezone.now(), counts=report.counts)
        json_path, md_path = report.save(Path(settings.VAR_DIR) / REPORTS_FOLDER)
        run.report_path = str(json_path)
        run.save(update_fields=["report_path"])
    return ImportOutcome(run, report, json_path, md_path)


# --- Converting raw values ----------------------------------------------------------------


class _Unstorable(ValueError):
    """A value that does not fit its column; the message says why."""


def _convert(model_field: models.Field, raw: Any) -> Any:
    """The stored value of ``raw`` (already known not to be empty) for ``model_field``."""
    if isinstance(raw, (dict, list)):
        raise _Unstorable("is a structure, not a single value")
    if isinstance(model_field, models.BooleanField):
        text = str(raw).strip().lower()
        if text in ("true", "yes", "y", "1"):
            return True
        if text in ("false", "no", "n", "0"):
            return False
        raise _Unstorable("not yes or no")
    if isinstance(model_field, (models.IntegerField, models.FloatField, models.DecimalField)):
        text = str(raw).strip().lstrip("£").replace(",", "")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise _Unstorable("not a number") from None
        if not number.is_finite():
            raise _Unstorable("not a number")
        if isinstance(model_field, models.IntegerField):
            if number != number.to_integral_value():
                raise _Unstorable("not a whole number")
            if isinstance(model_field, models.PositiveIntegerField) and number < 0:
                raise _Unstorable("negative")
            if abs(number) >= 2**31:
                raise _Unstorable("too large")
            return int(number)
        if isinstance(model_field, models.DecimalField):
            if number.adjusted() >= model_field.max_digits - model_field.decimal_places:
                raise _Unstorable("too large")
            return number.quantize(decimal.Decimal(1).scaleb(-model_field.decimal_places))
        value = float(number)
        if math.isinf(value):
            raise _Unstorable("not a number")
        return value
    if isinstance(model_field, models.DateTimeField):
        text = str(raw).strip()
        try:
            moment = parse_datetime(text.replace(" ", "T", 1)) if ":" in text else None
        except ValueError:
            moment = None
        if moment is None:
            day = _parse_day(text)
            moment = dt.datetime.combine(day, dt.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if isinstance(model_field, models.DateField):
        return _parse_day(str(raw).strip())
    if isinstance(model_field, models.TimeField):
        text = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", str(raw).strip())
        try:
            moment = parse_time(text)
        except ValueError:
            moment = None
        if moment is None:
            raise _Unstorable("not a time like 09:30")
        return moment
    # Text.
    text = plain_text(str(raw))  # every text field: no markup survives anywhere
    if model_field.choices:
        by_key = {str(key).lower(): key for key, _ in model_field.choices}
        key = by_key.get(text.lower().replace("_", " ")) or by_key.get(text.lower())
        if key is None:
            raise _Unstorable(f"not one of {', '.join(str(k) for k in by_key.values())}")
        return key
    if model_field.max_length and len(text) > model_field.max_length:
        raise _Unstorable(f"longer than {model_field.max_length} characters")
    return text


def _parse_day(text: str) -> dt.date:
    try:
        day = parse_date(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None:
        match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)  # UK day/month/year
        if match:
            try:
                day = dt.date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                day = None
    if day is None:
        raise _Unstorable("not a date like 2025-01-31")
    return day


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _shown(raw: Any) -> str:
    text = str(raw)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# --- The loader ---------------------------------------------------------------------------


@dataclass
class _Prepared:
    row: Row
    id: uuid.UUID
    values: dict[str, Any]          # attname → stored value
    problems: dict[str, str]        # field name → why the feed's value was not stored
    missing: set[str]               # field names the feed left empty
    reasons: list[str]              # why the record needs attention


class _Loader:
    def __init__(self, feed: directory.Feed, report: QualityReport, now: dt.datetime,
                 progress: Callable[[int, int], None] | None) -> None:
        self.feed, self.report, self.now = feed, report, now
        self.progress = progress or (lambda done, total: None)
        self.ids: dict[str, dict[str, uuid.UUID]] = {}
        self.foreign_ids: dict[str, set[uuid.UUID]] = defaultdict(set)
        self.done = 0
        self.total = 0

    def load(self, source: Source) -> None:
        rows = self._merge_duplicates(source.rows)
        self._link_taxonomies_by_name(rows)
        self._add_placeholder_organization(rows)
        self.total = sum(len(table_rows) for table_rows in rows.values())
        for table in TABLES:
            self.ids[table] = self._assign_ids(table, rows[table])
        terms_of_service = self._term_names_of_services(rows)
        organisation_hours = set(directory.Schedule.objects.filter(
            feed__isnull=True, service__isnull=False, location__isnull=True,
            service_at_location__isnull=True).values_list("service_id", flat=True))
        for table in TABLES:
            prepared = []
            for row in rows[table].values():
                ready = self._prepare(table, row, terms_of_service)
                if (ready is not None and table == "schedule"
                        and ready.values.get("service_id") in organisation_hours):
                    self._not_imported(row, "the service's organisation set its opening "
                                            "times in Upstream; those are kept")
                    ready = None
                if ready is None:  # not imported (reported): nothing may refer to it
                    self.ids[table].pop(row.original_id, None)
                else:
                    prepared.append(ready)
            self._judge(table, prepared)
            self._write(table, prepared, complete=source.complete)

    # Reading rows together.

    def _merge_duplicates(self, rows: Iterable[Row]) -> dict[str, dict[str, Row]]:
        """One row per (table, original id): a record nested in several places (an
        organisation shared by services) is merged, the first non-empty value winning."""
        merged: dict[str, dict[str, Row]] = {table: {} for table in TABLES}
        conflicts: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in rows:
            row.original_id = _fit(row.original_id)
            first = merged[row.table].get(row.original_id)
            if first is None:
                merged[row.table][row.original_id] = row
                continue
            for key, value in row.values.items():
                if _empty(first.values.get(key)):
                    first.values[key] = value
                elif not _empty(value) and value != first.values[key]:
                    conflicts[(row.table, row.original_id)].add(key)
            for key, value in row.extensions.items():
                first.extensions.setdefault(key, value)
        for (table, original_id), keys in conflicts.items():
            merged[table][original_id].notes.append(
                f"Appears more than once in the feed with different values for "
                f"{', '.join(sorted(keys))}; the first was kept.")
        return merged

    def _link_taxonomies_by_name(self, rows: dict[str, dict[str, Row]]) -> None:
        """HSDS lets a term name its taxonomy by name only (``taxonomy``): find or make it."""
        by_name = {str(r.values.get("name", "")).strip().lower(): oid
                   for oid, r in rows["taxonomy"].items()}
        for term in rows["taxonomy_term"].values():
            name = term.values.pop("taxonomy", None)
            if _empty(term.values.get("taxonomy_id")) and isinstance(name, str) and name.strip():
                key = name.strip().lower()
                if key not in by_name:
                    oid = f"upstream:taxonomy-named:{name.strip()}"
                    rows["taxonomy"][oid] = Row("taxonomy", oid, {"name": name.strip()},
                                                term.where)
                    by_name[key] = oid
                term.values["taxonomy_id"] = by_name[key]

    def _add_placeholder_organization(self, rows: dict[str, dict[str, Row]]) -> None:
        orphans = []
        for service in rows["service"].values():
            organization = service.values.get("organization_id")
            if _empty(organization):
                service.notes.append("The feed names no organisation for this service: it is "
                                     "attached to a placeholder organisation.")
            elif _fit(str(organization)) not in rows["organization"] and not self._exists(
                    "organization", str(organization)):
                service.notes.append(f"The feed's organisation {organization} is not in the "
                                     "feed: the service is attached to a placeholder "
                                     "organisation.")
            else:
                continue
            service.values["organization_id"] = PLACEHOLDER_ORGANIZATION
            service.values["__placeholder__"] = True
            orphans.append(service)
        if orphans:
            rows["organization"][PLACEHOLDER_ORGANIZATION] = Row(
                "organization", PLACEHOLDER_ORGANIZATION,
                {"name": f"Organisation not given ({self.feed.name})",
                 "description": "Made by Upstream's importer for the feed's services that "
                                "name no organisation. Find the real organisation."},
                "made by the importer",
                notes=["Placeholder: the feed's services named no organisation."])

    def _exists(self, table: str, original_id: str) -> bool:
        return self._resolve_existing(table, original_id) is not None

    # Identifiers.

    def _assign_ids(self, table: str, rows: dict[str, Row]) -> dict[str, uuid.UUID]:
        model = directory.HSDS_TABLES[table]
        existing = dict(model.objects.filter(feed=self.feed).values_list("original_id", "id"))
        ids = {oid: existing[oid] for oid in rows if oid in existing}
        candidates = {oid: record_id(self.feed.name, table, oid)
                      for oid in rows if oid not in existing}
        taken = set(existing.values())
        candidate_ids = list(candidates.values())
        for start in range(0, len(candidate_ids), _BATCH):
            taken.update(model.objects.filter(id__in=candidate_ids[start:start + _BATCH])
                         .values_list("id", flat=True))
        for oid, candidate in candidates.items():
            if candidate in taken:
                candidate = derived_id(self.feed.name, table, oid)
                rows[oid].notes.append("Its id is already used by another record (another "
                                       "feed?): Upstream publishes it under its own id.")
            taken.add(candidate)
            ids[oid] = candidate
        # Records of this feed absent from this import can still be referred to.
        for oid, existing_id in existing.items():
            ids.setdefault(oid, existing_id)
        return ids

    def _resolve(self, table: str, original_id: Any) -> uuid.UUID | None:
        if _empty(original_id):
            return None
        original_id = _fit(str(original_id).strip())
        found = self.ids.get(table, {}).get(original_id)
        return found if found is not None else self._resolve_existing(table, original_id)

    def _resolve_existing(self, table: str, original_id: str) -> uuid.UUID | None:
        """A reference to a record of another feed (or entered in Upstream) by its UUID."""
        try:
            candidate = uuid.UUID(original_id)
        except ValueError:
            return None
        if candidate in self.foreign_ids[table]:
            return candidate
        if directory.HSDS_TABLES[table].objects.filter(id=candidate).exists():
            self.foreign_ids[table].add(candidate)
            return candidate
        return None

    # Preparing values.

    def _term_names_of_services(self, rows: dict[str, dict[str, Row]]) -> dict[str, list[str]]:
        names: dict[str, list[str]] = defaultdict(list)
        for attribute in rows["attribute"].values():
            entity = str(attribute.values.get("link_entity") or "service").lower()
            term = rows["taxonomy_term"].get(_fit(str(attribute.values.get("taxonomy_term_id"))))
            if entity.startswith("service") and term is not None:
                names[_fit(str(attribute.values.get("link_id")))].append(
                    str(term.values.get("name") or ""))
        return names

    def _prepare(self, table: str, row: Row,
                 terms_of_service: dict[str, list[str]]) -> _Prepared | None:
        model = directory.HSDS_TABLES[table]
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        missing: set[str] = set()
        reasons = list(row.notes)
        unparsed: dict[str, Any] = {}
        if table == "attribute" and not self._link_attribute(row):
            return None
        for model_field in _stored_fields(model):
            name, attname = model_field.name, model_field.attname
            if name in _NOT_FROM_FEEDS:
                continue
            if table == "attribute" and attname == "link_id":
                continue  # resolved by _link_attribute
            raw = row.values.get(attname)
            if _empty(raw):
                missing.add(name)
            if isinstance(model_field, models.ForeignKey):
                target = _TABLE_OF_MODEL[model_field.related_model]
                resolved = self._resolve(target, raw)
                if resolved is None and not _empty(raw):
                    if not model_field.null:
                        self._not_imported(row, f"its {name} {raw} is not in the feed")
                        return None
                    reasons.append(f"Refers to {target} {raw}, which is not in the feed.")
                    problems[name] = "not in the feed"
                elif resolved is None and not model_field.null:
                    self._not_imported(row, f"it names no {name}")
                    return None
                values[attname] = resolved
                continue
            if _empty(raw):
                values[attname] = None if model_field.null else model_field.get_default()
                continue
            try:
                values[attname] = _convert(model_field, raw)
            except _Unstorable as problem:
                values[attname] = None if model_field.null else model_field.get_default()
                problems[name] = f"{problem} ({_shown(raw)})"
                unparsed[name] = raw if isinstance(raw, (str, int, float, bool)) else str(raw)
                reasons.append(f"{name}: {problem} ({_shown(raw)}).")
        extensions = dict(row.extensions)
        if unparsed:
            extensions["unparsed"] = unparsed
        values["extensions"] = extensions
        if table == "attribute":
            values["__link_uuid__"] = row.values["__link_uuid__"]
        if table == "service":
            self._service_values(row, values, terms_of_service)
        record_id_ = self.ids[table][row.original_id]
        return _Prepared(row, record_id_, values, problems, missing, reasons)

    def _link_attribute(self, row: Row) -> bool:
        """Point the attribute at the record it describes; False (and reported) if none."""
        values = row.values
        entity = str(values.get("link_entity") or "").strip().lower()
        entity = {"services": "service", "organizations": "organization",
                  "locations": "location"}.get(entity, entity)
        link = values.get("link_id")
        if _empty(link):
            self._not_imported(row, "it links to no record (no link_id)")
            return False
        target = self._resolve(entity, link) if entity in directory.HSDS_TABLES else None
        if target is None:
            for table in ("service", *[t for t in TABLES if t != "service"]):
                target = self._resolve(table, link)
                if target is not None:
                    if entity:
                        row.notes.append(f"link_entity '{entity}' does not name the table of "
                                         f"the record it links to ({table}).")
                    entity = table
                    break
        if target is None:
            self._not_imported(row, f"the record it links to ({link}) is not in the feed")
            return False
        values["link_entity"] = entity
        values["__link_uuid__"] = target
        return True

    def _service_values(self, row: Row, values: dict[str, Any],
                        terms_of_service: dict[str, list[str]]) -> None:
        names = " ".join(terms_of_service.get(row.original_id, [])).lower()
        values["provision_type"] = next(
            (kind for kind, words in _PROVISION_KEYWORDS if any(w in names for w in words)),
            None)
        values["last_verified"] = values.get("assured_date")
        values["__placeholder__"] = bool(row.values.get("__placeholder__"))

    def _not_imported(self, row: Row, reason: str) -> None:
        self.report.not_imported.append({"table": row.table, "original_id": row.original_id,
                                         "where": row.where, "reason": reason})

    # Judging.

    def _judge(self, table: str, prepared: list[_Prepared]) -> None:
        model = directory.HSDS_TABLES[table]
        judged = {name for (t, name) in FIELD_CHECKS if t == table}
        judged |= {name for p in prepared for name in p.problems}
        for name in sorted(judged):
            model_field = model._meta.get_field(name)
            for p in prepared:
                if name in p.problems:
                    self.report.count(table, name, "malformed", p.problems[name])
                    continue
                if table == "service" and name == "organization":
                    placeholder = p.values["__placeholder__"]
                    self.report.count(table, name, "missing" if placeholder else "valid")
                    continue
                value = p.values.get(model_field.attname)
                if name in p.missing or value in (None, ""):
                    self.report.count(table, name, "missing")
                    if (table, name) in REQUIRED:
                        p.reasons.append(f"Has no {name}.")
                    continue
                problem = FIELD_CHECKS.get((table, name), lambda v: None)(value)
                if problem is None and (table, name) == ("address", "postal_code"):
                    p.values["postal_code"] = postcode.normalise(value)  # 'dn16 1ab' → 'DN16 1AB'

                if problem is None and table == "service" and name == "maximum_age":
                    minimum = p.values.get("minimum_age")
                    if minimum is not None and value < minimum:
                        problem = "below the minimum age"
                if problem:
                    self.report.count(table, name, "malformed", f"{_shown(value)}: {problem}")
                    p.reasons.append(f"{name}: {problem} ({_shown(value)}).")
                else:
                    self.report.count(table, name, "valid")

    # Writing.

    def _write(self, table: str, prepared: list[_Prepared], complete: bool) -> None:
        model = directory.HSDS_TABLES[table]
        flagged = table in _FLAGGED_TABLES
        existing = {obj.original_id: obj for obj in model.objects.filter(feed=self.feed)}
        created, updated, unchanged = [], [], 0
        update_fields: set[str] = set()
        for p in prepared:
            values = self._final_values(table, p, existing.get(p.row.original_id), flagged)
            if p.reasons:
                self.report.attention.append(AttentionItem(
                    table, str(p.id), p.row.original_id,
                    str(values.get("name") or values.get("number") or ""), p.row.where,
                    p.reasons))
            obj = existing.get(p.row.original_id)
            if obj is None:
                created.append(model(id=p.id, feed=self.feed, original_id=p.row.original_id,
                                     imported_at=self.now, **values))
            else:
                changed = [k for k, v in values.items() if getattr(obj, k) != v]
                if changed:
                    for key in changed:
                        setattr(obj, key, values[key])
                    obj.imported_at = self.now
                    update_fields.update(changed)
                    updated.append(obj)
                else:
                    unchanged += 1
            self.done += 1
            if self.done % 100 == 0 or self.done == self.total:
                self.progress(self.done, self.total)
        model.objects.bulk_create(created, batch_size=_BATCH)
        if updated:
            model.objects.bulk_update(updated, sorted(update_fields | {"imported_at"}),
                                      batch_size=_BATCH)
        seen = {p.row.original_id for p in prepared}
        absent = [obj for oid, obj in existing.items() if oid not in seen]
        absent_count = 0
        if complete and absent:
            absent_count = self._absent(table, model, absent)
        self.report.counts[table] = {
            "in_feed": len(prepared), "created": len(created), "updated": len(updated),
            "unchanged": unchanged, "absent": absent_count}
        self.progress(self.done, self.total)

    def _final_values(self, table: str, p: _Prepared, obj: models.Model | None,
                      flagged: bool) -> dict[str, Any]:
        values = {k: v for k, v in p.values.items() if not k.startswith("__")}
        if table == "attribute":
            values["link_id"] = p.values["__link_uuid__"]
        if table == "organization":
            values["is_placeholder"] = p.row.original_id == PLACEHOLDER_ORGANIZATION
        if table == "service":
            for key in _UPSTREAM_MANAGED:
                if values.get(key) is None and obj is not None:
                    values[key] = getattr(obj, key)
            stored = obj.last_verified if obj is not None else None
            feed_date = values["last_verified"]
            values["last_verified"] = max(d for d in (stored, feed_date) if d is not None) \
                if (stored or feed_date) else None
            if values["provision_type"] is None:
                values["provision_type"] = (obj.provision_type if obj is not None
                                            else directory.Service.ProvisionType.FORMAL)
            if (any(values[k] != getattr(obj, k) for k in _UPSTREAM_MANAGED) if obj is not None
                    else any(values[k] is not None for k in _UPSTREAM_MANAGED)):
                values["capacity_updated_at"] = self.now
        if flagged:
            values["needs_attention"] = bool(p.reasons)
            values["attention_reasons"] = list(p.reasons)
        return values

    def _absent(self, table: str, model: type[models.Model], absent: list) -> int:
        if table not in _KEPT_WHEN_ABSENT:
            ids = [obj.id for obj in absent]
            for obj in absent:
                self.ids[table].pop(obj.original_id, None)
            if table != "attribute":
                directory.Attribute.objects.filter(link_id__in=ids).delete()
            model.objects.filter(id__in=ids).delete()
            return len(absent)
        if table in _FLAGGED_TABLES:
            changed = []
            for obj in absent:
                if obj.attention_reasons != [_ABSENT_REASON]:
                    obj.needs_attention, obj.attention_reasons = True, [_ABSENT_REASON]
                    obj.imported_at = self.now
                    changed.append(obj)
                self.report.attention.append(AttentionItem(
                    table, str(obj.id), obj.original_id, str(getattr(obj, "name", "")),
                    "stored from an earlier import", [_ABSENT_REASON]))
            model.objects.bulk_update(changed, ["needs_attention", "attention_reasons",
                                                "imported_at"], batch_size=_BATCH)
        return len(absent)
