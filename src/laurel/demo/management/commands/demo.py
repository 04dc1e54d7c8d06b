"""``laurel demo``: load the May-Day world (idempotent) and print the demo logins.

The loaders (``laurel.demo.loaders``, registered in order in ``laurel.demo.registry``) load
one domain each through its services, each part made once, so that a second run changes
nothing: ``units`` (the city federation, its 38 district/county unions, the city's industry
unions, a few hundred grassroots unions), ``members`` (a few thousand, through the roster
import), ``logins`` (one of each role), ``teams``, ``photo_contest`` (the bulletin's
``photo-2024``, entered, judged and published as in spring 2024, and ``photo-2026-autumn``,
open now), ``craftsmen`` (a contest being judged now) and ``carnival`` (``carnival-2024``,
云阳县's carnival: 69 teams, 1,318 people, 18 booths, full slots with waiting lists). Every
time the services take from the clock (entries, declarations, uploads, screening's flags,
reviews, prizes, notifications, registrations) is set to the story's; only the audit log
keeps when the demo was loaded.

The options are the loaders' (``--members``, ``--photos``, ``--today``);
``--only NAME[,NAME]`` runs just those loaders, in order.
"""

from django.core.management.base import BaseCommand, CommandError

from laurel.demo.registry import LOADERS, DemoRun, LoaderChoiceError, loaders_chosen
from laurel.demo.report import report_write


class Command(BaseCommand):
    help = (
        "Load the May-Day demo world (safe to run again) and print the logins and the public "
        "pages of the 2024 contest's results and exhibition."
    )

    def add_arguments(self, parser):
        for loader in LOADERS:
            for option in loader.options:
                parser.add_argument(option.flag, **option.arguments)
        parser.add_argument(
            "--only",
            metavar="NAME[,NAME]",
            help=f"Run only these loaders (of {', '.join(loader.name for loader in LOADERS)}).",
        )

    def handle(self, *args, **options):
        try:
            chosen = loaders_chosen(options["only"])
        except LoaderChoiceError as refused:
            raise CommandError(str(refused)) from refused
        run = DemoRun(options=options, stdout=self.stdout, stderr=self.stderr)
        for loader in chosen:
            loader.load(run)
        report_write(self.stdout, self.style)
