"""Serving media: a published asset's thumbnail and display copy to anyone; everything else
only by a signed URL, and only to the user it was issued to."""

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse

from laurel.media import policy, services
from laurel.media.models import MediaAsset

PUBLIC_SECONDS = 60 * 60  # a correction that takes a work out of the results shows within it


def rendition(request, pk: int, name: str):
    """A thumbnail or display copy of a published asset: public and cacheable. An asset that
    is not published (an open contest's entry, an upload nobody claimed) is not found."""
    if name not in policy.PUBLIC_RENDITIONS:
        raise Http404
    asset = MediaAsset.objects.filter(
        pk=pk, status=MediaAsset.Status.READY, published_at__isnull=False
    ).first()
    if asset is None or name not in asset.renditions:
        raise Http404
    with services.rendition_storage(name).open(asset.renditions[name], "rb") as handle:
        content = handle.read()  # small (≤ 1600 px): no file left open if the client leaves
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = f"public, max-age={PUBLIC_SECONDS}"
    return response


def signed(request, token: str):
    """An asset's file for the user whose unexpired signed URL this is; anyone else (another
    user, or no log-in) is not found."""
    try:
        target = services.signed_read(token)
    except signing.BadSignature:  # forged, or expired (SignatureExpired is a BadSignature)
        raise PermissionDenied from None
    if target.user_id is None or target.user_id != request.user.pk:
        raise Http404
    asset = MediaAsset.objects.filter(pk=target.asset_id).first()
    if asset is None:
        raise Http404
    name = target.rendition
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
