from django.urls import path

from laurel.judging.views import console, judge

app_name = "judging"
urlpatterns = [
    # judges: their own work only
    path("judge/", judge.home, name="judge_home"),
    path("judge/rounds/<int:pk>/", judge.round_resume, name="judge_round"),
    path("judge/reviews/<int:pk>/", judge.review, name="judge_review"),
    path("judge/reviews/<int:pk>/save/", judge.review_save, name="judge_review_save"),
    path("judge/reviews/<int:pk>/conflict/", judge.conflict, name="judge_conflict"),
    # console: organisers
    path("console/contests/<slug:slug>/rounds/", console.round_list, name="round_list"),
    path("console/contests/<slug:slug>/rounds/new/", console.round_create, name="round_create"),
    path("console/rounds/<int:pk>/", console.round_detail, name="round_detail"),
    path("console/rounds/<int:pk>/seats/", console.seat_add, name="seat_add"),
    path("console/seats/<int:pk>/drop/", console.judge_drop, name="judge_drop"),
    path("console/rounds/<int:pk>/assign/", console.assignment_solve, name="assignment_solve"),
    path("console/assignments/<int:pk>/move/", console.assignment_move, name="assignment_move"),
    path("console/rounds/<int:pk>/open/", console.round_open, name="round_open"),
    path("console/rounds/<int:pk>/progress/", console.round_progress, name="round_progress"),
    path("console/rounds/<int:pk>/remind/", console.reminders_send, name="reminders_send"),
    path("console/rounds/<int:pk>/close/", console.round_close, name="round_close"),
]
