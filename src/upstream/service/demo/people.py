"""Synthetic people for the demo world: plausible East and North London residents, none real.

Everything is drawn from the ``random.Random`` passed in, so one seed always gives the same
people. NHS numbers come from the 999 test range; phone numbers from Ofcom's drama ranges;
emails use ``example.com``; postcodes have a real format but are made up.
"""

import datetime
import random
from dataclasses import dataclass

from upstream.standards import nhs_number

# Given names by sex, and family names, grouped loosely by the backgrounds found in the
# boroughs these programmes serve. Each group is paired with NHS ethnic category codes.
_GROUPS = [
    (("A", "B", "C"), 30,
     {"F": ["Emma", "Sophie", "Jessica", "Chloe", "Lauren", "Megan", "Karen", "Susan", "Joan",
            "Kayleigh", "Hannah", "Agnieszka", "Ewa", "Siobhan"],
      "M": ["Jack", "Harry", "Daniel", "Liam", "Connor", "Gary", "Paul", "Terry", "Michael",
            "Kieran", "Piotr", "Tomasz", "Sean", "Dean"]},
     ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Walker", "Murphy", "Kelly", "O'Brien",
      "Nowak", "Kowalski", "Harris", "Clarke", "Turner", "Hughes", "Baker"]),
    (("H", "J", "K", "L"), 28,
     {"F": ["Fatima", "Ayesha", "Nusrat", "Priya", "Shabnam", "Tahmina", "Anjali", "Rukhsana",
            "Sumaiya", "Nadia", "Farzana", "Meera"],
      "M": ["Mohammed", "Abdul", "Rahul", "Imran", "Shahid", "Arjun", "Tariq", "Ravi",
            "Jamal", "Sanjay", "Rafiq", "Ibrahim"]},
     ["Begum", "Khan", "Ahmed", "Uddin", "Rahman", "Patel", "Hussain", "Ali", "Miah", "Islam",
      "Chowdhury", "Shah", "Singh", "Hossain"]),
    (("M", "N", "P"), 24,
     {"F": ["Amara", "Abena", "Chidinma", "Grace", "Shanice", "Precious", "Hodan", "Faith",
            "Adaeze", "Keisha", "Naomi", "Ifeoma"],
      "M": ["Kwame", "Tunde", "Emmanuel", "Jerome", "Abdi", "Kofi", "Marcus", "Samuel",
            "Chinedu", "Tyrone", "Yusuf", "Daniel"]},
     ["Okafor", "Mensah", "Adeyemi", "Campbell", "Mohamed", "Williams", "Osei", "Johnson",
      "Farah", "Brown", "Nwosu", "Thomas", "Boateng", "Francis"]),
    (("D", "E", "F", "G"), 8,
     {"F": ["Maya", "Leah", "Jade", "Aaliyah", "Tia", "Zara"],
      "M": ["Jayden", "Malik", "Reuben", "Isaac", "Kai", "Nathan"]},
     ["Richards", "Grant", "Lewis", "Robinson", "Edwards", "Bailey"]),
    (("R", "S"), 10,
     {"F": ["Mei", "Elif", "Ana", "Yasmin", "Lin", "Rosa", "Dilara"],
      "M": ["Wei", "Mehmet", "Carlos", "Hassan", "Jun", "Tiago", "Emre"]},
     ["Chen", "Yilmaz", "Silva", "Wong", "Demir", "Santos", "Li", "Kaya"]),
]

# Made-up London outward codes (valid format) with the languages most often asked for there.
_OUTWARD = ["E1", "E2", "E3", "E6", "E13", "E14", "E15", "E16", "N9", "N15", "N17", "N18",
            "EN1", "EN3", "UB3", "UB4", "UB8", "W10", "W11", "NW6"]
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_STREETS = ["Commercial Road", "Mile End Road", "Roman Road", "Chrisp Street", "Burdett Road",
            "Fore Street", "Silver Street", "High Road", "Green Lanes", "Uxbridge Road",
            "Ladbroke Grove", "Kilburn High Road", "Barking Road", "Plashet Grove",
            "Station Road", "Church Lane", "Victoria Park Road", "Hertford Road"]
