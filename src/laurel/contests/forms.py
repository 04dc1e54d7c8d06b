"""Forms for contests: the organiser's set-up, and entries as members and unit admins
submit them. Forms only clean input; services decide and write."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from laurel.contests.models import PHOTO_RULE_FIELDS, Contest, Declaration, Entry, Flag, PhotoRules
from laurel.contests.services import (
    CONTEST_FIELDS,
    FORMATS,
    contest_copy_dates,
    contest_settings,
    prize_tier_rows,
)
from laurel.orgs.forms import UnitPickField
from laurel.orgs.models import Unit
from laurel.web.forms import minute_kept
from laurel.web.rows import CountField, RowForm, RowsField, RowsFormMixin
from laurel.web.zones import times_help

# --- contest set-up (organisers) -----------------------------------------------------------

# what may still change once judging has started (services.contest_update decides)
EDITABLE_WHILE_JUDGING = (
    "title",
    "description",
    "exhibition_opens_on",
    "exhibition_closes_on",
    "exhibition_venue",
    "prize_tiers",
    "prizes_per_author",
    "certificate_issuer",
)
CONTEST_FIELDSETS = (
    (
        _("The contest"),
        ("slug", "title", "description", "organiser", "co_organisers", "opens_at", "closes_at"),
    ),
    (
        _("Categories and prizes"),
        ("categories", "prize_tiers", "prizes_per_author", "certificate_issuer"),
    ),
    (_("Entries"), ("content", "max_entries_per_member")),
    (_("Photos (photo contests only)"), PHOTO_RULE_FIELDS),
    (_("Who submits"), ("entrants", "members_submit", "units_submit", "quotas")),
    (_("Exhibition"), ("exhibition_opens_on", "exhibition_closes_on", "exhibition_venue")),
)


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is in the display time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CategoryRow(RowForm):
    name = forms.CharField(label=_("Category"), max_length=100)  # Category.name

    def row_value(self) -> str:
        return self.cleaned_data["name"]

    @classmethod
    def row_initial(cls, value: str) -> dict:
        return {"name": value}


class PrizeTierRow(RowForm):
    """A prize tier: ``(name, count)``, or ``(name, count, True)`` for a tier given to units
    for the contest as a whole (优秀组织奖), never to an entry."""

    name = forms.CharField(label=_("Prize"), max_length=50)  # PrizeTier.name
    count = CountField(label=_("How many"))
    for_units = forms.BooleanField(label=_("For units"), required=False)

    def row_value(self) -> tuple:
        name, count = self.cleaned_data["name"], self.cleaned_data["count"]
        return (name, count, True) if self.cleaned_data["for_units"] else (name, count)

    @classmethod
    def row_initial(cls, value) -> dict:
        name, count, *for_units = value
        return {"name": name, "count": count, "for_units": bool(for_units and for_units[0])}


class QuotaRow(RowForm):
    """A unit, chosen by name among ``units``, and the most entries from its whole subtree."""

    unit = UnitPickField(label=_("Unit"), queryset=Unit.objects.none())
    limit = CountField(label=_("Entries (at most)"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


# chosen while a contest is a draft (services.contest_update refuses a change after)
DRAFT_ONLY = ("entrants", "content")


def _photo_rule_fields() -> dict[str, forms.Field]:
    """The form fields of a contest's photo rules (``PhotoRules``), but its formats."""
    return forms.fields_for_model(
        PhotoRules,
        fields=[name for name in PHOTO_RULE_FIELDS if name != "formats"],
        widgets={"taken_from": DateInput(), "taken_until": DateInput()},
    )


