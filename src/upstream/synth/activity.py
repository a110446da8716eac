"""Synthetic activity for one chunk of people: conditions, ED attendances, admissions (with
myocardial infarctions and what follows them), outpatient and GP appointments, police notices.

Each generator returns a dict of columns for one table, with ``person`` (an index into the chunk)
in place of ``patient_id``. Rates rise with deprivation and morbidity; ED use has a persistent
heavy-tailed propensity times a yearly shock (so this year's frequent attenders regress towards
the mean next year) plus rare crisis bursts (several attendances within weeks). Activity spans
the three years up to ``as_of`` and stops at death.

A linked GP and hospital extract is imitated: 30% of long-term condition records have an ICD-10
twin recorded later by the hospital; carrier traits are recorded; people currently on renal
dialysis have a dialysis record every month, others who had dialysis only an old one. Like a
real extract taken on the morning after ``as_of``, it also holds ED arrivals in the early hours
of the next day and booked outpatient and GP appointments up to three months ahead.
"""

from __future__ import annotations

import numpy as np

from upstream.synth import codes
from upstream.synth.people import YEARS_OF_ACTIVITY, People

Columns = dict[str, np.ndarray]
DAY_US = 86_400 * 1_000_000

TYPE_1_SITES = ("RAL01", "RKE01", "RAP01", "RRV03", "RQX01")
SITES_BY_TYPE = {1: TYPE_1_SITES, 2: ("RP6MF",), 3: ("RAL26", "RKE08", "RAP12", "NLO12")}
"""ECDS department types: 1 major ED, 2 single-specialty ED (eye), 3 UTC or walk-in centre."""
TWIN_SHARE = 0.3
"""Share of long-term condition records the hospital also codes in ICD-10."""
CURRENT_DIALYSIS_SHARE = 0.5
"""Share of people with a dialysis history who are on dialysis now."""
BOOKING_DAYS = 90
"""Booked appointments reach this many days after as_of."""
DESTINATIONS = ("home", "admitted", "transferred", "left_before_treatment", "other")
OUTPATIENT_STATUSES = ("attended", "did_not_attend", "cancelled", "booked")
GP_STATUSES = ("attended", "did_not_attend", "booked")
BOOKED_OUTPATIENT, BOOKED_GP = 3, 2
NEXT_MORNING_CHANCE = 0.002
"""Chance that a person arrives at ED in the early hours after as_of (the extract's morning)."""


