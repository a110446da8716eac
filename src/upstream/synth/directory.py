"""A synthetic community service directory for the demo, as HSDS 3.0 compiled service JSON.

``generate(seed, services)`` makes services across every sub-theme of the directory taxonomy
(``upstream.standards.taxonomy``): formal services (council teams, charities, NHS) and the
informal provision community links officers grow (faith groups, peer support, befriending,
volunteering, community groups). Each has an organisation, one or two locations with synthetic
coordinates around the demo area (the London outward codes the demo people live in), weekly or
monthly schedules, an age range, sometimes a sex or condition it is for, a cost, languages, the
date it was last checked (``assured_date``), informal provision as a term, and the directory
extensions ``accepting_referrals`` and ``waiting_time_days``. The same seed and count always
give the same JSON, ids included.

Coordinates and postcodes are made up: ``DEMO_POSTCODE_AREAS`` gives each outward code a
synthetic centroid and ``demo_centroid`` places a full postcode near it, so the demo can
measure distance from a person's home without a real postcode directory.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from upstream.standards import postcode as postcodes
from upstream.standards.taxonomy import (
    ELIGIBILITY_CONDITIONS,
    ELIGIBILITY_SEX,
    ELIGIBILITY_TAXONOMY,
    TERMS,
    as_hsds_term,
)

DEFAULT_SERVICES = 400

PROVISION_TAXONOMY = "Upstream provision types"
PROVISION_TYPES = {"community_group": "Community group", "faith_group": "Faith group",
                   "peer_support": "Peer support", "befriending": "Befriending",
                   "volunteering": "Volunteering opportunity"}
"""Informal provision, filed as a term (``link_type`` "provision") so any HSDS reader sees it;
the names are the directory's ``Service.ProvisionType`` labels, which its importer reads."""
_NAMESPACE = uuid.UUID("5b0c6f5e-2f53-4d84-9c1f-4f0f3b1c9a10")

@dataclass(frozen=True)
class Area:
    """An outward code of the demo area: its name and a synthetic centroid."""

    outward: str
    name: str
    latitude: float
    longitude: float


DEMO_POSTCODE_AREAS: dict[str, Area] = {a.outward: a for a in [
    Area("E1", "Whitechapel", 51.5175, -0.0590), Area("E2", "Bethnal Green", 51.5290, -0.0600),
    Area("E3", "Bow", 51.5280, -0.0240), Area("E6", "East Ham", 51.5290, 0.0550),
    Area("E13", "Plaistow", 51.5260, 0.0270), Area("E14", "Poplar", 51.5080, -0.0180),
    Area("E15", "Stratford", 51.5410, 0.0010), Area("E16", "Canning Town", 51.5100, 0.0250),
    Area("N9", "Lower Edmonton", 51.6260, -0.0600), Area("N15", "South Tottenham", 51.5810,
                                                               -0.0780),
    Area("N17", "Tottenham", 51.5970, -0.0700), Area("N18", "Upper Edmonton", 51.6140, -0.0660),
    Area("EN1", "Enfield Town", 51.6540, -0.0700), Area("EN3", "Ponders End", 51.6560, -0.0360),
    Area("UB3", "Hayes", 51.5050, -0.4200), Area("UB4", "Yeading", 51.5250, -0.4050),
    Area("UB8", "Uxbridge", 51.5440, -0.4770), Area("W10", "North Kensington", 51.5210,
                                                          -0.2150),
    Area("W11", "Notting Hill", 51.5130, -0.2060), Area("NW6", "Kilburn", 51.5410, -0.1960),
]}
"""The demo's outward codes (those of ``service.demo.people``) with made-up centroids."""


def demo_centroid(postcode: str) -> tuple[float, float] | None:
    """A synthetic centroid for a postcode in the demo area: within about 700 m of its outward
    code's centroid, fixed by the postcode. None outside the demo area or for a bad postcode."""
    if not postcodes.is_valid(postcode):
        return None
    normal = postcodes.normalise(postcode)
    area = DEMO_POSTCODE_AREAS.get(normal.split(" ")[0])
    if area is None:
        return None
    digest = hashlib.sha256(normal.encode()).digest()
    north = (digest[0] / 255 - 0.5) * 0.0126  # about ±700 m
    east = (digest[1] / 255 - 0.5) * 0.0126 / math.cos(math.radians(area.latitude))
    return round(area.latitude + north, 6), round(area.longitude + east, 6)


