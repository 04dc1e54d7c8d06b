"""All URLs. Console pages live under /console/ and are walked by tests/test_access.py.

Ids and numbers in paths are ``<id:pk>`` (``laurel.web.converters``), never ``<int:pk>``.
"""

from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.utils.functional import lazy
from django.views.generic import RedirectView

from laurel.web.converters import IdConverter
from laurel.web.views.public import language_choose

register_converter(IdConverter, "id")  # before the includes below read their patterns

urlpatterns = [
    path("i18n/setlang/", language_choose, name="set_language"),
    # browsers ask for /favicon.ico whatever the page links: sent to the SVG the pages link
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("laurel/favicon.svg")),
        name="favicon",
    ),
    path("", include("laurel.web.urls")),
    path("", include("laurel.accounts.urls")),
    path("", include("laurel.orgs.urls")),
    path("", include("laurel.audit.urls")),
    path("", include("laurel.notifications.urls")),
    path("", include("laurel.members.urls")),
    path("", include("laurel.verification.urls")),
    path("", include("laurel.media.urls")),
    path("", include("laurel.contests.urls")),
    path("", include("laurel.judging.urls")),
    path("", include("laurel.awards.urls")),
    path("", include("laurel.events.urls")),
]

handler400 = "laurel.web.views.public.bad_request"
handler403 = "laurel.web.views.public.permission_denied"
handler404 = "laurel.web.views.public.not_found"
