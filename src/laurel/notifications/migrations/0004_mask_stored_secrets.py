"""Messages stored before bodies were masked: mask their reset codes and invitation tokens.

Those messages knew no list of secrets, so the two kinds Laurel sent are found by their form:
six-digit codes and the token in an ``/accounts/invite/<token>/`` link. A message not yet
sent keeps its full text sealed (as ``message_send`` now does) so it can still be delivered.
"""

import re

from django.db import migrations

INVITATION_TOKEN = re.compile(r"/accounts/invite/(?!code/)([^/\s]+)")
SIX_DIGIT_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def stored_secrets_mask(apps, schema_editor):
    from laurel.notifications.sealing import secrets_mask, text_seal

    OutgoingMessage = apps.get_model("notifications", "OutgoingMessage")
    for message in OutgoingMessage.objects.filter(body_sealed="").iterator():
        found = [*INVITATION_TOKEN.findall(message.body), *SIX_DIGIT_CODE.findall(message.body)]
        if not found and message.status == "sent":
            continue
        if message.status != "sent":
            message.body_sealed = text_seal(message.body, found)
        message.body = secrets_mask(message.body, found)
        message.error = secrets_mask(message.error, found)
        message.save(update_fields=["body", "body_sealed", "error"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_body_sealed")]

    operations = [migrations.RunPython(stored_secrets_mask, migrations.RunPython.noop)]
