"""No files: an entry is its entrant, a title and a category, judged on the day (a team's
performance, a unit's showing). Nothing to upload, check or screen but the declaration that
names may be published."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.contests.content.base import ContentKind
from laurel.contests.models import Contest, Declaration, Entry, Flag


class NoFiles(ContentKind):
    def entry_kind(self, contest, file_count: int) -> str:
        if file_count:
            raise ValidationError(
                _("This contest's entries carry no files: they are judged on the day.")
            )
        return Entry.Kind.SINGLE


NO_FILES = NoFiles(
    code=Contest.Content.NONE,
    file_kind=None,
    declarations=(Declaration.PUBLICATION,),
    flag_kinds=(Flag.Kind.DECLARATIONS_MISSING,),
    entry_fields=(),
    rules_template="contests/content/no_files_rules.html",
    files_none="",
    files_resend="",
    checking=gettext_lazy("The entry is being recorded; this updates by itself."),
    received=gettext_lazy("Entry %(code)s received."),
)
