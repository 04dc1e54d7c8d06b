"""What every judging service shares: the refusal, the organiser check and the round lock.

The round's row is locked by every write that changes who reviews what, so two changes
never interleave."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.policy import access_for
from laurel.judging import policy
from laurel.judging.models import Round


class JudgingRefused(ValidationError):
    """A judging change that may not happen; the message says why, to the person."""


def _refuse(message: str):
    raise JudgingRefused(message)


def _organiser_check(acting_user) -> None:
    if acting_user is not None and not policy.may_organise_rounds(access_for(acting_user)):
        _refuse(_("Only organisers change judging rounds."))


def _deadline_text(round: Round) -> str:
    """The deadline as messages give it; a round without one ends live."""
    if round.deadline is None:
        return _("the end of the round")
    return timezone.localtime(round.deadline).strftime("%Y-%m-%d %H:%M")


def _round_lock(round_id: int) -> Round:
    return Round.objects.select_for_update().select_related("contest").get(pk=round_id)
