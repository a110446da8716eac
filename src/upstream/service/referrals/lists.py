"""What each referral list page lets its user search, filter and sort (``ui.lists``).

Each ``*_spec`` takes the signed-in user so that choices (their teams) are theirs only. The
searches match what the page shows: a referrer's list searches the person *as they referred
them* (``referred_*``), never the stored record.
"""

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from upstream.service.referrals.models import TriageOutcome, Urgency
from upstream.service.referrals.states import OPEN
from upstream.service.ui.lists import Column, Filter, ListSpec, Search
from upstream.standards import nhs_number

URGENT_FIRST = Case(When(urgency=Urgency.URGENT, then=Value(0)), default=Value(1),
                    output_field=IntegerField())


def name_or_nhs_number(given: str, family: str, number: str):
    """A search over the given fields: ten digits (any spacing) match the NHS number exactly;
    anything else matches rows where every word is in the given or family name."""

    def apply(queryset: QuerySet, text: str) -> QuerySet:
        digits = nhs_number.normalise(text)
        if digits.isdigit():
            return queryset.filter(**{number: digits})
        for word in text.split():
            queryset = queryset.filter(Q(**{f"{given}__icontains": word})
                                       | Q(**{f"{family}__icontains": word}))
        return queryset

    return apply


def team_filter(user, field: str = "team") -> Filter:
    """Narrow to one of the user's teams."""
    teams = [(str(t.pk), t.name) for t in user.teams.order_by("name")]
    return Filter("team", "Team", teams, lambda qs, v: qs.filter(**{f"{field}_id": int(v)}),
                  all_text="All your teams")


def urgency_filter() -> Filter:
    return Filter("urgency", "Urgency", list(Urgency.choices),
                  lambda qs, v: qs.filter(urgency=v), all_text="Any urgency")


PERSON_COLUMNS = (
    Column("Person", ("person__family_name", "person__given_name"), key="name"),
    Column("Date of birth", ("person__date_of_birth",), key="born"),
)
"""Name and date of birth, so two people with the same name can be told apart."""

PERSON_SEARCH = Search("Name or NHS number", name_or_nhs_number(
    "person__given_name", "person__family_name", "person__nhs_number"),
    hint="For example, Smith or 999 123 4560")

MINE_OUTCOMES = {
    "awaiting": ("Awaiting triage", Q(triage_outcome="")),
    "open": ("Accepted, still open", Q(triage_outcome=TriageOutcome.ACCEPT,
                                       episode__status__in=[s.value for s in OPEN])),
    "closed": ("Accepted, now closed", Q(triage_outcome=TriageOutcome.ACCEPT)
               & ~Q(episode__status__in=[s.value for s in OPEN])),
    "not_accepted": ("Not accepted or redirected",
                     Q(triage_outcome__in=[TriageOutcome.REJECT, TriageOutcome.REDIRECT])),
}


def mine_spec(user, teams: list[tuple[str, str]]) -> ListSpec:
    """'My referrals': ``teams`` are the (id, name) of teams the referrer has referred to."""
    return ListSpec(
        columns=(
            Column("Person", ("referred_family_name", "referred_given_name"), key="name"),
            Column("Date of birth", ("referred_date_of_birth",), key="born"),
            Column("Team", ("team__name",)),
            Column("Referred", ("received_at",)),
            Column("Status"),
        ),
        default_sort="-referred",
        filters=(
            Filter("outcome", "What happened", [(k, t) for k, (t, _) in MINE_OUTCOMES.items()],
                   lambda qs, v: qs.filter(MINE_OUTCOMES[v][1]), all_text="Anything"),
            Filter("team", "Team", teams, lambda qs, v: qs.filter(team_id=int(v)),
                   all_text="All teams"),
        ),
        search=Search("Name or NHS number", name_or_nhs_number(
            "referred_given_name", "referred_family_name", "referred_nhs_number"),
            hint="As you gave them when you referred"),
        noun=("referral", "referrals"),
    )


def triage_spec(user) -> ListSpec:
    return ListSpec(
        columns=(
            *PERSON_COLUMNS,
            Column("Received", ("received_at",)),
            Column("Days waiting", ("-received_at",), key="days", numeric=True),
            Column("Team", ("team__name",)),
            Column("Urgency", (URGENT_FIRST, "received_at")),
            Column("Needs"),
        ),
        default_sort="urgency",
        filters=(team_filter(user), urgency_filter()),
        search=PERSON_SEARCH,
        noun=("referral", "referrals"),
    )


def waiting_spec(user) -> ListSpec:
    """The waiting list. Position is within each team (``services.waiting_queryset``), so the
    list offers only the team filter: a search would hide who is ahead."""
    return ListSpec(
        columns=(
            Column("Position", ("team__name", "position"), numeric=True),
            *PERSON_COLUMNS,
            Column("Team", ("team__name", "position")),
            Column("Urgency", (F("urgent").desc(), "opened_at")),
            Column("Referred", ("opened_at",)),
            Column("Days waiting", ("-opened_at",), key="days", numeric=True),
        ),
        default_sort="position",
        filters=(team_filter(user),),
        noun=("person waiting", "people waiting"),
    )


def accepted_spec(user) -> ListSpec:
    """The board's 'accepted, not yet allocated' list."""
    return ListSpec(
        columns=(
            *PERSON_COLUMNS,
            Column("Team", ("team__name", "opened_at")),
            Column("Referred", ("opened_at",)),
            Column("Allocate"),
        ),
        default_sort="referred",
        filters=(team_filter(user),),
        search=PERSON_SEARCH,
        noun=("person", "people"),
    )


def identity_spec(user) -> ListSpec:
    return ListSpec(
        columns=(
            Column("Person as referred", ("referred_family_name", "referred_given_name"),
                   key="name"),
            Column("Date of birth as referred", ("referred_date_of_birth",), key="born"),
            Column("Received", ("received_at",)),
            Column("Team", ("team__name",)),
        ),
        default_sort="received",
        filters=(team_filter(user),),
        search=Search("Name as referred", name_or_nhs_number(
            "referred_given_name", "referred_family_name", "referred_nhs_number")),
        noun=("referral", "referrals"),
    )


def break_glass_spec(user) -> ListSpec:
    return ListSpec(
        columns=(
            Column("When", ("opened_at",)),
            Column("Who", ("user__first_name", "user__last_name", "user__username")),
            *PERSON_COLUMNS,
            Column("Reason"),
        ),
        default_sort="-when",
        search=PERSON_SEARCH,
        noun=("opening", "openings"),
    )
