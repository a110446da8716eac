"""How a person's record reads on a page: formatted values and summary-list rows."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from upstream.service.people.models import Person, SafetyFlag
from upstream.service.ui.format import date_time, long_date


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def row(key: str, value: str) -> dict:
    """One NHS.UK summary-list row."""
    return {"key": {"text": key}, "value": {"text": value or "Not recorded"}}


class PersonPresenter:
    """A person's details for display. ``summary_rows`` is what staff see."""

    def __init__(self, person: Person):
        self.person = person

    @property
    def name(self) -> str:
        return f"{self.person.given_name} {self.person.family_name}"

    @property
    def nhs_number(self) -> str:
        return self.person.nhs_number_display

    @property
    def date_of_birth(self) -> str:
        born = self.person.date_of_birth
        return f"{long_date(born)} (aged {age_on(born, timezone.localdate())})"

    @property
    def contact_preference(self) -> str:
        return self.person.get_preferred_channel_display()

    @property
    def language(self) -> str:
        needed = " (needs an interpreter)" if self.person.interpreter_needed else ""
        return f"{self.person.preferred_language}{needed}"

    def summary_rows(self, *, full: bool = False) -> list[dict]:
        """Rows for the person summary; ``full`` adds the rest of the record."""
        p = self.person
        rows = [
            row("NHS number", self.nhs_number),
            row("Date of birth", self.date_of_birth),
            row("Sex", p.get_sex_display()),
            row("Postcode", p.postcode),
            row("Phone", p.phone),
            row("Preferred contact", self.contact_preference),
            row("Text messages allowed", p.get_texts_allowed_display()),
            row("Voicemail allowed", p.get_voicemail_allowed_display()),
            row("Language", self.language),
            row("Accessible information needs", p.accessible_information_needs or "None"),
        ]
        if full:
            rows += [
                row("Gender identity", p.get_gender_identity_display()),
                row("Ethnic category", p.get_ethnic_category_display()),
                row("Address", p.address),
                row("Email", p.email),
                row("GP practice", gp_practice(p)),
                row("Area (LSOA)", p.lsoa_code),
                row("IMD decile", str(p.imd_decile) if p.imd_decile else ""),
                row("Consent to share", "Yes" if p.consent_to_share else "No"),
            ]
            if p.date_of_death:
                rows.append(row("Date of death", long_date(p.date_of_death)))
        return rows


def gp_practice(person: Person) -> str:
    """``Riverside Surgery (A81001)``, either part alone, or empty when neither is recorded."""
    name, code = person.gp_practice_name, person.gp_practice_ods
    if name and code:
        return f"{name} ({code})"
    return name or code


@dataclass(frozen=True)
class FlagRow:
    """One safety flag as the warning callout and the flags page show it."""

    id: int
    kind: str
    note: str
    raised: str
    resolved: str


def flag_rows(flags) -> list[FlagRow]:
    return [FlagRow(
        f.pk, f.get_kind_display(), f.note,
        f"Raised by {f.raised_by.display_name} on {date_time(f.raised_at)}",
        (f"Resolved by {f.resolved_by.display_name if f.resolved_by else 'unknown'} on "
         f"{date_time(f.resolved_at)}" + (f": {f.resolution_note}" if f.resolution_note else ""))
        if f.resolved_at else "",
    ) for f in flags]


def active_flags(person: Person) -> list[FlagRow]:
    """The person's active safety flags (risk, safeguarding, lone working), newest first: shown
    in a warning callout at the top of every staff page about them."""
    return flag_rows(SafetyFlag.objects.filter(person=person).active()
                     .select_related("raised_by"))


def saved_value(person: Person, name: str) -> str:
    """One of ``person``'s fields as the record now reads, for the message that tells a user
    whose save was refused (someone else saved first) what is saved now."""
    value = getattr(person, name)
    if name == "nhs_number":
        return person.nhs_number_display
    if Person._meta.get_field(name).choices:
        return getattr(person, f"get_{name}_display")()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return long_date(value)
    return value or "nothing (blank)"
