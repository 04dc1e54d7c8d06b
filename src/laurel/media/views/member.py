"""Uploading: streamed, size-limited while streaming, retried safely with an idempotency key."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from laurel.media import policy, services
from laurel.media.uploads import SizeLimitedUpload
from laurel.web.access import allowed_if


@csrf_exempt  # only so that the size limit is in place before the body is read ...
@allowed_if(policy.may_upload)
@require_POST
def upload(request):
    limit = services.photo_limits().max_bytes
    request.upload_handlers.insert(0, SizeLimitedUpload(request, limit))
    return _upload(request, limit)


@csrf_protect  # ... and the CSRF check runs right after, as Django's documentation does it
def _upload(request, limit: int):
    upload = request.FILES.get("file")
    if upload is None:
        if getattr(request, "upload_too_large", False):
            return JsonResponse({"error": services.too_large_message(limit)}, status=413)
        return JsonResponse({"error": _("No file was sent.")}, status=400)
    try:
        asset = services.asset_upload(
            acting_user=request.user,
            chunks=upload.chunks(),
            original_name=upload.name,
            idempotency_key=request.headers.get("Idempotency-Key", "")[:100],
            max_bytes=limit,
        )
    except services.UploadTooLarge as error:
        return JsonResponse({"error": str(error)}, status=413)
    return JsonResponse(
        {
            "id": asset.pk,
            "status": asset.status,
            "sha256": asset.sha256,
            "code": asset.refusal_code,
            "reason": asset.refusal_reason,
        },
        status=201,
    )
