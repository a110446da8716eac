"""``manage.py create_api_client "Barts EPR" --team "Heart Centre social prescribing"``"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from upstream.service.accounts.models import Team
from upstream.service.api.tokens import create_client


class Command(BaseCommand):
    help = (
        "Register a system that may post referrals to the given teams through the API, and print "
        "its bearer token. The token is shown only this once: store it in the system's secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the system, e.g. 'Barts EPR'")
        parser.add_argument(
            "--team", dest="teams", action="extend", nargs="+", required=True, metavar="TEAM_NAME",
            help="a team the system may refer to (repeat, or give several)",
        )

    def handle(self, *args, name: str, teams: list[str], **options):
        found = {team.name: team for team in Team.objects.filter(name__in=teams)}
        if missing := [t for t in teams if t not in found]:
            known = ", ".join(Team.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"No team called {', '.join(map(repr, missing))}. Teams: {known}")
        try:
            client, token = create_client(name, found.values())
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"API client {client.name!r} may refer to: {', '.join(sorted(found))}. "
            "Its token follows; it is shown only once."
        )
        self.stdout.write(token)
