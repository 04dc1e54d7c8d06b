from django.urls import path

from laurel.contests.views import (
    console,
    console_copy,
    console_statistics,
    console_submit,
    member,
    public,
)

app_name = "contests"
urlpatterns = [
    # public: the call for entries
    path("contests/", public.contest_list, name="contest_list"),
    path("contests/<slug:slug>/", public.contest_detail, name="contest_detail"),
    # members: their own entries (unit admins reach edit/withdraw through may_change_entry)
    path("contests/<slug:slug>/submit/", member.entry_submit, name="entry_submit"),
    path("me/entries/", member.my_entries, name="my_entries"),
    path("me/entries/<id:pk>/", member.my_entry, name="my_entry"),
    path("me/entries/<id:pk>/edit/", member.entry_edit, name="entry_edit"),
    path("me/entries/<id:pk>/withdraw/", member.entry_withdraw, name="entry_withdraw"),
    path("me/entries/<id:pk>/declare/", member.entry_declare, name="entry_declare"),
    path("me/flags/<id:pk>/answer/", member.flag_answer, name="flag_answer"),
    # console: organisers
    path("console/contests/", console.contest_list, name="console_contest_list"),
    path("console/contests/new/", console.contest_create, name="console_contest_create"),
    path("console/contests/<slug:slug>/", console.contest_detail, name="console_contest"),
    path("console/contests/<slug:slug>/edit/", console.contest_edit, name="console_contest_edit"),
    path(
        "console/contests/<slug:slug>/copy/",
        console_copy.contest_copy,
        name="console_contest_copy",
    ),
    path(
        "console/contests/<slug:slug>/state/",
        console.contest_transition,
        name="console_contest_transition",
    ),
    path("console/contests/<slug:slug>/entries/", console.entry_list, name="console_entry_list"),
    path(
        "console/contests/<slug:slug>/entries/<id:number>/",
        console.entry_detail,
        name="console_entry",
    ),
    path("console/contests/<slug:slug>/screening/", console.screening, name="console_screening"),
    path(
        "console/contests/<slug:slug>/statistics/",
        console_statistics.statistics,
        name="console_statistics",
    ),
    path(
        "console/contests/<slug:slug>/statistics/<id:pk>/",
        console_statistics.statistics,
        name="console_statistics_unit",
    ),
    path("console/flags/<id:pk>/resolve/", console.flag_resolve, name="console_flag_resolve"),
    # console: unit admins submitting for their members
    path(
        "console/contests/<slug:slug>/submit/",
        console_submit.entry_submit_for,
        name="console_entry_submit",
    ),
    path("console/contests/<slug:slug>/bulk/", console_submit.bulk_start, name="console_bulk"),
    path(
        "console/contests/<slug:slug>/bulk/template.xlsx",
        console_submit.bulk_template,
        name="console_bulk_template",
    ),
    path(
        "console/contests/<slug:slug>/bulk/<id:pk>/",
        console_submit.bulk_detail,
        name="console_bulk_detail",
    ),
    path(
        "console/contests/<slug:slug>/bulk/<id:pk>/files/",
        console_submit.bulk_file,
        name="console_bulk_file",
    ),
]
