from django.urls import path

from laurel.judging.views import console, judge

app_name = "judging"
urlpatterns = [
    # judges: their own work only
    path("judge/", judge.home, name="judge_home"),
    path("judge/rounds/<id:pk>/", judge.round_resume, name="judge_round"),
    path("judge/reviews/<id:pk>/", judge.review, name="judge_review"),
    path("judge/reviews/<id:pk>/save/", judge.review_save, name="judge_review_save"),
    path("judge/reviews/<id:pk>/conflict/", judge.conflict, name="judge_conflict"),
    # the round's head judge: its deductions
    path("judge/rounds/<id:pk>/deductions/", judge.deductions, name="judge_deductions"),
    path(
        "judge/deductions/<id:pk>/remove/",
        judge.deduction_remove,
        name="judge_deduction_remove",
    ),
    # console: organisers
    path("console/contests/<slug:slug>/rounds/", console.round_list, name="round_list"),
    path("console/contests/<slug:slug>/rounds/new/", console.round_create, name="round_create"),
    path("console/rounds/<id:pk>/", console.round_detail, name="round_detail"),
    path("console/rounds/<id:pk>/seats/", console.seat_add, name="seat_add"),
    path("console/rounds/<id:pk>/seats/several/", console.seats_add, name="seats_add"),
    path("console/rounds/<id:pk>/seats/copy/", console.panel_copy, name="panel_copy"),
    path("console/seats/<id:pk>/drop/", console.judge_drop, name="judge_drop"),
    path("console/seats/<id:pk>/role/", console.seat_role_set, name="seat_role_set"),
    path("console/rounds/<id:pk>/assign/", console.assignment_solve, name="assignment_solve"),
    path("console/assignments/<id:pk>/move/", console.assignment_move, name="assignment_move"),
    path("console/rounds/<id:pk>/open/", console.round_open, name="round_open"),
    path("console/rounds/<id:pk>/progress/", console.round_progress, name="round_progress"),
    path("console/rounds/<id:pk>/remind/", console.reminders_send, name="reminders_send"),
    path("console/rounds/<id:pk>/close/", console.round_close, name="round_close"),
    path("console/rounds/<id:pk>/deductions/", console.deduction_add, name="deduction_add"),
    path("console/deductions/<id:pk>/remove/", console.deduction_remove, name="deduction_remove"),
    path("console/rounds/<id:pk>/ties/", console.tie_decide, name="tie_decide"),
]