class ContestForm(RowsFormMixin, forms.ModelForm):
    """Every setting of a contest a person chooses, with its categories, prize tiers and unit
    quotas as rows. Once judging has started only what may still change is enabled.
    ``units``: the units whose quotas the person may set (``orgs.policy.units_visible``).
    """

    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=[(name, name.upper()) for name in FORMATS],
        widget=forms.CheckboxSelectMultiple,
    )
    categories = RowsField(
        CategoryRow,
        unique="name",
        label=_("Categories"),
        error_messages={"required": _("A contest needs at least one category.")},
    )
    prize_tiers = RowsField(
        PrizeTierRow,
        label=_("Prize tiers"),
        required=False,
        help_text=_(
            "From the highest prize down: its name and how many, like “一等奖” and 5. Tick "
            "“For units” for a prize given to units for the contest as a whole, like 优秀组织奖."
        ),
    )
    quotas = RowsField(
        QuotaRow,
        unique="unit",
        label=_("Unit quotas"),
        required=False,
        help_text=_("The most entries from a unit's whole subtree. No rows: no quotas."),
    )

    class Meta:
        model = Contest
        fields = ("slug", *(name for name in CONTEST_FIELDS if name not in PHOTO_RULE_FIELDS))
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "co_organisers": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "exhibition_opens_on": DateInput(),
            "exhibition_closes_on": DateInput(),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_photo_rule_fields())
        zone = times_help()
        self.fields["opens_at"].help_text = self.fields["closes_at"].help_text = zone
        self.fields["quotas"].row_kwargs = {"units": units}
        for name in DRAFT_ONLY:
            self.fields[name].required = False  # not sent: as before the choice was made
        contest = self.instance
        if contest.pk is None:
            return
        del self.fields["slug"]  # the contest's address never changes
        self.initial.update(
            contest_settings(contest, PHOTO_RULE_FIELDS),
            categories=list(contest.categories.values_list("name", flat=True)),
            prize_tiers=prize_tier_rows(contest.prize_tiers.all()),
            quotas=[
                (quota.unit, quota.limit)
                for quota in contest.quotas.select_related("unit").order_by("unit__path")
            ],
        )
        if contest.state != Contest.State.DRAFT:
            for name in DRAFT_ONLY:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Chosen while the contest is a draft; it stays as it is once it has opened."
                )
        if contest.state in (
            Contest.State.JUDGING,
            Contest.State.RESULTS,
            Contest.State.PUBLISHED,
        ):
            for name, field in self.fields.items():
                field.disabled = name not in EDITABLE_WHILE_JUDGING

    def fieldsets(self):
        """(legend, bound fields) in the order the page shows them."""
        for legend, names in CONTEST_FIELDSETS:
            yield legend, [self[name] for name in names if name in self.fields]

    def clean_opens_at(self):
        return minute_kept(self, "opens_at")

    def clean_closes_at(self):
        return minute_kept(self, "closes_at")

    def clean_entrants(self) -> str:
        return self.cleaned_data["entrants"] or Contest.Entrants.MEMBERS

    def clean_content(self) -> str:
        return self.cleaned_data["content"] or Contest.Content.PHOTO

    def clean_formats(self) -> list[str]:
        chosen = set(self.cleaned_data["formats"])
        return [name for name in FORMATS if name in chosen]


YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def _next_year(text: str) -> str:
    """Every year written in ``text`` one later ("2025年摄影展" → "2026年摄影展")."""
    return YEAR.sub(lambda match: str(int(match[0]) + 1), text)


