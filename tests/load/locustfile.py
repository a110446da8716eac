"""Locust load: staff working a normal day, all at once.

Each simulated user is one signed-in member of staff from the seeded world
(``UPSTREAM_LOAD_WORLD``, the JSON written by ``world.py``): link workers and team leads
reading their caseload, people's records and the triage queue, logging contact attempts,
sending referrals through the form, and an electronic patient record posting referrals to the
API. Run it through ``run_load.py``, which builds the world and the server.

A contact attempt refused with 409 (a colleague saved the same episode first) is the service
working as designed, not a failure; it is counted under its own name.
"""

import json
import os
import random
import re
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

from upstream.standards.nhs_number import synthetic

WORLD = json.loads(open(os.environ["UPSTREAM_LOAD_WORLD"]).read())
VERSION = re.compile(r'name="version" value="(\d+)"')
LONDON = ZoneInfo("Europe/London")
NEEDS = ["loneliness", "money_debt", "housing", "mental_wellbeing", "physical_activity"]

_next_staff = iter(range(10**9))
_lock = threading.Lock()


def _person(rng: random.Random) -> dict:
    return {"given_name": "Load", "family_name": f"Tester{rng.randrange(10**6)}",
            "nhs_number": synthetic(rng)}


class Staff(HttpUser):
    """One member of staff, signed in (session cookies made by the world builder)."""

    wait_time = between(1, 3)

    def on_start(self):
        with _lock:
            self.me = WORLD["staff"][next(_next_staff) % len(WORLD["staff"])]
        self.client.cookies.update(self.me["cookies"])
        self.client.headers["X-CSRFToken"] = self.me["cookies"]["csrftoken"]
        self.rng = random.Random()

    def _page(self, url: str, name: str):
        with self.client.get(url, name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code}")
            return response

    @task(3)
    def caseload(self):
        self._page("/engagement/caseload/", "caseload")

    @task(3)
    def person_page(self):
        self._page(f"/people/{self.rng.choice(self.me['people'])}/", "person page")

    @task(2)
    def triage_queue(self):
        self._page("/referrals/triage/", "triage queue")

    @task(2)
    def contact_attempt(self):
        if not self.me["episodes"]:
            return
        url = f"/engagement/episodes/{self.rng.choice(self.me['episodes'])}/contacts/"
        page = self._page(url, "contacts page")
        found = VERSION.search(page.text or "")
        if not found:
            return  # the episode has ended (no form): nothing to log
        at = (datetime.now(LONDON) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
        with self.client.post(url, data={
            "version": found.group(1), "at": at, "channel": "phone", "outcome": "no_answer",
            "note": "Load test: no answer",
        }, name="contact attempt (post)", allow_redirects=False,
                catch_response=True) as response:
            if response.status_code == 409:
                response.request_meta["name"] = "contact attempt refused: stale (409)"
                response.success()
            elif response.status_code != 302:
                response.failure(f"contact attempt: HTTP {response.status_code}")

    @task(1)
    def referral_form(self):
        person = _person(self.rng)
        with self.client.post("/referrals/new/", data={
            **person, "date_of_birth[day]": "7", "date_of_birth[month]": "11",
            "date_of_birth[year]": "1961", "sex": "F", "postcode": "E1 1BB",
            "phone": "07700 900123", "preferred_channel": "phone",
            "preferred_language": "English", "accessible_information_needs": "",
            "team": str(self.me["team"]), "source": "pathway_clinician",
            "needs": self.rng.sample(NEEDS, 2), "reason": "Load test referral",
            "urgency": "routine", "consent": "yes",
        }, name="referral form (post)", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"referral form: HTTP {response.status_code}")

    @task(1)
    def api_referral(self):
        person = _person(self.rng)
        with self.client.post("/api/v1/referrals", json={
            "person": {**person, "date_of_birth": "1958-02-03", "sex": "M",
                       "postcode": "E1 1BB", "phone": "07700 900456"},
            "referral": {"team": self.rng.choice(WORLD["team_names"]),
                         "source": "pathway_clinician", "needs": self.rng.sample(NEEDS, 2),
                         "reason": "Load test referral from the EPR", "consent_given": True},
        }, headers={"Authorization": f"Bearer {WORLD['api_token']}"},
                name="API referral (post)", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"API referral: HTTP {response.status_code}")
