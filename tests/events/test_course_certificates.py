"""A course's completion certificate (结业证书): drawn on the contests' certificate pages and
read back (its text, its QR code to the public verification page), and that page: the
awards' verification page sends a course's number to it; valid, revoked or unknown, never a
personal number."""

import io

import pypdfium2
import pytest
import zxingcpp
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from laurel.awards.certificates import CertificateRevoked, chinese_date
from laurel.events import services
from laurel.events.certificates import course_certificate_pdf, verification_path
from laurel.events.models import CourseCertificate
from tests.conftest import english_client, make_member
from tests.events.courses import checked_in, classes_of, course_create, enrol, marked


def pdf_text(pdf: bytes) -> str:
    """The text of every page, its spaces and line breaks dropped (the heading is spaced out
    and the citation wraps)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def qr_texts(pdf: bytes) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.fixture
def course(world, users):
    """永川区's course: four classes, three to attend (75 %)."""
    return course_create(users["federation_admin"], world.district, days=(-30, -20, -10, -5))


@pytest.fixture
def enrolment(course, users, member_self):
    """李明 at three of the four classes: two checked in at the gate, one by roll call."""
    registration = enrol(course, member_self)
    first, second, third, _fourth = classes_of(course)
    checked_in(registration, first)
    checked_in(registration, second)
    marked(users["federation_admin"], registration, third, present=True)
    return registration


@pytest.fixture
def certificate(course, enrolment, users, world) -> CourseCertificate:
    other = enrol(course, make_member(world.grassroots, 2, name="张伟"))
    checked_in(other, classes_of(course)[0])  # one of four: no certificate
    outcome = services.certificates_issue(acting_user=users["federation_admin"], event=course)
    [issued] = outcome.issued
    return CourseCertificate.objects.select_related("event__unit").get(pk=issued.pk)


def revoke(certificate: CourseCertificate, users) -> CourseCertificate:
    """The third class's roll call corrected to absent: two of four, issued again."""
    admin = users["federation_admin"]
    course = certificate.event
    marked(admin, certificate.registration, classes_of(course)[2], present=False)
    [revoked] = services.certificates_issue(acting_user=admin, event=course).revoked
    assert revoked.pk == certificate.pk
    certificate.refresh_from_db()
    return certificate


# --- the document ---------------------------------------------------------------------------


def test_the_certificate_names_the_member_the_course_and_the_classes_attended(certificate):
    text = pdf_text(course_certificate_pdf(certificate))

    first, *_, last = classes_of(certificate.event)
    for expected in (
        "结业证书",
        "李明",
        "机关工会",  # the member's unit
        "惠工课堂",
        "共4次课，出勤3次",
        "成绩合格，准予结业",
        "特发此证",
        "永川区总工会",  # the organiser unit issues it
        f"于{chinese_date(timezone.localdate(first.starts_at))}",
        f"至{chinese_date(timezone.localdate(last.ends_at))}参加惠工课堂学习",
        certificate.number,
    ):
        assert expected in text, expected


@override_settings(LAUREL_PUBLIC_URL="https://laurel.example.org")
def test_its_qr_code_opens_the_verification_page_of_its_number(certificate):
    pdf = course_certificate_pdf(certificate)

    url = "https://laurel.example.org" + reverse(
        "awards:certificate_verify", args=[certificate.number]
    )
    assert qr_texts(pdf) == [url]


def test_a_revoked_certificate_is_not_drawn(certificate, users):
    revoked = revoke(certificate, users)

    with pytest.raises(CertificateRevoked):
        course_certificate_pdf(revoked)


# --- the verification page ------------------------------------------------------------------


def verify_page(number: str):
    return english_client().get(reverse("events:certificate_verify", args=[number]))


def test_the_awards_page_sends_a_course_number_to_the_course_verification_page(certificate):
    response = Client().get(reverse("awards:certificate_verify", args=[certificate.number]))

    assert response.status_code == 302
    assert response["Location"] == reverse("events:certificate_verify", args=[certificate.number])
    assert verification_path(certificate.number) == response["Location"]


def test_the_verification_page_confirms_a_valid_certificate_without_personal_numbers(
    certificate, member_self
):
    response = verify_page(certificate.number)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="certificate-valid"' in html
    assert 'id="certificate-revoked"' not in html
    assert '<dd id="certificate-recipient">李明</dd>' in html
    assert '<dd id="certificate-unit">机关工会</dd>' in html
    course_link = reverse("events:detail", args=[certificate.event.slug])
    assert f'<a href="{course_link}">惠工课堂</a>' in html
    assert "3 of 4 classes attended" in html
    assert '<dd id="certificate-issuer">永川区总工会</dd>' in html
    assert member_self.id_card not in html
    assert member_self.id_card_masked not in html
    assert member_self.mobile not in html


def test_the_verification_page_says_a_revoked_certificate_is_no_longer_valid(certificate, users):
    revoke(certificate, users)

    html = verify_page(certificate.number).content.decode()

    assert 'id="certificate-revoked"' in html
    assert 'id="certificate-valid"' not in html


def test_an_unknown_number_is_not_found_on_either_page(certificate):
    assert verify_page("2024K99990001").status_code == 404
    response = Client().get(reverse("awards:certificate_verify", args=["2024K99990001"]))
    assert response.status_code == 404
    assert verification_path("2024K99990001") is None
