from django.urls import path

from laurel.verification.views import public

app_name = "verification"
urlpatterns = [
    path("verify/", public.member_verify, name="member"),
    path("verify/mobile/", public.mobile_verify, name="mobile"),
    path("verify/code/", public.code_enter, name="code"),
    path("verify/code/resend/", public.code_resend, name="code_resend"),
    path("verify/done/", public.verified, name="done"),
    path("verify/end/", public.verification_end, name="end"),
]
