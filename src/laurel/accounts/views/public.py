"""Log-in, log-out, invitations, password reset: pages for people who are not in yet."""

import math
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from laurel.accounts import services
from laurel.accounts.forms import (
    InvitationAcceptForm,
    InvitationCodeForm,
    LoginForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
)
from laurel.accounts.lockout import lockout_ends
from laurel.web.client_address import client_address


@method_decorator(ratelimit(key="ip", rate="30/m", method="POST"), name="post")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout(request):
    """Log out, and have the browser forget what the site kept on the device — a gate's
    ticket list kept for working offline (names, in local storage), its service worker, the
    cached pages: ``Clear-Site-Data``, which browsers obey over HTTPS and on localhost."""
    response = auth_views.LogoutView.as_view()(request)
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


def locked_out(request, original_response=None, credentials=None):
    """Axes' lockout page: the account is locked for log-ins from here, for how much longer."""
    unlock_at = lockout_ends(request, credentials)
    minutes = max(1, math.ceil((unlock_at - timezone.now()).total_seconds() / 60))
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "unlock_at": unlock_at, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def _accept(request, invitation, secret_for_form: str):
    form = InvitationAcceptForm(
        request.POST or None,
        initial={"display_name": invitation.name, "mobile": invitation.mobile},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation_id=invitation.pk,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                mobile=form.cleaned_data["mobile"],
            )
        except services.InvitationClosed as error:
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(request, _("Your account is ready. Log in with your new password."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation, "secret": secret_for_form},
    )


@ratelimit(key="ip", rate="30/m", method="POST")
def invitation_accept(request, token: str):
    invitation = services.invitation_find(token)
    if invitation is None:
        raise Http404(_("This invitation has already been used or has expired."))
    return _accept(request, invitation, token)


@ratelimit(key="ip", rate="20/m")
def invitation_code(request):
    """Members type the code from a printed slip; a good code leads to the same form."""
    code = request.POST.get("code") or request.GET.get("code", "")
    invitation = services.invitation_find(code) if code else None
    if invitation is not None:
        return _accept(request, invitation, code)
    form = InvitationCodeForm({"code": code} if code else None)
    if code:
        form.add_error("code", _("This code is not valid, used or expired."))
    return render(request, "accounts/invitation_code.html", {"form": form})


@ratelimit(key="ip", rate="10/h", method="POST")
@ratelimit(key="post:login", rate="5/h", method="POST")
def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(
            login=form.cleaned_data["login"], client_address=client_address(request)
        )
        # The same answer whether or not the account exists: no way to probe for accounts.
        messages.info(
            request,
            _("If the account exists and has a mobile or e-mail, a code is on its way."),
        )
        query = urlencode({"login": form.cleaned_data["login"]})
        return redirect(f"{reverse('accounts:password_reset_confirm')}?{query}")
    return render(request, "accounts/password_reset.html", {"form": form})


@ratelimit(key="ip", rate="20/h", method="POST")
def password_reset_confirm(request):
    form = PasswordResetConfirmForm(
        request.POST or None, initial={"login": request.GET.get("login", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(
                login=form.cleaned_data["login"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password1"],
            )
        except services.ResetCodeInvalid as error:
            form.add_error("code", error)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(request, _("Your password is changed. Log in with it now."))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})
