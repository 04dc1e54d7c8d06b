from django.urls import path

from laurel.events.views import console, console_registering, member, public

app_name = "events"
urlpatterns = [
    # public: what is on, and how to come
    path("events/", public.event_list, name="list"),
    path("events/<slug:slug>/", public.event_detail, name="detail"),
    path("events/<slug:slug>/calendar.ics", public.event_calendar, name="calendar"),
    # people registering themselves: signed in, or verified without an account
    path("events/<slug:slug>/register/", member.register, name="register"),
    path("me/events/", member.mine, name="mine"),
    path("me/events/<id:pk>/", member.registration, name="registration"),
    path("me/events/<id:pk>/cancel/", member.cancel, name="cancel"),
    path("me/events/<id:pk>/accept/", member.offer_accept, name="offer_accept"),
    # console: organisers
    path("console/events/", console.event_list, name="console_list"),
    path("console/events/new/", console.event_create, name="console_create"),
    path("console/events/<slug:slug>/", console.event_detail, name="console_detail"),
    path("console/events/<slug:slug>/edit/", console.event_edit, name="console_edit"),
    path("console/events/<slug:slug>/state/", console.event_state, name="console_state"),
    path("console/events/<slug:slug>/booths/", console.booths, name="console_booths"),
    path("console/events/<slug:slug>/booths/<id:pk>/", console.booth_edit, name="console_booth"),
    path("console/events/<slug:slug>/occupancy/", console.occupancy, name="console_occupancy"),
    path(
        "console/events/<slug:slug>/registrations/",
        console.registrations,
        name="console_registrations",
    ),
    path(
        "console/events/<slug:slug>/registrations/<id:pk>/cancel/",
        console.registration_cancel,
        name="console_registration_cancel",
    ),
    # console: unit admins registering their teams and members
    path(
        "console/events/<slug:slug>/register/",
        console_registering.register,
        name="console_register",
    ),
]
