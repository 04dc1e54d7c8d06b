from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "laurel.web"
    verbose_name = _("Web shell")

    def ready(self):
        from laurel.web.cache import cache_tables_create

        # Sent once for each app with models (this one among them); the handler is idempotent.
        post_migrate.connect(cache_tables_create, dispatch_uid="laurel.web.cache_tables_create")
