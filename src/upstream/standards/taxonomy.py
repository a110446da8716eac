"""The directory taxonomy: the needs taxonomy (``vocabularies.NEEDS``, the top level) with the
sub-themes community services are filed under, and the everyday words people use for each.

One declaration, ``_THEMES``: for each NEEDS code, the words that mean the theme as a whole and
its sub-themes, each with its label and its synonyms (single words and everyday phrases such as
"can't pay", "no one to talk to", "food parcel"). NEEDS codes and labels are not repeated here;
sub-theme codes are stable identifiers like NEEDS codes (stored on services and in the demo),
so renaming a label is safe and changing a code needs a data migration.

``match_text`` reads free text ("I can't pay my rent and the landlord wants me out") and says
which terms it speaks of and through which words; ``descendants`` expands a term to the terms
filed under it. Nothing here imports Django.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from upstream.standards.vocabularies import NEEDS

TAXONOMY_NAME = "Upstream needs taxonomy"
"""The HSDS ``taxonomy`` name services' terms carry."""

TAXONOMY_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://upstream.example/taxonomy/needs"))
"""The HSDS taxonomy id: a UUID fixed by the name, so every export agrees."""

ELIGIBILITY_TAXONOMY = "Upstream eligibility"
"""Terms (``link_type`` "eligibility") restricting a service to a sex or a condition."""

ELIGIBILITY_SEX = {"F": "Women only", "M": "Men only"}
"""Eligibility term code ``sex:<code>`` → name; codes from ``vocabularies.SEX``."""

ELIGIBILITY_CONDITIONS = {
    "dementia": "People living with dementia and their carers",
    "diabetes": "People with diabetes",
    "heart": "People with a heart condition",
    "cancer": "People affected by cancer",
    "lung": "People with a lung condition (COPD, asthma)",
    "stroke": "Stroke survivors",
    "mental_health": "People with a mental health condition",
}
"""Eligibility term code ``condition:<code>`` → name."""


