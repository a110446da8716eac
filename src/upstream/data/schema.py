"""The population data contract: every table, column, type and constraint case finding relies on.

Each table is a class whose docstring describes it and whose attributes are :class:`Column`
declarations; the data dictionary (``docs/data-dictionary.md``) is generated from these, and
validation (:mod:`upstream.data.validation`) checks sources against them. Column types are
contract types, not engine types: ``int`` columns accept any integer width, for example.

A source holds one table per class, named as the class (``patients``, ``ed_attendances``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from upstream.standards import vocabularies

ColumnType = Literal["int64", "int8", "string", "date", "timestamp", "bool"]

BOOKED = "booked"
"""The status of an appointment not yet held: a booking, not something that happened."""

DEPARTMENT_TYPES = (1, 2, 3)
"""ECDS department types: 1 major ED, 2 single-specialty ED, 3 UTC, minor injury unit or walk-in
centre."""

WRITTEN_AS: dict[str, str] = {
    "int64": "whole numbers, e.g. `42`",
    "int8": "whole numbers, e.g. `3`",
    "string": "text",
    "date": "YYYY-MM-DD, e.g. `2024-01-31` (not `31/01/2024`)",
    "timestamp": "YYYY-MM-DD HH:MM:SS, e.g. `2024-01-31 14:05:00` (seconds may be left out)",
    "bool": "`true` or `false`",
}
"""How a value of each column type is written in a CSV file: the dictionary's rule, quoted by
validation when a value does not follow it."""

CSV_ENCODING = "UTF-8"
"""The character encoding of CSV files (a byte order mark is allowed)."""

ETHNIC_CATEGORIES = tuple(vocabularies.ETHNIC_CATEGORIES)
SEXES = tuple(vocabularies.SEX)


@dataclass
class Column:
    """One typed column of the contract, with its constraints.

    ``allowed`` lists the only permitted values; ``minimum``/``maximum`` bound integers;
    ``references`` names the ``table.column`` every value must exist in; ``not_future`` means
    a date after the as-of date is read as not yet happened (an event is ignored, a death or
    discharge has not occurred), counted and reported, so an extract with booked appointments,
    or a run at an earlier as-of, still works; ``not_before``
    names a column of the same row this date must not precede; ``nhs_number`` means a 10-digit
    number passing Modulus 11; ``optional`` means a source may leave the column out altogether
    (validation warns; what needs it cannot be measured), so a column added to the contract
    later does not break extracts made before it.
    """

    type: ColumnType
    description: str
    nullable: bool = False
    unique: bool = False
    allowed: tuple[str | int, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    references: str | None = None
    not_future: bool = False
    not_before: str | None = None
    nhs_number: bool = False
    optional: bool = False
    name: str = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def constraints(self) -> list[str]:
        """The constraints in words, for the data dictionary."""
        words = ["may be empty" if self.nullable else "required"]
        if self.optional:
            words.append("the column may be left out")
        if self.unique:
            words.append("unique")
        if self.allowed is not None:
            words.append("one of " + ", ".join(f"`{value}`" for value in self.allowed))
        if self.minimum is not None or self.maximum is not None:
            words.append(f"from {self.minimum} to {self.maximum}")
        if self.references:
            words.append(f"must exist in `{self.references}`")
        if self.nhs_number:
            words.append("10 digits passing the Modulus 11 check")
        if self.not_future:
            words.append("a date after the as-of date has not happened yet at that date")
        if self.not_before:
            words.append(f"not before `{self.not_before}`")
        return words


class Table:
    """Base of the contract's tables; subclasses register themselves in :data:`TABLES`."""

    name: ClassVar[str]
    required: ClassVar[bool] = False
    columns: ClassVar[dict[str, Column]]

    def __init_subclass__(cls, required: bool = False, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = cls.__name__
        cls.required = required
        cls.columns = {k: v for k, v in vars(cls).items() if isinstance(v, Column)}
        TABLES[cls.name] = cls

    @classmethod
    def id_column(cls) -> Column | None:
        """The table's unique identifier column."""
        return next((column for column in cls.columns.values() if column.unique), None)


TABLES: dict[str, type[Table]] = {}

_PATIENT = "patients.patient_id"


class patients(Table, required=True):
    """One row per person in the population: who they are and where they are registered."""

    patient_id = Column(
        "int64", "Pseudonymous identifier for the person, used to link every other table.",
        unique=True,
    )
    nhs_number = Column(
        "string", "NHS number, ten digits without spaces; empty where not shared.",
        nullable=True, nhs_number=True,
    )
    birth_date = Column("date", "Date of birth.", not_future=True)
    sex = Column(
        "string", "Sex: " + ", ".join(f"{code} {label.lower()}"
                                      for code, label in vocabularies.SEX.items()) + ".",
        allowed=SEXES,
    )
    ethnic_category = Column(
        "string", "NHS ethnic category code (A to S, Z not stated, 99 not known).",
        allowed=ETHNIC_CATEGORIES,
    )
    lsoa_code = Column("string", "Lower layer super output area of residence (2011 or 2021 code).")
    imd_decile = Column(
        "int8", "Index of Multiple Deprivation decile of the LSOA: 1 most deprived, 10 least; "
        "empty where the LSOA is outside England.",
        nullable=True, minimum=1, maximum=10,
    )
    practice_code = Column("string", "ODS code of the registered GP practice, e.g. `C82001`.")
    death_date = Column(
        "date", "Date of death; empty while alive.",
        nullable=True, not_future=True, not_before="birth_date",
    )


class ed_attendances(Table):
    """One row per attendance at an emergency department or urgent care service (ECDS).

    "ED" cohorts count department types 1-2 (emergency departments); "urgent and emergency
    care" (A&E/UEC) cohorts count all types; each cohort's ``department_types`` parameter says
    which."""

    attendance_id = Column("int64", "Identifier of the attendance.", unique=True)
    patient_id = Column("int64", "The person attending.", references=_PATIENT)
    arrival_time = Column("timestamp", "Date and time of arrival.", not_future=True)
    site_code = Column("string", "ODS site code of the department.")
    department_type = Column(
        "int8", "ECDS department type: 1 major emergency department (consultant-led, 24 hours), "
        "2 single-specialty emergency department (e.g. eye, dental), 3 urgent treatment centre, "
        "minor injury unit or walk-in centre (former type 4 walk-in centres are recorded as 3).",
        allowed=DEPARTMENT_TYPES,
    )
    acuity = Column(
        "int8", "Triage acuity, 1 most urgent (immediate) to 5 least (non-urgent).",
        nullable=True, minimum=1, maximum=5,
    )
    discharge_destination = Column(
        "string", "Where the person went next, e.g. `home`, `admitted`, `transferred`.",
    )


class admissions(Table):
    """One row per hospital inpatient admission (spell)."""

    admission_id = Column("int64", "Identifier of the admission.", unique=True)
    patient_id = Column("int64", "The person admitted.", references=_PATIENT)
    admission_date = Column("date", "Date of admission.", not_future=True)
    discharge_date = Column(
        "date", "Date of discharge; empty while still in hospital.",
        nullable=True, not_future=True, not_before="admission_date",
    )
    admission_method = Column(
        "string", "How the person was admitted.", allowed=("emergency", "elective"),
    )
    primary_diagnosis = Column(
        "string", "Primary diagnosis, ICD-10 with a dot, e.g. `I21.9`.",
    )
    discharge_ready_date = Column(
        "date", "Discharge ready date: the day the person no longer met the criteria to reside "
        "in hospital (NHS England's Discharge Ready Date, recorded for stays of a night or "
        "more since April 2023); a discharge after it is a delayed discharge. Empty where not "
        "recorded.",
        nullable=True, not_future=True, not_before="admission_date", optional=True,
    )


class outpatient_appointments(Table):
    """One row per booked hospital outpatient appointment."""

    appointment_id = Column("int64", "Identifier of the appointment.", unique=True)
    patient_id = Column("int64", "The person booked.", references=_PATIENT)
    appointment_date = Column("date", "Date of the appointment.", not_future=True)
    specialty_code = Column(
        "string", "NHS treatment function code, e.g. `320` cardiology, `307` diabetic medicine, "
        "`327` cardiac rehabilitation.",
    )
    attendance_status = Column(
        "string", "What happened; `booked` for an appointment not yet held (e.g. dated after "
        "the as-of date).", allowed=("attended", "did_not_attend", "cancelled", BOOKED),
    )


class gp_appointments(Table):
    """One row per booked appointment in general practice."""

    appointment_id = Column("int64", "Identifier of the appointment.", unique=True)
    patient_id = Column("int64", "The person booked.", references=_PATIENT)
    appointment_date = Column("date", "Date of the appointment.", not_future=True)
    status = Column(
        "string", "What happened; `booked` for an appointment not yet held.",
        allowed=("attended", "did_not_attend", BOOKED),
    )


class conditions(Table):
    """One row per coded condition or finding recorded for a person (e.g. long-term conditions,
    frailty, loneliness); codes are matched against the codelists of the cohort definitions."""

    condition_id = Column("int64", "Identifier of the record.", unique=True)
    patient_id = Column("int64", "The person.", references=_PATIENT)
    code = Column("string", "The code, e.g. SNOMED CT `38341003` or ICD-10 `I10`.")
    code_system = Column("string", "The coding system of `code`.", allowed=("snomed", "icd10"))
    recorded_date = Column("date", "Date the code was recorded.", not_future=True)


class screening_responses(Table):
    """One row per answer to a screening question, e.g. 'difficulty making ends meet' asked
    1, 4 and 8 weeks after a myocardial infarction."""

    response_id = Column("int64", "Identifier of the response.", unique=True)
    patient_id = Column("int64", "The person answering.", references=_PATIENT)
    response_date = Column("date", "Date the question was answered.", not_future=True)
    question_code = Column("string", "The question, e.g. `making_ends_meet`.")
    answer = Column("string", "The answer.", allowed=("yes", "no"))


class police_notices(Table):
    """One row per police welfare notice (public protection notice) shared about a person."""

    notice_id = Column("int64", "Identifier of the notice.", unique=True)
    patient_id = Column("int64", "The person the notice is about.", references=_PATIENT)
    notice_date = Column("date", "Date of the notice.", not_future=True)
    mental_health_concern = Column("bool", "Whether the notice records a mental health concern.")


LONG_TERM_SUPPORT = ("Long Term Support: Nursing Care", "Long Term Support: Residential Care",
                     "Long Term Support: Community", "Long Term Support: Prison")
"""The ASC-CLD service types of long-term support (the rest are short-term support)."""
SERVICE_TYPES = (*LONG_TERM_SUPPORT, "Short Term Support: ST-Max",
                 "Short Term Support: Ongoing Low Level", "Short Term Support: Other Short Term")
"""The ASC-CLD defined list of service types."""
SOCIAL_CARE_EVENT_TYPES = ("Request", "Assessment", "Service", "Review")


class social_care_events(Table):
    """One row per adult social care event about a person, shaped like the Adult Social Care
    Client Level Data (ASC-CLD) return that local authorities make to NHS England each quarter
    (it replaced the SALT return in 2024/25): requests for support, assessments, services and
    reviews, each with a start and end date. Column names mirror the CLD fields (`LA_Code`,
    `Client_Type`, `Event_Type`, `Event_Start_Date`, `Event_End_Date`, `Event_Outcome`,
    `Service_Type`, `Service_Component`, `Primary_Support_Reason`) in lower case, and the
    event and service types keep the CLD defined lists' wording, so an extract loads without
    recoding. The CLD person identifiers (pseudonymised NHS number or the local authority's
    person id) are linked to `patient_id` before loading.

    A *start of long-term support* is a `Service` event of a long-term service type
    (`Long Term Support: ...`) beginning when the person had no long-term support service in
    the previous 7 days (package changes and re-recorded services are one spell, as the CLD
    transformations cluster events). Only `Service` events may be open (no end date).

    Sources: NHS England, ASC-CLD SALT and ASCOF transformation code
    (github.com/NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations: the field names
    and the service type list); DHSC, "Adult social care activity report 2024 to 2025:
    methodology" (gov.uk, October 2025)."""

    event_id = Column("int64", "Identifier of the event (CLD Event Reference).", unique=True)
    patient_id = Column("int64", "The person the event is about.", references=_PATIENT)
    la_code = Column("string", "The local authority's code (CLD `LA_Code`), e.g. `E06000060`.")
    client_type = Column(
        "string", "CLD `Client_Type`, e.g. `Service User`; carers' events say `Carer`.",
    )
    event_type = Column(
        "string", "CLD `Event_Type`: what the event is.", allowed=SOCIAL_CARE_EVENT_TYPES,
    )
    event_start_date = Column("date", "CLD `Event_Start_Date`.", not_future=True)
    event_end_date = Column(
        "date", "CLD `Event_End_Date`; empty while a service is open (ongoing).",
        nullable=True, not_future=True, not_before="event_start_date",
    )
    event_outcome = Column(
        "string", "CLD `Event_Outcome`, e.g. `Progress to Assessment`, `NFA - Deceased`; empty "
        "while open.", nullable=True,
    )
    service_type = Column(
        "string", "CLD `Service_Type` of a `Service` event (empty for other events).",
        nullable=True, allowed=SERVICE_TYPES,
    )
    service_component = Column(
        "string", "CLD `Service_Component` of a `Service` event, e.g. `Community supported "
        "living`, `Extra care housing`, `Shared Lives`.", nullable=True,
    )
    primary_support_reason = Column(
        "string", "CLD `Primary_Support_Reason`, e.g. `Learning Disability Support`.",
        nullable=True,
    )


EVENT_TABLES: dict[str, tuple[str, str]] = {
    "ed_attendances": ("arrival_time", "ED attendance"),
    "admissions": ("admission_date", "admission"),
    "outpatient_appointments": ("appointment_date", "outpatient appointment"),
    "gp_appointments": ("appointment_date", "GP appointment"),
    "conditions": ("recorded_date", "condition code"),
    "screening_responses": ("response_date", "screening response"),
    "police_notices": ("notice_date", "police notice"),
}
"""The contract's event tables (one row per dated event about a person): the column dating each
row, and what one row is called (singular, as reasons use it). Declared once, here."""
