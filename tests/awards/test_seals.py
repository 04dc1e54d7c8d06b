"""Seals on certificates: an issuing body's seal (``awards.Seal``) is uploaded on the console,
checked by content and re-encoded as a metadata-free PNG, and stamped over the issuer's name
on the certificates it issues; a certificate whose issuer has none prints without one.
"""

import io

import numpy as np
import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from laurel.audit.models import LogEntry
from laurel.awards import certificates, services
from laurel.awards.models import Certificate, Seal
from tests.helpers import encode, jpeg, photo, seal_image

ISSUER = "重庆市总工会宣传部"
SEAL_RED = (220, 20, 30)


@pytest.fixture
def published(judged_contest, users):
    organiser = users["federation_admin"]
    judged_contest.certificate_issuer = ISSUER
    judged_contest.save(update_fields=["certificate_issuer"])
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    services.results_publish(acting_user=organiser, contest=judged_contest)
    return judged_contest


def first_certificate(contest) -> Certificate:
    return (
        Certificate.objects.filter(contest=contest, revoked_at__isnull=True)
        .select_related("contest")
        .order_by("number")
        .first()
    )


def page_images(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages[0].images


def drawn(pdf: bytes) -> np.ndarray:
    return np.asarray(pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("RGB"))


def upload(client, issuer: str, data: bytes, name: str):
    with translation.override("en"):
        return client.post(
            reverse("awards:console_seals"),
            {"issuer": issuer, "image": _file(data, name)},
            HTTP_ACCEPT_LANGUAGE="en",
        )


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# --- the certificate ---------------------------------------------------------------------


def test_a_certificate_without_a_seal_has_no_image(published):
    assert len(page_images(certificates.certificate_pdf(first_certificate(published)))) == 0


def test_the_seal_of_the_issuer_is_stamped_over_its_name(published, users):
    certificate = first_certificate(published)
    without = drawn(certificates.certificate_pdf(certificate))
    services.seal_upload(
        acting_user=users["federation_admin"], issuer=ISSUER, data=seal_image(SEAL_RED)
    )
    pdf = certificates.certificate_pdf(certificate)
    images = page_images(pdf)
    assert len(images) == 1
    assert images[0].image.size == (400, 400)
    # what the seal changed on the page: red ink, around the issuer's name (lower right)
    with_seal = drawn(pdf)
    changed = np.argwhere(np.abs(with_seal.astype(int) - without.astype(int)).sum(axis=2) > 60)
    assert len(changed) > 1000
    height, width = without.shape[:2]
    rows, columns = changed[:, 0], changed[:, 1]
    assert rows.min() > height * 0.55
    assert columns.min() > width * 0.5
    red, green, blue = with_seal[rows, columns].astype(int).mean(axis=0)
    assert red > 150
    assert green < 90
    assert blue < 90


def test_a_seal_of_another_body_is_not_stamped(published, users):
    services.seal_upload(
        acting_user=users["federation_admin"], issuer="另一个工会", data=seal_image()
    )
    assert len(page_images(certificates.certificate_pdf(first_certificate(published)))) == 0


def test_every_certificate_of_the_bundle_carries_its_seal(published, users):
    services.seal_upload(acting_user=users["federation_admin"], issuer=ISSUER, data=seal_image())
    valid = list(certificates.valid_certificates(published))
    reader = PdfReader(io.BytesIO(certificates.certificates_pdf(valid)))
    assert [len(page.images) for page in reader.pages] == [1] * len(valid)


# --- the upload ---------------------------------------------------------------------------


def test_the_stored_seal_is_a_png_of_the_pixels_alone(users):
    seal = services.seal_upload(
        acting_user=users["federation_admin"], issuer=f"  {ISSUER} ", data=seal_image()
    )
    assert seal.issuer == ISSUER
    with seal.image.open("rb") as stored:
        png = stored.read()
    assert png.startswith(b"\x89PNG")
    assert b"scanned at the office" not in png
    assert b"tEXt" not in png
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0  # the corner stays transparent
        assert image.getpixel((200, 200)) == (*SEAL_RED, 255)
    entry = LogEntry.objects.get(action="awards.seal.uploaded")
    assert entry.data["issuer"] == ISSUER


def test_a_new_seal_replaces_the_old_and_its_file_goes(users, django_capture_on_commit_callbacks):
    organiser = users["federation_admin"]
    first = services.seal_upload(acting_user=organiser, issuer=ISSUER, data=seal_image())
    old_name = first.image.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.seal_upload(
            acting_user=organiser, issuer=ISSUER, data=seal_image((180, 0, 0))
        )
    assert second.pk == first.pk
    assert Seal.objects.count() == 1
    assert second.image.name != old_name
    assert storages["private"].exists(second.image.name)
    assert not storages["private"].exists(old_name)
    with django_capture_on_commit_callbacks(execute=True):
        services.seal_remove(acting_user=organiser, seal=second)
    assert not Seal.objects.exists()
    assert not storages["private"].exists(second.image.name)


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"%PDF-1.7 a scanned letter", "seal.png", "not an image"),
        (b"just some text, not a seal at all", "seal.txt", "not an image"),
        (None, "seal.jpg", "PNG"),  # a JPEG: no transparency
        (b"opaque", "seal.png", "no transparent background"),
    ],
)
def test_what_is_no_png_seal_is_refused_with_a_sentence(users, client_as, data, name, words):
    if data is None:
        data = jpeg(photo(1, (400, 400)))
    elif data == b"opaque":
        data = encode(Image.new("RGBA", (400, 400), (*SEAL_RED, 255)), "PNG")
    client = client_as("federation_admin")
    client.cookies["django_language"] = "en"  # the sentence read in English
    response = upload(client, ISSUER, data, name)
    assert response.status_code == 200
    assert words.encode() in response.content
    assert not Seal.objects.exists()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.seal_upload(acting_user=users["federation_admin"], issuer=ISSUER, data=data)
    assert words in " ".join(refused.value.messages)


def test_the_console_page_uploads_shows_and_removes_a_seal(published, client_as):
    client = client_as("federation_admin")
    response = upload(client, ISSUER, seal_image(), "公章.png")
    assert response.status_code == 302
    seal = Seal.objects.get()
    page = client.get(reverse("awards:console_seals"))
    assert f'data-issuer="{ISSUER}"'.encode() in page.content
    assert published.title.encode() in page.content  # the contests it is stamped for
    image = client.get(reverse("awards:console_seal_image", args=[seal.pk]))
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert client.post(reverse("awards:console_seal_remove", args=[seal.pk])).status_code == 302
    assert not Seal.objects.exists()


def test_only_organisers_manage_seals(users):
    with pytest.raises(ValidationError):
        services.seal_upload(acting_user=users["unit_admin"], issuer=ISSUER, data=seal_image())
    assert not Seal.objects.exists()
