"""Pages every signed-in user has: their account and password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laurel.accounts import policy, services
from laurel.accounts.forms import PasswordChangeForm
from laurel.web.access import allowed_if


@allowed_if(policy.may_manage_own_account)
def account(request):
    grants = request.user.grants.select_related("unit")
    return render(request, "accounts/account.html", {"grants": grants})


@allowed_if(policy.may_manage_own_account)
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, new_password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})
