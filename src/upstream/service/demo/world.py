"""The synthetic demo world: four teams on pathways like those of real London programmes, their
staff in every role, and about two hundred synthetic people with referrals in every episode
state, contact attempts, plans, sessions and discharge summaries.

``build_demo_world(seed=...)`` fills an empty, migrated database through the real services and
returns the demo logins. The same seed always gives the same people, teams, staff and journeys;
dates are relative to the moment it runs. Every person is synthetic (NHS numbers from the 999
test range).
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from upstream.service.accounts.models import Pathway, Role, Team, User
from upstream.service.demo.connect import add_community_referrals
from upstream.service.demo.directory import add_directory
from upstream.service.demo.journeys import JOURNEYS, Journey, TeamStaff, quiet_days
from upstream.service.demo.outcomes import add_outcomes
from upstream.service.demo.outreach import add_outreach
from upstream.service.demo.people import PersonDetails, make_person
from upstream.service.demo.practice import add_practice
from upstream.service.demo.record import add_record_safety
from upstream.service.demo.schedules import add_schedules
from upstream.service.demo.totp import DEMO_TOTP_KEY
from upstream.service.people.services import find_or_create_person
from upstream.service.referrals import services as referrals
from upstream.service.referrals.models import Referral, RejectReason, TriageOutcome

DEMO_PASSWORD = "Upstream-demo-2026"
"""The one password of every demo user (passes the service's password rules)."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    team: str


ROLE_NAMES = {Role.REFERRER: "Referrer", Role.LINK_WORKER: "Link worker",
              Role.TEAM_LEAD: "Team lead", Role.COMMISSIONER: "Commissioner",
              Role.ADMIN: "Administrator", Role.VCSE_PARTNER: "VCSE partner"}
"""Short role names for the printed logins table."""


def _login(user: User, team: str) -> DemoLogin:
    return DemoLogin(f"{ROLE_NAMES[user.role]} ({user.job_title})", user.username, team)


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    job_title: str


@dataclass(frozen=True)
class TeamPlan:
    """One demo team: its pathway, limits, staff, who it sees and how many of each journey."""

    name: str
    pathway: str
    specialty: str
    caseload_limit: int
    attempts_prompt_after: int
    ages: tuple[int, int]
    needs: tuple[str, ...]
    sources: tuple[str, ...]
    lead: StaffMember
    workers: tuple[StaffMember, ...]
    referrer: StaffMember
    journeys: dict[str, int]


HEART = TeamPlan(
    name="Heart Centre social prescribing", pathway="Heart Centre cardiology",
    specialty="Cardiology", caseload_limit=20, attempts_prompt_after=6, ages=(38, 88),
    needs=("money_debt", "employment_education", "housing", "mental_wellbeing",
           "physical_activity", "loneliness", "food", "immigration"),
    sources=("pathway_clinician",) * 5 + ("gp",),
    lead=StaffMember("rachel.adeyemi", "Rachel", "Adeyemi", "Social prescribing team lead"),
    workers=(
        StaffMember("amara.okafor", "Amara", "Okafor", "Social prescribing link worker"),
        StaffMember("tom.fletcher", "Tom", "Fletcher", "Social prescribing link worker"),
    ),
    referrer=StaffMember("helen.marsh", "Helen", "Marsh",
                         "Advanced clinical practitioner, cardiology"),
    journeys={"referred": 4, "triaged": 1, "allocated": 2, "contacting": 5, "engaged": 3,
              "active": 10, "closing": 2, "closed": 16, "closed_out_of_area": 1,
              "not_engaged": 4, "declined_at_triage": 1, "declined_on_contact": 2,
              "not_suitable": 3, "deceased_in_support": 1},
)
YOUNG_ADULT_DIABETES = TeamPlan(
    name="Young adult diabetes", pathway="Young adult diabetes", specialty="Diabetes",
    caseload_limit=15, attempts_prompt_after=6, ages=(16, 25),
    needs=("mental_wellbeing", "employment_education", "housing", "food", "ltc_self_management",
           "substance_use", "money_debt", "digital_exclusion"),
    sources=("pathway_clinician",) * 4 + ("self", "gp"),
    lead=StaffMember("grace.owusu", "Grace", "Owusu", "Young adult diabetes team lead"),
    workers=(
        StaffMember("jordan.reid", "Jordan", "Reid", "Youth worker"),
        StaffMember("sana.mirza", "Sana", "Mirza", "Social prescribing link worker"),
    ),
    referrer=StaffMember("kate.lawson", "Kate", "Lawson", "Diabetes specialist nurse"),
    journeys={"referred": 3, "triaged": 1, "waiting": 4, "allocated": 2, "contacting": 7,
              "engaged": 2, "active": 17, "closing": 2, "closed": 8, "not_engaged": 5,
              "declined_at_triage": 1, "declined_on_contact": 1, "not_suitable": 1},
)
CHILDREN_AND_YOUNG_PEOPLE = TeamPlan(
    name="Children and young people's social prescribing",
    pathway="Paediatric haematology and renal", specialty="Paediatrics",
    caseload_limit=12, attempts_prompt_after=4, ages=(11, 17),
    needs=("mental_wellbeing", "employment_education", "loneliness", "carer_support",
           "physical_activity", "digital_exclusion", "money_debt"),
    sources=("pathway_clinician",),
    lead=StaffMember("ben.carter", "Ben", "Carter", "Children and young people's team lead"),
    workers=(StaffMember("leila.hassan", "Leila", "Hassan",
                         "Children and young people's social prescriber"),),
    referrer=StaffMember("nkechi.eze", "Nkechi", "Eze", "Consultant paediatric haematologist"),
    journeys={"referred": 2, "waiting": 5, "allocated": 1, "contacting": 2, "engaged": 1,
              "active": 7, "closing": 1, "closed": 5, "not_engaged": 1,
              "declined_at_triage": 1, "declined_on_contact": 1, "not_suitable": 3},
)
HIGH_INTENSITY_USE = TeamPlan(
    name="ED high intensity use service", pathway="Emergency department",
    specialty="Emergency medicine", caseload_limit=20, attempts_prompt_after=6, ages=(18, 90),
    needs=("loneliness", "housing", "substance_use", "mental_wellbeing", "money_debt",
           "ltc_self_management", "immigration", "transport", "domestic_abuse", "carer_support"),
    sources=("pathway_clinician", "pathway_clinician", "case_finding", "case_finding",
             "police_welfare", "gp", "vcse"),
    lead=StaffMember("david.osei", "David", "Osei", "High intensity use service lead"),
    workers=(
        StaffMember("maria.santos", "Maria", "Santos", "Care coordinator"),
        StaffMember("kevin.walsh", "Kevin", "Walsh", "Care coordinator"),
        StaffMember("ruth.bell", "Ruth", "Bell", "Health and wellbeing coach"),
    ),
    referrer=StaffMember("simon.price", "Simon", "Price", "Consultant in emergency medicine"),
    journeys={"referred": 5, "triaged": 1, "waiting": 2, "allocated": 3, "contacting": 8,
              "engaged": 3, "active": 12, "closing": 3, "closed": 14, "closed_out_of_area": 1,
              "closed_redirected": 1, "not_engaged": 6, "declined_at_triage": 2,
              "declined_on_contact": 2, "not_suitable": 3, "deceased_at_triage": 1,
              "deceased_in_support": 1},
)
TEAMS = (HEART, YOUNG_ADULT_DIABETES, CHILDREN_AND_YOUNG_PEOPLE, HIGH_INTENSITY_USE)

COMMISSIONER = StaffMember("claire.dunn", "Claire", "Dunn",
                           "Commissioning manager, North East London ICB")
ADMINISTRATOR = StaffMember("admin", "Sam", "Ellis", "Service administrator")

_ENDED_FIRST = ("closed", "closed_out_of_area", "closed_redirected", "not_engaged",
                "declined_at_triage", "declined_on_contact", "not_suitable",
                "deceased_at_triage", "deceased_in_support")
_UNALLOCATED_LAST = ("waiting", "triaged", "referred")


@dataclass(frozen=True)
class PlannedEpisode:
    """One referral to play: the team, the journey and the person (their details)."""

    team: TeamPlan
    journey: str
    person: PersonDetails
    needs: tuple[str, ...]
    urgent: bool


def _build_order(journey: str) -> int:
    """Ended journeys first (they free caseload places), then ongoing support, then those
    still waiting, so every allocation finds a worker with space."""
    if journey in _ENDED_FIRST:
        return 0
    return 2 if journey in _UNALLOCATED_LAST else 1


def plan_world(seed: int) -> list[PlannedEpisode]:
    """The people and journeys of the demo world for ``seed``: pure, no database.

    Besides one person per journey, three Heart Centre referrals are people the ED service
    also knows, and two ED referrals re-refer people who earlier did not engage.
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    used: set[str] = set()
    planned: list[PlannedEpisode] = []
    for team in TEAMS:
        journeys = [name for name, count in team.journeys.items() for _ in range(count)]
        rng.shuffle(journeys)
        for journey in journeys:
            ages = HEART.ages if journey == "closed_redirected" else team.ages
            person = make_person(rng, ages=ages, today=today, used_numbers=used)
            needs = tuple(rng.sample(team.needs, rng.choice([1, 2, 2, 3])))
            planned.append(PlannedEpisode(team, journey, person, needs, rng.random() < 0.12))
    ed = [p for p in planned if p.team is HIGH_INTENSITY_USE]
    over_40 = [p for p in ed if p.person.nhs_number and "deceased" not in p.journey
               and (today - p.person.date_of_birth).days > 40 * 365]
    for shared in over_40[:3]:
        planned.append(PlannedEpisode(HEART, "active", shared.person, ("money_debt",), False))
    not_engaged = [p for p in ed if p.journey == "not_engaged" and p.person.nhs_number]
    for again in not_engaged[:2]:
        planned.append(PlannedEpisode(HIGH_INTENSITY_USE, "referred", again.person,
                                      again.needs, False))
    return sorted(planned, key=lambda p: _build_order(p.journey))


def _create_staff(member: StaffMember, role: str, password: str, teams=(), **extra) -> User:
    user = User.objects.create(
        username=member.username, first_name=member.first_name, last_name=member.last_name,
        email=f"{member.username}@upstream.example.org", role=role, job_title=member.job_title,
        organisation="Upstream demo NHS Trust", password=password, **extra,
    )
    user.teams.set(teams)
    # Pre-enrolled in two-factor sign-in with the demo's shared key (see demo/totp.py).
    TOTPDevice.objects.create(user=user, name="Demo authenticator", key=DEMO_TOTP_KEY,
                              confirmed=True)
    return user


def _create_teams(password: str) -> tuple[dict[str, TeamStaff], list[DemoLogin]]:
    staff: dict[str, TeamStaff] = {}
    logins: list[DemoLogin] = []
    for plan in TEAMS:
        pathway, _ = Pathway.objects.get_or_create(name=plan.pathway,
                                                   defaults={"specialty": plan.specialty})
        team = Team.objects.create(name=plan.name, pathway=pathway,
                                   caseload_limit=plan.caseload_limit,
                                   attempts_prompt_after=plan.attempts_prompt_after)
        referrer = _create_staff(plan.referrer, Role.REFERRER, password, [team])
        lead = _create_staff(plan.lead, Role.TEAM_LEAD, password, [team])
        workers = [_create_staff(w, Role.LINK_WORKER, password, [team]) for w in plan.workers]
        staff[plan.name] = TeamStaff(team, lead, workers, referrer, list(plan.sources))
        logins += [_login(user, plan.name) for user in (referrer, *workers, lead)]
    commissioner = _create_staff(COMMISSIONER, Role.COMMISSIONER, password)
    admin = _create_staff(ADMINISTRATOR, Role.ADMIN, password, is_staff=True, is_superuser=True)
    logins += [_login(commissioner, "All teams (aggregate figures only)"),
               _login(admin, "All teams")]
    return staff, logins


def _play(planned: PlannedEpisode, staff: dict[str, TeamStaff], rng: random.Random,
          now) -> Journey:
    person, _ = find_or_create_person(planned.person.as_fields())
    journey = Journey(rng=rng, staff=staff[planned.team.name], person=person,
                      needs=list(planned.needs), now=now)
    journey.refer(urgent=planned.urgent)
    if planned.journey == "closed_redirected":
        journey.redirect(staff[HEART.name].team)
    else:
        JOURNEYS[planned.journey](journey)
    episode = journey.finish(quiet_days(rng, planned.journey))
    if episode.status in ("engaged", "active", "closing"):
        journey.set_review(rng.choice([-9, -3, 0, 0, 2, 5, 7, 10, 14, 21]))
    return journey


def _link_duplicates(rng: random.Random, journeys: list[Journey]) -> int:
    """Second referrals, from a GP, for some people already being supported: each is linked to
    the open episode. Half are then closed at triage as duplicates."""
    open_ones = [j for j in journeys if j.episode.is_open and j.episode.status != "referred"]
    chosen = rng.sample(open_ones, min(8, len(open_ones)))
    for number, journey in enumerate(chosen):
        duplicate = referrals.submit_referral(
            person=journey.person, team=journey.staff.team, source="gp",
            needs=journey.needs[:1], reason="GP referral: struggling since hospital discharge.",
            consent_given=True, referrer=None, referrer_name="Dr A. Practice (GP)",
            referrer_contact="practice.manager@example.nhs.uk",
        )
        if number % 2 == 0:
            referrals.triage(duplicate, TriageOutcome.REJECT, by=journey.staff.lead,
                             reject_reason=RejectReason.DUPLICATE,
                             note="Already open to the team; linked.")
    return len(chosen)


def _identity_to_confirm(journeys: list[Journey]) -> Referral | None:
    """One referral, from a community organisation, giving a known person's NHS number with a
    mistyped year of birth: received unlinked, for the team lead to confirm (ADR 0005)."""
    known = next((j for j in journeys if j.person.nhs_number), None)
    if known is None:
        return None
    person = known.person
    return referrals.refer_person(
        {"nhs_number": person.nhs_number, "given_name": person.given_name,
         "family_name": person.family_name, "sex": person.sex, "postcode": person.postcode,
         "date_of_birth": person.date_of_birth.replace(year=person.date_of_birth.year - 1)
         if (person.date_of_birth.month, person.date_of_birth.day) != (2, 29)
         else person.date_of_birth.replace(day=28)},
        team=known.staff.team, source="vcse", needs=known.needs[:1],
        reason="Food bank volunteer: asked for help with bills.", consent_given=True,
        referrer_name="Community food bank", actor_label="demo",
    )


def build_demo_world(seed: int = 2026, progress: Console | None = None) -> list[DemoLogin]:
    """Fill an empty, migrated database with the demo world for ``seed``; return the logins
    (every one uses ``DEMO_PASSWORD``). ``progress`` is a Rich console to show progress on."""
    planned = plan_world(seed)
    rng = random.Random(f"{seed}-journeys")
    now = timezone.now()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=progress, disable=progress is None,
                  transient=False) as bar, transaction.atomic():
        task = bar.add_task("Teams and staff", total=len(planned) + 1)
        staff, logins = _create_teams(make_password(DEMO_PASSWORD))
        bar.advance(task)
        bar.update(task, description="Referrals and episodes")
        journeys = []
        for episode in planned:
            journeys.append(_play(episode, staff, rng, now))
            bar.advance(task)
        bar.update(task, description="Duplicate referrals")
        _link_duplicates(rng, journeys)
        _identity_to_confirm(journeys)
        add_outreach(staff)
        add_practice(staff[HIGH_INTENSITY_USE.name].team, random.Random(f"{seed}-practice"))
        add_record_safety(journeys, random.Random(f"{seed}-record"))
        add_outcomes(journeys, random.Random(f"{seed}-outcomes"))
        add_schedules(staff, random.Random(f"{seed}-schedules"), heart=HEART.name,
                      programme_12_weeks=HIGH_INTENSITY_USE.name,
                      children=CHILDREN_AND_YOUNG_PEOPLE.name)
        bar.update(task, description="Community service directory")
        services = add_directory(seed)
        bar.update(task, description="Community referrals")
        if (partner := add_community_referrals(make_password(DEMO_PASSWORD))) is not None:
            logins.append(_login(partner[0], partner[0].organisation))
        bar.update(task, description=f"Demo world built: {len(planned)} referrals, "
                                     f"{services} community services")
    return logins