# code → (words for the theme as a whole, {sub-theme code: (label, synonyms)})
_THEMES: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, tuple[str, ...]]]]] = {
    "money_debt": (("money", "finances", "financial", "money advice", "citizens advice"), {
        "debt_advice": ("Debt advice", (
            "debt", "in debt", "owe", "owe money", "arrears", "bailiff", "enforcement agent",
            "loan shark", "credit card", "overdraft", "payday loan", "can't pay",
            "cannot pay", "can not pay", "behind on", "behind with", "county court judgment",
            "ccj", "bankruptcy", "debt relief order", "money worries", "final demand",
            "red letters", "council tax arrears")),
        "benefits_advice": ("Benefits advice", (
            "benefit", "universal credit", "pip", "personal independence payment",
            "attendance allowance", "esa", "employment and support allowance",
            "housing benefit", "council tax reduction", "sanction", "sanctioned",
            "benefit appeal", "mandatory reconsideration", "carer's allowance",
            "pension credit", "dwp", "entitled to", "entitlement", "claim", "form filling",
            "disability living allowance", "blue badge")),
        "financial_hardship": ("Crisis grants and hardship funds", (
            "skint", "broke", "no money", "hardship", "crisis grant", "emergency fund",
            "hardship fund", "struggling financially", "cost of living", "can't afford",
            "cannot afford", "welfare assistance", "budgeting", "budget")),
        "energy_bills": ("Energy and fuel poverty", (
            "gas", "electric", "electricity", "heating", "energy bill", "energy bills",
            "fuel poverty", "prepayment meter", "meter", "cold home", "can't heat",
            "heat my home", "warm home", "warm space", "boiler")),
    }),
    "housing": (("housing", "home", "accommodation", "place to live"), {
        "housing_advice": ("Housing advice", (
            "rent", "landlord", "eviction", "evict", "evicted", "section 21",
            "notice to quit", "tenancy", "tenant", "damp", "mould", "repair", "repairs",
            "council house", "council flat", "housing association", "overcrowded",
            "overcrowding", "rent arrears", "mortgage", "housing register", "bidding",
            "unsafe home", "kick me out", "wants me out")),
        "homelessness": ("Homelessness", (
            "homeless", "homelessness", "sofa surfing", "sofa-surfing", "sleeping rough",
            "rough sleeping", "rough sleeper", "nowhere to live", "nowhere to stay",
            "nowhere to go", "kicked out", "thrown out", "hostel", "night shelter",
            "emergency accommodation", "on the streets", "no fixed abode")),
    }),
    "loneliness": (("loneliness", "social isolation", "socially isolated"), {
        "befriending": ("Befriending", (
            "lonely", "alone", "on my own", "isolated", "isolation", "no one to talk to",
            "nobody to talk to", "no one", "nobody", "befriend", "befriending",
            "befriender", "friendly call", "telephone friendship", "someone to talk to",
            "company", "no friends", "housebound", "don't see anyone", "dont see anyone",
            "never see anyone", "miss having", "no visitors", "lost touch")),
        "social_groups": ("Social groups and clubs", (
            "lunch club", "coffee morning", "social club", "social group", "community group",
            "meet people", "meeting people", "make friends", "get out of the house",
            "get out more", "men's shed", "mens shed", "community centre", "knitting",
            "craft group", "choir", "social", "bingo", "tea dance", "club", "groups")),
        "peer_support": ("Peer support", (
            "peer support", "support group", "people who understand", "others going through",
            "people like me", "lived experience", "self-help group", "been through it",
            "same situation", "mutual support")),
        "faith_groups": ("Faith and community groups", (
            "church", "mosque", "temple", "gurdwara", "synagogue", "faith", "religious",
            "prayer", "spiritual", "parish", "congregation", "imam", "vicar", "chaplain")),
    }),
    "mental_wellbeing": (("mental health", "wellbeing", "emotional wellbeing",
                          "mental wellbeing"), {
        "talking_therapies": ("Talking therapies and counselling", (
            "anxiety", "anxious", "depression", "depressed", "low mood", "counselling",
            "counsellor", "therapy", "therapist", "talking therapy", "talking therapies",
            "cbt", "stress", "stressed", "panic", "panic attack", "worry", "worrying",
            "feeling down", "feel down", "can't cope", "cannot cope", "struggling to cope",
            "overwhelmed", "ptsd", "trauma", "nerves", "iapt", "not sleeping")),
        "bereavement_support": ("Bereavement support", (
            "bereaved", "bereavement", "grief", "grieving", "died", "passed away", "death",
            "widow", "widowed", "widower", "since my wife", "since my husband",
            "lost my wife", "lost my husband", "lost my partner", "lost my son",
            "lost my daughter", "lost my mum", "lost my dad", "funeral")),
        "crisis_support": ("Mental health crisis support", (
            "suicidal", "suicide", "self harm", "self-harm", "crisis", "end it all",
            "don't want to be here", "dont want to be here", "harm myself", "kill myself",
            "crisis line", "samaritans")),
        "creative_activities": ("Arts and creative activities", (
            "art", "arts", "creative", "painting", "drawing", "music", "singing", "craft",
            "crafts", "writing group", "poetry", "drama", "photography")),
    }),
    "employment_education": (("employment", "education", "training"), {
        "employment_support": ("Employment support", (
            "job", "jobs", "work", "unemployed", "out of work", "lost my job", "cv",
            "interview", "jobcentre", "job centre", "redundant", "redundancy",
            "back to work", "career", "employment", "find work", "looking for work",
            "apprenticeship", "self-employed", "sick note", "fit note")),
        "adult_learning": ("Adult learning", (
            "course", "courses", "college", "qualification", "qualifications", "learn",
            "learning", "maths", "literacy", "numeracy", "reading and writing",
            "adult education", "evening class", "study", "gcse")),
        "youth_work": ("Youth work and young people's groups", (
            "youth club", "youth worker", "youth work", "teenager", "teenage", "teen",
            "young people", "young person", "after school", "excluded from school",
            "school", "bored", "hanging around", "youth", "gang", "mentoring", "mentor",
            "sixth form", "16 year old", "17 year old", "15 year old", "14 year old")),
        "volunteering": ("Volunteering", (
            "volunteer", "volunteering", "give something back", "giving back",
            "something useful to do", "purpose", "feel useful", "keep busy",
            "something to do", "structure to my week", "time on my hands")),
    }),
    "substance_use": (("substance use", "addiction", "addicted", "recovery"), {
        "alcohol_support": ("Alcohol support", (
            "alcohol", "drinking", "drink", "drunk", "booze", "alcoholic", "aa",
            "alcoholics anonymous", "hangover", "cans", "detox")),
        "drug_support": ("Drug support", (
            "drugs", "drug", "cannabis", "weed", "cocaine", "crack", "heroin", "spice",
            "substance", "methadone", "needle exchange", "ketamine")),
        "gambling_support": ("Gambling support", (
            "gambling", "gamble", "betting", "bookies", "slots", "casino", "online betting",
            "scratch cards")),
        "stop_smoking": ("Stop smoking", (
            "smoking", "smoke", "smoker", "cigarettes", "vaping", "vape", "quit smoking",
            "stop smoking", "nicotine", "tobacco")),
    }),
    "carer_support": (("carer", "carers", "unpaid carer"), {
        "carers_support": ("Support for carers", (
            "caring for", "care for my", "look after my", "looking after my",
            "exhausted caring", "carer's assessment", "carers assessment", "young carer",
            "carers centre", "carer support", "caring", "i care for", "caring role",
            "exhausted")),
        "respite_care": ("Respite and breaks for carers", (
            "respite", "a break", "break from caring", "day centre", "sitting service",
            "time off", "time for myself", "day care", "short break")),
        "dementia_support": ("Dementia support", (
            "dementia", "alzheimer", "alzheimer's", "memory problems", "memory loss",
            "forgetful", "forgetting", "memory cafe", "confused", "confusion")),
    }),
    "physical_activity": (("physical activity", "active", "fitness", "get moving"), {
        "walking_groups": ("Walking groups", (
            "walk", "walking", "walks", "ramble", "rambling", "nordic walking",
            "get outdoors", "fresh air", "walking group", "health walk", "park")),
        "exercise_classes": ("Exercise classes and sport", (
            "exercise", "gym", "fitness", "chair exercise", "chair-based", "yoga",
            "tai chi", "swimming", "swim", "dance", "dancing", "keep fit", "lose weight",
            "weight", "get fit", "falls", "strength and balance", "football", "sport",
            "cycling", "pilates", "move more", "unfit")),
        "gardening": ("Gardening and green activities", (
            "gardening", "garden", "allotment", "growing", "grow", "green space", "nature",
            "conservation", "outdoors", "woodland", "green")),
    }),
    "food": (("food", "nutrition", "eating"), {
        "food_bank": ("Food banks and food parcels", (
            "food bank", "foodbank", "food parcel", "food voucher", "no food",
            "nothing to eat", "hungry", "hunger", "can't afford food", "empty cupboards",
            "pantry", "food pantry", "feed my kids", "feed my children", "feed the kids",
            "skipping meals", "run out of food")),
        "community_meals": ("Community meals", (
            "hot meal", "community meal", "free meal", "meals", "community kitchen",
            "soup kitchen", "lunch", "breakfast club", "meals on wheels", "meal")),
        "cooking_healthy_eating": ("Cooking and healthy eating", (
            "cooking", "cook", "healthy eating", "eat healthily", "eat better", "diet",
            "recipes", "meal planning", "cookery", "nutrition advice")),
    }),
    "immigration": (("immigration", "asylum", "migrant"), {
        "refugee_support": ("Refugee and asylum seeker support", (
            "refugee", "asylum", "asylum seeker", "fled", "fleeing", "home office",
            "leave to remain", "new to the uk", "new to the country", "arrived",
            "resettlement", "resettled", "war", "hotel", "destitute", "destitution")),
        "immigration_advice": ("Immigration advice", (
            "visa", "immigration", "no recourse to public funds", "nrpf", "settled status",
            "citizenship", "home office", "immigration status", "passport", "brp",
            "deportation", "right to remain")),
        "english_language": ("English language classes", (
            "esol", "english classes", "learn english", "speak english", "english lessons",
            "little english", "no english", "language barrier", "english")),
    }),
    "digital_exclusion": (("digital exclusion", "digital", "online"), {
        "digital_skills": ("Digital skills", (
            "computer", "computers", "internet", "online", "email", "smartphone", "tablet",
            "ipad", "apply online", "use the internet", "nhs app", "video call", "zoom",
            "not good with computers", "technology", "digital skills")),
        "devices_and_data": ("Devices and data", (
            "no phone", "no internet", "sim card", "free data", "laptop", "broadband",
            "wifi", "wi-fi", "mobile data", "data bank", "phone credit", "device")),
    }),
    "ltc_self_management": (("long-term condition", "long term condition", "self-management",
                             "self management", "condition"), {
        "condition_groups": ("Long-term condition support groups", (
            "diabetes", "diabetic", "heart", "heart failure", "heart attack", "copd",
            "asthma", "arthritis", "stroke", "cancer", "breathless", "breathlessness",
            "chronic pain", "pain", "sickle cell", "kidney", "parkinson's", "parkinsons",
            "multiple sclerosis", "fibromyalgia", "epilepsy", "lung")),
        "self_management_courses": ("Self-management courses", (
            "manage my condition", "managing my condition", "self management course",
            "education programme", "desmond", "expert patient", "pulmonary rehab",
            "pulmonary rehabilitation", "cardiac rehab", "cardiac rehabilitation",
            "understand my condition", "medication", "blood sugar", "insulin",
            "blood pressure")),
    }),
    "transport": (("transport", "travel", "getting to appointments"), {
        "community_transport": ("Community transport", (
            "transport", "lift", "lifts", "bus", "taxi", "dial a ride", "dial-a-ride",
            "can't get to", "cannot get to", "get to appointments", "get to hospital",
            "travel", "mobility", "driving", "can't drive", "wheelchair", "hospital transport",
            "getting about", "get about")),
        "travel_costs": ("Help with travel costs", (
            "travel costs", "bus fare", "fares", "fare", "parking", "cost of travel",
            "freedom pass", "bus pass", "taxi fare")),
    }),
    "domestic_abuse": (("domestic abuse", "safety", "abuse"), {
        "domestic_abuse_support": ("Domestic abuse support", (
            "domestic abuse", "domestic violence", "abusive", "abuse", "abused",
            "hits me", "hit me", "hurts me", "controlling", "coercive", "coercive control",
            "afraid of my partner", "scared of my partner", "scared of him", "afraid of him",
            "violent", "violence", "stalking", "stalked", "honour based", "forced marriage",
            "threatens me", "idva")),
        "refuge": ("Refuges and safe housing", (
            "refuge", "safe house", "flee", "escape", "leave my partner", "safe place",
            "somewhere safe", "get away from")),
    }),
}


