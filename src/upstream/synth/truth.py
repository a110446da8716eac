"""The planted truth: who belongs to each shipped cohort, evaluated independently of the engine.

Plain pandas over one chunk of people at a time (every cohort is a property of one person's own
rows), written for obviousness rather than speed. The semantics, shared with the cohort engine:

- Everyone with ``death_date <= as_of`` is excluded from every cohort; nothing dated after
  ``as_of`` (next-morning ED arrivals, booked appointments) counts.
- Age is whole years at ``as_of``.
- "In the last N months" means a date in ``(as_of - N calendar months, as_of]`` (the 12 months
  to 31 March 2026 start on 1 April 2025). For ED attendances the date is the arrival time's
  date. "ED" means department types 1-2; Westminster's A&E/UEC means every type.
- "6 attendances within < 30 days": among the person's attendances in the last 12 months in
  arrival order, some ``date(arrival[i]) - date(arrival[i-5]) < 30 days`` (calendar dates, as
  the engine compares them).
- Barts heart: "within 70 days after admission" is ``admission_date <= date <=
  admission_date + 70 days``; cardiac rehabilitation "within 84 days" likewise with 84, and its
  admission window "between as_of - 365 and as_of - 84 days" includes both ends.
- Condition codes count when recorded on or before ``as_of``; codes are matched by concept
  (:mod:`upstream.synth.codes`), and long-term conditions are counted as conditions: a SNOMED
  CT code and its ICD-10 twin are one, type 1 and type 2 diabetes are one (diabetes).
- Children and young people: the diseases recorded at any time (not carrier traits), or a
  renal dialysis record in the last 3 months.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from dateutil.relativedelta import relativedelta

from upstream.synth import codes

COHORTS = (
    "ncl_ed_hiu", "nhse_ed_hiu", "westminster_uec_hiu", "kc_primary_care_hiu", "hillingdon_hiu",
    "leicester_crisis", "leicester_multimorbidity", "barts_heart", "barts_yad", "cyp_long_term",
    "cardiac_rehab_not_taken_up", "core20",
)  # fmt: skip


def evaluate(tables: dict[str, pd.DataFrame], as_of: date) -> pd.DataFrame:
    """Columns ``patient_id, cohort``: every member of every cohort among these people."""
    world = _World(tables, as_of)
    rows = [
        pd.DataFrame({"patient_id": sorted(members), "cohort": name})
        for name in COHORTS
        if (members := getattr(world, name)())
    ]
    if not rows:
        return pd.DataFrame({"patient_id": pd.Series(dtype="int64"),
                             "cohort": pd.Series(dtype=str)})
    return pd.concat(rows, ignore_index=True).astype({"patient_id": "int64"})


class _World:
    def __init__(self, tables: dict[str, pd.DataFrame], as_of: date):
        self.as_of = pd.Timestamp(as_of)
        self.t = tables
        people = tables["patients"]
        born = pd.to_datetime(people["birth_date"])
        had_birthday = (born.dt.month < self.as_of.month) | (
            (born.dt.month == self.as_of.month) & (born.dt.day <= self.as_of.day)
        )
        age = self.as_of.year - born.dt.year - (~had_birthday).astype(int)
        died = pd.to_datetime(people["death_date"])
        alive = died.isna() | (died > self.as_of)
        self.age = pd.Series(age.to_numpy(), index=people["patient_id"])[alive.to_numpy()]
        self.imd = pd.Series(people["imd_decile"].to_numpy(), index=people["patient_id"])
        self.practice = pd.Series(people["practice_code"].to_numpy(), index=people["patient_id"])

    # helpers ------------------------------------------------------------------------------------

    def alive_aged(self, low: int = 0, high: int = 200) -> set[int]:
        return set(self.age.index[(self.age >= low) & (self.age <= high)])

    def in_last(self, dates: pd.Series, months: int) -> pd.Series:
        day = pd.to_datetime(dates).dt.normalize()
        return (day > self.as_of - relativedelta(months=months)) & (day <= self.as_of)

    def ed_last_year(self, types: tuple[int, ...] = (1, 2)) -> pd.DataFrame:
        ed = self.t["ed_attendances"]
        return ed[self.in_last(ed["arrival_time"], 12) & ed["department_type"].isin(types)]

    def ed_counts(self, types: tuple[int, ...] = (1, 2)) -> pd.Series:
        return self.ed_last_year(types).groupby("patient_id").size()

    def six_within_30_days(self) -> set[int]:
        ed = self.ed_last_year().sort_values(["patient_id", "arrival_time"])
        days = pd.to_datetime(ed["arrival_time"]).dt.normalize()
        earlier = days.groupby(ed["patient_id"]).shift(5)
        return set(ed["patient_id"][(days - earlier) < pd.Timedelta(days=30)])

    def codes_of(self, wanted: frozenset[str]) -> pd.DataFrame:
        found = self.t["conditions"]
        recorded = pd.to_datetime(found["recorded_date"]) <= self.as_of
        return found[recorded & found["code"].isin(wanted)]

    def ltc_counts(self) -> pd.Series:
        """Distinct long-term conditions (not codes) per person."""
        found = self.codes_of(frozenset(codes.LTC_CONDITION_OF_CODE))
        condition = found["code"].map(codes.LTC_CONDITION_OF_CODE)
        return condition.groupby(found["patient_id"]).nunique()

    def mi_admissions(self) -> pd.DataFrame:
        admitted = self.t["admissions"]
        mi = admitted["primary_diagnosis"].str.startswith(("I21", "I22"))
        return admitted[mi].assign(admission_date=lambda a: pd.to_datetime(a["admission_date"]))

    def events_after(self, admissions: pd.DataFrame, events: pd.DataFrame, column: str,
                     days: int) -> set[int]:
        """Patients with an event dated within ``days`` on or after one of their admissions."""
        pairs = admissions[["patient_id", "admission_date"]].merge(events, on="patient_id")
        when = pd.to_datetime(pairs[column])
        within = (when >= pairs["admission_date"]) & (when <= self.as_of) & (
            when <= pairs["admission_date"] + pd.Timedelta(days=days)
        )
        return set(pairs["patient_id"][within])

    # cohorts ------------------------------------------------------------------------------------

    def ncl_ed_hiu(self) -> set[int]:
        counts = self.ed_counts()
        return self.alive_aged(18) & (set(counts.index[counts > 15]) | self.six_within_30_days())

    def nhse_ed_hiu(self) -> set[int]:
        counts = self.ed_counts()
        return self.alive_aged(18) & (set(counts.index[counts > 20]) | self.six_within_30_days())

    def westminster_uec_hiu(self) -> set[int]:
        counts = self.ed_counts(types=(1, 2, 3))
        return self.alive_aged() & set(counts.index[counts > 5])

    def kc_primary_care_hiu(self) -> set[int]:
        gp = self.t["gp_appointments"]
        recent = gp[self.in_last(gp["appointment_date"], 3) & (gp["status"] == "attended")]
        visits = recent.groupby("patient_id").size()
        ltcs = self.ltc_counts()
        return self.alive_aged(18) & set(visits.index[visits >= 5]) & set(ltcs.index[ltcs >= 2])

    def hillingdon_hiu(self) -> set[int]:
        with_ltc = set(self.ltc_counts().index)
        flagged = set(self.codes_of(codes.LONELINESS_OR_FRAILTY_CODES)["patient_id"])
        counts = self.ed_counts()
        return self.alive_aged(18) & with_ltc & (flagged | set(counts.index[counts >= 3]))

    def leicester_crisis(self) -> set[int]:
        notices = self.t["police_notices"]
        concern = notices[
            notices["mental_health_concern"].astype(bool)
            & self.in_last(notices["notice_date"], 6)
        ]
        at_practices = set(self.practice.index[self.practice.isin(codes.LEICESTER_PRACTICES)])
        return self.alive_aged(18) & at_practices & set(concern["patient_id"])

    def leicester_multimorbidity(self) -> set[int]:
        ltcs = self.ltc_counts()
        return self.alive_aged(18, 64) & set(ltcs.index[ltcs >= 5])

    def barts_heart(self) -> set[int]:
        mi = self.mi_admissions()
        mi = mi[self.in_last(mi["admission_date"], 12)]
        answers = self.t["screening_responses"]
        yes = answers[
            (answers["question_code"] == codes.MAKING_ENDS_MEET) & (answers["answer"] == "yes")
        ]
        outpatients = self.t["outpatient_appointments"]
        missed = outpatients[
            (outpatients["specialty_code"] == codes.CARDIOLOGY)
            & (outpatients["attendance_status"] == "did_not_attend")
        ]
        return self.alive_aged() & (
            self.events_after(mi, yes, "response_date", 70)
            | self.events_after(mi, missed, "appointment_date", 70)
        )

    def barts_yad(self) -> set[int]:
        diabetic = set(self.codes_of(codes.DIABETES_CODES)["patient_id"])
        outpatients = self.t["outpatient_appointments"]
        clinic = outpatients[
            (outpatients["specialty_code"] == codes.DIABETIC_MEDICINE)
            & self.in_last(outpatients["appointment_date"], 12)
        ]
        status = clinic["attendance_status"]
        booked = clinic[status.isin(["attended", "did_not_attend"])]
        n = booked.groupby("patient_id").size()
        did_not_attend = booked["attendance_status"] == "did_not_attend"
        missed = booked[did_not_attend].groupby("patient_id").size()
        rate = missed.reindex(n.index, fill_value=0) / n
        high = set(n.index[(n >= 3) & (rate >= 0.20)])
        return self.alive_aged(16, 25) & diabetic & high

    def cyp_long_term(self) -> set[int]:
        diseases = set(self.codes_of(codes.CYP_CODES)["patient_id"])
        dialysis = self.codes_of(codes.DIALYSIS_CODES)
        current = set(dialysis["patient_id"][self.in_last(dialysis["recorded_date"], 3)])
        return self.alive_aged(11, 18) & (diseases | current)

    def cardiac_rehab_not_taken_up(self) -> set[int]:
        mi = self.mi_admissions()
        window = (mi["admission_date"] >= self.as_of - pd.Timedelta(days=365)) & (
            mi["admission_date"] <= self.as_of - pd.Timedelta(days=84)
        )
        mi = mi[window]
        outpatients = self.t["outpatient_appointments"]
        rehab = outpatients[
            (outpatients["specialty_code"] == codes.CARDIAC_REHABILITATION)
            & (outpatients["attendance_status"] == "attended")
        ]
        pairs = mi[["admission_id", "patient_id", "admission_date"]].merge(
            rehab[["patient_id", "appointment_date"]], on="patient_id", how="left"
        )
        when = pd.to_datetime(pairs["appointment_date"])
        taken_up = (when >= pairs["admission_date"]) & (
            when <= pairs["admission_date"] + pd.Timedelta(days=84)
        )
        admissions_taken_up = set(pairs["admission_id"][taken_up])
        not_taken_up = mi[~mi["admission_id"].isin(admissions_taken_up)]
        return self.alive_aged() & set(not_taken_up["patient_id"])

    def core20(self) -> set[int]:
        deprived = self.imd.index[self.imd.isin([1, 2])]
        return self.alive_aged() & set(deprived)
