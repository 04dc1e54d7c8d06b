"""A performance's programme (节目单) as a PDF a union hands out: A5 (an A4 sheet folded, the
default) or A4. It holds the event's title, venue, date and time (Beijing time) and organiser,
then the acts in order — number, title, kind, performers, duration and when each begins if the
show starts on time — and the running time in all. No ID or phone number: performers are named.

Drawn by WeasyPrint from ``events/pdf/programme.html`` with the stylesheet
``events/pdf/programme.css`` (the page size put in), the system's Noto CJK fonts embedded as
subsets, as ``tickets_pdf`` draws tickets. Rendering fetches nothing.
"""

from django.template.loader import render_to_string
from weasyprint import CSS, HTML, URLFetcher

from laurel.events.models import Event
from laurel.events.selectors import Programme

PAGE_SIZES = ("a5", "a4")  # the first is the default


def programme_pdf(event: Event, programme: Programme, *, size: str = PAGE_SIZES[0]) -> bytes:
    """``event``'s programme (``selectors.programme``) on ``size`` pages (one of
    ``PAGE_SIZES``)."""
    if size not in PAGE_SIZES:
        raise ValueError(f"not a programme page size: {size!r}")
    context = {"event": event, "programme": programme, "size": size}
    html = render_to_string("events/pdf/programme.html", context)
    stylesheet = CSS(string=render_to_string("events/pdf/programme.css", context))
    fetcher = URLFetcher(allowed_protocols=set(), fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
