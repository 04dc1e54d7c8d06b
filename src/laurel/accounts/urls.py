from django.urls import path

from laurel.accounts.views import console, member, public

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", public.LoginView.as_view(), name="login"),
    path("accounts/logout/", public.logout, name="logout"),
    path("accounts/password-reset/", public.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/confirm/",
        public.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/invite/code/", public.invitation_code, name="invitation_code"),
    path("accounts/invite/<str:token>/", public.invitation_accept, name="invitation_accept"),
    path("accounts/me/", member.account, name="account"),
    path("accounts/me/password/", member.password_change, name="password_change"),
    path("console/people/", console.user_list, name="user_list"),
    path("console/people/new-member/", console.member_create, name="member_create"),
    path("console/people/<id:pk>/", console.user_detail, name="user_detail"),
    path("console/people/<id:pk>/reveal/", console.user_numbers_reveal, name="user_numbers_reveal"),
    path("console/people/<id:pk>/roles/", console.role_grant, name="role_grant"),
    path(
        "console/people/<id:pk>/roles/<id:grant_pk>/revoke/",
        console.role_revoke,
        name="role_revoke",
    ),
    path("console/people/<id:pk>/active/", console.user_set_active, name="user_set_active"),
    path("console/invitations/", console.invitation_list, name="invitation_list"),
    path("console/invitations/codes/", console.invitation_codes, name="invitation_codes"),
    path(
        "console/invitations/<id:pk>/revoke/",
        console.invitation_revoke,
        name="invitation_revoke",
    ),
]
