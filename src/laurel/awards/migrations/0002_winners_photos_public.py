"""Existing installs: the photos of the prize-winners in each contest's latest published
version become public, as ``results_publish`` makes them from now on (media keeps every
other photo private)."""

from django.db import migrations


def winners_photos_public(apps, schema_editor) -> None:
    Publication = apps.get_model("awards", "Publication")
    EntryPhoto = apps.get_model("contests", "EntryPhoto")
    MediaAsset = apps.get_model("media", "MediaAsset")
    latest = {}
    for publication in Publication.objects.order_by("contest_id", "version"):
        latest[publication.contest_id] = publication
    for contest_id, publication in latest.items():
        winners = [int(row["entry"]) for row in publication.snapshot["rows"] if row["prize"]]
        assets = EntryPhoto.objects.filter(
            entry__contest_id=contest_id, entry__number__in=winners
        ).values("asset_id")
        MediaAsset.objects.filter(pk__in=assets, published_at__isnull=True).update(
            published_at=publication.published_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("contests", "0003_contest_certificate_issuer_contest_prizes_per_author"),
        ("media", "0002_asset_published_at"),
    ]

    operations = [
        migrations.RunPython(winners_photos_public, migrations.RunPython.noop, elidable=True)
    ]
