"""``laurel media ingest DIR|ZIP --contest SLUG [--sheet FILE.xlsx] [--as-user USERNAME]``:
every file becomes an entry of the contest (``contests.ingest``). Standard output carries
exactly one line, ``accepted N, refused N, duplicate N``; each problem (a file or a sheet
row, and why) goes to standard error, and a bar on standard error shows progress on a
terminal. Exit 0 when nothing was refused, 1 otherwise, 2 on usage errors.

An action of media's ``laurel media`` command (``media.management.actions``), registered
from ``ContestsConfig.ready()``.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from laurel.accounts.models import Role, RoleGrant
from laurel.contests.ingest import entries_ingest
from laurel.contests.models import Contest
from laurel.contests.services import SubmissionRefused
from laurel.importing import ImportRefused
from laurel.media.management.actions import media_action_register

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


def add_arguments(ingest) -> None:
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


def ingest(command, options: dict) -> None:
    source: Path = options["source"]
    if not source.exists():
        raise CommandError(_("No such file or folder: %(path)s") % {"path": source}, returncode=2)
    sheet: Path | None = options["sheet"]
    if sheet is not None and not sheet.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": sheet}, returncode=2)
    contest = Contest.objects.filter(slug=options["contest"]).first()
    if contest is None:
        raise CommandError(
            _("No contest has the short name %(slug)s.") % {"slug": options["contest"]},
            returncode=2,
        )
    acting_user = acting_user_of(options["as_user"])
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
        command.stderr.write(f"{where}: {outcome.reason}")
    for row in result.rows_without_file:
        line = _("row %(row)d: no file %(name)s") % {"row": row.row, "name": row.file}
        command.stderr.write(" ".join([line, *row.problems]))
    command.stdout.write(result.summary_line())
    if result.refused:
        sys.exit(1)


def acting_user_of(username: str | None):
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


def register() -> None:
    media_action_register(
        "ingest",
        summary="make contest entries of a folder or zip of them",
        help="make contest entries of a folder's or a zip's photos",
        description=INGEST_HELP,
        add_arguments=add_arguments,
        run=ingest,
    )
