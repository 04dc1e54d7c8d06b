"""A course's completion certificate (结业证书) as PDF, drawn on the contests' certificate
pages (``awards.certificates``): the member named as issued, the course's dates, its classes
and those attended, 准予结业 in red, the organiser unit as issuer (its seal, when it has one,
stamped over its name) and the QR code to the public verification page.

The awards' verification page knows contests' numbers only: ``verification_path`` tells it
where a course certificate's number is checked (registered in ``EventsConfig.ready``).
"""

from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from laurel.awards.certificates import (
    CertificatePage,
    CertificateRevoked,
    chinese_date,
    issuer_name_clean,
    pages_pdf,
)
from laurel.events.models import CourseCertificate, Event


def course_span(event: Event) -> str:
    """When the course ran, as the certificate says it: from its first class's day to its
    last's (a course without classes: its own dates); one day alone when they are the same."""
    span = event.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    first = timezone.localdate(span["first"] or event.starts_at)
    last = timezone.localdate(span["last"] or event.ends_at)
    if first == last:
        return f"于{chinese_date(first)}"
    return f"于{chinese_date(first)}至{chinese_date(last)}"


def course_issuer(event: Event) -> str:
    """Who issues a course's certificates, as printed (and whose seal is stamped): its
    organiser unit."""
    return issuer_name_clean(event.unit.name)


def course_certificate_page(certificate: CourseCertificate) -> CertificatePage:
    """The certificate as drawn: its text is Chinese whatever the reader's language (a
    printed document), the figures those it was issued with."""
    event = certificate.event
    return CertificatePage(
        heading="结业证书",
        number=certificate.number,
        kind="member",
        recipient=certificate.recipient,
        unit=certificate.unit,
        citation=(
            f"{course_span(event)}参加{event.title}学习，共{certificate.classes}次课，"
            f"出勤{certificate.attended}次，"
        ),
        emphasis="成绩合格，准予结业",
        citation_end="。",
        closing="特发此证。",
        issuer=course_issuer(event),
        issued_on=certificate.issued_on,
    )


def course_certificate_pdf(certificate: CourseCertificate) -> bytes:
    """One certificate as a PDF; a revoked one is not drawn (``CertificateRevoked``)."""
    if certificate.revoked_at is not None:
        raise CertificateRevoked(certificate.number)
    return pages_pdf([course_certificate_page(certificate)])


def verification_path(number: str) -> str | None:
    """The page confirming course certificate ``number``; None when no course issued it."""
    if not CourseCertificate.objects.filter(number=number).exists():
        return None
    return reverse("events:certificate_verify", args=[number])