class Activity:
    """Draws every kind of activity for ``people`` from ``rng``."""

    def __init__(self, people: People, as_of_day: int, rng: np.random.Generator):
        self.p = people
        self.as_of = as_of_day
        self.rng = rng
        self.n = len(people)
        self.last_day = np.minimum(people.death_day, as_of_day)
        self.young_adult = (people.age >= 16) & (people.age <= 30)

    # helpers ------------------------------------------------------------------------------------

    def yearly(self, annual_rate: np.ndarray, shock_shape: float | None = None):
        """(person, day) for Poisson counts per year, optionally with gamma year shocks."""
        rate = np.repeat(annual_rate[:, None], YEARS_OF_ACTIVITY, axis=1)
        if shock_shape:
            rate = rate * self.rng.gamma(shock_shape, 1 / shock_shape, rate.shape)
        counts = self.rng.poisson(rate)
        person = np.repeat(np.repeat(np.arange(self.n), YEARS_OF_ACTIVITY), counts.ravel())
        year = np.repeat(np.tile(np.arange(YEARS_OF_ACTIVITY), self.n), counts.ravel())
        first_day = self.as_of - 365 * (YEARS_OF_ACTIVITY - year) + 1
        return person, first_day + self.rng.integers(0, 365, len(person))

    def alive(self, person: np.ndarray, day: np.ndarray, ahead: int = 0) -> np.ndarray:
        """Mask of events on a day the person was born and alive, at most ``ahead`` days after
        as_of."""
        last = np.minimum(self.p.death_day[person] - 1, self.as_of + ahead)
        return (day >= self.p.birth_day[person]) & (day <= np.maximum(last, self.last_day[person]))

    def keep(self, columns: Columns, day_column: str, day: np.ndarray, ahead: int = 0) -> Columns:
        mask = self.alive(columns["person"], day, ahead)
        order = np.lexsort((columns[day_column][mask], columns["person"][mask]))
        return {name: values[mask][order] for name, values in columns.items()}

    def upcoming(self, annual_rate: np.ndarray):
        """(person, day) of bookings in the ``BOOKING_DAYS`` after as_of."""
        counts = self.rng.poisson(annual_rate * BOOKING_DAYS / 365)
        person = np.repeat(np.arange(self.n), counts)
        return person, self.as_of + self.rng.integers(1, BOOKING_DAYS + 1, len(person))

    def pick(self, options, size: int, p=None) -> np.ndarray:
        return np.asarray(options, dtype=object if isinstance(options[0], str) else None)[
            self.rng.choice(len(options), size=size, p=p)
        ]

    # conditions ---------------------------------------------------------------------------------

    def conditions(self) -> Columns:
        """Long-term conditions and other coded findings, more common with age, deprivation and
        morbidity; haemoglobinopathies more common in Black and Asian ethnic groups."""
        age, dep, m = self.p.age, self.p.deprivation, self.p.morbidity
        black = np.isin(self.p.ethnic, [11, 12])  # M, N
        asian = np.isin(self.p.ethnic, [7, 8, 9, 10])  # H, J, K, L
        male = self.p.sex == 1

        def rising(at_70: float, slope: float, from_age: int) -> np.ndarray:
            return np.where(age >= from_age, at_70 * np.exp(slope * (age - 70)), 0.0) * dep * m

        chances = {
            "hypertension": rising(0.40, 0.05, 25),
            "asthma": np.where(age >= 3, 0.08, 0.0) * dep * m,
            "copd": rising(0.06, 0.05, 40) * dep,
            "heart_failure": rising(0.035, 0.08, 45),
            "chronic_kidney_disease": rising(0.09, 0.07, 30),
            "depression": np.where(age >= 12, 0.11, 0.0) * dep * m,
            "atrial_fibrillation": rising(0.05, 0.08, 40),
            "epilepsy": np.full(self.n, 0.008) * m,
            "osteoarthritis": rising(0.22, 0.05, 35),
            "dementia": rising(0.025, 0.12, 55),
            "cancer": rising(0.06, 0.05, 20),
            "type_1_diabetes": np.where(age >= 1, 0.004, 0.0),
            "type_2_diabetes": rising(0.10, 0.06, 12),
            "sickle_cell_disease": 0.0003 * np.where(black, 15.0, 1.0),
            "thalassaemia": 0.0002 * np.where(asian, 6.0, 1.0),
            "haemophilia": np.where(male, 0.0003, 0.0),
            "medically_unexplained_symptoms": np.where(age >= 8, 0.01, 0.0) * m,
            "renal_dialysis": np.where(age >= 5, 0.0004, 0.0) * (1 + age / 40) * dep,
            "loneliness": np.where(age >= 18, np.where(age >= 75, 0.10, 0.03), 0.0) * dep,
            "frailty": rising(0.06, 0.07, 65),
            "sickle_cell_trait": 0.004 * np.where(black, 20.0, 1.0),
            "thalassaemia_trait": 0.003 * np.where(asian, 8.0, 1.0),
        }
        concept_codes = np.array([codes.CODES.get(c) or codes.TRAITS[c] for c in chances],
                                 dtype=object)
        systems = np.array(["icd10" if c in codes.TRAITS else "snomed" for c in chances],
                           dtype=object)
        has = self.rng.random((self.n, len(chances))) < np.column_stack(
            [np.clip(c, 0.0, 0.9) for c in chances.values()]
        )
        person, concept = np.nonzero(has)
        first = np.maximum(self.p.birth_day[person], self.as_of - 20 * 365)
        span = np.maximum(self.last_day[person] - first, 0) + 1
        day = first + (self.rng.random(len(person)) * span).astype(np.int64)
        names = list(chances)
        twin_person, twin_code, twin_day = self.twins(person, concept, day, names)
        dialysis_person, dialysis_day = self.dialysis(
            person[concept == names.index("renal_dialysis")],
            day[concept == names.index("renal_dialysis")])
        dialysis = codes.CODES["renal_dialysis"]
        day = np.concatenate([day, twin_day, dialysis_day])
        return self.keep(
            {"person": np.concatenate([person, twin_person, dialysis_person]),
             "code": np.concatenate([concept_codes[concept], twin_code,
                                     np.full(len(dialysis_person), dialysis, dtype=object)]),
             "code_system": np.concatenate([
                 systems[concept], np.full(len(twin_person), "icd10", dtype=object),
                 np.full(len(dialysis_person), "snomed", dtype=object)]),
             "day": day},
            "day", day,
        )

    def twins(self, person: np.ndarray, concept: np.ndarray, day: np.ndarray,
              names: list[str]):
        """ICD-10 twins of a share of long-term condition records, recorded by the hospital
        0 to 2 years later (dropped when that is after as_of or death)."""
        twin_code = np.array([codes.ICD10_TWINS.get(name) for name in names], dtype=object)
        chosen = np.flatnonzero((twin_code[concept] != None)  # noqa: E711 (object array)
                                & (self.rng.random(len(person)) < TWIN_SHARE))
        later = day[chosen] + self.rng.integers(0, 730, len(chosen))
        return person[chosen], twin_code[concept[chosen]], later

    def dialysis(self, person: np.ndarray, first: np.ndarray):
        """Monthly dialysis records up to now for those currently on dialysis (from their first
        record, at most three years back); the others keep only their first, old record."""
        current = self.rng.random(len(person)) < CURRENT_DIALYSIS_SHARE
        who, start = person[current], np.maximum(first[current], self.as_of - 3 * 365)
        months = np.maximum((self.last_day[who] - start) // 30, 0)
        repeated = np.repeat(who, months)
        offset = 30 * (np.arange(len(repeated)) - np.repeat(np.cumsum(months) - months, months) + 1)
        return repeated, np.repeat(start, months) + offset

    # ED -----------------------------------------------------------------------------------------

    def ed_attendances(self) -> Columns:
        age, dep = self.p.age, self.p.deprivation
        by_age = np.interp(age, [0, 4, 5, 15, 16, 24, 25, 64, 65, 79, 80, 100],
                           [0.55, 0.55, 0.25, 0.25, 0.45, 0.45, 0.3, 0.3, 0.4, 0.4, 0.8, 0.9])
        rate = by_age * dep**1.5 * (0.6 + 0.4 * self.p.morbidity) * self.p.ed_propensity
        person, day = self.yearly(rate, shock_shape=1.5)
        burst_person, burst_day = self.bursts(dep)
        early = np.flatnonzero(self.rng.random(self.n) < NEXT_MORNING_CHANCE * dep)
        person = np.concatenate([person, burst_person, early])
        day = np.concatenate([day, burst_day, np.full(len(early), self.as_of + 1)])
        seconds = (self.rng.normal(14.5, 5.0, len(person)) % 24 * 3600).astype(np.int64)
        seconds[len(person) - len(early):] = self.rng.integers(0, 6 * 3600, len(early))
        arrival = day.astype(np.int64) * DAY_US + seconds * 1_000_000
        department = self.rng.choice([1, 2, 3], size=len(person), p=[0.70, 0.01, 0.29])
        site = np.empty(len(person), dtype=object)
        for kind, sites in SITES_BY_TYPE.items():
            chosen = department == kind
            site[chosen] = self.pick(sites, int(chosen.sum()))
        acuity = self.rng.choice([1, 2, 3, 4, 5], size=len(person),
                                 p=[0.02, 0.15, 0.45, 0.30, 0.08])
        acuity = np.where(self.rng.random(len(person)) < 0.03, 0, acuity)  # 0: not recorded
        return self.keep(
            {"person": person, "arrival": arrival, "site": site,
             "department_type": department.astype(np.int8), "acuity": acuity.astype(np.int8),
             "destination": self.pick(DESTINATIONS, len(person), p=[0.7, 0.2, 0.02, 0.05, 0.03])},
            "arrival", day, ahead=1,
        )

    def bursts(self, dep: np.ndarray):
        """Crisis bursts: in a rare adult year, 4 or more attendances within a few weeks."""
        chance = np.where(self.p.age >= 16, 0.002, 0.0) * dep**1.5
        who, year = np.nonzero(self.rng.random((self.n, YEARS_OF_ACTIVITY)) < chance[:, None])
        size = 4 + self.rng.poisson(2.5, len(who))
        span = self.rng.integers(5, 45, len(who))
        day_in_year = self.rng.integers(0, 365, len(who))
        start = self.as_of - 365 * (YEARS_OF_ACTIVITY - year) + 1 + day_in_year
        person = np.repeat(who, size)
        offset = (self.rng.random(len(person)) * np.repeat(span, size)).astype(np.int64)
        return person, np.repeat(start, size) + offset

    # admissions and myocardial infarction -------------------------------------------------------

    def admissions(self) -> tuple[Columns, Columns]:
        """General admissions and MI admissions; returns (admissions, MI admissions kept)."""
        age, dep, m = self.p.age, self.p.deprivation, self.p.morbidity
        rate = 0.05 * (1 + (age / 45.0) ** 2) * dep * m
        person, day = self.yearly(rate)
        emergency = self.rng.random(len(person)) < 0.6
        diagnosis = self.pick(codes.OTHER_DIAGNOSES, len(person))
        mi_rate = np.where(age >= 25, 0.0012 * np.exp(0.05 * (age - 60)), 0.0) * dep * m
        mi_person, mi_day = self.yearly(np.minimum(mi_rate, 0.3))
        mi_diagnosis = self.pick(codes.MI_DIAGNOSES, len(mi_person))
        person = np.concatenate([person, mi_person])
        day = np.concatenate([day, mi_day])
        emergency = np.concatenate([emergency, np.ones(len(mi_person), dtype=bool)])
        stay = np.where(emergency, self.rng.geometric(0.2, len(person)) - 1,
                        self.rng.integers(0, 3, len(person)))
        stay[len(person) - len(mi_person):] += 2
        columns = {
            "person": person, "day": day, "discharge": day + stay,
            "method": np.where(emergency, "emergency", "elective").astype(object),
            "diagnosis": np.concatenate([diagnosis, mi_diagnosis]),
        }
        kept = self.keep(columns, "day", day)
        is_mi = np.isin(kept["diagnosis"], codes.MI_DIAGNOSES)
        mi = {"person": kept["person"][is_mi], "day": kept["day"][is_mi]}
        return kept, mi

    def after_mi(self, mi: Columns) -> tuple[Columns, Columns]:
        """Screening at 1, 4 and 8 weeks, a cardiology follow-up and a cardiac rehabilitation
        appointment after each MI; returns (screening responses, outpatient appointments)."""
        n_mi = len(mi["person"])
        dep = self.p.deprivation[mi["person"]]
        struggling = self.rng.random(n_mi) < 0.28 * dep / 1.05
        weeks = np.repeat(np.array([[7, 28, 56]]), n_mi, axis=0)
        answered = self.rng.random(weeks.shape) < 0.8
        who, which = np.nonzero(answered)
        answer_yes = self.rng.random(len(who)) < np.where(struggling[who], 0.85, 0.04)
        day = mi["day"][who] + weeks[who, which] + self.rng.integers(0, 4, len(who))
        screening = {
            "person": mi["person"][who], "day": day,
            "question": np.full(len(who), codes.MAKING_ENDS_MEET, dtype=object),
            "answer": np.where(answer_yes, "yes", "no").astype(object),
        }
        follow_up_day = mi["day"] + self.rng.integers(14, 57, n_mi)
        follow_up = self.statuses(np.clip(0.08 * dep, 0, 0.5), 0.05)
        offered = self.rng.random(n_mi) < 0.85
        rehab_day = mi["day"] + self.rng.integers(20, 100, n_mi)
        rehab = np.where(self.rng.random(n_mi) < 0.6 / dep, 0,
                         np.where(self.rng.random(n_mi) < 0.7, 1, 2))
        outpatients = {
            "person": np.concatenate([mi["person"], mi["person"][offered]]),
            "day": np.concatenate([follow_up_day, rehab_day[offered]]),
            "specialty": np.concatenate([
                np.full(n_mi, codes.CARDIOLOGY, dtype=object),
                np.full(int(offered.sum()), codes.CARDIAC_REHABILITATION, dtype=object),
            ]),
            "status": np.concatenate([follow_up, rehab[offered]]),
        }
        return (self.keep(screening, "day", screening["day"]),
                self.keep(outpatients, "day", outpatients["day"]))

    # appointments -------------------------------------------------------------------------------

    def statuses(self, did_not_attend: np.ndarray, cancelled: float) -> np.ndarray:
        """Index into OUTPATIENT_STATUSES per appointment, given each one's DNA chance."""
        draw = self.rng.random(len(did_not_attend))
        return np.where(draw < cancelled, 2, np.where(draw < cancelled + did_not_attend, 1, 0))

    def outpatients(self, diabetic: np.ndarray) -> Columns:
        """Outpatient appointments across specialties, plus diabetes clinics for diabetics."""
        age, dep, m = self.p.age, self.p.deprivation, self.p.morbidity
        rate = (0.4 + age / 45.0) * (0.5 + 0.5 * m)
        person, day = self.yearly(rate)
        specialty = self.pick((*codes.OTHER_SPECIALTIES, codes.CARDIOLOGY), len(person))
        dna = 0.06 * np.where(self.young_adult, 1.8, 1.0) * dep
        status = self.statuses(np.clip(dna[person], 0, 0.6), 0.08)
        clinic_person, clinic_day = self.yearly(np.where(diabetic, 3.0, 0.0))
        mean_dna = np.clip(
            0.07 * np.where((age >= 16) & (age <= 25), 3.0, 1.0) * dep, 0.01, 0.8
        )
        propensity = self.rng.beta(mean_dna * 5, (1 - mean_dna) * 5)
        clinic_status = self.statuses(propensity[clinic_person], 0.06)
        booked_person, booked_day = self.upcoming(rate + np.where(diabetic, 3.0, 0.0))
        booked_specialty = self.pick((*codes.OTHER_SPECIALTIES, codes.CARDIOLOGY,
                                      codes.DIABETIC_MEDICINE), len(booked_person))
        day = np.concatenate([day, clinic_day, booked_day])
        return self.keep(
            {"person": np.concatenate([person, clinic_person, booked_person]),
             "day": day,
             "specialty": np.concatenate(
                 [specialty, np.full(len(clinic_person), codes.DIABETIC_MEDICINE, dtype=object),
                  booked_specialty]),
             "status": np.concatenate([status, clinic_status,
                                       np.full(len(booked_person), BOOKED_OUTPATIENT)])},
            "day", day, ahead=BOOKING_DAYS,
        )

    def gp_appointments(self) -> Columns:
        age, dep = self.p.age, self.p.deprivation
        by_age = np.interp(age, [0, 5, 15, 25, 45, 65, 80, 100], [5, 2.5, 2, 3, 3.5, 5.5, 8, 9])
        rate = by_age * (0.5 + 0.5 * self.p.morbidity) * dep**0.3 * self.p.gp_propensity
        person, day = self.yearly(rate, shock_shape=3.0)
        dna = 0.035 * np.where(self.young_adult, 1.8, 1.0) * dep
        missed = self.rng.random(len(person)) < dna[person]
        booked_person, booked_day = self.upcoming(rate)
        status = np.concatenate([missed.astype(np.int8),
                                 np.full(len(booked_person), BOOKED_GP, dtype=np.int8)])
        day = np.concatenate([day, booked_day])
        return self.keep({"person": np.concatenate([person, booked_person]), "day": day,
                          "status": status}, "day", day, ahead=BOOKING_DAYS)

    def police_notices(self) -> Columns:
        age, dep = self.p.age, self.p.deprivation
        rate = np.where(age >= 16, 0.003, 0.0) * dep**2 * np.where(age <= 40, 2.0, 1.0) * (
            1 + np.minimum(self.p.ed_propensity, 5)
        )
        person, day = self.yearly(rate)
        concern = self.rng.random(len(person)) < 0.45
        return self.keep({"person": person, "day": day, "concern": concern}, "day", day)
