"""A member's own course (惠工课堂): each class with whether they were there and how it was
known (a check-in at the gate, or their teacher's roll call), the classes attended of those
the course asks for, where they stand, and their completion certificate (结业证书) as a PDF
once it is issued.

Signed in, and enrolled in the course in their own name (a team's registration does not
count): anyone else's course, or a course they are not enrolled in, is a 404.
"""

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from laurel.awards.certificates import CertificateRevoked
from laurel.core.completion import Progress, Standing
from laurel.events.certificates import course_certificate_pdf
from laurel.events.models import CourseCertificate, Event, Registration
from laurel.events.selectors import PRESENCES, ClassMark, Presence, course_attendance
from laurel.web.access import allowed_if, signed_in


def own_enrolment(request, slug: str) -> Registration:
    """The signed-in person's own enrolment in the course ``slug`` (holding its place),
    else 404."""
    enrolments = Registration.objects.filter(
        event__slug=slug,
        event__kind=Event.Kind.COURSE,
        member__user_id=request.user.pk,
        state=Registration.State.REGISTERED,
    ).select_related("event__unit", "member__user", "unit")
    registration = enrolments.order_by("-pk").first()
    if registration is None:
        raise Http404
    return registration


@dataclass(frozen=True)
class ClassShown:
    """One class on the member's page: its number in the course, its mark, and how the
    mark was known, in words."""

    number: int
    mark: ClassMark

    @property
    def presence(self) -> str:
        return str(PRESENCES[self.mark.presence])

    @property
    def how(self) -> str:
        if self.mark.marked is True:
            return _("marked present in the roll call")
        if self.mark.marked is False:
            return _("marked absent in the roll call")
        if self.mark.checked_in:
            return _("checked in at the gate")
        if self.mark.presence == Presence.ABSENT:
            return _("no check-in and no roll-call mark")
        return ""


def standing_sentence(progress: Progress) -> str:
    """Where the member stands, in one sentence: completed, how many more classes of those
    to come complete it, or that they no longer can."""
    if progress.classes == 0:
        return _("The course has no classes yet.")
    if progress.standing == Standing.COMPLETED:
        return _("You have completed the course.")
    if progress.standing == Standing.ON_TRACK:
        more = progress.needed - progress.attended
        return ngettext(
            "Attend %(more)d more of the %(to_come)d class to come to complete it.",
            "Attend %(more)d more of the %(to_come)d classes to come to complete it.",
            progress.to_come,
        ) % {"more": more, "to_come": progress.to_come}
    return ngettext(
        "You can no longer reach %(needed)d class: the course cannot be completed.",
        "You can no longer reach %(needed)d classes: the course cannot be completed.",
        progress.needed,
    ) % {"needed": progress.needed}


def valid_certificate_of(registration: Registration) -> CourseCertificate | None:
    return (
        CourseCertificate.objects.filter(registration=registration, revoked_at__isnull=True)
        .select_related("event__unit")
        .first()
    )


def course_certificate_response(certificate: CourseCertificate) -> HttpResponse:
    """A valid certificate's PDF as a download (a revoked one is not drawn: 404)."""
    try:
        pdf = course_certificate_pdf(certificate)
    except CertificateRevoked:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@allowed_if(signed_in)
@never_cache  # personal data: no browser or proxy keeps a copy
def my_course(request, slug: str):
    registration = own_enrolment(request, slug)
    event = registration.event
    one = Registration.objects.filter(pk=registration.pk).select_related("member__user", "unit")
    attendance = course_attendance(event, registrations=one)
    [row] = attendance.rows
    progress = row.progress
    context = {
        "event": event,
        "registration": registration,
        "progress": progress,
        "percent": attendance.percent,
        "standing": progress.standing.value,
        "standing_sentence": standing_sentence(progress),
        "classes": [ClassShown(number, mark) for number, mark in enumerate(row.classes, 1)],
        "bar": {
            "key": "course",
            "label": _("Classes attended"),
            "checked_in": progress.attended,
            "holding": progress.classes,
            "percent": 100 * progress.attended / progress.classes if progress.classes else 0,
        },
        "certificate": valid_certificate_of(registration),
    }
    return render(request, "events/member_course.html", context)


@allowed_if(signed_in)
@never_cache  # personal data: no browser or proxy keeps a copy
def my_course_certificate(request, slug: str):
    """The member's own valid certificate of the course; 404 without one."""
    certificate = valid_certificate_of(own_enrolment(request, slug))
    if certificate is None:
        raise Http404
    return course_certificate_response(certificate)
