"""``laurel import-members FILE [--unit CODE] [--dry-run] [--report REPORT.xlsx]``;
``laurel import-members --template roster.xlsx`` writes the blank sheet to fill in."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from laurel.importing import MEMBER_TEMPLATE, ImportCommand
from laurel.members.services import member_file_import
from laurel.orgs.models import Unit


class Command(ImportCommand):
    help = "Import members from .xlsx/.xls/.csv; rows naming no unit go to --unit."
    template = MEMBER_TEMPLATE

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--unit", help="The unit (code) for rows that name none.")

    def handle(self, *args, **options):
        self.default_unit = None
        if options["unit"]:
            self.default_unit = Unit.objects.filter(code__iexact=options["unit"]).first()
            if self.default_unit is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": options["unit"]})
        return super().handle(*args, **options)

    def run_import(self, *, acting_user, source, dry_run, progress):
        return member_file_import(
            acting_user=acting_user,
            source=source,
            filename=source.name,
            default_unit=self.default_unit,
            dry_run=dry_run,
            progress=progress,
        )
