"""Certificates as PDF — a contest's 荣誉证书, and on the same pages (``CertificatePage``) a
course's 结业证书 (``events.certificates``): one certificate, or many in one file, drawn by
WeasyPrint from ``awards/certificate.html`` — A4 landscape, the Noto CJK fonts of the system
(embedded, as subsets), a QR code to the public verification page (``settings.LAUREL_PUBLIC_URL``).

The certificate's text is Chinese whatever the reader's language: it is a printed document.
It names its recipient as issued: a member (同志, with their unit), a team (with its unit) or a
unit — an entry's entrant, or a unit given a prize of its own (no work named then).
It names its issuer (``contest.certificate_issuer or contest.organiser``); when that body has a
``Seal``, its image is stamped over the name (a PNG data URI), else the name stands alone.
Rendering fetches nothing: only ``data:`` URIs (the QR code) may be read, so a certificate
can never make a request. A revoked certificate is not drawn (``CertificateRevoked``).

A contest's certificates "all in one file" are drawn in the background
(``tasks.certificates_bundle``), a few at a time so progress can be shown; the job's state
lives in the cache (``bundle_status``) and the file in the private storage.
"""

import base64
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

import segno
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from laurel.awards.models import Certificate, Seal
from laurel.contests.models import Contest

BUNDLE_CHUNK = 20  # certificates drawn per step of the all-in-one job (progress in between)
BUNDLE_KEPT_SECONDS = 7 * 24 * 60 * 60  # how long the job's state (and link) is remembered
BUNDLE_DIR = "certificates"  # in the private storage
# a job not heard from for this long is taken for dead (its worker stopped): it may restart
BUNDLE_SILENCE = datetime.timedelta(minutes=10)


class CertificateRevoked(ValueError):
    """A revoked certificate is not drawn: it is no longer valid."""


# Certificates other apps draw on these pages (a course's 结业证书: ``events``) are checked
# through the same public page: each app registers a function that gives the address of its
# own verification page for a number it issued (None for one it did not).
verification_elsewhere: list[Callable[[str], str | None]] = []


def verification_found_elsewhere(number: str) -> str | None:
    """The verification page of a certificate another app issued under ``number``."""
    for find in verification_elsewhere:
        path = find(number)
        if path is not None:
            return path
    return None


def verify_url(number: str) -> str:
    """The absolute address of the public page that confirms certificate ``number``."""
    return settings.LAUREL_PUBLIC_URL + reverse("awards:certificate_verify", args=[number])


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (vector: sharp at any print size)."""
    return segno.make_qr(text, error="m").svg_data_uri(scale=4, border=0)


def chinese_date(day: datetime.date) -> str:
    """2024年5月1日"""
    return f"{day.year}年{day.month}月{day.day}日"


def issuer_name_clean(issuer: str) -> str:
    """An issuing body's name as certificates print it and find its seal: spaces collapsed."""
    return " ".join(issuer.split())


def issuer_of(contest: Contest) -> str:
    return issuer_name_clean(contest.certificate_issuer or contest.organiser)


def seal_data_uris(issuers: Iterable[str]) -> dict[str, str]:
    """Each of ``issuers`` that has a seal → its image as a PNG data URI (one query; a seal
    whose file is missing is left out: the certificate prints as without one)."""
    uris = {}
    for seal in Seal.objects.filter(issuer__in=set(issuers)):
        try:
            with seal.image.open("rb") as image:
                png = image.read()
        except FileNotFoundError:
            continue
        uris[seal.issuer] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return uris


# whose work the citation names, by the recipient's kind: a member's, a team's, a unit's
WHOSE_WORK = {
    Certificate.RecipientKind.MEMBER: "您的作品",
    Certificate.RecipientKind.TEAM: "你们的作品",
    Certificate.RecipientKind.UNIT: "贵单位的作品",
}


@dataclass(frozen=True)
class CertificatePage:
    """One certificate as drawn, whatever issued it: its heading, its recipient (``kind``: a
    member is 同志, a unit has no unit line), the citation with its emphasis (the prize) in
    red, the closing, the issuing body and its seal, the date, the number and its QR code."""

    heading: str
    number: str
    kind: str
    recipient: str
    unit: str
    citation: str
    emphasis: str
    citation_end: str
    closing: str
    issuer: str
    issued_on: datetime.date

    def context(self, seals: dict[str, str]) -> dict:
        return {
            **{field.name: getattr(self, field.name) for field in fields(self)},
            "issued_on": chinese_date(self.issued_on),
            "seal": seals.get(self.issuer, ""),
            "qr": qr_data_uri(verify_url(self.number)),
        }


