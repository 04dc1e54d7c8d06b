"""``laurel import-units FILE [--dry-run] [--report REPORT.xlsx]``: load the unit tree.
``laurel import-units --template units.xlsx`` writes the blank sheet to fill in (units have
no console import page)."""

from laurel.importing import UNIT_TEMPLATE, ImportCommand
from laurel.orgs.services import unit_file_import


class Command(ImportCommand):
    help = "Import units from .xlsx/.xls/.csv (单位名称, 单位代码, 上级单位代码)."
    template = UNIT_TEMPLATE

    def run_import(self, *, acting_user, source, dry_run, progress):
        return unit_file_import(
            acting_user=acting_user, source=source, filename=source.name, dry_run=dry_run
        )
