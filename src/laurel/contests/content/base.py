"""What every content kind says, in one place (``ContentKind``); its defaults are those of
a content whose entries carry files."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class ContentKind:
    """One value of ``Contest.content``: what its entries carry and which checks, screening
    flags, declarations and page parts apply to them.

    ``file_kind`` is the ``EntryFile.Kind`` of its entries' files (``None``: they carry
    none); ``declarations`` the ``Declaration`` codes an entrant is asked for;
    ``flag_kinds`` the ``Flag.Kind`` codes screening may raise; ``pictured``: its entries
    are pictures, whose renditions pages show and publishing makes public (other files and
    none are shown by their facts); ``entry_fields`` the
    entry form's fields of this content (``contests.forms.CONTENT_FIELDS``), ``files_label``
    and ``accept`` its file field's; ``rules_template`` its rules as list items of a
    contest's public page, ``facts_template`` as facts of its console page (``None``: none
    beyond the contest's own). The entry pages' words for its files: ``files_none`` where an
    entry has none, ``files_resend`` under a refused entry, ``checking`` while it is
    processed, ``received`` once submitted (``%(code)s``: the entry's); empty: not said.
    """

    code: str
    file_kind: str | None
    declarations: tuple[str, ...]
    flag_kinds: tuple[str, ...]
    entry_fields: tuple[str, ...] = ("files",)
    files_label: str | Promise = ""
    accept: str = ""
    pictured: bool = False
    rules_template: str | None = None
    facts_template: str | None = None
    files_none: str | Promise = gettext_lazy("No files.")
    files_resend: str | Promise = gettext_lazy("Send new files with “Edit” to try again.")
    checking: str | Promise = gettext_lazy("Files are being checked; this updates by itself.")
    received: str | Promise = gettext_lazy("Entry %(code)s received; its files are being checked.")

    @property
    def takes_files(self) -> bool:
        return self.file_kind is not None

    @property
    def shows_kind(self) -> bool:
        """An entry's kind (single or series) means something: it is asked for."""
        return "kind" in self.entry_fields

    @property
    def asks_place_and_date(self) -> bool:
        """Where and when the work was taken are asked for, and shown."""
        return "taken_on" in self.entry_fields

    def entry_kind(self, contest, file_count: int) -> str:
        """The ``Entry.Kind`` of an entry with ``file_count`` files in ``contest``, or a
        ``ValidationError`` saying, to the person, why such an entry is refused."""
        raise NotImplementedError

    def refusal(self, contest, asset) -> str:
        """Why a processed file is refused for ``contest`` (empty: it is not)."""
        return asset.refusal_reason if asset.status == asset.Status.REFUSED else ""

    def screen(self, entry, files) -> dict[str, dict]:
        """The flags (kind → detail) this content's own checks raise on an accepted entry
        with ``files`` (its ``EntryFile`` rows, assets selected); duplicates and
        declarations are screening's, for every content."""
        return {}

    def rules_errors(self, contest) -> dict[str, str]:
        """What is wrong with ``contest``'s rules for this content, field → message."""
        return {}
