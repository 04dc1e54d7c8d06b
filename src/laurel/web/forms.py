"""What forms across apps share."""

from django.core.exceptions import ValidationError


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