_LANGUAGES = ["English"] * 14 + ["Bengali", "Somali", "Turkish", "Polish", "Portuguese",
                                  "Urdu", "Gujarati", "Arabic", "Romanian", "Tigrinya"]
_ACCESS_NEEDS = ["Large print letters", "Easy read information", "BSL interpreter",
                 "Prefers text messages to calls", "Needs information read aloud"]
_CHANNELS = ["phone"] * 8 + ["sms", "sms", "email", "letter", "home_visit", "video"]

# IMD deciles skewed to the most deprived (1): over three quarters in deciles 1-4.
_IMD_WEIGHTS = [24, 20, 16, 12, 8, 6, 5, 4, 3, 2]


@dataclass(frozen=True)
class PersonDetails:
    """Field values for ``people.Person`` (see ``as_fields``)."""

    nhs_number: str | None
    given_name: str
    family_name: str
    date_of_birth: datetime.date
    sex: str
    gender_identity: str
    ethnic_category: str
    address: str
    postcode: str
    lsoa_code: str
    imd_decile: int
    gp_practice_ods: str
    phone: str
    email: str
    preferred_channel: str
    preferred_language: str
    interpreter_needed: bool
    accessible_information_needs: str
    consent_to_share: bool

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _postcode(rng: random.Random) -> str:
    letters = "".join(rng.choice(_INWARD_LETTERS) for _ in range(2))
    return f"{rng.choice(_OUTWARD)} {rng.randrange(1, 10)}{letters}"


def make_person(rng: random.Random, *, ages: tuple[int, int], today: datetime.date,
                used_numbers: set[str]) -> PersonDetails:
    """One synthetic person aged between ``ages`` (inclusive) on ``today``.

    ``used_numbers`` collects the NHS numbers handed out so none repeats; about one person in
    twenty has no NHS number (people without one can still be referred).
    """
    codes, _, given_by_sex, family = rng.choices(_GROUPS, weights=[g[1] for g in _GROUPS])[0]
    sex = rng.choice("FFFMMM" + "FM" * 10 + "I")
    name_sex = sex if sex in "FM" else rng.choice("FM")
    given = rng.choice(given_by_sex[name_sex])
    family_name = rng.choice(family)
    age_days = rng.randint(ages[0] * 365 + 1, ages[1] * 365 + 300)
    number = None
    if rng.random() > 0.05:
        number = nhs_number.synthetic(rng)
        while number in used_numbers:
            number = nhs_number.synthetic(rng)
        used_numbers.add(number)
    language = rng.choice(_LANGUAGES)
    channel = rng.choice(_CHANNELS)
    email = ""
    if channel == "email" or rng.random() < 0.4:
        email = f"{given}.{family_name}{rng.randrange(10, 99)}@example.com".lower().replace("'", "")
    return PersonDetails(
        nhs_number=number,
        given_name=given,
        family_name=family_name,
        date_of_birth=today - datetime.timedelta(days=age_days),
        sex=sex,
        gender_identity=rng.choices(
            ["2" if name_sex == "F" else "1", "3", "Z", "X"], weights=[90, 3, 4, 3]
        )[0],
        ethnic_category=rng.choice(codes) if rng.random() > 0.06 else rng.choice(["Z", "99"]),
        address=f"Flat {rng.randrange(1, 60)}, {rng.randrange(1, 240)} {rng.choice(_STREETS)}, "
                "London",
        postcode=_postcode(rng),
        lsoa_code=f"E0{rng.randrange(1000000, 1034000)}",
        imd_decile=rng.choices(range(1, 11), weights=_IMD_WEIGHTS)[0],
        gp_practice_ods=f"F8{rng.randrange(1000, 9999)}",
        phone=f"07700 900{rng.randrange(1000):03d}",
        email=email,
        preferred_channel=channel,
        preferred_language=language,
        interpreter_needed=language != "English" and rng.random() < 0.6,
        accessible_information_needs=rng.choice(_ACCESS_NEEDS) if rng.random() < 0.12 else "",
        consent_to_share=rng.random() < 0.92,
    )
