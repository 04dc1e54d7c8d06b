"""The console's front page for staff."""

from django.shortcuts import render

from laurel.accounts import policy as accounts_policy
from laurel.audit.policy import entries_visible
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if


@allowed_if(accounts_policy.may_use_console)
def console(request):
    access = request.user.access
    return render(
        request,
        "web/console.html",
        {
            "unit_count": units_visible(access).count(),
            "user_count": accounts_policy.users_visible(access).count(),
            "recent_entries": entries_visible(access).select_related("actor")[:8],
        },
    )
