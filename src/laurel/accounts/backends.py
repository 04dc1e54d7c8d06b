"""Log-in by username or mobile number, with one lockout counter per person."""

from django.contrib.auth.backends import ModelBackend

from laurel.accounts.models import User
from laurel.core.identity import InvalidMobile, mobile_normalise


def user_for_login(login: str) -> User | None:
    """The user a log-in name means: a mobile number if it reads as one, else a username."""
    login = (login or "").strip()
    if not login:
        return None
    try:
        mobile = mobile_normalise(login)
    except InvalidMobile:
        mobile = None
    if mobile:
        user = User.objects.filter(mobile=mobile).first()
        if user is not None:
            return user
    return User.objects.filter(username=login).first()


def login_identity(request, credentials: dict | None) -> str:
    """Axes' username: the account's username whichever name was typed.

    Failures by mobile and by username then count against one lock; unknown names are
    counted as typed (lower-cased) so probing them is limited too.
    """
    login = (credentials or {}).get("username") or ""
    if not login and request is not None:
        login = request.POST.get("username", "")
    user = user_for_login(login)
    return user.username if user else login.strip().lower()


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
