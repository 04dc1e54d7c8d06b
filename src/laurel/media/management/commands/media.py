"""``laurel media check``, and the actions apps above media add (``media.management.actions``:
contests' ``laurel media ingest``, ``contests/management/ingest.py``).

``laurel media check FILE... [--min-long-edge PX] [--max-bytes N] [--max-pixels N]``: one
JSON object per line per file: file, ok, code, reason, format, width, height, taken_at,
camera, gps, sha256, phash, duplicate_of (the other files of this call that are exact or
near duplicates of it). Exit 0 when every file is ok, 1 when any is refused, 2 on usage
errors. It touches no database and writes nothing.
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from laurel.core.photos import DuplicateIndex, Limits, photo_check
from laurel.media.management.actions import media_actions


def whole_number(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    requires_system_checks = []  # `check` touches no database; `ingest` needs no checks either

    @property
    def help(self) -> str:
        """Check's summary, then each registered action's."""
        parts = ["Check photos by their content: verdict, EXIF, fingerprints, duplicates (check)"]
        parts += [f"{action.summary} ({action.name})" for action in media_actions()]
        return "; ".join(parts) + "."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help="check photo files (writes nothing)")
        check.add_argument("files", nargs="+", type=Path)
        defaults = Limits(**settings.LAUREL_PHOTO_LIMITS)
        check.add_argument("--min-long-edge", type=whole_number, default=defaults.min_long_edge)
        check.add_argument("--max-bytes", type=whole_number, default=defaults.max_bytes)
        check.add_argument("--max-pixels", type=whole_number, default=defaults.max_pixels)
        for action in media_actions():
            action.add_arguments(
                actions.add_parser(action.name, help=action.help, description=action.description)
            )

    def handle(self, *args, **options):
        if options["action"] == "check":
            return self.check(**options)
        registered = {action.name: action for action in media_actions()}
        return registered[options["action"]].run(self, options)

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
