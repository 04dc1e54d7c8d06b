from django.urls import path

from laurel.notifications.views import console, member

app_name = "notifications"
urlpatterns = [
    path("inbox/", member.inbox, name="inbox"),
    path("inbox/read/", member.mark_read, name="mark_read"),
    path("console/outbox/", console.outbox, name="outbox"),
]