# What each sub-theme's services are called and do, in a directory's own words.
# code → (name patterns, what the service does, provision type, ages, sex/condition it is for)
_KINDS: dict[str, tuple[tuple[str, ...], str, str, tuple[int, int | None]]] = {
    "debt_advice": (("{area} Money Advice", "Debt Advice Clinic {area}",
                     "Money Matters {area}"),
                    "Free, confidential advice on debts, arrears and dealing with creditors and "
                    "bailiffs; we can help set up repayment plans and debt relief orders.",
                    "formal", (18, None)),
    "benefits_advice": (("{area} Welfare Rights Service", "Benefits Check {area}",
                         "Claim What You're Owed {area}"),
                        "Help to check what benefits you are entitled to, fill in forms for "
                        "Universal Credit, PIP and Attendance Allowance, and challenge decisions.",
                        "formal", (16, None)),
    "financial_hardship": (("{area} Crisis Support Fund", "Local Welfare Assistance {area}"),
                           "Emergency grants for people in crisis: help with essentials such "
                           "as beds, cookers and clothing when money has run out.",
                           "formal", (16, None)),
    "energy_bills": (("{area} Warm Homes Advice", "Energy Bill Help {area}"),
                     "Advice on gas and electricity bills, prepayment meters, grants for "
                     "heating and keeping your home warm for less.", "formal", (18, None)),
    "housing_advice": (("{area} Housing Options", "Tenancy Support {area}",
                        "Homes First {area}"),
                       "Advice for tenants facing eviction or rent arrears, disrepair and damp, "
                       "and help with the housing register.", "formal", (16, None)),
    "homelessness": (("{area} Homeless Outreach", "Night Shelter {area}",
                      "{area} Day Centre for Homeless People"),
                     "Support for people who are homeless, sleeping rough or sofa surfing: "
                     "showers, meals, a safe place to stay and help finding a home.",
                     "formal", (18, None)),
    "befriending": (("{area} Befriending Service", "Telephone Friends {area}",
                     "Good Neighbours {area}"),
                    "Volunteer befrienders visit or phone people who feel lonely or isolated, "
                    "for a weekly chat and a friendly face.", "befriending", (18, None)),
    "social_groups": (("{area} Lunch Club", "Coffee Morning at {area} Community Centre",
                       "{area} Men's Shed", "{area} Knit and Natter"),
                      "A friendly group to meet people, make friends and get out of the house; "
                      "tea, activities and a warm welcome.", "community_group", (18, None)),
    "peer_support": (("{area} Peer Support Group", "Talk It Through {area}",
                      "Side by Side {area}"),
                     "A group run by people with lived experience, where you can talk with "
                     "others who understand what you are going through.", "peer_support",
                     (18, None)),
    "faith_groups": (("St Mary's Church {area} Community Hour", "{area} Mosque Welfare Group",
                      "{area} Gurdwara Langar and Support", "{area} Churches Together"),
                     "A faith community open to everyone, with a weekly drop-in, hot drinks "
                     "and pastoral support whatever your beliefs.", "faith_group", (0, None)),
    "talking_therapies": (("{area} Talking Therapies", "Community Counselling {area}"),
                          "Counselling and CBT for anxiety, depression and stress, in person, "
                          "by phone or online; you can refer yourself.", "formal", (16, None)),
    "bereavement_support": (("{area} Bereavement Support", "Grief Matters {area}"),
                            "Support after someone close to you has died: one-to-one sessions "
                            "and a grief group.", "formal", (18, None)),
    "crisis_support": (("{area} Crisis Café", "{area} Safe Haven"),
                       "An evening drop-in for people in mental health crisis, as an "
                       "alternative to A&E, with trained staff to talk to.", "formal", (18, None)),
    "creative_activities": (("{area} Arts for Wellbeing", "Sing for Health {area}",
                             "{area} Creative Writing Group"),
                            "Creative sessions (painting, singing, crafts and writing) to lift "
                            "your mood and meet others.", "community_group", (18, None)),
    "employment_support": (("{area} Works", "Back to Work Coaching {area}"),
                           "One-to-one help to find work: CVs, interviews, job search and "
                           "in-work support.", "formal", (16, None)),
    "adult_learning": (("{area} Adult Learning Service", "Skills for Life {area}"),
                       "Free and low-cost courses for adults: maths, English, qualifications "
                       "and learning for pleasure.", "formal", (19, None)),
    "youth_work": (("{area} Youth Club", "Young People's Hub {area}",
                    "{area} Youth Mentoring Project"),
                   "Youth workers run evening sessions, mentoring and activities for young "
                   "people.", "formal", (11, 25)),
    "volunteering": (("Volunteer {area}", "{area} Community Volunteering Hub"),
                     "Volunteering opportunities in your area: give something back, gain "
                     "skills and meet people.", "volunteering", (16, None)),
    "alcohol_support": (("{area} Alcohol Service", "Recovery Café {area}"),
                        "Support to cut down or stop drinking alcohol, from advice to "
                        "detox and recovery groups.", "formal", (18, None)),
    "drug_support": (("{area} Drug and Alcohol Service", "{area} Recovery Hub"),
                     "Confidential support for people using drugs, including treatment, "
                     "harm reduction and recovery groups.", "formal", (18, None)),
    "gambling_support": (("{area} Gambling Harms Service",),
                         "Help for people whose gambling or betting is causing harm, and "
                         "their families.", "formal", (18, None)),
    "stop_smoking": (("{area} Stop Smoking Service",),
                     "Free support and nicotine replacement to help you stop smoking.",
                     "formal", (12, None)),
    "carers_support": (("{area} Carers Centre", "Carers Support {area}"),
                       "Information, a carer's assessment and support groups for people "
                       "looking after a family member or friend.", "formal", (8, None)),
    "respite_care": (("{area} Sitting Service", "{area} Day Centre"),
                     "Short breaks for carers: a trained sitter or a day centre place so "
                     "you can have time for yourself.", "formal", (18, None)),
    "dementia_support": (("{area} Memory Café", "Dementia Support {area}"),
                         "Support for people living with dementia and their carers: a "
                         "memory café, advice and activities.", "formal", (18, None)),
    "walking_groups": (("{area} Health Walks", "{area} Walking for Health Group"),
                       "Free, friendly guided walks at an easy pace through local parks.",
                       "community_group", (18, None)),
    "exercise_classes": (("{area} Chair-Based Exercise", "Get Active {area}",
                          "{area} Strength and Balance Class"),
                         "Gentle exercise classes for all abilities, including chair-based "
                         "exercise, yoga and strength and balance.", "formal", (16, None)),
    "gardening": (("{area} Community Garden", "Grow Together {area}"),
                  "Gardening and growing food together in a community garden, outdoors and "
                  "close to nature.", "community_group", (16, None)),
    "food_bank": (("{area} Foodbank", "{area} Community Pantry"),
                  "Emergency food parcels for people in crisis, by voucher or referral, and "
                  "a low-cost community pantry.", "formal", (0, None)),
    "community_meals": (("{area} Community Kitchen", "Hot Meals {area}"),
                        "A free hot meal served in good company, open to all.",
                        "community_group", (0, None)),
    "cooking_healthy_eating": (("Cook and Eat {area}", "{area} Healthy Eating Course"),
                               "Cookery courses on healthy eating on a budget, with recipes to "
                               "take home.", "formal", (16, None)),
    "refugee_support": (("{area} Refugee Welcome", "{area} Asylum Seeker Drop-in"),
                        "Practical help and friendship for refugees and people seeking "
                        "asylum, new to the UK.", "formal", (0, None)),
    "immigration_advice": (("{area} Immigration Advice",),
                           "Free advice from regulated advisers on immigration status, "
                           "visas and settled status.", "formal", (18, None)),
    "english_language": (("{area} ESOL Classes", "English Conversation Club {area}"),
                         "English classes for speakers of other languages (ESOL), all "
                         "levels.", "formal", (16, None)),
    "digital_skills": (("{area} Digital Champions", "Get Online {area}"),
                       "Help to use the internet, email, the NHS App and apply for things "
                       "online.", "formal", (16, None)),
    "devices_and_data": (("{area} Device Bank", "{area} Data Bank"),
                         "Free refurbished laptops, tablets and SIM cards with data for "
                         "people who cannot get online.", "formal", (16, None)),
    "condition_groups": (("{area} Diabetes Support Group", "{area} Breathe Easy Group",
                          "{area} Heart Support Group", "{area} Stroke Club"),
                         "A support group for people living with a long-term condition, with "
                         "talks, exercise and friendship.", "peer_support", (18, None)),
    "self_management_courses": (("{area} Expert Patients Programme",
                                 "Living Well with a Condition {area}"),
                                "A free course to help you manage a long-term condition day to "
                                "day.", "formal", (18, None)),
    "community_transport": (("{area} Community Transport", "{area} Dial-a-Ride"),
                            "Door-to-door transport for people who cannot use buses, to "
                            "appointments and the shops.", "formal", (0, None)),
    "travel_costs": (("{area} Healthcare Travel Costs Help",),
                     "Help with fares and travel costs to hospital appointments.",
                     "formal", (0, None)),
    "domestic_abuse_support": (("{area} Domestic Abuse Service", "{area} IDVA Service"),
                               "Confidential support for anyone experiencing domestic abuse, "
                               "including safety planning and advocacy.", "formal", (16, None)),
    "refuge": (("{area} Refuge",),
               "Safe, confidential emergency accommodation for women and children escaping "
               "domestic abuse.", "formal", (16, None)),
}

