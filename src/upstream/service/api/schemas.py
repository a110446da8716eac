"""The shapes the referral intake API accepts and returns (documented in its OpenAPI document).

Input is checked here, before anything reaches the database: lengths match the columns, codes
come from the vocabularies, NHS numbers pass Modulus 11, postcodes are real UK postcodes, phone
numbers are real (``standards.phone``), dates are checked by ``people.dates`` (the same checks
as the web forms), and text holds no control characters (PostgreSQL refuses NUL). Anything that
fails becomes a 422 response naming the field.
"""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)

from upstream.service.people import dates
from upstream.service.people.models import ODS_PRACTICE_CODE, ContactChannel, Permission
from upstream.service.referrals.models import ConsentBy, ReferralSource, Urgency
from upstream.standards import nhs_number, phone, postcode
from upstream.standards.vocabularies import NEEDS, SEX

MAX_ID = 2**63 - 1
"""Largest database id; bigger numbers are refused rather than sent to the database."""

ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
"""No control characters at all (single-line fields)."""
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Tabs and line breaks allowed, no other control characters."""


def _encodable(value: str) -> str:
    """Refuse text that cannot be stored as UTF-8 (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def Text(max_length: int, *, min_length: int = 0, multiline: bool = False):  # noqa: N802
    """A stripped string of at most ``max_length`` characters, without control characters."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=min_length, max_length=max_length,
            pattern=MULTI_LINE if multiline else ONE_LINE,
        ),
        AfterValidator(_encodable),
    ]




def _team_reference(value: object) -> int | str:
    """A team id (a whole number) or a team name (text), checked as one field."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= MAX_ID:
            raise ValueError("a team id is a whole number from 1")
        return value
    if isinstance(value, str):
        name = value.strip()
        if 1 <= len(name) <= 120 and re.fullmatch(ONE_LINE, name):
            return _encodable(name)
    raise ValueError("give the team's id (a number) or its name (1 to 120 characters of text)")


TeamReference = Annotated[
    int | str,
    PlainValidator(_team_reference),
    WithJsonSchema({"anyOf": [
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        {"type": "string", "minLength": 1, "maxLength": 120, "pattern": ONE_LINE},
    ]}),
]
NeedCode = Literal[tuple(NEEDS)]
SexCode = Literal[tuple(SEX)]


class Message(Schema):
    """An error that is not about one field (authentication, permission, not found)."""

    detail: str = Field(examples=["This client may not send referrals to Young adult diabetes."])


class FieldError(Schema):
    field: str = Field(
        description="Dotted path of the field in the request, e.g. 'person.nhs_number'.",
        examples=["person.nhs_number"],
    )
    msg: str = Field(
        description="What is wrong, starting with the field's path.",
        examples=["person.nhs_number: NHS number is not valid: the check digit does not match"],
    )
    type: str = Field(description="Machine-readable error type.", examples=["value_error"])
    loc: list[str | int] = Field(
        description="Where the field is: 'body', 'query' or 'path', then its path.",
        examples=[["body", "person", "nhs_number"]],
    )


class ValidationErrors(Schema):
    """The request was understood but some fields are invalid (HTTP 422)."""

    detail: list[FieldError]


class PersonIn(Schema):
    """The person being referred. If a person with this NHS number is already known to
    Upstream, the referral is attached to them and their record is left as it is."""

    nhs_number: Text(14) | None = Field(
        None, description="10-digit NHS number (spaces allowed), Modulus 11 checked. Leave out "
        "if not known: people without one can still be referred.", examples=["999 000 0018"],
    )
    given_name: Text(100, min_length=1) = Field(examples=["Alex"])
    family_name: Text(100, min_length=1) = Field(examples=["Taylor"])
    date_of_birth: date = Field(
        description=f"ISO date, not in the future, at most {dates.OLDEST_AGE_YEARS} years ago.",
        examples=["1961-04-23"],
    )
    sex: SexCode = Field(
        "U", description="F female, M male, I intersex, U not known.", examples=["F"]
    )
    postcode: Text(10) | None = Field(
        None, description="UK postcode; stored in the form 'SW1A 1AA'.", examples=["E1 1BB"]
    )
    phone: Text(30) = Field(
        "", description="A UK number, or another country's starting with + and its code. "
        "Stored as '07700 900123' (UK) or '+353 85 123 4567'.", examples=["07700 900123"],
    )
    email: Text(254) = Field("", examples=["alex.taylor@example.org"])
    preferred_channel: ContactChannel = Field(
        ContactChannel.PHONE, description="How the person would like to be contacted."
    )
    texts_allowed: Permission = Field(
        Permission.NOT_ASKED, description="Whether the person agreed to text messages."
    )
    voicemail_allowed: Permission = Field(
        Permission.NOT_ASKED, description="Whether a voicemail may be left for the person."
    )
    preferred_language: Text(60, min_length=1) = Field("English", examples=["Bengali"])
    interpreter_needed: bool = False
    accessible_information_needs: Text(300) = Field(
        "", examples=["Large print"], description="e.g. large print, easy read, BSL interpreter"
    )
    consent_to_share: bool = Field(
        False, description="Agreed to share information with their GP and community services."
    )
    gp_practice_name: Text(120) = Field("", examples=["Riverside Surgery"])
    gp_practice_ods: Text(8) = Field(
        "", description="The GP practice's ODS code: a letter then 5 digits.",
        examples=["A81001"],
    )

    @field_validator("nhs_number")
    @classmethod
    def _nhs_number(cls, value: str | None) -> str | None:
        if not value:
            return None
        if problem := nhs_number.validation_error(value):
            raise ValueError(problem)
        return nhs_number.normalise(value)

    @field_validator("date_of_birth")
    @classmethod
    def _date_of_birth(cls, value: date) -> date:
        try:
            return dates.check_date_of_birth(value)
        except DjangoValidationError as problem:
            raise ValueError(problem.messages[0]) from None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not value:
            return ""
        if problem := phone.validation_error(value):
            raise ValueError(problem)
        return phone.normalise(value)

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str | None) -> str:
        if not value:
            return ""
        if not postcode.is_valid(value):
            raise ValueError("enter a real UK postcode, like SW1A 1AA")
        return postcode.normalise(value)

    @field_validator("gp_practice_ods")
    @classmethod
    def _gp_practice_ods(cls, value: str) -> str:
        code = "".join(value.split()).upper()
        if code and not ODS_PRACTICE_CODE.match(code):
            raise ValueError("a GP practice ODS code is a letter followed by 5 numbers, "
                             "like A81001")
        return code

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("enter an email address like name@example.org") from None
        return value