class ContestCopyForm(forms.Form):
    """A new contest's address, title and entry window, copied from ``source``: filled in
    with its own a year later."""

    slug = forms.SlugField(label=_("Short name"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = forms.DateTimeField(label=_("Entries open"), widget=DateTimeLocalInput())
    closes_at = forms.DateTimeField(label=_("Entries close"), widget=DateTimeLocalInput())

    def __init__(self, *args, source: Contest, **kwargs):
        dates = contest_copy_dates(source)
        slug = _next_year(source.slug)
        if slug == source.slug:
            slug = f"{source.slug[:55]}-{dates['opens_at'].year}"
        kwargs["initial"] = {
            "slug": slug,
            "title": _next_year(source.title),
            "opens_at": dates["opens_at"],
            "closes_at": dates["closes_at"],
        }
        super().__init__(*args, **kwargs)
        self.fields["opens_at"].help_text = self.fields["closes_at"].help_text = times_help()


class FlagResolveForm(forms.Form):
    """The organiser's decision on a screening flag, and why (the entrant is told)."""

    DECISIONS = (
        (Flag.State.KEPT, _("Keep the entry")),
        (Flag.State.DISQUALIFIED, _("Disqualify the entry")),
        (Flag.State.ASKED, _("Ask the entrant")),
    )

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The entrant is told."),
    )


# --- entries (members and unit admins) ----------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``: a list, possibly empty."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        return category.name


def _declaration_field_name(code: str) -> str:
    return f"declare_{code}"


# the entry form's fields that depend on the contest's content (ContentKind.entry_fields)
CONTENT_FIELDS = ("kind", "photos", "files", "place", "taken_on")


class EntryForm(forms.Form):
    """An entry as its entrant (or a unit admin for them) fills it in; its contest's content
    (``contests.content``) says which of the content fields it has (``entry_fields``): a
    photo contest's kind, photos, place and date; a document or video contest's files; no
    files, none. ``declarations`` is ``"each"`` (the content's declarations, each a required
    box), ``"signed"`` (one optional box: the entrant signed them on paper) or ``None`` (not
    asked: editing). Files are required unless ``photos_required`` is false (editing: new
    files replace the old ones)."""

    category = CategoryField(label=_("Category"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("About the work"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    place = forms.CharField(label=_("Place taken"), max_length=100, required=False)
    taken_on = forms.DateField(
        label=_("Date taken"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to take it from the photo's EXIF data."),
    )
    kind = forms.ChoiceField(label=_("Kind"), widget=forms.RadioSelect, choices=())
    photos = MultipleFileField(
        label=_("Photos"),
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
    )
    files = MultipleFileField(label=_("Files"), widget=MultipleFileInput())

    def __init__(self, *args, contest, declarations="each", photos_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        content = self.content = contest.content_kind
        for name in CONTENT_FIELDS:
            if name not in content.entry_fields:
                del self.fields[name]
        self.fields["category"].queryset = contest.categories.all()
        if "kind" in self.fields:
            rules = contest.photo_rules
            kinds = [
                (value, label)
                for value, label in Entry.Kind.choices
                if (value == Entry.Kind.SINGLE and rules.allow_single)
                or (value == Entry.Kind.SERIES and rules.allow_series)
            ]
            self.fields["kind"].choices = kinds
            if len(kinds) == 1:
                self.fields["kind"].initial = kinds[0][0]
        if "photos" in self.fields:
            photos = self.fields["photos"]
            photos.required = photos_required
            photos.help_text = self._photos_help(photos_required)
        if "files" in self.fields:
            files = self.fields["files"]
            files.label, files.required = content.files_label, photos_required
            files.widget.attrs["accept"] = content.accept
        asked = [(value, Declaration(value).label) for value in content.declarations]
        if declarations == "each":
            for value, label in asked:
                self.fields[_declaration_field_name(value)] = forms.BooleanField(
                    label=label, required=True
                )
        elif declarations == "signed":
            self.fields["declared"] = forms.BooleanField(
                label=_("The entrant has signed the declarations"),
                required=False,
                help_text=_(
                    "Every one of: %(declarations)s Without this, screening flags the entry "
                    "until the entrant declares them."
                )
                % {"declarations": " ".join(str(label) for _value, label in asked)},
            )

    def _photos_help(self, required: bool) -> str:
        rules = self.contest.photo_rules
        parts = []
        if rules.allow_single:
            parts.append(str(_("a single photo: exactly one file")))
        if rules.allow_series:
            parts.append(
                str(_("a series: %(min)d to %(max)d files, in their order"))
                % {"min": rules.series_min, "max": rules.series_max}
            )
        text = "; ".join(parts) + "."
        if not required:
            text += " " + str(_("Leave empty to keep the photos; new photos replace them all."))
        return text

    def declaration_fields(self):
        return [self[name] for name in self.fields if name.startswith("declare_")]

    def signed_field(self):
        return self["declared"] if "declared" in self.fields else None

    def detail_fields(self):
        names = ("category", "title", "description", "place", "taken_on")
        return [self[name] for name in names if name in self.fields]

    def content_fields(self):
        """The kind and the files, as the contest's content has them."""
        return [self[name] for name in ("kind", "photos", "files") if name in self.fields]

    def uploaded(self) -> list:
        """The files sent (none, for a content that carries none)."""
        return self.cleaned_data.get("photos") or self.cleaned_data.get("files") or []

    def clean(self):
        cleaned = super().clean()
        kind, files = cleaned.get("kind"), cleaned.get("photos") or []
        if not kind or not files:
            return cleaned
        rules = self.contest.photo_rules
        if kind == Entry.Kind.SINGLE and len(files) != 1:
            self.add_error(
                "photos",
                forms.ValidationError(
                    _("A single photo entry takes exactly one file; you chose %(count)d."),
                    code="single_count",
                    params={"count": len(files)},
                ),
            )
        elif kind == Entry.Kind.SERIES and not (rules.series_min <= len(files) <= rules.series_max):
            self.add_error(
                "photos",
                forms.ValidationError(
                    _("A series has %(min)d to %(max)d photos; you chose %(count)d."),
                    code="series_count",
                    params={
                        "min": rules.series_min,
                        "max": rules.series_max,
                        "count": len(files),
                    },
                ),
            )
        return cleaned

    def declarations(self) -> list[str]:
        """The declaration codes this form records."""
        asked = self.content.declarations
        if self.cleaned_data.get("declared"):
            return list(asked)
        return [value for value in asked if self.cleaned_data.get(_declaration_field_name(value))]


class EntryDeclareForm(forms.Form):
    """The entrant's own declarations for an entry submitted without them."""

    def __init__(self, *args, missing, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Declaration.choices:
            if value in missing:
                self.fields[_declaration_field_name(value)] = forms.BooleanField(
                    label=label, required=True
                )

    def declarations(self) -> list[str]:
        return [
            value
            for value in Declaration.values
            if self.cleaned_data.get(_declaration_field_name(value))
        ]


class FlagAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class EntryWithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this entry. It no longer takes part; this cannot be undone."),
        required=True,
    )


MAX_SHEET_BYTES = 10 * 1024 * 1024


class BulkStartForm(forms.Form):
    sheet = forms.FileField(
        label=_("Spreadsheet of entries"),
        help_text=_(".xlsx, .xls or .csv with a header row; the columns are listed above."),
    )

    def clean_sheet(self):
        upload = self.cleaned_data["sheet"]
        if upload.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several."),
                code="too_large",
                params={"mb": MAX_SHEET_BYTES // (1024 * 1024)},
            )
        return upload