_ACCESS = ("Just turn up", "Refer yourself by phone or online",
           "Referral from a link worker, GP or another professional",
           "Phone to book a place")
_LANGUAGES = (("Bengali", "bn"), ("Urdu", "ur"), ("Turkish", "tr"), ("Polish", "pl"),
              ("Somali", "so"), ("Portuguese", "pt"), ("Romanian", "ro"), ("Arabic", "ar"),
              ("Gujarati", "gu"), ("Punjabi", "pa"))
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA")
_STREETS = ("High Street", "Church Road", "Station Road", "Market Square", "Park Lane",
            "Victoria Road", "Mill Lane", "Green Lane")
_FUNDERS = ("National Lottery Community Fund", "Local council", "NHS integrated care board",
            "Charitable donations")
_WOMEN_ONLY = {"refuge"}
_MEN_ONLY_NAME = "Men's Shed"
_CONDITION_BY_NAME = {"Diabetes": "diabetes", "Breathe Easy": "lung", "Heart": "heart",
                      "Stroke": "stroke", "Memory Café": "dementia", "Dementia": "dementia"}
_SECOND_TERMS = {"debt_advice": "benefits_advice", "benefits_advice": "debt_advice",
                 "housing_advice": "debt_advice", "homelessness": "housing_advice",
                 "befriending": "social_groups", "social_groups": "befriending",
                 "food_bank": "financial_hardship", "community_meals": "social_groups",
                 "carers_support": "respite_care", "dementia_support": "carers_support",
                 "walking_groups": "social_groups", "refugee_support": "english_language",
                 "peer_support": "talking_therapies", "drug_support": "alcohol_support",
                 "gardening": "social_groups", "faith_groups": "social_groups"}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _postcode(rng: random.Random, outward: str) -> str:
    return f"{outward} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
           f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def _eligibility_term(code: str, name: str) -> dict:
    return {"id": _id("eligibility", code), "code": code, "name": name,
            "description": f"Eligibility: {name}", "taxonomy": ELIGIBILITY_TAXONOMY,
            "taxonomy_id": _id("taxonomy", ELIGIBILITY_TAXONOMY)}


