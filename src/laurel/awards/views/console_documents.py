"""The console's documents of a contest: certificates (each as a PDF, or all in one file
drawn in the background), the Excel exports and the winners' originals. Thin: the awards
policy decides who may take what; certificates and entries are fetched through its scoped
querysets, so another unit's certificate is 404.
"""

import contextlib
import os
import weakref

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from laurel.accounts.policy import may_reveal_personal_data_somewhere
from laurel.awards import certificates as certificate_documents
from laurel.awards import exports, policy, services
from laurel.awards.models import Certificate
from laurel.awards.tables import CertificateFilter, CertificateTable
from laurel.contests import policy as contests_policy
from laurel.contests.models import Contest
from laurel.web.access import allowed_if
from laurel.web.tables import listing_build

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STREAM_CHUNK = 1024 * 1024


def _contest(request, slug: str) -> Contest:
    return get_object_or_404(contests_policy.contests_visible(request.user.access), slug=slug)


def certificate_response(certificate: Certificate) -> HttpResponse:
    """A valid certificate's PDF as a download (a revoked one is not drawn: 404)."""
    try:
        pdf = certificate_documents.certificate_pdf(certificate)
    except certificate_documents.CertificateRevoked:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


def valid_certificate(request, number: str) -> Certificate:
    """A valid certificate this user may see, else 404."""
    certificates = policy.certificates_visible(request.user.access).filter(revoked_at__isnull=True)
    return get_object_or_404(certificates.select_related("contest"), number=number)


# --- certificates -----------------------------------------------------------------------


@allowed_if(contests_policy.may_browse_contests)
def certificates(request, slug: str):
    access = request.user.access
    contest = _contest(request, slug)
    listed = policy.certificates_visible(access).filter(contest=contest).select_related("entry")
    listing = listing_build(request, CertificateTable, listed, filters=CertificateFilter)
    if listing.export_requested:
        return listing.export_response(f"{contest.slug}-certificates")
    context = {
        "contest": contest,
        "listing": listing,
        "issued": listed.exists(),
        "may_organise": contests_policy.may_organise(access),
        "may_bundle": policy.may_decide_awards(access),
    }
    return render(request, "awards/console_certificates.html", context)


@allowed_if(contests_policy.may_browse_contests)
@never_cache  # personal data: no browser or proxy keeps a copy
def certificate_pdf(request, number: str):
    return certificate_response(valid_certificate(request, number))


@allowed_if(policy.may_decide_awards)
@never_cache  # personal data: no browser or proxy keeps a copy
def certificates_all(request, slug: str):
    """Every valid certificate in one file: POST starts drawing it in the background; GET
    shows how far it got (polled by htmx while it runs) and, once done, the download."""
    contest = _contest(request, slug)
    if request.method == "POST":
        if certificate_documents.valid_certificates(contest).exists():
            services.certificates_bundle_start(acting_user=request.user, contest=contest)
        else:
            messages.error(request, _("This contest has no valid certificates yet."))
        return redirect("awards:console_certificates_all", slug=contest.slug)
    status = certificate_documents.bundle_status(contest)
    done = status is not None and status["state"] == certificate_documents.Bundle.DONE
    if request.GET.get("download"):
        storage = storages["private"]
        if not done or not storage.exists(status["path"]):
            raise Http404
        return FileResponse(
            storage.open(status["path"], "rb"),
            as_attachment=True,
            filename=f"{contest.slug}-certificates.pdf",
            content_type="application/pdf",
        )
    context = {
        "contest": contest,
        "status": status,
        "busy": certificate_documents.bundle_busy(status),
        "done": done,
        "percent": _percent(status),
        "valid": certificate_documents.valid_certificates(contest).count(),
        "may_organise": contests_policy.may_organise(request.user.access),
    }
    if request.htmx:
        response = render(request, "awards/_certificates_progress.html", context)
        if not context["busy"]:
            response["HX-Refresh"] = "true"  # finished: show the whole page again
        return response
    return render(request, "awards/console_certificates_all.html", context)


def _percent(status: dict | None) -> str:
    if not status or not status["total"]:
        return "0"
    return f"{100 * status['done'] / status['total']:.0f}"


# --- exports ----------------------------------------------------------------------------


@allowed_if(policy.may_export_entries)
@never_cache  # personal data: no browser or proxy keeps a copy
def export_xlsx(request, slug: str, kind: str):
    access = request.user.access
    if kind not in ("entries", "scores", "results"):
        raise Http404
    contest = _contest(request, slug)
    # whole numbers: asked for, and only for a holder of the personal-data permission (the
    # members policy then gives them for the people it covers); masked otherwise
    full_numbers = (
        kind == "entries"
        and request.GET.get("full_numbers") == "1"
        and may_reveal_personal_data_somewhere(access)
    )
    if kind == "entries":
        content = exports.entries_workbook(access, contest, full_numbers=full_numbers)
    elif kind == "scores":
        if not policy.may_export_scores(access):
            raise PermissionDenied
        content = exports.scores_workbook(contest)
    else:
        if not policy.may_export_results(access, contest):
            raise PermissionDenied
        content = exports.results_workbook(access, contest)
    services.export_record(
        acting_user=request.user, contest=contest, kind=kind, full_numbers=full_numbers
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{contest.slug}-{kind}.xlsx"'
    return response


@allowed_if(policy.may_download_originals)
@never_cache  # personal data: no browser or proxy keeps a copy
def originals_zip(request, slug: str):
    contest = _contest(request, slug)
    try:
        path = exports.originals_zip(contest)
    except exports.NoOriginals:
        messages.info(
            request,
            _(
                "This contest's entries carry no files, so there are no originals to "
                "download. The results with prizes (Excel) list the winners."
            ),
        )
        return redirect("contests:console_contest", slug=contest.slug)
    services.export_record(acting_user=request.user, contest=contest, kind="originals")
    response = StreamingHttpResponse(_sent_then_removed(path), content_type="application/zip")
    response["Content-Length"] = os.path.getsize(path)
    response["Content-Disposition"] = f'attachment; filename="{contest.slug}-originals.zip"'
    return response


def _sent_then_removed(path: str):
    """The temporary file's bytes, a chunk at a time; the file is deleted once sent, or
    when the response is dropped unsent."""

    def remove() -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)

    def chunks():
        try:
            with open(path, "rb") as handle:
                yield from iter(lambda: handle.read(STREAM_CHUNK), b"")
        finally:
            remove()

    stream = chunks()
    weakref.finalize(stream, remove)
    return stream
