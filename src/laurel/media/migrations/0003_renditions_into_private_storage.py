"""Thumbnails and display copies move from MEDIA_ROOT (which a proxy might serve) into
private storage, at the same relative paths: nothing of an unpublished work may sit where a
path could reach it. Files already moved are left alone, so the migration may be re-run."""

from django.core.files.storage import storages
from django.db import migrations

MOVED = ("thumbnail", "display")


def _move(source, target, paths) -> None:
    for path in paths:
        if not source.exists(path):
            continue
        if not target.exists(path):
            with source.open(path, "rb") as handle:
                saved = target.save(path, handle)
            if saved != path:  # storages never rename into an existing name here; be sure
                raise RuntimeError(f"{path} was stored as {saved}")
        source.delete(path)


def _paths(apps) -> list[str]:
    assets = apps.get_model("media", "MediaAsset").objects.exclude(renditions={})
    return [
        path
        for renditions in assets.values_list("renditions", flat=True).iterator()
        for name, path in renditions.items()
        if name in MOVED
    ]


def into_private(apps, schema_editor) -> None:
    _move(storages["default"], storages["private"], _paths(apps))


def back_to_public(apps, schema_editor) -> None:
    _move(storages["private"], storages["default"], _paths(apps))


class Migration(migrations.Migration):
    dependencies = [("media", "0002_asset_published_at")]

    operations = [migrations.RunPython(into_private, back_to_public, elidable=True)]
