"""Planted people: hand-made members and near misses at every cohort boundary.

They take the first patient ids of every synthetic world, have only the activity written here,
and each carries an expectation (:class:`Expectation`) that tests check against the truth and
the cohort engine: exactly 15 ED attendances (not NCL) against 16 (NCL), six attendances spanning
exactly 30 days against 29, ages 17 and 18, a diabetes clinic DNA rate just under 20 %, and so on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from upstream.synth import codes


@dataclass(frozen=True)
class Expectation:
    """Whether planted person ``patient_id`` belongs to ``cohort``, and why."""

    patient_id: int
    cohort: str
    member: bool
    why: str


class _Plot:
    """Builds planted rows relative to the as-of date (``days_ago`` counts back from it)."""

    def __init__(self, as_of: date):
        self.as_of = as_of
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.expectations: list[Expectation] = []

    def day(self, days_ago: int) -> date:
        """The date ``days_ago`` days before as_of (negative: after it)."""
        return self.as_of - timedelta(days=days_ago)

    def months_back(self, months: int) -> int:
        """Days ago of the first day of the last ``months`` calendar months (e.g. 364 for 12
        months to 31 March 2026, whose first day is 1 April 2025)."""
        first = self.as_of - relativedelta(months=months) + timedelta(days=1)
        return (self.as_of - first).days

    def born(self, age: int, birthday_in_days: int) -> date:
        """Birth date making the person ``age`` at as_of, with the next birthday that many days
        after as_of (0: the birthday is as_of itself, so they have just turned ``age``)."""
        birthday = self.as_of + timedelta(days=birthday_in_days)
        try:
            return birthday.replace(year=birthday.year - age - (1 if birthday_in_days else 0))
        except ValueError:  # 29 February
            return birthday.replace(year=birthday.year - age, day=28)

    def person(self, *, age: int = 40, birthday_in_days: int = 100, imd: int | None = 5,
               practice: str = "E83001", sex: str = "F", died_days_ago: int | None = None) -> int:
        patient_id = len(self.rows["patients"]) + 1
        self.rows["patients"].append({
            "patient_id": patient_id,
            "birth_date": self.born(age, birthday_in_days),
            "sex": sex, "ethnic_category": "A", "lsoa_code": "E01000001", "imd_decile": imd,
            "practice_code": practice,
            "death_date": None if died_days_ago is None else self.day(died_days_ago),
        })  # fmt: skip
        return patient_id

    def expect(self, patient_id: int, cohort: str, member: bool, why: str) -> None:
        self.expectations.append(Expectation(patient_id, cohort, member, why))

    def ed(self, patient_id: int, *days_ago: int, at: time = time(12, 0),
           department_type: int = 1) -> None:
        for days in days_ago:
            self.rows["ed_attendances"].append({
                "patient_id": patient_id, "arrival_time": datetime.combine(self.day(days), at),
                "site_code": "RAL01" if department_type < 3 else "RAL26",
                "department_type": department_type, "acuity": 3, "discharge_destination": "home",
            })  # fmt: skip

    def gp(self, patient_id: int, *days_ago: int, status: str = "attended") -> None:
        for days in days_ago:
            self.rows["gp_appointments"].append(
                {"patient_id": patient_id, "appointment_date": self.day(days), "status": status}
            )

    def conditions(self, patient_id: int, *concepts: str, days_ago: int = 400) -> None:
        for concept in concepts:
            self.coded(patient_id, codes.CODES[concept], "snomed", days_ago)

    def coded(self, patient_id: int, code: str, system: str, days_ago: int = 400) -> None:
        self.rows["conditions"].append({
            "patient_id": patient_id, "code": code, "code_system": system,
            "recorded_date": self.day(days_ago),
        })  # fmt: skip

    def admission(self, patient_id: int, days_ago: int, diagnosis: str = "I21.4") -> int:
        self.rows["admissions"].append({
            "patient_id": patient_id, "admission_date": self.day(days_ago),
            "discharge_date": self.day(max(days_ago - 3, 0)), "admission_method": "emergency",
            "primary_diagnosis": diagnosis,
        })  # fmt: skip
        return days_ago

    def outpatient(self, patient_id: int, days_ago: int, specialty: str, status: str,
                   times: int = 1) -> None:
        for _ in range(times):
            self.rows["outpatient_appointments"].append({
                "patient_id": patient_id, "appointment_date": self.day(days_ago),
                "specialty_code": specialty, "attendance_status": status,
            })  # fmt: skip

    def screening(self, patient_id: int, days_ago: int, answer: str) -> None:
        self.rows["screening_responses"].append({
            "patient_id": patient_id, "response_date": self.day(days_ago),
            "question_code": codes.MAKING_ENDS_MEET, "answer": answer,
        })  # fmt: skip

    def police(self, patient_id: int, days_ago: int, concern: bool = True) -> None:
        self.rows["police_notices"].append({
            "patient_id": patient_id, "notice_date": self.day(days_ago),
            "mental_health_concern": concern,
        })  # fmt: skip


def plant(as_of: date) -> tuple[dict[str, list[dict]], list[Expectation]]:
    """Rows per table (without event ids) and the expectations for every planted person."""
    w = _Plot(as_of)
    _ed_high_intensity_use(w)
    _primary_care(w)
    _hillingdon(w)
    _leicester(w)
    _barts_heart(w)
    _young_adult_diabetes(w)
    _children_and_young_people(w)
    _cardiac_rehabilitation(w)
    _core20(w)
    return dict(w.rows), w.expectations


def _spread(count: int, every: int, first: int = 1) -> list[int]:
    return [first + every * k for k in range(count)]


def _ed_high_intensity_use(w: _Plot) -> None:
    p = w.person()
    w.ed(p, *_spread(15, 24))
    w.expect(p, "ncl_ed_hiu", False, "exactly 15 attendances in 12 months, none close together")
    w.expect(p, "westminster_uec_hiu", True, "15 attendances in 12 months")
    p = w.person()
    w.ed(p, *_spread(16, 22))
    w.expect(p, "ncl_ed_hiu", True, "16 attendances in 12 months")
    p = w.person()
    w.ed(p, *_spread(20, 18))
    w.expect(p, "nhse_ed_hiu", False, "exactly 20 attendances in 12 months")
    w.expect(p, "ncl_ed_hiu", True, "20 attendances in 12 months")
    p = w.person()
    w.ed(p, *_spread(21, 17))
    w.expect(p, "nhse_ed_hiu", True, "21 attendances in 12 months")
    p = w.person()
    w.ed(p, 100, 94, 88, 82, 76, 70)
    w.expect(p, "ncl_ed_hiu", False, "6 attendances spanning exactly 30 days")
    w.expect(p, "nhse_ed_hiu", False, "6 attendances spanning exactly 30 days")
    w.expect(p, "westminster_uec_hiu", True, "6 attendances in 12 months")
    p = w.person()
    w.ed(p, 100, 95, 90, 85, 80, 71)
    w.expect(p, "ncl_ed_hiu", True, "6 attendances spanning 29 days")
    w.expect(p, "nhse_ed_hiu", True, "6 attendances spanning 29 days")
    p = w.person(age=17, birthday_in_days=1)
    w.ed(p, *_spread(16, 22))
    w.expect(p, "ncl_ed_hiu", False, "16 attendances but aged 17 (18 tomorrow)")
    w.expect(p, "westminster_uec_hiu", True, "16 attendances, any age")
    p = w.person(age=18, birthday_in_days=0)
    w.ed(p, *_spread(16, 22))
    w.expect(p, "ncl_ed_hiu", True, "16 attendances, turned 18 on the as-of date")
    year = w.months_back(12)
    p = w.person()
    w.ed(p, year + 1, 300, 250, 200, 150, 100)
    w.expect(p, "westminster_uec_hiu", False, "6 attendances but one the day before 12 months")
    p = w.person()
    w.ed(p, year, 300, 250, 200, 150, 100)
    w.expect(p, "westminster_uec_hiu", True, "6 attendances, the first on 12 months' first day")
    p = w.person()
    w.ed(p, 0, 50, 100, 150, 200, 250, at=time(23, 59))
    w.expect(p, "westminster_uec_hiu", True, "6 attendances, one late on the as-of date")
    p = w.person(died_days_ago=10)
    w.ed(p, *_spread(16, 20, first=11))
    w.expect(p, "ncl_ed_hiu", False, "16 attendances but died 10 days ago")
    w.expect(p, "westminster_uec_hiu", False, "16 attendances but died 10 days ago")
    # Department types: ED cohorts count types 1-2, Westminster's A&E/UEC every type.
    p = w.person()
    w.ed(p, *_spread(14, 22))
    w.ed(p, 5, 160, department_type=3)
    w.expect(p, "ncl_ed_hiu", False, "16 attendances, 2 of them at an urgent treatment centre")
    w.expect(p, "westminster_uec_hiu", True, "16 attendances at any department type")
    p = w.person()
    w.ed(p, *_spread(15, 22))
    w.ed(p, 200, department_type=2)
    w.expect(p, "ncl_ed_hiu", True, "16 attendances, one at a single-specialty ED (type 2)")
    p = w.person()
    w.ed(p, 100, 97, 94, 91, 88, 85, department_type=3)
    w.expect(p, "ncl_ed_hiu", False, "6 walk-in centre visits within 15 days, no ED")
    w.expect(p, "nhse_ed_hiu", False, "6 walk-in centre visits within 15 days, no ED")
    w.expect(p, "westminster_uec_hiu", True, "6 walk-in centre visits")
    # Rows after the as-of date are not seen.
    p = w.person()
    w.ed(p, *_spread(15, 24))
    w.ed(p, -1, at=time(2, 0))
    w.expect(p, "ncl_ed_hiu", False, "15 attendances, and a 16th early on the next morning")


def _primary_care(w: _Plot) -> None:
    two_ltcs = ("hypertension", "asthma")
    first = w.months_back(3)
    p = w.person(age=50)
    w.conditions(p, *two_ltcs)
    w.gp(p, 0, 20, 40, 60, first)
    w.expect(p, "kc_primary_care_hiu", True, "5 GP attendances in 3 months (one on the first day)")
    p = w.person(age=50)
    w.conditions(p, *two_ltcs)
    w.gp(p, 0, 20, 40, 60, first + 1)
    w.expect(p, "kc_primary_care_hiu", False, "one of 5 GP attendances the day before 3 months")
    p = w.person(age=50)
    w.conditions(p, "type_1_diabetes", "type_2_diabetes")
    w.gp(p, 0, 20, 40, 60, 80)
    w.expect(p, "kc_primary_care_hiu", False, "type 1 and type 2 diabetes codes: 1 condition")
    p = w.person(age=50)
    w.conditions(p, "hypertension", "asthma")
    w.gp(p, 0, 20, 40, 60)
    w.gp(p, -5, -10, status="booked")
    w.expect(p, "kc_primary_care_hiu", False, "4 GP attendances and 2 booked after the as-of date")
    p = w.person(age=50)
    w.conditions(p, *two_ltcs)
    w.gp(p, 0, 20, 40, 60)
    w.gp(p, 80, status="did_not_attend")
    w.expect(p, "kc_primary_care_hiu", False, "4 attended and 1 missed GP appointment")
    p = w.person(age=50)
    w.conditions(p, "hypertension")
    w.gp(p, 0, 20, 40, 60, 80)
    w.expect(p, "kc_primary_care_hiu", False, "5 GP attendances but 1 long-term condition")
    p = w.person(age=17, birthday_in_days=1)
    w.conditions(p, *two_ltcs)
    w.gp(p, 0, 20, 40, 60, 80)
    w.expect(p, "kc_primary_care_hiu", False, "aged 17")


def _hillingdon(w: _Plot) -> None:
    p = w.person(age=70)
    w.conditions(p, "hypertension", "frailty")
    w.expect(p, "hillingdon_hiu", True, "a long-term condition and frailty")
    p = w.person(age=50)
    w.conditions(p, "asthma", "loneliness")
    w.expect(p, "hillingdon_hiu", True, "a long-term condition and loneliness")
    p = w.person(age=50)
    w.conditions(p, "asthma")
    w.ed(p, 10, 100, 200)
    w.expect(p, "hillingdon_hiu", True, "a long-term condition and 3 ED attendances")
    p = w.person(age=50)
    w.conditions(p, "asthma")
    w.ed(p, 10, 100)
    w.expect(p, "hillingdon_hiu", False, "a long-term condition and 2 ED attendances")
    p = w.person(age=80)
    w.conditions(p, "frailty")
    w.ed(p, 10, 100, 200)
    w.expect(p, "hillingdon_hiu", False, "frailty and 3 ED attendances but no long-term condition")
    p = w.person(age=50)
    w.conditions(p, "asthma")
    w.ed(p, 10, 100, w.months_back(12) + 1)
    w.expect(p, "hillingdon_hiu", False, "of 3 ED attendances one is the day before 12 months")
    p = w.person(age=50)
    w.conditions(p, "asthma")
    w.ed(p, 10, 100, 200, department_type=3)
    w.expect(p, "hillingdon_hiu", False, "a long-term condition and 3 urgent care visits, no ED")


def _leicester(w: _Plot) -> None:
    first, second, third = codes.LEICESTER_PRACTICES
    half_year = w.months_back(6)
    p = w.person(practice=first)
    w.police(p, half_year)
    w.expect(p, "leicester_crisis", True, "mental health notice on 6 months' first day")
    p = w.person(practice=second)
    w.police(p, half_year + 1)
    w.expect(p, "leicester_crisis", False, "mental health notice the day before 6 months")
    p = w.person(practice="C82004")
    w.police(p, 10)
    w.expect(p, "leicester_crisis", False, "registered at a practice not chosen")
    p = w.person(practice=third)
    w.police(p, 10, concern=False)
    w.expect(p, "leicester_crisis", False, "notice without a mental health concern")
    p = w.person(practice=third, age=17, birthday_in_days=1)
    w.police(p, 10)
    w.expect(p, "leicester_crisis", False, "aged 17")
    five = ("hypertension", "asthma", "copd", "depression", "osteoarthritis")
    p = w.person(age=64, birthday_in_days=1)
    w.conditions(p, *five)
    w.expect(p, "leicester_multimorbidity", True, "5 long-term conditions, aged 64")
    p = w.person(age=65, birthday_in_days=0)
    w.conditions(p, *five)
    w.expect(p, "leicester_multimorbidity", False, "5 long-term conditions, turned 65 today")
    p = w.person(age=18, birthday_in_days=0)
    w.conditions(p, *five)
    w.expect(p, "leicester_multimorbidity", True, "5 long-term conditions, turned 18 today")
    p = w.person()
    w.conditions(p, *five[:4], "loneliness", "frailty")
    w.expect(p, "leicester_multimorbidity", False, "4 long-term conditions plus other codes")
    p = w.person()
    w.conditions(p, *five[:4], "hypertension")
    w.expect(p, "leicester_multimorbidity", False, "5 records of 4 distinct conditions")
    p = w.person()
    w.conditions(p, *five[:4])
    for concept in five[:4]:
        w.coded(p, codes.ICD10_TWINS[concept], "icd10", days_ago=100)
    w.expect(p, "leicester_multimorbidity", False, "4 conditions, each also coded in ICD-10")
    p = w.person()
    w.conditions(p, *five[:4])
    w.coded(p, codes.ICD10_TWINS["osteoarthritis"], "icd10", days_ago=100)
    w.expect(p, "leicester_multimorbidity", True, "4 conditions and a fifth coded in ICD-10")
    p = w.person()
    w.conditions(p, *five[:3], "type_1_diabetes", "type_2_diabetes")
    w.expect(p, "leicester_multimorbidity", False, "type 1 and type 2 diabetes: 4 conditions")
    p = w.person()
    w.conditions(p, *five[:4])
    w.conditions(p, "heart_failure", days_ago=-1)
    w.expect(p, "leicester_multimorbidity", False, "a fifth condition recorded after as-of")


def _barts_heart(w: _Plot) -> None:
    cohort = "barts_heart"
    p = w.person(age=60)
    w.admission(p, 100)
    w.screening(p, 100 - 56, "yes")
    w.expect(p, cohort, True, "MI, 'yes' at 8 weeks")
    p = w.person(age=60)
    w.admission(p, 200)
    w.screening(p, 200 - 70, "yes")
    w.expect(p, cohort, True, "MI, 'yes' 70 days after")
    p = w.person(age=60)
    w.admission(p, 200)
    w.screening(p, 200 - 71, "yes")
    w.expect(p, cohort, False, "MI, 'yes' 71 days after")
    p = w.person(age=60)
    w.admission(p, 100)
    for weeks in (1, 4, 8):
        w.screening(p, 100 - 7 * weeks, "no")
    w.expect(p, cohort, False, "MI, 'no' at 1, 4 and 8 weeks")
    p = w.person(age=60)
    w.admission(p, 100)
    w.outpatient(p, 70, codes.CARDIOLOGY, "did_not_attend")
    w.expect(p, cohort, True, "MI, missed cardiology appointment")
    p = w.person(age=60)
    w.admission(p, 100)
    w.outpatient(p, 70, codes.CARDIOLOGY, "cancelled")
    w.expect(p, cohort, False, "MI, cancelled cardiology appointment")
    year = w.months_back(12)
    p = w.person(age=60)
    w.admission(p, year + 1)
    w.screening(p, year - 6, "yes")
    w.expect(p, cohort, False, "MI the day before 12 months")
    p = w.person(age=60)
    w.admission(p, year)
    w.screening(p, year - 7, "yes")
    w.expect(p, cohort, True, "MI on 12 months' first day, 'yes' at 1 week")
    p = w.person(age=60)
    w.admission(p, 10)
    w.screening(p, -1, "yes")
    w.expect(p, cohort, False, "MI 10 days ago, 'yes' dated after the as-of date")
    p = w.person(age=60)
    w.admission(p, 200, diagnosis="I22.9")
    w.screening(p, 172, "yes")
    w.expect(p, cohort, True, "subsequent MI (I22), 'yes' at 4 weeks")
    p = w.person(age=60)
    w.admission(p, 100, diagnosis="I20.9")
    w.screening(p, 93, "yes")
    w.expect(p, cohort, False, "angina (I20), not MI")
    p = w.person(age=60)
    w.admission(p, 100)
    w.screening(p, 101, "yes")
    w.expect(p, cohort, False, "'yes' the day before the MI")


def _young_adult_diabetes(w: _Plot) -> None:
    cohort, clinic = "barts_yad", codes.DIABETIC_MEDICINE

    def patient(age, birthday_in_days=100, concept="type_1_diabetes", attended=0, missed=0,
                cancelled=0, specialty=clinic):
        p = w.person(age=age, birthday_in_days=birthday_in_days)
        if concept:
            w.conditions(p, concept)
        w.outpatient(p, 30, specialty, "attended", attended)
        w.outpatient(p, 60, specialty, "did_not_attend", missed)
        w.outpatient(p, 90, specialty, "cancelled", cancelled)
        return p

    w.expect(patient(20, attended=4, missed=1), cohort, True, "DNA 1 of 5 (20%)")
    w.expect(patient(20, attended=5, missed=1), cohort, False, "DNA 1 of 6 (17%)")
    w.expect(patient(20, attended=1, missed=1), cohort, False, "only 2 appointments")
    w.expect(patient(26, 0, "type_2_diabetes", 1, 2), cohort, False, "turned 26 today")
    w.expect(patient(16, 0, "type_2_diabetes", 2, 1), cohort, True, "turned 16 today, DNA 1 of 3")
    w.expect(patient(25, 1, attended=3, missed=1, cancelled=5), cohort, True,
             "aged 25, DNA 1 of 4; cancellations do not count")
    p = patient(20, attended=4)
    w.outpatient(p, w.months_back(12) + 1, clinic, "did_not_attend")
    w.expect(p, cohort, False, "the one DNA was the day before 12 months")
    w.expect(patient(20, concept=None, attended=1, missed=2), cohort, False, "no diabetes code")
    w.expect(patient(20, attended=2, missed=1, specialty=codes.CARDIOLOGY), cohort, False,
             "missed appointments in cardiology, not the diabetes clinic")


def _children_and_young_people(w: _Plot) -> None:
    cases = [
        (11, 0, "sickle_cell_disease", True, "turned 11 today"),
        (10, 1, "sickle_cell_disease", False, "aged 10, 11 tomorrow"),
        (18, 1, "renal_dialysis", True, "aged 18, 19 tomorrow"),
        (19, 0, "renal_dialysis", False, "turned 19 today"),
        (15, 100, "thalassaemia", True, "thalassaemia"),
        (14, 100, "haemophilia", True, "haemophilia"),
        (13, 100, "medically_unexplained_symptoms", True, "medically unexplained symptoms"),
        (13, 100, "asthma", False, "asthma is not one of the conditions"),
    ]
    for age, birthday_in_days, concept, member, why in cases:
        p = w.person(age=age, birthday_in_days=birthday_in_days, sex="M")
        w.conditions(p, concept, days_ago=30)
        w.expect(p, "cyp_long_term", member, why)
    for trait, code in codes.TRAITS.items():
        p = w.person(age=14, sex="M")
        w.coded(p, code, "icd10", days_ago=30)
        w.expect(p, "cyp_long_term", False, f"{trait.replace('_', ' ')} ({code}): a carrier")
    p = w.person(age=14, sex="M")
    w.conditions(p, "renal_dialysis", days_ago=400)
    w.expect(p, "cyp_long_term", False, "dialysis over a year ago, none since")
    p = w.person(age=14, sex="M")
    w.conditions(p, "renal_dialysis", days_ago=w.months_back(3))
    w.expect(p, "cyp_long_term", True, "dialysis on the first day of the last 3 months")


def _cardiac_rehabilitation(w: _Plot) -> None:
    cohort, rehab = "cardiac_rehab_not_taken_up", codes.CARDIAC_REHABILITATION
    for days_ago, member in ((84, True), (83, False), (365, True), (366, False)):
        p = w.person(age=60)
        w.admission(p, days_ago)
        w.expect(p, cohort, member, f"MI {days_ago} days ago, no rehabilitation")
    p = w.person(age=60)
    w.admission(p, 100)
    w.outpatient(p, 100 - 84, rehab, "attended")
    w.expect(p, cohort, False, "rehabilitation attended 84 days after MI")
    p = w.person(age=60)
    w.admission(p, 100)
    w.outpatient(p, 100 - 85, rehab, "attended")
    w.expect(p, cohort, True, "rehabilitation attended only 85 days after MI")
    p = w.person(age=60)
    w.admission(p, 100)
    w.outpatient(p, 70, rehab, "did_not_attend")
    w.expect(p, cohort, True, "rehabilitation appointment missed")
    p = w.person(age=60)
    w.admission(p, 300)
    w.outpatient(p, 270, rehab, "attended")
    w.admission(p, 150)
    w.expect(p, cohort, True, "took up rehabilitation after a first MI but not a second")


def _core20(w: _Plot) -> None:
    cases = [
        (1, None, True, "IMD decile 1"),
        (2, None, True, "IMD decile 2"),
        (3, None, False, "IMD decile 3"),
        (None, None, False, "IMD decile unknown"),
        (1, 5, False, "IMD decile 1 but died 5 days ago"),
        (1, 0, False, "IMD decile 1 but died on the as-of date"),
    ]
    for imd, died, member, why in cases:
        p = w.person(imd=imd, died_days_ago=died)
        w.expect(p, "core20", member, why)
