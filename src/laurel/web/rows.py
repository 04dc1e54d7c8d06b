"""Rows editors: a short list of small records (a contest's categories, prize tiers and unit
quotas, a round's criteria) edited as rows of fields, one Django formset inside a form field.

- ``RowForm``: one row's fields; ``row_value()`` turns a row into what the services take (a
  tuple, or one value) and ``row_initial(value)`` turns it back.
- ``RowsField``: the form's field. Cleaned, it is the list of row values, empty rows and rows
  ticked for removal left out; a bad row is refused naming its number and field
  ("Row 2, “How many”: …"), and the rows come back as they were sent, bad ones marked.
  Disabled, it keeps its initial rows.
- ``RowsFormMixin``: for the form holding such fields. The "Add a row" button (a submit named
  ``<field>-add``) re-renders the form, unvalidated, with one more empty row: it works
  without JavaScript. ``static/laurel/rows.js`` adds the row in the page instead.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from laurel.web.forms import COLUMN_INTEGER_MAX

ROWS_MAX = 100  # rows one editor takes
BLANK_ROWS = 3  # empty rows offered when there are none yet (one more when there are)
# a whole number of things (a prize tier's count, a quota, a weight)
COUNT_ERRORS = {
    "invalid": _("must be a whole number, 1 or more"),
    "min_value": _("must be a whole number, 1 or more"),
    "max_value": _("must be at most %(limit_value)s"),
}
ROW_REQUIRED = _("fill it in, or leave the whole row empty")


class CountField(forms.IntegerField):
    """A whole number of things in a row (a prize tier's count, a quota, a weight): typed as
    text, so that full-width digits are taken and a bad value stays in view to be mended."""

    def __init__(self, *, min_value=1, max_value=COLUMN_INTEGER_MAX, **kwargs):
        kwargs.setdefault("error_messages", COUNT_ERRORS)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class RowForm(forms.Form):
    """One row of a rows editor. By default a row's value is the tuple of its fields' values,
    in the order the fields are declared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = ROW_REQUIRED

    @classmethod
    def row_names(cls) -> list[str]:
        return list(cls.base_fields)

    def row_value(self):
        return tuple(self.cleaned_data[name] for name in self.row_names())

    @classmethod
    def row_initial(cls, value) -> dict:
        return dict(zip(cls.row_names(), value, strict=True))


class RowsFormSet(forms.BaseFormSet):
    """Every row may be left empty (it is then no row at all)."""

    default_error_messages = {
        "too_many_forms": _("At most %(num)d rows, please."),
        "missing_management_form": _("The rows were not sent whole: reload the page."),
    }

    def _construct_form(self, i, **kwargs):
        return super()._construct_form(i, empty_permitted=True, **kwargs)


@dataclass(frozen=True)
class PostedRows:
    """The rows editor's part of a form's data, as sent."""

    name: str
    data: object
    files: object


class RowsWidget(forms.Widget):
    template_name = "web/widgets/rows.html"
    use_fieldset = True  # the field's label is the rows' legend

    def __init__(self, row_form: type[RowForm], attrs=None):
        super().__init__(attrs)
        self.row_form = row_form
        self.form_kwargs: dict = {}  # what each row's form takes (``RowsField.row_kwargs``)
        self.quiet = False  # a row was added: the rows are shown again without their errors
        self._bound: dict[str, forms.BaseFormSet] = {}

    def __deepcopy__(self, memo):
        widget = super().__deepcopy__(memo)
        widget._bound = {}  # a form's bound rows are its own
        return widget

    def formset_class(self):
        return forms.formset_factory(
            self.row_form,
            formset=RowsFormSet,
            extra=0,
            can_delete=True,
            max_num=ROWS_MAX,
            absolute_max=ROWS_MAX,
            validate_max=True,
        )

    def bound_formset(self, posted: PostedRows) -> forms.BaseFormSet:
        """The rows as sent (one more, empty, when this editor's "Add a row" was pressed);
        made once per form, so a check across rows marks the rows shown."""
        if posted.name not in self._bound:
            data = posted.data
            total_key = f"{posted.name}-TOTAL_FORMS"
            total = str(data.get(total_key, ""))
            if f"{posted.name}-add" in data and total.isdecimal() and int(total) < ROWS_MAX:
                data = data.copy()
                data[total_key] = str(int(total) + 1)
                for name, field in self.row_form.base_fields.items():  # the new row's defaults
                    if field.initial is not None:
                        data[f"{posted.name}-{total}-{name}"] = str(field.initial)
            self._bound[posted.name] = self.formset_class()(
                data, posted.files, prefix=posted.name, form_kwargs=self.form_kwargs
            )
        return self._bound[posted.name]

    def value_from_datadict(self, data, files, name):
        if f"{name}-TOTAL_FORMS" not in data:
            return None  # no rows sent at all
        return PostedRows(name, data, files)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return f"{name}-TOTAL_FORMS" not in data

    def id_for_label(self, id_):
        return ""  # a legend, not a label, names the rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        disabled = bool(context["widget"]["attrs"].get("disabled"))
        if isinstance(value, PostedRows):
            formset = self.bound_formset(value)
        else:
            rows = [self.row_form.row_initial(row) for row in value or ()]
            extra = 0 if disabled else (1 if rows else BLANK_ROWS)
            formset = forms.formset_factory(
                self.row_form, formset=RowsFormSet, extra=extra, can_delete=True
            )(initial=rows, prefix=name, form_kwargs=self.form_kwargs)
        if disabled:
            for form in formset:
                for field in form.fields.values():
                    field.disabled = True
        context["widget"].update(
            formset=formset,
            labels=[self.row_form.base_fields[n].label for n in self.row_form.row_names()],
            disabled=disabled,
            quiet=self.quiet,
            rows_max=ROWS_MAX,
        )
        return context


class RowsField(forms.Field):
    """Rows of ``row_form``, cleaned into a list of their values. ``unique`` names a field
    no two rows may share."""

    def __init__(self, row_form: type[RowForm], *, unique: str | None = None, **kwargs):
        self.row_form, self.unique = row_form, unique
        kwargs.setdefault("widget", RowsWidget(row_form))
        super().__init__(**kwargs)

    @property
    def row_kwargs(self) -> dict:
        return self.widget.form_kwargs

    @row_kwargs.setter
    def row_kwargs(self, kwargs: dict) -> None:
        self.widget.form_kwargs = kwargs

    def clean(self, value) -> list:
        if isinstance(value, PostedRows):
            values = self._rows_clean(self.widget.bound_formset(value))
        else:  # disabled: the rows it started with; or no rows sent
            values = list(value or ())
        if self.required and not values:
            raise ValidationError(self.error_messages["required"], code="required")
        return values

    def has_changed(self, initial, data) -> bool:
        return not self.disabled and isinstance(data, PostedRows)

    def _rows_clean(self, formset: forms.BaseFormSet) -> list:
        problems = [ValidationError(message) for message in formset.non_form_errors()]
        kept: list[tuple[int, RowForm]] = []
        for number, form in enumerate(formset.forms, start=1):
            if formset._should_delete_form(form):
                continue
            if not form.is_valid():
                problems.extend(_row_problems(number, form, form.errors))
            elif form.has_changed():
                kept.append((number, form))
        if self.unique:
            first_of: dict = {}
            for number, form in kept:
                key = form.cleaned_data[self.unique]
                key = getattr(key, "pk", key)
                if key in first_of:
                    problem = _("the same as row %(first)d") % {"first": first_of[key]}
                    form.add_error(self.unique, problem)
                    problems.extend(_row_problems(number, form, {self.unique: [problem]}))
                else:
                    first_of[key] = number
        if problems:
            raise ValidationError(problems)
        return [form.row_value() for _number, form in kept]


def _row_problems(number: int, form: RowForm, errors) -> list[ValidationError]:
    """Each of a row's errors (field name → messages) as a sentence naming the row and the
    field."""
    problems = []
    for name, messages in errors.items():
        field = form.fields.get(name) if name != NON_FIELD_ERRORS else None
        for text in messages:
            if field is None:
                problems.append(
                    ValidationError(
                        _("Row %(number)d: %(problem)s"),
                        code="bad_row",
                        params={"number": number, "problem": text},
                    )
                )
            else:
                problems.append(
                    ValidationError(
                        _("Row %(number)d, “%(field)s”: %(problem)s"),
                        code="bad_row",
                        params={"number": number, "field": field.label, "problem": text},
                    )
                )
    return problems


class RowsFormMixin:
    """For a form with ``RowsField``s: "Add a row" shows the form again, unvalidated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = [
            (name, field) for name, field in self.fields.items() if isinstance(field, RowsField)
        ]
        self.row_added = self.is_bound and any(
            f"{self.add_prefix(name)}-add" in self.data for name, _field in rows
        )
        for _name, field in rows:
            field.widget.quiet = self.row_added

    def full_clean(self):
        if self.row_added:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.row_added and super().is_valid()
