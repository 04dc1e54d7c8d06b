"""What a ticket shows, and its PDFs: the holder's ticket (A6) and a team's badges.

A ticket's face (``TicketFace``) holds the QR code of the signed payload, the typed code, the
event, the booth and slot (Beijing time) and the holder: a member by name, a team by its name
and its members' names. It never holds an ID-card or a mobile number. The ticket page draws
the same face as the PDF.

The PDFs are drawn by WeasyPrint from ``events/pdf/ticket.html`` and ``events/pdf/badges.html``
with the stylesheet ``events/pdf/ticket.css`` (the templates hold no ``<style>``: every
template lives under the site's content security policy), the system's Noto CJK fonts
embedded as subsets. Rendering fetches nothing: only ``data:`` URIs (the QR code) may be
read. A team's badges are one A6 page a member, each with the team's ticket: the team comes
in on the one ticket, and any member may show it.
"""

from dataclasses import dataclass

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, URLFetcher

from laurel.events.models import Registration
from laurel.events.services.tickets import TicketText, ticket_of

QR_ERROR = "m"  # the QR code's error correction: a phone screen's glare, a crumpled print


@dataclass(frozen=True)
class TicketFace:
    """What a ticket shows: ``payload`` (what the QR code carries) and ``code``, the
    ``registration`` (its event, slot and booth selected with it), and ``members``: a team's
    members' names (empty for a member)."""

    registration: Registration
    payload: str
    code: str
    members: tuple[str, ...] = ()

    @property
    def holder(self) -> str:
        return self.registration.registrant_name

    @property
    def is_team(self) -> bool:
        return self.registration.team_id is not None

    def qr_svg(self) -> str:
        """The QR code as an SVG element, for a page (the policy allows no data: images)."""
        return segno.make_qr(self.payload, error=QR_ERROR).svg_inline(
            scale=6, omitsize=True, svgclass="ticket-qr-code", lineclass="ticket-qr-line"
        )

    def qr_data_uri(self) -> str:
        """The QR code as an SVG data URI, for a PDF (vector: sharp at any print size)."""
        return segno.make_qr(self.payload, error=QR_ERROR).svg_data_uri(scale=4, border=4)


def live_ticket_face(registration: Registration) -> "TicketFace | None":
    """The face of ``registration``'s live ticket; None when it has none (or it is revoked)."""
    text = ticket_of(registration)
    return ticket_face(registration, text) if text is not None else None


def ticket_face(registration: Registration, text: TicketText) -> TicketFace:
    """The face of ``registration``'s ticket, whose payload and code are ``text``
    (``services.ticket_of``): for a team, with its members' names."""
    members = ()
    if registration.team_id is not None:
        members = tuple(
            registration.team.members.order_by("name", "pk").values_list("name", flat=True)
        )
    return TicketFace(registration, text.payload, text.code, members)


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    stylesheet = CSS(string=render_to_string("events/pdf/ticket.css"))
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])


def ticket_pdf(face: TicketFace) -> bytes:
    """The ticket as an A6 PDF of one page."""
    return _pdf("events/pdf/ticket.html", {"face": face, "qr": face.qr_data_uri()})


def team_badges_pdf(face: TicketFace) -> bytes:
    """A team's badges as one PDF: an A6 page for each member, in the order of their names,
    each naming the member, the team, the event, booth and slot, with the team's ticket."""
    return _pdf("events/pdf/badges.html", {"face": face, "qr": face.qr_data_uri()})


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser, never kept by a cache on the way (it lets its holder in)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
