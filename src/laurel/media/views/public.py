"""Serving media: public renditions by URL; private ones only by signed URL."""

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse

from laurel.media import policy, services
from laurel.media.models import MediaAsset


def rendition(request, pk: int, name: str):
    """A thumbnail or display copy of a ready asset: public and cacheable."""
    if name not in policy.PUBLIC_RENDITIONS:
        raise Http404
    asset = MediaAsset.objects.filter(pk=pk, status=MediaAsset.Status.READY).first()
    if asset is None or name not in asset.renditions:
        raise Http404
    with services.rendition_storage(name).open(asset.renditions[name], "rb") as handle:
        content = handle.read()  # small (≤ 1600 px): no file left open if the client leaves
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def signed(request, token: str):
    """A judge rendition or an original, for the holder of an unexpired signed URL."""
    try:
        pk, name = services.signed_target(token)
    except signing.BadSignature:  # forged, or expired (SignatureExpired is a BadSignature)
        raise PermissionDenied from None
    asset = MediaAsset.objects.filter(pk=pk).first()
    if asset is None:
        raise Http404
    if name == "original":
        response = FileResponse(
            storages["private"].open(asset.original_path, "rb"),
            as_attachment=True,
            filename=asset.original_name,
        )
    elif asset.status == MediaAsset.Status.READY and name in asset.renditions:
        storage = services.rendition_storage(name)
        response = FileResponse(
            storage.open(asset.renditions[name], "rb"), content_type="image/jpeg"
        )
    else:
        raise Http404
    response["Cache-Control"] = "private, no-store"
    return response