def _page(certificate: Certificate) -> CertificatePage:
    """A contest's 荣誉证书: the work (or the unit) and the prize it won."""
    contest = certificate.contest
    whose = WHOSE_WORK.get(certificate.recipient_kind, WHOSE_WORK["member"])
    work = f"{whose}《{certificate.title}》" if certificate.title else "贵单位"
    return CertificatePage(
        heading="荣誉证书",
        number=certificate.number,
        kind=certificate.recipient_kind,
        recipient=certificate.recipient,
        unit=certificate.unit,
        citation=f"{work}在{contest.title}中荣获 ",
        emphasis=certificate.prize,
        citation_end="。",
        closing="特发此证，以资鼓励。",
        issuer=issuer_of(contest),
        issued_on=certificate.issued_on,
    )


def pages_document(pages: Iterable[CertificatePage], font_config: FontConfiguration | None = None):
    """``pages`` laid out, one certificate a page, with their issuers' seals (rendering
    fetches nothing: only ``data:`` URIs may be read)."""
    pages = list(pages)
    seals = seal_data_uris(page.issuer for page in pages)
    html = render_to_string(
        "awards/certificate.html", {"certificates": [page.context(seals) for page in pages]}
    )
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).render(font_config=font_config)


def pages_pdf(pages: Iterable[CertificatePage]) -> bytes:
    return pages_document(pages).write_pdf()


def _document(certificates: Iterable[Certificate], font_config: FontConfiguration | None = None):
    certificates = list(certificates)
    for certificate in certificates:
        if certificate.revoked_at is not None:
            raise CertificateRevoked(certificate.number)
    return pages_document([_page(certificate) for certificate in certificates], font_config)


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    """Every certificate given, one page each, as one PDF (select ``contest`` with them)."""
    return _document(certificates).write_pdf()


def certificate_pdf(certificate: Certificate) -> bytes:
    return certificates_pdf([certificate])


# --- all in one file, in the background ------------------------------------------------


class Bundle:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def valid_certificates(contest: Contest):
    return (
        Certificate.objects.filter(contest=contest, revoked_at__isnull=True)
        .select_related("contest")
        .order_by("number")
    )


def _status_cache():
    """Every worker must see the job's state alike (a poll may reach another process)."""
    return caches["shared"]


def bundle_key(contest: Contest | int) -> str:
    return f"awards:certificates:{getattr(contest, 'pk', contest)}:bundle"


def bundle_status(contest: Contest) -> dict | None:
    """The all-in-one job of ``contest``: ``state``, ``done``, ``total`` and, once done,
    ``path`` (in the private storage) and ``finished_at``; None when none was started."""
    return _status_cache().get(bundle_key(contest))


def bundle_status_keep(contest: Contest, status: dict) -> None:
    """Remember ``status`` as the all-in-one job of ``contest``."""
    _status_cache().set(bundle_key(contest), status, timeout=BUNDLE_KEPT_SECONDS)


def bundle_busy(status: dict | None) -> bool:
    """Queued or running, and heard from lately (a job whose worker died may start again)."""
    if status is None or status["state"] not in (Bundle.QUEUED, Bundle.RUNNING):
        return False
    return timezone.now() - status["updated_at"] < BUNDLE_SILENCE


class _Superseded(Exception):
    """Another job of the same contest started since (this one was taken for dead)."""


def bundle_build(contest_id: int, job: str, chunk: int = BUNDLE_CHUNK) -> str:
    """The job itself (the task's body): draws the certificates a chunk at a time, saying
    how far it got in the cache, joins the pages into one PDF in the private storage and
    drops the previous file. A job that is no longer the contest's current one stops."""
    key = bundle_key(contest_id)
    status = _status_cache().get(key)
    if status is None or status["job"] != job:
        return "superseded"
    previous = status.get("path", "")

    def report(**changes) -> None:
        current = _status_cache().get(key)
        if current is not None and current["job"] != job:
            raise _Superseded
        status.update(changes, updated_at=timezone.now())
        _status_cache().set(key, status, timeout=BUNDLE_KEPT_SECONDS)

    storage = storages["private"]
    path = ""
    try:
        certificates = list(valid_certificates(contest_id))
        report(state=Bundle.RUNNING, done=0, total=len(certificates))
        pdf = _bundle_pdf(certificates, chunk, lambda done: report(done=done))
        path = storage.save(f"{BUNDLE_DIR}/{contest_id}/{job}.pdf", ContentFile(pdf))
        report(state=Bundle.DONE, path=path, finished_at=timezone.now())
    except _Superseded:
        if path:
            storage.delete(path)
        return "superseded"
    except Exception:
        report(state=Bundle.FAILED)
        raise
    if previous and previous != path:
        storage.delete(previous)
    return Bundle.DONE


def _bundle_pdf(
    certificates: list[Certificate], chunk: int, progress: Callable[[int], None]
) -> bytes:
    if not certificates:
        return certificates_pdf([])
    documents = []
    fonts = FontConfiguration()  # shared: each font is embedded once, not once per chunk
    for start in range(0, len(certificates), chunk):
        documents.append(_document(certificates[start : start + chunk], fonts))
        progress(min(start + chunk, len(certificates)))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
