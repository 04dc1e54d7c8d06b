"""Documents (PDF/DOCX) and video: contests may be set up for them, but their entries are
refused, saying so, until their content checks land (the innovation cases' issue for
documents, the honours' for video). Those checks plug in here: ``entry_kind`` and
``refusal``."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from laurel.contests.content.base import ContentKind
from laurel.contests.models import Contest, Declaration, EntryFile, Flag


@dataclass(frozen=True)
class NotYetAccepted(ContentKind):
    """A content whose files the platform cannot yet check by their content: every entry
    is refused with ``not_yet``, which the contest's pages also say."""

    not_yet: str | Promise = ""
    rules_template: str | None = "contests/content/not_yet_rules.html"

    def entry_kind(self, contest, file_count: int) -> str:
        raise ValidationError(str(self.not_yet))


DOCUMENT = NotYetAccepted(
    code=Contest.Content.DOCUMENT,
    file_kind=EntryFile.Kind.DOCUMENT,
    declarations=(Declaration.ORIGINAL, Declaration.COPYRIGHT, Declaration.PUBLICATION),
    flag_kinds=(Flag.Kind.DUPLICATE, Flag.Kind.DUPLICATE_PAST, Flag.Kind.DECLARATIONS_MISSING),
    files_label=gettext_lazy("Documents"),
    accept=".pdf,.docx,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    not_yet=gettext_lazy(
        "Documents (PDF/DOCX) are not yet accepted: the platform cannot yet check them by "
        "their content. Ask the organiser."
    ),
)
VIDEO = NotYetAccepted(
    code=Contest.Content.VIDEO,
    file_kind=EntryFile.Kind.VIDEO,
    declarations=tuple(Declaration.values),
    flag_kinds=(Flag.Kind.DUPLICATE, Flag.Kind.DUPLICATE_PAST, Flag.Kind.DECLARATIONS_MISSING),
    files_label=gettext_lazy("Video"),
    accept="video/*",
    not_yet=gettext_lazy(
        "Video is not yet accepted: the platform cannot yet check it by its content. Ask "
        "the organiser."
    ),
)