@dataclass(frozen=True)
class Term:
    """One taxonomy term: a NEEDS theme (``parent`` None) or a sub-theme."""

    code: str
    label: str
    parent: str | None
    synonyms: tuple[str, ...]

    @property
    def id(self) -> str:
        """The HSDS taxonomy term id: a UUID fixed by the code."""
        return term_id(self.code)

    @property
    def theme(self) -> str:
        """The NEEDS code this term is filed under (itself for a theme)."""
        return self.parent or self.code


def term_id(code: str) -> str:
    """The HSDS id of the term ``code`` (stable across runs and exports)."""
    return str(uuid.uuid5(uuid.UUID(TAXONOMY_ID), code))


def _build() -> dict[str, Term]:
    if set(_THEMES) != set(NEEDS):
        raise AssertionError("every NEEDS code, and only those, must be a theme")
    terms: dict[str, Term] = {}
    for theme, (words, children) in _THEMES.items():
        terms[theme] = Term(theme, NEEDS[theme], None, words)
        for code, (label, synonyms) in children.items():
            if code in terms or code in NEEDS:
                raise AssertionError(f"taxonomy code {code!r} is declared twice")
            terms[code] = Term(code, label, theme, synonyms)
    return terms


TERMS: dict[str, Term] = _build()
"""Every term by code: the NEEDS themes first, each followed by its sub-themes."""


