"""The photo upload's idempotency keys move into the shell's one mechanism
(``web.idempotency``): each asset's key becomes the row that answers a retry with that asset,
made when the asset was. Backwards, the keys go back onto their assets."""

from django.db import migrations

SCOPE = "media.upload"  # media.services.UPLOAD_SCOPE when this was written
ASSET = "media.mediaasset"


def keys_into_requests(apps, schema_editor) -> None:
    MediaAsset = apps.get_model("media", "MediaAsset")
    IdempotentRequest = apps.get_model("web", "IdempotentRequest")
    keyed = MediaAsset.objects.exclude(idempotency_key="").order_by("pk")
    for pk, user_id, key, created_at in keyed.values_list(
        "pk", "uploaded_by_id", "idempotency_key", "created_at"
    ).iterator():
        request, made = IdempotentRequest.objects.get_or_create(
            scope=SCOPE,
            owner=f"user:{user_id}" if user_id else "",
            key=key,
            defaults={"result": {"model": ASSET, "pk": pk}},
        )
        if made:  # auto_now_add stamped it now; it was made with its asset
            IdempotentRequest.objects.filter(pk=request.pk).update(created_at=created_at)


def keys_onto_assets(apps, schema_editor) -> None:
    MediaAsset = apps.get_model("media", "MediaAsset")
    IdempotentRequest = apps.get_model("web", "IdempotentRequest")
    requests = IdempotentRequest.objects.filter(scope=SCOPE, result__model=ASSET)
    for key, result in requests.values_list("key", "result").iterator():
        MediaAsset.objects.filter(pk=result["pk"]).update(idempotency_key=key)
    requests.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0003_renditions_into_private_storage"),
        ("web", "0001_idempotent_requests"),
    ]

    operations = [migrations.RunPython(keys_into_requests, keys_onto_assets)]
