"""The public page confirming a course's completion certificate (结业证书) by its number —
where the QR code on it leads, through the awards' verification page, which sends course
numbers here (``events.certificates.verification_path``). Valid, or revoked by a corrected
roll call; an unknown number is 404. Only what the certificate itself prints is shown: never
a personal number. Rate-limited per address as the awards' page is."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from laurel.events.certificates import course_issuer
from laurel.events.models import CourseCertificate, Event


@ratelimit(key="ip", rate="30/m")
@require_safe
def certificate_verify(request, number: str):
    certificate = (
        CourseCertificate.objects.select_related("event__unit").filter(number=number).first()
    )
    if certificate is None:
        return render(
            request, "awards/public_certificate_unknown.html", {"number": number}, status=404
        )
    replacement = None
    if certificate.revoked_at is not None:  # a later certificate of the same enrolment
        replacement = (
            CourseCertificate.objects.filter(
                registration_id=certificate.registration_id, revoked_at__isnull=True
            )
            .only("number")
            .first()
        )
    event = certificate.event
    context = {
        "certificate": certificate,
        "event": event,
        "course_public": event.state != Event.State.DRAFT,
        "replacement": replacement,
        "issuer": course_issuer(event),
        "checked_at": timezone.now(),
    }
    return render(request, "events/public_certificate_verify.html", context)
