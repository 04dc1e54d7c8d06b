"""All URLs. Console pages live under /console/ and are walked by tests/test_access.py."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("laurel.web.urls")),
    path("", include("laurel.accounts.urls")),
    path("", include("laurel.orgs.urls")),
    path("", include("laurel.audit.urls")),
    path("", include("laurel.notifications.urls")),
    path("", include("laurel.members.urls")),
    path("", include("laurel.media.urls")),
    path("", include("laurel.contests.urls")),
    path("", include("laurel.judging.urls")),
    path("", include("laurel.awards.urls")),
]

handler403 = "laurel.web.views.public.permission_denied"
handler404 = "laurel.web.views.public.not_found"
