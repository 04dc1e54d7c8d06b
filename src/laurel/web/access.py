"""The one mechanism views use to ask a policy: ``@allowed_if(policy.rule)``.

The rules themselves live in each app's ``policy.py``; this only applies them: anonymous
visitors go to the log-in page, users the rule refuses get 403. Objects outside the user's
reach are looked up through the policy's scoped querysets, so they are 404, not 403.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from laurel.accounts.policy import Access


def allowed_if(rule: Callable[[Access], bool]):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user.access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def signed_in(access: Access) -> bool:
    """Any logged-in, active user."""
    return access.user_id is not None
