from django.urls import path

from laurel.members.views import console, console_teams, member

app_name = "members"
urlpatterns = [
    path("me/member/", member.my_record, name="my_record"),
    path("console/members/", console.member_list, name="member_list"),
    path("console/members/export.xlsx", console.member_export, name="member_export"),
    path("console/members/<id:pk>/", console.member_detail, name="member_detail"),
    path("console/members/<id:pk>/login/", console.member_login_create, name="member_login"),
    path(
        "console/members/<id:pk>/reveal/",
        console.member_numbers_reveal,
        name="member_numbers_reveal",
    ),
    path("console/members/import/", console.member_import, name="member_import"),
    path(
        "console/members/import/template.xlsx",
        console.member_import_template,
        name="member_import_template",
    ),
    path(
        "console/members/import/<id:pk>/",
        console.member_import_detail,
        name="member_import_detail",
    ),
    path(
        "console/members/import/<id:pk>/commit/",
        console.member_import_commit,
        name="member_import_commit",
    ),
    path(
        "console/members/import/<id:pk>/report.xlsx",
        console.member_import_report,
        name="member_import_report",
    ),
    path("console/teams/", console_teams.team_list, name="team_list"),
    path("console/teams/new/", console_teams.team_create, name="team_create"),
    path("console/teams/<id:pk>/", console_teams.team_detail, name="team_detail"),
    path("console/teams/<id:pk>/edit/", console_teams.team_edit, name="team_edit"),
    path("console/teams/<id:pk>/dissolve/", console_teams.team_dissolve, name="team_dissolve"),
    path(
        "console/teams/<id:pk>/members/add/",
        console_teams.team_members_add,
        name="team_members_add",
    ),
    path(
        "console/teams/<id:pk>/members/<id:member_pk>/remove/",
        console_teams.team_member_remove,
        name="team_member_remove",
    ),
    path("console/teams/import/", console_teams.team_import, name="team_import"),
    path(
        "console/teams/import/template.xlsx",
        console_teams.team_import_template,
        name="team_import_template",
    ),
    path(
        "console/teams/import/<id:pk>/",
        console_teams.team_import_detail,
        name="team_import_detail",
    ),
    path(
        "console/teams/import/<id:pk>/commit/",
        console_teams.team_import_commit,
        name="team_import_commit",
    ),
    path(
        "console/teams/import/<id:pk>/report.xlsx",
        console_teams.team_import_report,
        name="team_import_report",
    ),
]
