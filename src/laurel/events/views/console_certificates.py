"""The console's download of a course's completion certificate (结业证书), by its number:
the course's organisers only (``policy.events_organised``), the same PDF its holder takes
(``member_course``). Another subtree's certificate, an unknown number and a revoked
certificate are 404."""

from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from laurel.events import policy
from laurel.events.models import CourseCertificate
from laurel.events.views.member_course import course_certificate_response
from laurel.web.access import allowed_if


@allowed_if(policy.may_organise_events)
@never_cache  # personal data: no browser or proxy keeps a copy
def course_certificate(request, number: str):
    certificates = CourseCertificate.objects.filter(
        event__in=policy.events_organised(request.user.access), revoked_at__isnull=True
    ).select_related("event__unit")
    return course_certificate_response(get_object_or_404(certificates, number=number))