def _provision_term(provision: str) -> dict:
    name = PROVISION_TYPES[provision]
    return {"id": _id("provision", provision), "code": f"provision:{provision}", "name": name,
            "description": f"Informal provision: {name.lower()}", "taxonomy": PROVISION_TAXONOMY,
            "taxonomy_id": _id("taxonomy", PROVISION_TAXONOMY)}


def _attribute(service_id: str, term: dict, link_type: str) -> dict:
    return {"id": _id(service_id, "attribute", term["id"]), "link_id": service_id,
            "link_type": link_type, "link_entity": "service", "taxonomy_term_id": term["id"],
            "taxonomy_term": term}


def _schedule(rng: random.Random, service_id: str, index: int, monthly: bool) -> dict:
    opens = rng.choice([9, 9, 10, 10, 11, 13, 18])
    start_minute = rng.choice([0, 0, 30])
    hours = rng.choice([2, 3, 4, 8]) if opens < 13 else rng.choice([2, 3])
    closes = min(opens + hours, 21)
    days = rng.sample(_DAYS[:5], rng.choice([1, 1, 2, 3, 5])) if not monthly else []
    byday = (",".join(d for d in _DAYS if d in days) if not monthly
             else f"{rng.choice([1, 2, 3])}{rng.choice(_DAYS[:5])}")
    opens_at, closes_at = f"{opens:02d}:{start_minute:02d}:00", f"{closes:02d}:00:00"
    return {
        "id": _id(service_id, "schedule", index), "service_id": service_id,
        "freq": "MONTHLY" if monthly else "WEEKLY", "interval": 1, "byday": byday,
        "opens_at": opens_at, "closes_at": closes_at, "wkst": "MO",
        "description": f"{'Monthly' if monthly else 'Weekly'} ({byday}) "
                       f"{opens_at[:5]} to {closes_at[:5]}",
    }


