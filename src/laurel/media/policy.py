"""Who may see which media: a published asset's thumbnail and display copy anyone; before
that, whoever the page showing the asset allows (by a signed URL bound to them); judge
renditions and originals only through signed URLs, issued to those these rules allow."""

from laurel.accounts.models import RoleGrant
from laurel.media.models import MediaAsset
from laurel.web.access import Access, signed_in

PUBLIC_RENDITIONS = ("thumbnail", "display")


def may_upload(access: Access) -> bool:
    """Whoever has pages of their own to upload to (``web.access.signed_in``): not a
    check-in-only login."""
    return signed_in(access)


def may_view_judge_rendition(access: Access, asset: MediaAsset) -> bool:
    """Judges and organisers. (A contest narrows judges to their own assignments.)"""
    return access.is_judge or may_view_original(access, asset)


def may_view_original(access: Access, asset: MediaAsset) -> bool:
    """Originals are for organisers: the federation, or an admin of the uploader's unit."""
    if access.is_federation_admin:
        return True
    if not access.is_unit_admin or asset.uploaded_by_id is None:
        return False
    paths = RoleGrant.objects.filter(user_id=asset.uploaded_by_id, unit__isnull=False)
    return any(access.administers(path) for path in paths.values_list("unit__path", flat=True))
