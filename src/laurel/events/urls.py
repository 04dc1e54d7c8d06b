from django.urls import path

from laurel.events.views import (
    console,
    console_certificates,
    console_course,
    console_gate,
    console_gate_offline,
    console_gate_roll_call,
    console_programme,
    console_registering,
    console_roll,
    member,
    member_course,
    member_tickets,
    public,
    public_certificates,
)

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
    # tickets: the holder's, and its PDF; a team's badges in the console
    path("me/events/<id:pk>/ticket/", member_tickets.ticket, name="ticket"),
    path("me/events/<id:pk>/ticket.pdf", member_tickets.ticket_pdf_view, name="ticket_pdf"),
    path(
        "console/events/<slug:slug>/registrations/<id:pk>/badges.pdf",
        console_registering.team_badges,
        name="console_team_badges",
    ),
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
    # the gate, for check-in staff's phones; who keeps it (organisers)
    path("events/<slug:slug>/gate/", console_gate.gate, name="gate"),
    path("events/<slug:slug>/gate/lost/", console_gate.gate_lost, name="gate_lost"),
    path("events/<slug:slug>/gate/walk-in/", console_gate.gate_walk_in, name="gate_walk_in"),
    path(
        "events/<slug:slug>/gate/offline/",
        console_gate_offline.offline_list,
        name="gate_offline_list",
    ),
    path("events/<slug:slug>/gate/sync/", console_gate_offline.sync, name="gate_sync"),
    path("events/<slug:slug>/gate/sw.js", console_gate_offline.service_worker, name="gate_sw"),
    path("console/events/<slug:slug>/attendance/", console.attendance, name="console_attendance"),
    path("console/events/<slug:slug>/staff/", console_gate.staff, name="console_staff"),
    path(
        "console/events/<slug:slug>/staff/<id:pk>/remove/",
        console_gate.staff_remove,
        name="console_staff_remove",
    ),
    # a performance's programme (节目单): organisers set it up; anyone reads it and its PDF
    path("events/<slug:slug>/programme.pdf", public.programme_pdf_view, name="programme_pdf"),
    path(
        "console/events/<slug:slug>/programme/",
        console_programme.programme,
        name="console_programme",
    ),
    path(
        "console/events/<slug:slug>/programme/order/",
        console_programme.programme_order,
        name="console_programme_order",
    ),
    path(
        "console/events/<slug:slug>/programme/<id:pk>/",
        console_programme.act_edit,
        name="console_act",
    ),
    path(
        "console/events/<slug:slug>/programme/<id:pk>/move/",
        console_programme.act_move,
        name="console_act_move",
    ),
    # a meeting's sign-in (MEET): organisers invite, tick names, record leave, take the sheet;
    # the invitee asks for leave on their own registration's page
    path("me/events/<id:pk>/leave/", member.leave, name="leave"),
    path("console/events/<slug:slug>/roll/", console_roll.roll, name="console_roll"),
    path(
        "console/events/<slug:slug>/roll/invite/",
        console_roll.invite,
        name="console_roll_invite",
    ),
    path(
        "console/events/<slug:slug>/roll/<id:pk>/sign-in/",
        console_roll.sign_in,
        name="console_roll_sign_in",
    ),
    path(
        "console/events/<slug:slug>/roll/<id:pk>/leave/",
        console_roll.leave,
        name="console_roll_leave",
    ),
    path(
        "console/events/<slug:slug>/roll/<id:pk>/remove/",
        console_roll.remove,
        name="console_roll_remove",
    ),
    path("console/events/<slug:slug>/roll.xlsx", console_roll.roll_xlsx, name="console_roll_xlsx"),
    path(
        "console/events/<slug:slug>/roll.pdf", console_roll.roll_pdf_view, name="console_roll_pdf"
    ),
    # a course's member: their progress and completion certificate; the certificate confirmed
    # publicly by its number; the organisers' copy of it
    path("me/courses/<slug:slug>/", member_course.my_course, name="my_course"),
    path(
        "me/courses/<slug:slug>/certificate.pdf",
        member_course.my_course_certificate,
        name="my_course_certificate",
    ),
    path(
        "certificates/courses/<str:number>/",
        public_certificates.certificate_verify,
        name="certificate_verify",
    ),
    path(
        "console/events/certificates/<str:number>.pdf",
        console_certificates.course_certificate,
        name="console_course_certificate",
    ),
    # a course (惠工课堂): its organisers' page (classes, the attendance grid and its workbook,
    # the completion certificates); the teacher's roll call on a phone, beside the gate
    path("console/events/<slug:slug>/course/", console_course.course, name="console_course"),
    path(
        "console/events/<slug:slug>/course/classes/<id:pk>/",
        console_course.course_class,
        name="console_course_class",
    ),
    path(
        "console/events/<slug:slug>/course/certificates/",
        console_course.certificates_issue,
        name="console_course_certificates_issue",
    ),
    path(
        "events/<slug:slug>/gate/classes/",
        console_gate_roll_call.classes,
        name="roll_call_classes",
    ),
    path(
        "events/<slug:slug>/gate/classes/<id:session_id>/",
        console_gate_roll_call.roll_call,
        name="roll_call",
    ),
    path(
        "events/<slug:slug>/gate/classes/<id:session_id>/<id:pk>/mark/",
        console_gate_roll_call.mark,
        name="roll_call_mark",
    ),
]
