"""``laurel media check`` and ``laurel media ingest``.

``laurel media check FILE... [--min-long-edge PX] [--max-bytes N] [--max-pixels N]``: one
JSON object per line per file: file, ok, code, reason, format, width, height, taken_at,
camera, gps, sha256, phash, duplicate_of (the other files of this call that are exact or
near duplicates of it). Exit 0 when every file is ok, 1 when any is refused, 2 on usage
errors. It touches no database and writes nothing.

``laurel media ingest DIR|ZIP --contest SLUG [--sheet FILE.xlsx] [--as-user USERNAME]``:
every file becomes an entry of the contest (``contests.ingest``). Standard output carries
exactly one line, ``accepted N, refused N, duplicate N``; each problem (a file or a sheet
row, and why) goes to standard error, and a bar on standard error shows progress on a
terminal. Exit 0 when nothing was refused, 1 otherwise, 2 on usage errors.
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from laurel.accounts.models import Role, RoleGrant
from laurel.contests.ingest import entries_ingest
from laurel.contests.models import Contest
from laurel.contests.services import SubmissionRefused
from laurel.core.photos import DuplicateIndex, Limits, photo_check
from laurel.importing import ImportRefused

INGEST_HELP = """Make an entry of every photo of a folder or a .zip, for its author.
With --sheet, each file's row of the spreadsheet (file name, title, author's ID number or
mobile, category, ...) says what it is. Without one, the files' places say it:
<category name>/<author's ID number or mobile>_<title>.<ext>, for example
自然风光/500118198805120031_春色.jpg. Prints "accepted N, refused N, duplicate N"; the
problems go to standard error."""


def whole_number(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Check photos by their content: verdict, EXIF, fingerprints, duplicates (check); "
        "make contest entries of a folder or zip of them (ingest)."
    )
    requires_system_checks = []  # `check` touches no database; `ingest` needs no checks either

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help="check photo files (writes nothing)")
        check.add_argument("files", nargs="+", type=Path)
        defaults = Limits(**settings.LAUREL_PHOTO_LIMITS)
        check.add_argument("--min-long-edge", type=whole_number, default=defaults.min_long_edge)
        check.add_argument("--max-bytes", type=whole_number, default=defaults.max_bytes)
        check.add_argument("--max-pixels", type=whole_number, default=defaults.max_pixels)
        ingest = actions.add_parser(
            "ingest",
            help="make contest entries of a folder's or a zip's photos",
            description=INGEST_HELP,
        )
        ingest.add_argument("source", type=Path, help="a folder or a .zip of photos")
        ingest.add_argument("--contest", required=True, help="the contest's short name (slug)")
        ingest.add_argument("--sheet", type=Path, help="the entries' spreadsheet (.xlsx/.xls/.csv)")
        ingest.add_argument(
            "--as-user",
            help="submit as this user, within their reach (default: the first federation admin)",
        )
        ingest.add_argument(
            "--workers", type=whole_number, help="threads processing photos (default: one a core)"
        )

    def handle(self, *args, **options):
        if options["action"] == "ingest":
            return self.ingest(**options)
        return self.check(**options)

    def check(self, **options):
        limits = Limits(
            max_bytes=options["max_bytes"],
            max_pixels=options["max_pixels"],
            min_long_edge=options["min_long_edge"],
        )
        language = translation.get_language() or settings.LANGUAGE_CODE
        index = DuplicateIndex()
        results = []
        for path in options["files"]:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(  # a usage error: exit 2, as argparse's own
                    f"{path}: cannot be read ({error.strerror})", returncode=2
                ) from None
            check = photo_check(data, path.name, limits, renditions=False, language=language)
            summary = check.summary() | {"file": str(path), "duplicate_of": []}
            if check.phash:
                for other, _distance in index.query(check.phash, check.sha256):
                    summary["duplicate_of"].append(other)
                    results[int(other.split("\0")[0])]["duplicate_of"].append(str(path))
                index.add(f"{len(results)}\0{path}", check.phash, check.sha256)
            results.append(summary)
        for summary in results:
            summary["duplicate_of"] = [name.split("\0")[-1] for name in summary["duplicate_of"]]
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if not all(summary["ok"] for summary in results):
            sys.exit(1)

    def ingest(self, **options):
        source: Path = options["source"]
        if not source.exists():
            raise CommandError(
                _("No such file or folder: %(path)s") % {"path": source}, returncode=2
            )
        sheet: Path | None = options["sheet"]
        if sheet is not None and not sheet.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": sheet}, returncode=2)
        contest = Contest.objects.filter(slug=options["contest"]).first()
        if contest is None:
            raise CommandError(
                _("No contest has the short name %(slug)s.") % {"slug": options["contest"]},
                returncode=2,
            )
        acting_user = self.acting_user(options["as_user"])
        with tqdm(
            total=0, unit=_("steps"), file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                result = entries_ingest(
                    acting_user=acting_user,
                    contest=contest,
                    source=source,
                    sheet=sheet,
                    progress=progress,
                    workers=options["workers"],
                )
            except ImportRefused as error:
                raise CommandError(str(error), returncode=2) from None
            except SubmissionRefused as error:
                raise CommandError(" ".join(error.messages)) from None
        for outcome in result.refused:
            where = outcome.file
            if outcome.row is not None:
                where = _("%(file)s (row %(row)d)") % {"file": outcome.file, "row": outcome.row}
            self.stderr.write(f"{where}: {outcome.reason}")
        for row in result.rows_without_file:
            line = _("row %(row)d: no file %(name)s") % {"row": row.row, "name": row.file}
            self.stderr.write(" ".join([line, *row.problems]))
        self.stdout.write(result.summary_line())
        if result.refused:
            sys.exit(1)

    def acting_user(self, username: str | None):
        """``--as-user``, else the first active federation admin."""
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(_("No such user: %(name)s") % {"name": username}, returncode=2)
            return user
        grant = (
            RoleGrant.objects.filter(role=Role.FEDERATION_ADMIN, user__is_active=True)
            .select_related("user")
            .order_by("user_id")
            .first()
        )
        if grant is None:
            raise CommandError(_("No federation admin: name a user with --as-user."), returncode=2)
        return grant.user