def _location(rng: random.Random, service_id: str, index: int, area: Area, name: str) -> dict:
    location_id = _id(service_id, "location", index)
    angle, metres = rng.uniform(0, 2 * math.pi), rng.uniform(0, 1500)
    latitude = area.latitude + metres * math.cos(angle) / 111_320
    longitude = area.longitude + metres * math.sin(angle) / (
        111_320 * math.cos(math.radians(area.latitude)))
    return {
        "id": location_id, "location_type": "physical", "name": name,
        "latitude": round(latitude, 6), "longitude": round(longitude, 6),
        "addresses": [{
            "id": _id(location_id, "address"), "location_id": location_id,
            "address_1": f"{rng.randrange(1, 200)} {rng.choice(_STREETS)}",
            "city": "London", "state_province": area.name,
            "postal_code": _postcode(rng, area.outward), "country": "GB",
            "address_type": "physical"}],
        "accessibility": [{"id": _id(location_id, "accessibility"), "location_id": location_id,
                           "description": rng.choice(["Step-free access and an accessible "
                                                      "toilet", "Ground floor, no steps",
                                                      "Stairs only; ask about another venue"])}],
    }


def _service(rng: random.Random, index: int, code: str, today: date) -> dict:
    names, does, provision, (min_age, max_age) = _KINDS[code]
    area = rng.choice(list(DEMO_POSTCODE_AREAS.values()))
    name = rng.choice(names).format(area=area.name)
    service_id = _id("service", index)
    org_name = name if provision != "formal" else rng.choice([
        name, f"{area.name} Community Trust", f"{area.name} Council",
        f"{area.name} Voluntary Action", "Together Charity"])
    organization_id = _id("organization", org_name)
    access = rng.choice(_ACCESS)
    free = rng.random() < 0.8
    service: dict = {
        "id": service_id, "organization_id": organization_id, "name": name,
        "description": f"{does} {access}.",
        "email": f"hello{index}@example.org", "url": f"https://example.org/services/{index}",
        "status": "active" if rng.random() < 0.97 else "temporarily closed",
        "application_process": access, "minimum_age": min_age,
        "eligibility_description": (f"Aged {min_age} to {max_age}" if max_age else
                                    f"Aged {min_age} and over" if min_age else "Everyone"),
        "fees_description": "Free" if free else "A small charge; ask about concessions",
        "last_modified": f"{today - timedelta(days=rng.randrange(1, 400))}T09:00:00Z",
        "organization": {"id": organization_id, "name": org_name,
                         "description": f"{org_name} works with people in {area.name}.",
                         "website": "https://example.org"},
        "phones": [{"id": _id(service_id, "phone"), "service_id": service_id,
                    "number": f"020 7946 0{rng.randrange(100, 1000):03d}", "type": "voice"}],
        "cost_options": [{"id": _id(service_id, "cost"), "service_id": service_id,
                          "option": "Free" if free else "Per session", "currency": "GBP",
                          "amount": 0 if free else rng.choice([2, 3, 5])}],
        "languages": [{"id": _id(service_id, "language", "en"), "service_id": service_id,
                       "name": "English", "code": "en"}] + [
            {"id": _id(service_id, "language", c), "service_id": service_id, "name": n,
             "code": c} for n, c in rng.sample(_LANGUAGES, rng.choice([0, 0, 1, 2]))],
        "funding": [{"id": _id(service_id, "funding"), "service_id": service_id,
                     "source": rng.choice(_FUNDERS)}],
        "service_areas": [{"id": _id(service_id, "area"), "service_id": service_id,
                           "name": area.name, "description": f"People living in or near "
                                                             f"{area.name}"}],
        # When the publisher last checked it: the directory's "last verified" (ADR 0013).
        "assured_date": str(today - timedelta(days=int(rng.triangular(0, 540, 60)))),
    }
    if max_age is not None:
        service["maximum_age"] = max_age
    if rng.random() < 0.95:
        accepting = rng.random() < 0.88
        service["accepting_referrals"] = accepting
        if accepting:
            service["waiting_time_days"] = rng.choice([0, 0, 0, 3, 7, 7, 14, 14, 21, 28, 42])
            if service["waiting_time_days"]:
                service["wait_time"] = f"About {service['waiting_time_days']} days"
    monthly = provision in {"faith_group", "peer_support"} and rng.random() < 0.3
    service["schedules"] = [_schedule(rng, service_id, 0, monthly)]
    locations = [_location(rng, service_id, 0, area, name)]
    if rng.random() < 0.15:
        other = rng.choice(list(DEMO_POSTCODE_AREAS.values()))
        locations.append(_location(rng, service_id, 1, other, f"{name} ({other.name})"))
    service["service_at_locations"] = [
        {"id": _id(service_id, "sal", i), "service_id": service_id,
         "location_id": location["id"], "location": location}
        for i, location in enumerate(locations)]
    terms = [code] + ([_SECOND_TERMS[code]] if code in _SECOND_TERMS and rng.random() < 0.35
                      else [])
    attributes = [_attribute(service_id, as_hsds_term(t), "need") for t in terms]
    if provision != "formal":
        attributes.append(_attribute(service_id, _provision_term(provision), "provision"))
    for word, condition in _CONDITION_BY_NAME.items():
        if word in name:
            attributes.append(_attribute(service_id, _eligibility_term(
                f"condition:{condition}", ELIGIBILITY_CONDITIONS[condition]), "eligibility"))
    sex = "F" if code in _WOMEN_ONLY else "M" if _MEN_ONLY_NAME in name else (
        rng.choice("FM") if code in {"peer_support", "domestic_abuse_support"}
        and rng.random() < 0.25 else None)
    if sex:
        attributes.append(_attribute(service_id, _eligibility_term(
            f"sex:{sex}", ELIGIBILITY_SEX[sex]), "eligibility"))
        service["eligibility_description"] += f"; {ELIGIBILITY_SEX[sex].lower()}"
    service["attributes"] = attributes
    return service


def generate(seed: int, services: int = DEFAULT_SERVICES,
             today: date = date(2026, 12, 1)) -> list[dict]:
    """``services`` HSDS 3.0 compiled service objects, every sub-theme of the taxonomy in
    turn (so each has at least ``services // sub-themes`` services), the same for the same
    arguments."""
    if services < 1:
        raise ValueError("services must be at least 1")
    rng = random.Random(seed)
    sub_themes = [t.code for t in TERMS.values() if t.parent]
    return [_service(rng, i, sub_themes[i % len(sub_themes)], today) for i in range(services)]


def write(path: str | Path, services: list[dict]) -> Path:
    """Write ``services`` as an HSDS 3.0 paginated service list (one page) in one JSON file."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    page = {"total_items": len(services), "total_pages": 1, "page_number": 1,
            "size": len(services), "first_page": True, "last_page": True,
            "empty": not services, "contents": services}
    out.write_text(json.dumps(page, indent=1, ensure_ascii=False), encoding="utf-8")
    return out
