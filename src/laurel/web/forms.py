"""What forms across apps share."""

from django import forms
from django.core.exceptions import ValidationError

from laurel.web.params import is_id

# the largest value of a PositiveIntegerField on PostgreSQL: a form's whole number without its
# own maximum takes this one, so that 30 digits are a form error, not an overflow (a 500)
COLUMN_INTEGER_MAX = 2_147_483_647


def textarea_lines(text: str):
    """The non-blank lines of a textarea, stripped, numbered as the person sees them."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line.strip()


def service_errors_onto(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field where it names one, else above."""
    if hasattr(error, "error_dict"):
        for name, field_errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several objects ticked by id. Django's own field puts any number into an ``IN`` query,
    where 30 digits overflow the database (a 500): here a value that is not an id as
    ``laurel.web.params`` reads them is refused like an unknown one, before any query."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if not is_id(str(pk)):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


def minute_kept(form, name: str):
    """A time field's cleaned value where the input shows minutes: a time left as it was
    keeps its stored seconds (so an unchanged form changes nothing)."""
    value, stored = form.cleaned_data[name], form.initial.get(name)
    if value and stored:
        to_the_minute = {moment.replace(second=0, microsecond=0) for moment in (value, stored)}
        if len(to_the_minute) == 1:
            return stored
    return value
