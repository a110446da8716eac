"""The data-quality report of a directory import: per field, how many records have a valid,
missing or malformed value, and which records need a person's attention.

``FIELD_CHECKS`` declares which fields are judged and how. A value is *missing* when empty,
*malformed* when present but failing its check (or not storable in its typed column), *valid*
otherwise. Percentages are of the table's records in this import.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from upstream.standards import phone, postcode

# Great Britain, Northern Ireland, the Channel Islands and the Isle of Man, generously.
UK_LATITUDE = (49.0, 61.0)
UK_LONGITUDE = (-8.7, 2.0)
MAXIMUM_AGE = 120
_url = URLValidator(schemes=["http", "https"])
_DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


def _email(value: Any) -> str | None:
    try:
        validate_email(str(value))
    except ValidationError:
        return "not an email address"
    return None


def _web_address(value: Any) -> str | None:
    try:
        _url(str(value))
    except ValidationError:
        return "not a web address starting http:// or https://"
    return None


def _phone_number(value: Any) -> str | None:
    return "not a valid phone number" if phone.validation_error(str(value)) else None


def _postcode(value: Any) -> str | None:
    return None if postcode.is_valid(str(value)) else "not a UK postcode"


def _latitude(value: Any) -> str | None:
    if not -90 <= value <= 90:
        return "not a latitude (-90 to 90)"
    if not UK_LATITUDE[0] <= value <= UK_LATITUDE[1]:
        return "outside the UK (latitude and longitude swapped?)"
    return None


def _longitude(value: Any) -> str | None:
    if not -180 <= value <= 180:
        return "not a longitude (-180 to 180)"
    if not UK_LONGITUDE[0] <= value <= UK_LONGITUDE[1]:
        return "outside the UK (latitude and longitude swapped?)"
    return None


def _age(value: Any) -> str | None:
    return None if 0 <= value <= MAXIMUM_AGE else f"not an age (0 to {MAXIMUM_AGE})"


def _not_future(value: Any) -> str | None:
    day = value.date() if isinstance(value, dt.datetime) else value
    return "in the future" if day > dt.date.today() else None


def _byday(value: Any) -> str | None:
    days = [part.strip().upper().lstrip("+-0123456789") for part in str(value).split(",")]
    return None if all(day in _DAYS for day in days) else "not a list of days like MO,TU"


def _present(value: Any) -> str | None:
    return None


def _amount(value: Any) -> str | None:
    return "negative" if value < 0 else None


#: (table, field) → check of a present, stored value (None when valid, else the problem).
FIELD_CHECKS: dict[tuple[str, str], Callable[[Any], str | None]] = {
    ("organization", "name"): _present,
    ("organization", "description"): _present,
    ("organization", "email"): _email,
    ("organization", "website"): _web_address,
    ("service", "name"): _present,
    ("service", "description"): _present,
    ("service", "organization"): _present,
    ("service", "status"): _present,
    ("service", "email"): _email,
    ("service", "url"): _web_address,
    ("service", "minimum_age"): _age,
    ("service", "maximum_age"): _age,
    ("service", "assured_date"): _not_future,
    ("service", "last_modified"): _not_future,
    ("service", "assurer_email"): _email,
    ("location", "latitude"): _latitude,
    ("location", "longitude"): _longitude,
    ("location", "url"): _web_address,
    ("address", "address_1"): _present,
    ("address", "city"): _present,
    ("address", "postal_code"): _postcode,
    ("contact", "email"): _email,
    ("phone", "number"): _phone_number,
    ("schedule", "byday"): _byday,
    ("schedule", "opens_at"): _present,
    ("schedule", "closes_at"): _present,
    ("schedule", "valid_from"): _present,
    ("schedule", "valid_to"): _present,
    ("schedule", "schedule_link"): _web_address,
    ("cost_option", "amount"): _amount,
}

#: Fields whose absence makes a record need attention (not just a count in the table).
REQUIRED = {("organization", "name"), ("service", "name"), ("service", "organization")}


@dataclass
class FieldCounts:
    valid: int = 0
    missing: int = 0
    malformed: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.valid + self.missing + self.malformed

    def percent(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0


@dataclass
class AttentionItem:
    table: str
    id: str
    original_id: str
    name: str
    where: str
    reasons: list[str]


@dataclass
class QualityReport:
    feed: str
    source: str
    source_format: str
    started_at: dt.datetime
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # table → created, ...
    fields: dict[tuple[str, str], FieldCounts] = field(
        default_factory=lambda: defaultdict(FieldCounts))
    attention: list[AttentionItem] = field(default_factory=list)
    not_imported: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, table: str, field_name: str, status: str, example: str = "") -> None:
        counts = self.fields[(table, field_name)]
        setattr(counts, status, getattr(counts, status) + 1)
        if example and len(counts.examples) < 3:
            counts.examples.append(example)

    def as_dict(self) -> dict:
        return {
            "feed": self.feed,
            "source": self.source,
            "format": self.source_format,
            "imported_at": self.started_at.isoformat(),
            "records": self.counts,
            "fields": [
                {"table": table, "field": name, "records": c.total,
                 "valid": c.valid, "missing": c.missing, "malformed": c.malformed,
                 "valid_percent": c.percent(c.valid), "missing_percent": c.percent(c.missing),
                 "malformed_percent": c.percent(c.malformed), "malformed_examples": c.examples}
                for (table, name), c in sorted(self.fields.items())
            ],
            "needs_attention": [vars(item) for item in self.attention],
            "not_imported": self.not_imported,
            "notes": self.notes,
        }

    def markdown(self) -> str:
        data = self.as_dict()
        lines = [f"# Directory import: {self.feed}", "",
                 f"- Source: `{self.source}` ({self.source_format})",
                 f"- Imported at: {data['imported_at']}", "", "## Records", "",
                 "| Table | In feed | Created | Updated | Unchanged |", "|---|---|---|---|---|"]
        for table, c in self.counts.items():
            lines.append(f"| {table} | {c.get('in_feed', 0)} | {c.get('created', 0)} | "
                         f"{c.get('updated', 0)} | {c.get('unchanged', 0)} |")
        lines += ["", "## Field quality", "",
                  "| Table | Field | Valid | Missing | Malformed | Malformed examples |",
                  "|---|---|---|---|---|---|"]
        for row in data["fields"]:
            examples = "; ".join(_md(e) for e in row["malformed_examples"])
            lines.append(
                f"| {row['table']} | {row['field']} | {row['valid']} ({row['valid_percent']}%) | "
                f"{row['missing']} ({row['missing_percent']}%) | "
                f"{row['malformed']} ({row['malformed_percent']}%) | {examples} |")
        lines += ["", f"## Records that need attention ({len(self.attention)})", ""]
        for item in self.attention:
            label = _md(item.name) or "(no name)"
            lines.append(f"- **{item.table}** {label} (id `{item.id}`, feed id "
                         f"`{_md(item.original_id)}`, {_md(item.where)}): "
                         + "; ".join(_md(r) for r in item.reasons))
        lines += ["", f"## Not imported ({len(self.not_imported)})", ""]
        for item in self.not_imported:
            lines.append(f"- {_md(item['table'])} `{_md(item['original_id'])}` "
                         f"({_md(item['where'])}): {_md(item['reason'])}")
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {_md(note)}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def save(self, folder: Path) -> tuple[Path, Path]:
        """Write ``<feed>-<timestamp>.json`` and ``.md`` into ``folder``; return both paths."""
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{self.feed}-{self.started_at:%Y%m%dT%H%M%S%f}"
        json_path, md_path = folder / f"{stem}.json", folder / f"{stem}.md"
        json_path.write_text(json.dumps(self.as_dict(), indent=2, default=str), encoding="utf-8")
        md_path.write_text(self.markdown(), encoding="utf-8")
        return json_path, md_path


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return " ".join(str(text).split()).replace("|", "\\|")[:200]