def children(code: str) -> list[Term]:
    """The sub-themes filed directly under ``code`` (none for a sub-theme)."""
    return [term for term in TERMS.values() if term.parent == code]


def descendants(codes: Iterable[str]) -> set[str]:
    """``codes`` with every term filed under them. An unknown code raises ``KeyError``."""
    found: set[str] = set()
    for code in codes:
        if code not in TERMS:
            raise KeyError(f"unknown taxonomy term {code!r}")
        found.add(code)
        found.update(term.code for term in children(code))
    return found


# Words and phrases are compared as sequences of normalised tokens: lower case, apostrophes
# dropped ("can't" → "cant"), anything else not a letter or digit a space, and a plural "s"
# taken off ("benefits" → "benefit", but not "stress").
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _token(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> tuple[str, ...]:
    """``text`` as normalised tokens, the form phrases are matched in."""
    plain = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", (text or "").lower()))
    return tuple(_token(word) for word in plain.split())


@dataclass(frozen=True)
class TermMatch:
    """A term the text speaks of, the phrases that said so, and how strongly (the number of
    words matched: "no one to talk to" counts more than "alone")."""

    term: Term
    phrases: tuple[str, ...]

    @property
    def strength(self) -> int:
        return sum(len(tokens(phrase)) for phrase in self.phrases)


def _phrase_index() -> dict[tuple[str, ...], list[tuple[str, str]]]:
    index: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for term in TERMS.values():
        for phrase in (term.label, *term.synonyms):
            index.setdefault(tokens(phrase), []).append((term.code, phrase))
    return index


_PHRASES = _phrase_index()
_LONGEST = max(len(key) for key in _PHRASES)


def match_text(text: str) -> list[TermMatch]:
    """The terms ``text`` speaks of, strongest first (ties in taxonomy order).

    Every phrase of a term (its label and synonyms) found in the text as whole words counts;
    where phrases overlap, each still counts (so "can't pay my rent" is debt advice through
    "can't pay" and housing advice through "rent").
    """
    words = tokens(text)
    found: dict[str, list[str]] = {}
    for start in range(len(words)):
        for length in range(1, min(_LONGEST, len(words) - start) + 1):
            for code, phrase in _PHRASES.get(words[start:start + length], ()):
                if phrase not in found.setdefault(code, []):
                    found[code].append(phrase)
    order = list(TERMS)
    matches = [TermMatch(TERMS[code], tuple(phrases)) for code, phrases in found.items()]
    return sorted(matches, key=lambda m: (-m.strength, order.index(m.term.code)))


def as_hsds_term(code: str) -> dict:
    """The HSDS 3.0 ``taxonomy_term`` object for ``code`` (with its taxonomy)."""
    term = TERMS[code]
    hsds = {
        "id": term.id, "code": term.code, "name": term.label,
        "description": f"{term.label}: {', '.join(term.synonyms[:6])}",
        "taxonomy": TAXONOMY_NAME, "taxonomy_id": TAXONOMY_ID, "language": "en",
        "taxonomy_detail": {"id": TAXONOMY_ID, "name": TAXONOMY_NAME,
                            "description": "Themes and sub-themes of need Upstream records "
                                           "and files community services under",
                            "uri": "https://upstream.example/taxonomy/needs", "version": "1"},
    }
    if term.parent:
        hsds["parent_id"] = term_id(term.parent)
    return hsds
