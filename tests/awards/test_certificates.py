"""荣誉证书 as PDF (``awards.certificates``): the text read back from the PDF, embedded fonts,
the QR code decoded from the drawn page, every certificate in one file (drawn in the
background, progress in the cache), and who may download which certificate.

``published`` is the ``judged_contest`` with its prizes proposed and published: six
certificates; entries with an even index are of 永川区 (the unit admin's), odd of 奉节县.
"""

import datetime
import io

import pypdfium2
import pytest
import zxingcpp
from django.core.cache import caches
from django.core.files.storage import storages
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant
from laurel.audit.models import LogEntry
from laurel.awards import certificates, services
from laurel.awards.models import Certificate
from laurel.members.services import member_user_link


@pytest.fixture
def published(judged_contest, users):
    organiser = users["federation_admin"]
    judged_contest.certificate_issuer = "重庆市总工会宣传部"
    judged_contest.save(update_fields=["certificate_issuer"])
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    services.results_publish(acting_user=organiser, contest=judged_contest)
    return judged_contest


def certificate_of(contest, n: int) -> Certificate:
    return Certificate.objects.get(entry=contest.test_entries[n], revoked_at__isnull=True)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def qr_texts(pdf: bytes, page: int = 0) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=150 / 72).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def font_files(pdf: bytes) -> dict[str, bool]:
    """Each font the first page uses → whether its program is embedded (a FontFile)."""
    fonts = {}
    resources = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]
    for font in resources["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        fonts[str(font["/BaseFont"])] = any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
    return fonts


def pdf_of(client, certificate: Certificate, *, mine: bool = False):
    name = "awards:my_certificate_pdf" if mine else "awards:console_certificate_pdf"
    return client.get(reverse(name, args=[certificate.number]))


# --- the document -----------------------------------------------------------------------


def test_the_pdf_carries_the_winner_the_work_the_prize_and_the_number(published, client_as):
    certificate = certificate_of(published, 0)
    response = pdf_of(client_as("federation_admin"), certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert certificate.number in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert certificate.recipient == "作者0"
    for expected in (
        "作者0",
        "《作品0》",
        "一等奖",
        "特发此证，以资鼓励",
        certificate.number,
        published.title,
        "重庆市总工会宣传部",  # the contest's issuer, not its organiser
        certificates.chinese_date(certificate.issued_on),
    ):
        assert expected in text, expected
    assert published.organiser not in text.replace("重庆市总工会宣传部", "")


def test_the_issuer_is_the_organiser_when_none_is_set(published):
    published.certificate_issuer = ""
    published.save(update_fields=["certificate_issuer"])
    certificate = Certificate.objects.select_related("contest").get(
        pk=certificate_of(published, 1).pk
    )
    assert "市总工会" in pdf_text(certificates.certificate_pdf(certificate))


def test_dates_are_written_the_chinese_way():
    assert certificates.chinese_date(datetime.date(2024, 5, 1)) == "2024年5月1日"
    assert certificates.chinese_date(datetime.date(2024, 12, 31)) == "2024年12月31日"


def test_the_fonts_are_embedded(published):
    certificate = Certificate.objects.select_related("contest").get(
        pk=certificate_of(published, 0).pk
    )
    fonts = font_files(certificates.certificate_pdf(certificate))
    assert fonts, "the page uses no font"
    assert all(fonts.values()), fonts
    assert any("CJK" in name for name in fonts), fonts


@override_settings(LAUREL_PUBLIC_URL="https://photo.example.org")
def test_the_qr_code_opens_the_public_verification_page_of_that_number(published):
    certificate = Certificate.objects.select_related("contest").get(
        pk=certificate_of(published, 2).pk
    )
    pdf = certificates.certificate_pdf(certificate)
    url = "https://photo.example.org" + reverse(
        "awards:certificate_verify", args=[certificate.number]
    )
    assert qr_texts(pdf) == [url]


def test_the_renderer_fetches_nothing_but_data_uris(published, monkeypatch):
    """An address the template might name is refused: the fetcher allows data: only."""
    fetched = []
    original = certificates.URLFetcher

    class Spy(original):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(certificates, "URLFetcher", Spy)
    certificate = Certificate.objects.select_related("contest").get(
        pk=certificate_of(published, 0).pk
    )
    certificates.certificate_pdf(certificate)
    assert fetched, "the QR code is read through the fetcher"
    assert all(url.startswith("data:") for url in fetched)
    with pytest.raises(ValueError, match="disallowed protocol"):
        Spy(allowed_protocols={"data"}).fetch("https://example.org/x.png")


def test_a_revoked_certificate_is_not_drawn(published):
    certificate = certificate_of(published, 0)
    certificate.revoked_at = timezone.now()
    with pytest.raises(certificates.CertificateRevoked):
        certificates.certificate_pdf(certificate)


# --- who downloads which ----------------------------------------------------------------


@pytest.fixture
def winner(published, make_user, world):
    """A login for the author of entry 2 (a winner of 永川区)."""
    user = make_user("member", world.grassroots)
    author = published.test_entries[2].author
    member_user_link(acting_user=None, member=author, user=user)
    return user


def test_a_winner_downloads_their_own_certificate_and_not_anothers(published, winner):
    client = Client()
    client.force_login(winner)
    own = certificate_of(published, 2)
    response = pdf_of(client, own, mine=True)
    assert response.status_code == 200
    assert own.recipient in pdf_text(response.content)
    assert pdf_of(client, certificate_of(published, 0), mine=True).status_code == 404
    assert pdf_of(client, certificate_of(published, 1), mine=True).status_code == 404
    # a member never reaches the console's copy, even of their own
    assert pdf_of(client, own).status_code == 403


def test_a_certificate_needs_a_login(published, client_as):
    response = pdf_of(client_as("anonymous"), certificate_of(published, 0), mine=True)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_winners_entry_page_links_their_certificate(published, winner):
    client = Client()
    client.force_login(winner)
    own = certificate_of(published, 2)
    page = client.get(reverse("contests:my_entry", args=[published.test_entries[2].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="certificate-download"' in html
    assert reverse("awards:my_certificate_pdf", args=[own.number]) in html


def test_an_entry_without_a_valid_certificate_shows_no_link(published, winner):
    own = certificate_of(published, 2)
    own.revoked_at = timezone.now()
    own.save(update_fields=["revoked_at"])
    client = Client()
    client.force_login(winner)
    page = client.get(reverse("contests:my_entry", args=[published.test_entries[2].pk]))
    assert 'id="certificate-download"' not in page.content.decode()


def test_a_unit_admin_gets_only_their_subtrees_certificates(published, client_as):
    client = client_as("unit_admin")
    assert pdf_of(client, certificate_of(published, 0)).status_code == 200
    assert pdf_of(client, certificate_of(published, 2)).status_code == 200
    assert pdf_of(client, certificate_of(published, 1)).status_code == 404
    assert pdf_of(client, certificate_of(published, 1), mine=True).status_code == 404
    page = client.get(reverse("awards:console_certificates", args=[published.slug]))
    assert page.status_code == 200
    listed = {row.record.number for row in page.context["listing"].table.rows}
    assert listed == {certificate_of(published, n).number for n in (0, 2, 4)}
    html = page.content.decode()
    assert 'id="certificate-list"' in html
    assert certificate_of(published, 1).number not in html
    assert 'id="certificates-all-link"' not in html


def test_the_organiser_lists_every_certificate_with_its_state(published, client_as):
    revoked = certificate_of(published, 3)
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["revoked_at"])
    page = client_as("federation_admin").get(
        reverse("awards:console_certificates", args=[published.slug])
    )
    html = page.content.decode()
    for n in range(6):
        number = Certificate.objects.get(entry=published.test_entries[n]).number
        assert f'id="certificate-{number}"' in html
    assert f'id="certificate-{revoked.number}" data-revoked="true"' in html
    assert f'id="certificate-pdf-{revoked.number}"' not in html
    valid = certificate_of(published, 0)
    assert f'id="certificate-{valid.number}" data-revoked="false"' in html
    assert reverse("awards:console_certificate_pdf", args=[valid.number]) in html
    assert 'id="certificates-all-link"' in html


def test_a_revoked_certificate_is_not_found(published, client_as, winner):
    certificate = certificate_of(published, 2)
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    assert pdf_of(client_as("federation_admin"), certificate).status_code == 404
    client = Client()
    client.force_login(winner)
    assert pdf_of(client, certificate, mine=True).status_code == 404


def test_a_personal_data_holder_sees_no_more_certificates_than_their_reach(
    published, make_user, world
):
    """The personal-data permission shows numbers; it does not widen whose entries."""
    user = make_user("unit_admin", world.district)
    role_grant(acting_user=None, user=user, role=Role.PERSONAL_DATA, unit=None)
    client = Client()
    client.force_login(user)
    assert pdf_of(client, certificate_of(published, 1)).status_code == 404


# --- all in one file --------------------------------------------------------------------


def all_url(contest) -> str:
    return reverse("awards:console_certificates_all", args=[contest.slug])


def test_all_certificates_in_one_file_one_page_each(
    published, client_as, django_capture_on_commit_callbacks
):
    revoked = certificate_of(published, 5)
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["revoked_at"])
    client = client_as("federation_admin")
    assert 'data-state="none"' in client.get(all_url(published)).content.decode()
    assert client.get(all_url(published) + "?download=1").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(all_url(published))
    assert response.status_code == 302

    page = client.get(all_url(published)).content.decode()
    assert 'id="certificates-progress" data-state="done"' in page
    assert 'id="certificates-all-download"' in page
    response = client.get(all_url(published) + "?download=1")
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    valid = list(
        Certificate.objects.filter(contest=published, revoked_at__isnull=True).order_by("number")
    )
    assert len(valid) == 5
    assert len(reader.pages) == len(valid)
    for page, certificate in zip(reader.pages, valid, strict=True):
        text = page.extract_text()
        assert certificate.number in text
        assert certificate.recipient in text
    assert revoked.number not in pdf_text(pdf)
    assert all(font_files(pdf).values())
    assert qr_texts(pdf, page=4) == [certificates.verify_url(valid[4].number)]


def test_the_job_shows_its_progress_while_it_runs(
    published, client_as, django_capture_on_commit_callbacks
):
    client = client_as("federation_admin")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(all_url(published))
    assert len(callbacks) == 1
    status = certificates.bundle_status(published)
    assert status["state"] == certificates.Bundle.QUEUED
    assert status["total"] == 6

    polled = client.get(all_url(published), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-state="queued"' in polled
    assert 'hx-trigger="every 2s"' in polled
    assert "<html" not in polled  # the partial alone
    # a second start while one is under way starts nothing new
    with django_capture_on_commit_callbacks(execute=False) as again:
        client.post(all_url(published))
    assert again == []
    assert certificates.bundle_status(published)["job"] == status["job"]

    callbacks[0]()
    polled = client.get(all_url(published), HTTP_HX_REQUEST="true")
    assert 'data-state="done"' in polled.content.decode()
    assert "hx-trigger" not in polled.content.decode()  # finished: polling stops
    assert polled["HX-Refresh"] == "true"


def test_the_job_reports_each_chunk_drawn(published):
    valid = list(certificates.valid_certificates(published))
    seen = []
    pdf = certificates._bundle_pdf(valid, 4, seen.append)
    assert seen == [4, 6]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 6


def test_a_superseded_job_does_nothing(published, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.certificates_bundle_start(acting_user=users["federation_admin"], contest=published)
    assert certificates.bundle_build(published.pk, "not-the-current-job") == "superseded"
    assert certificates.bundle_status(published)["state"] == certificates.Bundle.QUEUED


def test_starting_the_bundle_is_audited_once_with_its_count(
    published, users, django_capture_on_commit_callbacks
):
    admin = users["federation_admin"]
    with django_capture_on_commit_callbacks(execute=False):
        services.certificates_bundle_start(acting_user=admin, contest=published)
        services.certificates_bundle_start(acting_user=admin, contest=published)  # under way
    entry = LogEntry.objects.get(action="awards.certificates.bundled")
    assert (entry.actor, entry.object_id) == (admin, str(published.pk))
    assert entry.data == {"certificates": certificates.valid_certificates(published).count()}


def test_only_organisers_draw_all_certificates(published, client_as):
    assert client_as("unit_admin").get(all_url(published)).status_code == 403
    assert client_as("unit_admin").post(all_url(published)).status_code == 403
    assert certificates.bundle_status(published) is None


def test_a_job_not_heard_from_may_start_again(
    published, client_as, django_capture_on_commit_callbacks
):
    """A job whose worker died would otherwise block the page for days."""
    client = client_as("federation_admin")
    with django_capture_on_commit_callbacks(execute=False):
        client.post(all_url(published))
    first = certificates.bundle_status(published)
    first["updated_at"] -= certificates.BUNDLE_SILENCE
    caches["shared"].set(certificates.bundle_key(published), first)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(all_url(published))
    assert len(callbacks) == 1
    second = certificates.bundle_status(published)
    assert second["job"] != first["job"]
    assert certificates.bundle_build(published.pk, first["job"]) == "superseded"
    callbacks[0]()
    status = certificates.bundle_status(published)
    assert status["state"] == certificates.Bundle.DONE
    assert status["job"] == second["job"]
    assert storages["private"].exists(status["path"])
