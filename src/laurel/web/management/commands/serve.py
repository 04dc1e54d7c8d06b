"""``laurel serve``: serve Laurel with gunicorn (static files through WhiteNoise).

The access log goes to stdout through ``web.access_log.MaskingAccessLogger``: paths without
query strings, personal numbers masked.
"""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Laurel over HTTP with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind: str, workers: int, **options):
        self.stdout.write(f"Laurel is serving at http://{bind}/ (Ctrl-C stops it)")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "laurel.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--logger-class",
            "laurel.web.access_log.MaskingAccessLogger",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with the server
