"""``laurel teams import FILE --unit CODE --name NAME [--kind KIND] [--dry-run]
[--report REPORT.xlsx] [--as-user USERNAME]``; ``laurel teams import --template team.xlsx``
writes the blank sheet to fill in.

Prints one line, ``imported N, updated N, unchanged N, rejected N`` (rows, i.e. people: joined
the team, made its leader, already in it, refused); refused rows go to standard error and to
the report. The team of that name in the unit is made if missing. Running it again changes
nothing.
"""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from laurel.importing import ImportCommand
from laurel.members.services import team_file_import
from laurel.members.team_imports import TEAM_TEMPLATE
from laurel.orgs.models import Unit


class Command(ImportCommand):
    help = "Teams: import one team from .xlsx/.xls/.csv (import)."
    template = TEAM_TEMPLATE

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        team_import = actions.add_parser(
            "import",
            help="import a team from a sheet of names with ID numbers or mobiles",
            description="Add the people a sheet names (name and ID number or mobile) to the "
            "team NAME of the unit CODE, made if missing; print "
            "'imported N, updated N, unchanged N, rejected N'.",
        )
        super().add_arguments(team_import)
        team_import.add_argument("--unit", help="The team's unit (code).")
        team_import.add_argument("--name", help="The team's name.")
        team_import.add_argument(
            "--kind", help="A new team's kind (广播体操队, 参赛队); an existing team keeps its own."
        )

    def handle(self, *args, **options):
        if not options.get("template"):
            if not options["unit"] or not options["name"]:
                raise CommandError(_("Give the team's unit (--unit CODE) and name (--name NAME)."))
            self.unit = Unit.objects.filter(code__iexact=options["unit"]).first()
            if self.unit is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": options["unit"]})
            self.team_name, self.kind = options["name"], options["kind"]
        return super().handle(*args, **options)

    def run_import(self, *, acting_user, source, dry_run, progress):
        result, _team = team_file_import(
            acting_user=acting_user,
            source=source,
            filename=source.name,
            unit=self.unit,
            name=self.team_name,
            kind=self.kind,
            dry_run=dry_run,
        )
        progress(len(result.outcomes), len(result.outcomes))
        return result
