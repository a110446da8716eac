"""Every word the public "Find support" pages say, in one place, so that one test
(``tests/integration/directory/test_public_reading_age.py``) can measure all of it.

The pages are for anyone: a person, a carer, a GP receptionist. The target is a reading age of
9 to 11 (``READING_AGE_TARGET``). Sentences are measured with the project's formula
(``outreach.readability``: Flesch-Kincaid grade + 5); short labels, where that formula means
nothing, must use only words a 9 year old knows (textstat's Dale-Chall easy words, plus the few
everyday UK words listed in the test). Templates carry no words of their own: they show these.

Texts with ``{name}`` places are filled by the presenters (``public_presenters.py``); the test
measures them with sample values.
"""

READING_AGE_TARGET = 11

NEED_LABELS: dict[str, str] = {
    "money_debt": "Money, bills and debt",
    "housing": "A home, rent or being homeless",
    "loneliness": "Feeling lonely or cut off",
    "mental_wellbeing": "Feeling low, worried or stressed",
    "employment_education": "Work, jobs and learning",
    "substance_use": "Drink or drugs",
    "carer_support": "Caring for someone",
    "physical_activity": "Keeping fit",
    "food": "Food",
    "immigration": "Coming to live in the UK",
    "digital_exclusion": "Help to get online",
    "ltc_self_management": "Living with a long illness",
    "transport": "Getting to places",
    "domestic_abuse": "Being hurt or scared at home",
}
"""A plain name for each theme of need (``vocabularies.NEEDS`` codes; a test checks that
every code has one and no other)."""

# The search page.
SERVICE_NAME = "Find support near you"
FIND_TITLE = "Find support near you"
FIND_INTRO = ("Find free and local help from groups and services near you. "
              "You do not need to sign in.")
FIND_PRIVACY = "We do not keep what you type or who you are."
NEED_LABEL = "What do you need help with?"
NEED_ANY = "Choose one"
TEXT_LABEL = "Or tell us in your own words"
TEXT_HINT = "For example, I can't pay my rent, or I feel alone."
POSTCODE_LABEL = "Your postcode"
POSTCODE_HINT = "We use it to find help near you. For example, DN15 6NL."
MILES_LABEL = "How far can you go?"
MILES_CHOICES = [("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles"), ("10", "10 miles"),
                 ("25", "25 miles")]
SEARCH_BUTTON = "Search"

# Too many searches from one place in a short time (429).
TOO_MANY_TITLE = "Please wait a minute"
TOO_MANY_TEXT = "There have been a lot of searches from your computer or phone in a short time."
TOO_MANY_NEXT = "Wait a minute, then search again."
TOO_MANY_LINK = "Go back to the search"
ERROR_TITLE = "There is a problem"
ERROR_PREFIX = "Error: "

# Problems with what was typed.
NEED_OR_WORDS_MISSING = ("Choose what you need help with, tell us in your own words, or "
                         "enter your postcode.")
NEED_UNKNOWN = "Choose what you need help with from the list."
TEXT_TOO_LONG = "Use 200 letters or fewer to tell us what you need."
TEXT_ODD = "We cannot read some of what you typed. Type it again."
POSTCODE_NOT_REAL = "Enter a real postcode, like DN15 6NL."
POSTCODE_NOT_FOUND = ("We cannot find that postcode. Check it, or leave it out to look "
                      "everywhere.")
POSTCODE_NOT_LOADED = ("We cannot look up postcodes just now. Leave it out to look "
                       "everywhere.")
MILES_UNKNOWN = "Choose how far you can go from the list."
PAGE_NOT_A_NUMBER = "The page number must be a whole number from 1 to {most}."

# Results.
RESULTS_FOUND = "We found {count} places that may help."
RESULTS_FOUND_ONE = "We found 1 place that may help."
RESULTS_SHOWN = "This page shows {first} to {last}."
RESULTS_NONE = "We did not find any help for that."
RESULTS_NONE_TIPS = ["Try other words.", "Choose what you need from the list.",
                     "Look further from your postcode."]
RESULTS_HEADING = "What we found"
PREVIOUS_PAGE = "Back"
NEXT_PAGE = "More"
PAGINATION_LABEL = "Pages of results"
HELPS_WITH = "Helps with"
WHERE = "Where"
HOW_FAR = "How far"
WHEN_OPEN = "When it is open"
COST = "Cost"
GET_IN_TOUCH = "How to get in touch"
NEW_PEOPLE = "New people"

MILES_AWAY = "{miles} miles away"
LESS_THAN_A_MILE = "Less than 1 mile away"

OPEN_NOW = "Open now, until {time}"
OPENS_TODAY = "Opens today at {time}"
OPENS_ON_DAY = "Opens on {day} at {time}"
OPENS_ON_DATE = "Opens on {date}"
OPENING_NOT_KNOWN = "Ask them when it is open."

TAKING_NEW_PEOPLE = "Taking new people"
TAKING_NEW_PEOPLE_WAIT = "Taking new people. The wait is about {wait}."
NOT_TAKING_NEW_PEOPLE = "Not taking new people just now"
NEW_PEOPLE_NOT_KNOWN = "Ask them if they can take you."

COST_FREE = "Free"
COST_NOT_KNOWN = "Ask them what it costs."
NO_ADDRESS = "They help by phone, online or at your home."
CONTACT_NOT_KNOWN = "No phone, email or website given."
PHONE = "Phone"
EMAIL = "Email"
WEBSITE = "Website"

# A service's page and its leaflet.
WHO_FOR = "Who it is for"
ANY_AGE = "Any age"
AGES_FROM = "Age {low} and over"
AGES_UP_TO = "Age {high} and under"
AGES_BETWEEN = "Age {low} to {high}"
HOW_TO_START = "How to start"
LANGUAGES = "Languages"
ACCESS = "Getting in"
OPENING_TIMES = "Days and times"
CHECKED = "Last checked"
NOT_CHECKED = "Not checked"
MAY_BE_OLD = "Call them before you go. This may be out of date."
BACK_TO_RESULTS = "Back to search"
LEAFLET_LINK = "Print a leaflet"
LEAFLET_PDF_LINK = "Save the leaflet as a PDF"
LEAFLET_PRINT_BUTTON = "Print this page"
LEAFLET_HEADING = "About this service"
LEAFLET_FOOT = ("We got this from the local list of services. "
                "Call them before you go to check it is still right.")
SERVICE_NOT_FOUND = "We cannot find that service. It may have closed."
CAN_SEE = "To find more help, go to"

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
EVERY = "Every {days}"
FROM_TO = "{opens} to {closes}"


def all_texts() -> dict[str, str]:
    """Every text above by name (lists and dictionaries flattened), for the reading-age test."""
    found: dict[str, str] = {}
    for name, value in globals().items():
        if not name.isupper() or name == "READING_AGE_TARGET":
            continue
        if isinstance(value, str):
            found[name] = value
        elif isinstance(value, dict):
            found.update({f"{name}[{key}]": text for key, text in value.items()})
        elif isinstance(value, list):
            for index, item in enumerate(value):
                text = item[1] if isinstance(item, tuple) else item
                found[f"{name}[{index}]"] = text
    return found