class ParentCarerIn(Schema):
    """A child's parent or carer (required when the person is under 18 on the day of
    referral)."""

    name: Text(160, min_length=1) = Field(examples=["Sam Example"])
    relationship: Text(80, min_length=1) = Field(examples=["Mother"])
    phone: Text(30, min_length=1) = Field(examples=["07700 900123"])
    parental_responsibility: bool = Field(
        description="Whether this person has parental responsibility for the child.")

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        if problem := phone.validation_error(value):
            raise ValueError(problem)
        return phone.normalise(value)


class ReferralIn(Schema):
    """What the person is referred for, to which team, and by whom. For a child (under 18 on
    the day of referral) ``parent_carer``, ``safeguarding_concerns`` (and
    ``safeguarding_details`` when true) and ``consent_by`` are required: without them the
    answer is 422 naming each missing field."""

    team: TeamReference = Field(
        description="The team, by id (number) or exact name (string). It must be one of the "
        "teams this client may refer to (GET /api/v1/teams), otherwise the answer is 403.",
        examples=["Heart Centre social prescribing"],
    )
    source: ReferralSource = Field(
        ReferralSource.PATHWAY_CLINICIAN, description="Where the referral comes from."
    )
    needs: list[NeedCode] = Field(
        min_length=1, max_length=len(NEEDS),
        description="Codes from the needs taxonomy: " + ", ".join(
            f"{code} ({label})" for code, label in NEEDS.items()
        ),
        examples=[["money_debt", "loneliness"]],
    )
    reason: Text(4000, min_length=1, multiline=True) = Field(
        description="The reason for referral: why the referrer thinks the person would benefit.",
        examples=["Three ED attendances this year; lives alone; struggling with bills."],
    )
    parent_carer: ParentCarerIn | None = Field(
        None, description="For a child: their parent or carer. Required under 18.")
    safeguarding_concerns: bool | None = Field(
        None, description="For a child: are there any safeguarding concerns? Required under 18.")
    safeguarding_details: Text(2000, multiline=True) = Field(
        "", description="The safeguarding concerns; required when safeguarding_concerns is true.")
    consent_by: ConsentBy | None = Field(
        None, description="For a child: who agreed to the referral. Required under 18.")
    urgency: Urgency = Urgency.ROUTINE
    consent_given: bool = Field(
        description="The person agreed to be referred. Must be true.",
        json_schema_extra={"enum": [True]}, examples=[True],
    )
    referrer_name: Text(160) = Field("", examples=["Dr Sam Okafor, ACP, Heart Centre"])
    referrer_contact: Text(200) = Field("", examples=["sam.okafor@nhs.net, bleep 4411"])
    external_id: Text(80) = Field(
        "", description="Your own reference for this referral, to find it again later.",
        examples=["EPR-REF-000123"],
    )

    @field_validator("needs")
    @classmethod
    def _distinct_needs(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("consent_given")
    @classmethod
    def _consent(cls, value: bool) -> bool:
        if not value:
            raise ValueError("the person must consent to the referral (consent_given: true)")
        return value


class ReferralSubmission(Schema):
    """A referral: the person and the request."""

    person: PersonIn
    referral: ReferralIn


class ReferralCreated(Schema):
    referral_id: int = Field(examples=[1042])
    status: str = Field(description="Code of the referral's status.", examples=["referred"])
    status_label: str = Field(examples=["Referred, awaiting triage"])


class TeamOut(Schema):
    id: int = Field(examples=[3])
    name: str = Field(examples=["Heart Centre social prescribing"])
    pathway: str = Field(examples=["Heart Centre cardiology"])


class ReferralStatus(Schema):
    """Where a referral has got to. No personal details are returned."""

    referral_id: int
    external_id: str = Field(description="The reference given when the referral was posted.")
    team: TeamOut
    received_at: datetime
    status: str | None = Field(
        description="Code of the status of the episode this referral opened, e.g. referred, "
        "waiting, engaged, closed. A referral that joined support already under way for the "
        "person reports only its own triage decision: status is 'referred' until then and "
        "null after.",
        examples=["waiting"],
    )
    status_label: str | None = Field(examples=["On waiting list"])
    status_reason: str = Field(
        description="Why the episode last changed status, if given.",
        examples=["accepted, awaiting allocation"],
    )
    triage_outcome: str | None = Field(
        description="accept, reject or redirect; null until triaged.", examples=["accept"]
    )
    triage_outcome_label: str | None = Field(examples=["Accept"])
    reject_reason: str | None = Field(
        description="Why the referral was not accepted, when rejected.", examples=[None]
    )
    reject_reason_label: str | None = Field(examples=[None])
    reject_detail: str | None = Field(
        None, description="The reason in words when rejected as 'other'.", examples=[None])
    redirected_to: str | None = Field(description="The team it was redirected to, if any.")
    triaged_at: datetime | None
    episode_opened_at: datetime | None
    episode_closed_at: datetime | None


class ReferralPage(Schema):
    count: int = Field(description="How many referrals match, in all pages.")
    items: list[ReferralStatus]


class ReferralFilter(Schema):
    external_id: Text(80) | None = Field(
        None, description="Only referrals posted with this reference.", examples=["EPR-REF-000123"]
    )
    limit: int = Field(50, ge=1, le=200, description="Most referrals to return.")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many to skip (newest first).")
