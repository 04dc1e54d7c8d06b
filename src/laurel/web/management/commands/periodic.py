"""``laurel periodic``: run the periodic jobs that are due, once (from cron, where no Celery
beat runs). The jobs and how often each runs: ``laurel.periodic.JOBS``."""

import fcntl
import json
import traceback

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from laurel import periodic
from laurel.core.csv_files import write_atomically


class Command(BaseCommand):
    help = "Run every periodic job that is due (or --all of them, or --job NAME), once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", dest="every_job", action="store_true", help="run every job, due or not"
        )
        parser.add_argument(
            "--job",
            dest="named",
            action="append",
            choices=[job.name for job in periodic.JOBS],
            help="run this job whether due or not (may be given more than once)",
        )
        parser.add_argument(
            "--list", dest="listing", action="store_true", help="list the jobs and their last run"
        )

    def handle(self, *args, every_job: bool, named: list[str] | None, listing: bool, **options):
        state_file = settings.PERIODIC_STATE_FILE
        state_file.parent.mkdir(parents=True, exist_ok=True)
        with open(state_file.with_suffix(".lock"), "w") as lock:
            try:  # one run at a time: a slow run is not joined by the next cron minute's
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CommandError("another `laurel periodic` is running") from None
            last_runs = self._last_runs(state_file)
            if listing:
                for each in periodic.JOBS:
                    last = last_runs.get(each.name)
                    when = timezone.localtime(last).isoformat() if last else "never"
                    self.stdout.write(f"{each.name}  every {each.every}  last run {when}")
                return
            now = timezone.now()
            if every_job:
                jobs = periodic.JOBS
            elif named:
                jobs = tuple(each for each in periodic.JOBS if each.name in named)
            else:
                jobs = periodic.jobs_due(last_runs, now)
            failed = []
            for each in jobs:
                try:
                    result = import_string(each.task)()  # a Celery task, run here and now
                except Exception:
                    failed.append(each.name)
                    self.stderr.write(f"{each.name} failed:\n{traceback.format_exc()}")
                    continue
                last_runs[each.name] = now
                write_atomically(
                    state_file,
                    json.dumps({k: v.isoformat() for k, v in last_runs.items()}, indent=1),
                )
                self.stdout.write(f"{each.name}: {result}")
            if failed:
                raise CommandError(f"failed: {', '.join(failed)}")

    @staticmethod
    def _last_runs(state_file) -> dict:
        if not state_file.exists():
            return {}
        stored = json.loads(state_file.read_text(encoding="utf-8") or "{}")
        return {name: parse_datetime(value) for name, value in stored.items()}
