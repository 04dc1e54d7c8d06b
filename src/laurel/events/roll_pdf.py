"""A meeting's attendance sheet (签到表) as a PDF: A4, the meeting's title, time (Beijing time),
venue and organiser at the head, then a table of its invitees in the roll's order
(``selectors.meeting_roll``) — number, name, unit, position, when they signed in or that they
are on leave — with a blank signature column (签名) for the paper sign-in at the door. Its
foot counts who was expected, who came, who was late, on leave and absent.

Like the certificates and the winners list, it is a printed document for a Chinese office:
its text is Chinese whatever the reader's language, so it is not translated. Drawn by
WeasyPrint from ``events/pdf/roll.html`` with the stylesheet ``events/pdf/roll.css`` (the
template holds no ``<style>``), the system's Noto CJK fonts embedded as subsets; rendering
fetches nothing at all. No ID-card or mobile number is printed.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML, URLFetcher

from laurel.events.models import Event
from laurel.events.selectors import Roll

# the standings as the printed sheet says them (an invitee still expected: nothing)
STANDINGS_PRINTED = {
    "on_time": "按时",
    "late": "迟到",
    "on_leave": "请假",
    "absent": "缺席",
    "expected": "",
}


def roll_pdf(event: Event, roll: Roll) -> bytes:
    """The attendance sheet of the meeting ``event`` with ``roll``'s rows, in their order."""
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    context = {
        "event": event,
        "roll": roll,
        "rows": [(row, STANDINGS_PRINTED[row.standing]) for row in roll.rows],
        "when": f"{starts:%Y年%m月%d日 %H:%M}—{ends:%H:%M}",
        "came": roll.counts["on_time"] + roll.counts["late"],
    }
    html = render_to_string("events/pdf/roll.html", context)
    stylesheet = CSS(string=render_to_string("events/pdf/roll.css"))
    fetcher = URLFetcher(allowed_protocols=set(), fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
