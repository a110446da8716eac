"""Synthetic adult social care (ASC-CLD shaped events) and discharge ready dates.

Both are drawn from their own random stream after the rest of a chunk's activity, so adding
them left every other table of a seeded world as it was.

- **Social care**: adults become known to social care with a chance rising steeply with age
  and with morbidity (older, multimorbid people far more often), a little with deprivation.
  Each is a ``Request`` then an ``Assessment``; most go on to a short reablement service
  (``Short Term Support: ST-Max``) and then long-term support (mostly at home, ``Long Term
  Support: Community``; some in residential or nursing care, more often the older they are);
  a few long-term services change package part way (a second service row starting the day
  after the first ends: one spell, not a new start). Services end at death; open services
  have no end date.
- **Discharge ready dates**: for emergency stays of a night or more, the day the person was
  ready to leave; older and multimorbid people wait longer after it (delayed discharges).
"""

from __future__ import annotations

import numpy as np

from upstream.data.schema import LONG_TERM_SUPPORT
from upstream.synth.people import YEARS_OF_ACTIVITY, People

Columns = dict[str, np.ndarray]
COMMUNITY, RESIDENTIAL, NURSING = (LONG_TERM_SUPPORT[2], LONG_TERM_SUPPORT[1],
                                   LONG_TERM_SUPPORT[0])
REABLEMENT = "Short Term Support: ST-Max"
COMMUNITY_COMPONENTS = ("Home care", "Community supported living", "Extra care housing",
                        "Shared Lives", "Direct payment")
COMPONENT_OF = {RESIDENTIAL: "Residential care", NURSING: "Nursing care",
                REABLEMENT: "Reablement"}
SUPPORT_REASONS = ("Physical Support", "Memory and Cognition Support", "Mental Health Support",
                   "Learning Disability Support", "Social Support")
LA_CODE = "E06000060"


def social_care_events(people: People, as_of_day: int, rng: np.random.Generator) -> Columns:
    """The chunk's social care events (``person`` indexes the chunk)."""
    age, m, dep = people.age, people.morbidity, people.deprivation
    last_day = np.minimum(people.death_day - 1, as_of_day)
    yearly = np.where(age >= 18, 0.004 * np.exp(0.085 * (age - 70)), 0.0) * m**1.5 * dep**0.5
    chance = 1 - (1 - np.clip(yearly, 0, 0.4)) ** YEARS_OF_ACTIVITY
    who = np.flatnonzero(rng.random(len(people)) < chance)
    first = as_of_day - YEARS_OF_ACTIVITY * 365 + 1
    request = first + (rng.random(len(who)) * np.maximum(last_day[who] - first + 1, 1)
                       ).astype(np.int64)
    keep = request <= last_day[who]
    who, request = who[keep], request[keep]
    assessment = request + rng.integers(3, 30, len(who))
    reason = np.asarray(SUPPORT_REASONS, dtype=object)[
        rng.choice(len(SUPPORT_REASONS), len(who), p=[0.55, 0.2, 0.12, 0.05, 0.08])]
    reablement = rng.random(len(who)) < 0.6
    reablement_end = assessment + rng.integers(14, 42, len(who))
    long_term = rng.random(len(who)) < np.clip(0.45 + 0.01 * (age[who] - 70), 0.2, 0.8)
    lts_start = np.where(reablement, reablement_end + 1, assessment + rng.integers(7, 28,
                                                                                  len(who)))
    care_home = np.clip(0.004 * (age[who] - 50), 0.0, 0.35)
    draw = rng.random(len(who))
    setting = np.where(draw < care_home / 3, NURSING,
                       np.where(draw < care_home, RESIDENTIAL, COMMUNITY)).astype(object)
    component = np.asarray(COMMUNITY_COMPONENTS, dtype=object)[
        rng.choice(len(COMMUNITY_COMPONENTS), len(who), p=[0.6, 0.1, 0.1, 0.05, 0.15])]
    component = np.where(setting == COMMUNITY, component,
                         np.vectorize(COMPONENT_OF.get, otypes=[object])(setting))
    changed = rng.random(len(who)) < 0.15
    change_day = lts_start + rng.integers(60, 400, len(who))
    dies = people.death_day <= as_of_day
    rows: list[tuple] = []
    columns = ("person", "event_type", "start", "end", "outcome", "service_type", "component",
               "reason")
    for i, person in enumerate(who):
        end_of_life = int(last_day[person])

        def add(kind, start, end, outcome, service=None, part=None):
            if start > end_of_life:
                return
            if end is None or end > end_of_life:  # still going at as_of, or at death
                if kind != "Service":
                    return
                if dies[person]:
                    end, outcome = end_of_life, "NFA - Deceased"
                else:
                    end, outcome = None, None
            rows.append((person, kind, start, end, outcome, service, part, reason[i]))

        add("Request", request[i], request[i], "Progress to Assessment")
        outcome = "Progress to Support Planning / Services" if (reablement[i] or long_term[i]) \
            else "NFA - Information & Advice / Signposting only"
        add("Assessment", assessment[i], assessment[i] + 1, outcome)
        if reablement[i]:
            add("Service", assessment[i] + 1, reablement_end[i],
                "Progress to Support Planning / Services" if long_term[i]
                else "Service ended as planned", REABLEMENT, COMPONENT_OF[REABLEMENT])
        if long_term[i]:
            if changed[i]:
                add("Service", lts_start[i], change_day[i], "No change in package", setting[i],
                    component[i])
                add("Service", change_day[i] + 1, None, None, setting[i], component[i])
            else:
                add("Service", lts_start[i], None, None, setting[i], component[i])
    frame = list(zip(*rows, strict=True)) if rows else [[] for _ in columns]
    found = {name: np.asarray(values, dtype=object) for name, values in
             zip(columns, frame, strict=True)}
    found["person"] = found["person"].astype(np.int64)
    found["start"] = found["start"].astype(np.int64)
    return found


def discharge_ready_days(admitted: Columns, people: People, rng: np.random.Generator
                         ) -> np.ndarray:
    """Discharge ready day per admission, or -1 where none is recorded (elective stays and
    same-day emergency stays). Most emergency stays are discharged on the ready day; older and
    multimorbid people more often wait days after it."""
    stay = admitted["discharge"] - admitted["day"]
    recorded = (admitted["method"] == "emergency") & (stay >= 1)
    person = admitted["person"]
    risk = np.clip(0.05 + 0.006 * np.maximum(people.age[person] - 60, 0)
                   + 0.04 * people.morbidity[person], 0, 0.7)
    delay = np.where(rng.random(len(person)) < risk, rng.geometric(0.25, len(person)), 0)
    delay = np.minimum(delay, stay)
    return np.where(recorded, admitted["discharge"] - delay, -1)
