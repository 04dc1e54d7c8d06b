"""Contest engine I, content kinds: photo rules move off the contest into ``PhotoRules``
(one row per existing contest, its values kept); ``EntryPhoto`` becomes ``EntryFile``
(the same rows, each of kind photo); ``Contest.content`` takes documents, video or none."""

import django.db.models.deletion
from django.db import migrations, models

RULES = (
    "allow_single",
    "allow_series",
    "series_min",
    "series_max",
    "min_long_edge",
    "taken_from",
    "taken_until",
    "formats",
)


def rules_moved(apps, schema_editor):
    Contest = apps.get_model("contests", "Contest")
    PhotoRules = apps.get_model("contests", "PhotoRules")
    PhotoRules.objects.bulk_create(
        PhotoRules(contest_id=contest["pk"], **{name: contest[name] for name in RULES})
        for contest in Contest.objects.values("pk", *RULES)
    )


def rules_moved_back(apps, schema_editor):
    Contest = apps.get_model("contests", "Contest")
    PhotoRules = apps.get_model("contests", "PhotoRules")
    for rules in PhotoRules.objects.values("contest_id", *RULES):
        Contest.objects.filter(pk=rules.pop("contest_id")).update(**rules)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0004_entrants_and_unit_prizes"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PhotoRules",
            fields=[
                (
                    "contest",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="photo_rules",
                        serialize=False,
                        to="contests.contest",
                    ),
                ),
                ("allow_single", models.BooleanField(default=True, verbose_name="single photos")),
                ("allow_series", models.BooleanField(default=True, verbose_name="series (组照)")),
                (
                    "series_min",
                    models.PositiveSmallIntegerField(
                        default=2, verbose_name="photos in a series (at least)"
                    ),
                ),
                (
                    "series_max",
                    models.PositiveSmallIntegerField(
                        default=6, verbose_name="photos in a series (at most)"
                    ),
                ),
                (
                    "min_long_edge",
                    models.PositiveIntegerField(
                        default=2400, verbose_name="minimum long edge (px)"
                    ),
                ),
                (
                    "taken_from",
                    models.DateField(blank=True, null=True, verbose_name="taken on or after"),
                ),
                (
                    "taken_until",
                    models.DateField(blank=True, null=True, verbose_name="taken on or before"),
                ),
                ("formats", models.JSONField(default=list, verbose_name="formats")),
            ],
            options={"verbose_name": "photo rules", "verbose_name_plural": "photo rules"},
        ),
        migrations.RunPython(rules_moved, rules_moved_back),
        *(migrations.RemoveField(model_name="contest", name=name) for name in RULES),
        migrations.AlterField(
            model_name="contest",
            name="content",
            field=models.CharField(
                choices=[
                    ("photo", "Photos"),
                    ("document", "Documents (PDF/DOCX)"),
                    ("video", "Video"),
                    ("none", "No files (judged on the day)"),
                ],
                default="photo",
                max_length=20,
                verbose_name="entries are",
            ),
        ),
        migrations.RenameModel(old_name="EntryPhoto", new_name="EntryFile"),
        migrations.AlterField(
            model_name="entryfile",
            name="entry",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="files",
                to="contests.entry",
            ),
        ),
        migrations.AddField(
            model_name="entryfile",
            name="kind",
            field=models.CharField(
                choices=[("photo", "photo"), ("document", "document"), ("video", "video")],
                default="photo",
                max_length=20,
            ),
        ),
    ]
