"""Photos: single photos or series (组照), through the media pipeline (``core.photos``);
their rules are the contest's ``PhotoRules``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.contests.content.base import ContentKind
from laurel.contests.models import Contest, Declaration, Entry, EntryFile, Flag

FORMATS = ("jpeg", "png", "webp", "heic")


class PhotoContent(ContentKind):
    def entry_kind(self, contest, file_count: int) -> str:
        rules = contest.photo_rules
        if file_count == 1:
            if not rules.allow_single:
                raise ValidationError(
                    _("This contest takes series only (%(min)d–%(max)d photos).")
                    % {"min": rules.series_min, "max": rules.series_max}
                )
            return Entry.Kind.SINGLE
        if not rules.allow_series:
            raise ValidationError(_("This contest takes single photos only: one photo per entry."))
        if not rules.series_min <= file_count <= rules.series_max:
            raise ValidationError(
                _("A series has %(min)d to %(max)d photos; this one has %(count)d.")
                % {"min": rules.series_min, "max": rules.series_max, "count": file_count}
            )
        return Entry.Kind.SERIES

    def refusal(self, contest, asset) -> str:
        refused = super().refusal(contest, asset)
        if refused:
            return refused
        formats = contest.photo_rules.formats
        photo_format = asset.exif.get("format", "")
        if photo_format not in formats:
            return _("this contest takes %(formats)s, not %(format)s.") % {
                "formats": "、".join(f.upper() for f in formats),
                "format": photo_format.upper(),
            }
        return ""

    def screen(self, entry, files) -> dict[str, dict]:
        rules = entry.contest.photo_rules
        found = {}
        small = [
            f.position + 1
            for f in files
            if max(f.asset.exif.get("width", 0), f.asset.exif.get("height", 0))
            < rules.min_long_edge
        ]
        if small:
            found[Flag.Kind.BELOW_SIZE] = {"photos": small, "min_long_edge": rules.min_long_edge}
        taken = entry.taken_on
        if taken is None:
            found[Flag.Kind.DATE_MISSING] = {}
        elif (rules.taken_from and taken < rules.taken_from) or (
            rules.taken_until and taken > rules.taken_until
        ):
            found[Flag.Kind.DATE_OUTSIDE] = {"taken_on": taken.isoformat()}
        return found

    def rules_errors(self, contest) -> dict[str, str]:
        rules = contest.photo_rules
        errors = {}
        if not (rules.allow_single or rules.allow_series):
            errors["allow_single"] = _("Allow single photos, series, or both.")
        if rules.series_min < 2 or rules.series_max < rules.series_min:
            errors["series_max"] = _(
                "A series has at least 2 photos, and its maximum ≥ its minimum."
            )
        if rules.taken_from and rules.taken_until and rules.taken_until < rules.taken_from:
            errors["taken_until"] = _("The date window ends before it starts.")
        if not rules.formats or set(rules.formats) - set(FORMATS):
            errors["formats"] = _("Choose formats among %(formats)s.") % {
                "formats": ", ".join(FORMATS)
            }
        return errors


PHOTO = PhotoContent(
    code=Contest.Content.PHOTO,
    file_kind=EntryFile.Kind.PHOTO,
    declarations=tuple(Declaration.values),
    flag_kinds=tuple(Flag.Kind.values),
    entry_fields=("kind", "photos", "place", "taken_on"),
    pictured=True,
    files_label=gettext_lazy("Photos"),
    accept="image/*",
    rules_template="contests/content/photo_rules.html",
    facts_template="contests/content/photo_facts.html",
    files_none=gettext_lazy("No photos."),
    files_resend=gettext_lazy("Send new photos with “Edit” to try again."),
    checking=gettext_lazy("Photos are being checked; this updates by itself."),
    received=gettext_lazy("Entry %(code)s received; its photos are being checked."),
)
