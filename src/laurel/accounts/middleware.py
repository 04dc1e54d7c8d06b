"""Sends a user who must choose a new password to the page where they do."""

from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_WHILE_CHANGING = ("accounts:password_change", "accounts:logout", "set_language")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return None
        if request.resolver_match and request.resolver_match.view_name in ALLOWED_WHILE_CHANGING:
            return None
        if request.path.startswith("/static/"):
            return None
        return redirect(reverse("accounts:password_change"))
