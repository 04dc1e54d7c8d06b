"""A round's progress while judges work, and reminders to the judges behind schedule."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.judging import policy, selectors
from laurel.judging.models import Assignment, Round
from laurel.judging.services._common import _deadline_text, _organiser_check
from laurel.notifications.services import notification_send


@dataclass
class JudgeProgress:
    judge: object
    assigned: int
    done: int
    behind: bool


def round_progress(round: Round, now: datetime.datetime | None = None) -> dict:
    """Reviews done per judge and per category, entries still short of reviews, and judges
    behind schedule (a smaller share done than the share of the window gone)."""
    now = now or timezone.now()
    live = selectors.live_reviews(round=round)
    per_judge = selectors.work_counts(live, "judge_id").order_by("judge_id")
    gone = selectors.window_gone(round, now)
    judges = {seat.judge_id: seat.judge for seat in round.seats.select_related("judge")}
    progress = [
        JudgeProgress(
            judges.get(row["judge_id"]),
            row["assigned"],
            row["done"],
            behind=selectors.behind_pace(done=row["done"], assigned=row["assigned"], gone=gone),
        )
        for row in per_judge
    ]
    per_category = list(
        selectors.work_counts(live, "entry__category__name").order_by("entry__category__position")
    )
    done_per_entry = Counter(
        live.filter(state=Assignment.State.DONE).values_list("entry_id", flat=True)
    )
    entries = list(selectors.round_entries(round).values_list("pk", flat=True))
    short = [pk for pk in entries if done_per_entry[pk] < round.per_entry]
    return {
        "judges": progress,
        "categories": per_category,
        "short": short,
        "done": sum(p.done for p in progress),
        "assigned": sum(p.assigned for p in progress),
        "time_gone": gone,
    }


def reminders_preview(round: Round) -> list[JudgeProgress]:
    """The judges ``reminders_send`` would remind now: those behind schedule."""
    return [p for p in round_progress(round)["judges"] if p.behind and p.judge is not None]


@transaction.atomic
def reminders_send(*, acting_user, round: Round) -> int:
    """Remind each judge behind schedule of what is left (inbox and SMS)."""
    _organiser_check(acting_user)
    behind = reminders_preview(round)
    for item in behind:
        notification_send(
            recipient=item.judge,
            title=_("%(round)s: %(left)d reviews left, due %(deadline)s")
            % {
                "round": round.name,
                "left": item.assigned - item.done,
                "deadline": _deadline_text(round),
            },
            link=policy.workspace_link(round),
            sms=True,
        )
    audit_log(
        actor=acting_user,
        action="judging.round.reminded",
        obj=round,
        data={"judges": [p.judge.pk for p in behind]},
    )
    return len(behind)
