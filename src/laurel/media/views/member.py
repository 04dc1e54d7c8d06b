"""Uploading: streamed, size-limited while streaming, retried safely with an idempotency key
(``web.idempotency``: the header or a form field); limited per user (unclaimed uploads held
at once, uploads per hour)."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from laurel.media import policy, services
from laurel.media.uploads import SizeLimitedUpload
from laurel.web import idempotency
from laurel.web.access import allowed_if


def _uploads_per_hour(_group, _request) -> str:
    return f"{settings.LAUREL_UPLOADS_PER_HOUR}/h"


@csrf_exempt  # only so that the size limit is in place before the body is read ...
@allowed_if(policy.may_upload)
@require_POST
@ratelimit(key="user", rate=_uploads_per_hour, block=False)
def upload(request):
    if request.limited:
        return JsonResponse(
            {
                "error": _(
                    "You have uploaded %(count)d files in the last hour, the most allowed. "
                    "Please wait a while and try again."
                )
                % {"count": settings.LAUREL_UPLOADS_PER_HOUR}
            },
            status=429,
        )
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
        key = idempotency.request_key(request)
    except idempotency.KeyRefused as refused:
        return JsonResponse({"error": str(refused)}, status=400)
    try:
        asset = services.asset_upload(
            acting_user=request.user,
            chunks=upload.chunks(),
            original_name=upload.name,
            idempotency_key=key,
            max_bytes=limit,
            unclaimed_limit=settings.LAUREL_UNCLAIMED_UPLOADS_PER_USER,
        )
    except services.UploadTooLarge as error:
        return JsonResponse({"error": str(error)}, status=413)
    except services.UploadLimitReached as error:
        return JsonResponse({"error": str(error)}, status=429)
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
