"""An upload's idempotency key lives in ``web.IdempotentRequest`` now (moved by 0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("media", "0004_upload_keys_into_idempotent_requests")]

    operations = [
        migrations.RemoveConstraint(model_name="mediaasset", name="media_upload_once_per_key"),
        migrations.RemoveField(model_name="mediaasset", name="idempotency_key"),
    ]
