"""What every page's shell needs: the navigation for this user and the unread count."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from laurel.accounts import policy as accounts_policy
from laurel.audit import policy as audit_policy
from laurel.contests import policy as contests_policy
from laurel.judging import policy as judging_policy
from laurel.members import policy as members_policy
from laurel.notifications import policy as notifications_policy

CONSOLE_NAVIGATION = [
    ("web:console", _("Overview"), accounts_policy.may_use_console),
    ("orgs:unit_list", _("Units"), accounts_policy.may_use_console),
    ("members:member_list", _("Members"), members_policy.may_manage_members),
    ("members:team_list", _("Teams"), members_policy.may_manage_members),
    ("contests:console_contest_list", _("Contests"), contests_policy.may_browse_contests),
    ("accounts:user_list", _("People"), accounts_policy.may_manage_users),
    ("accounts:invitation_list", _("Invitations"), accounts_policy.may_invite),
    ("audit:entry_list", _("Audit log"), audit_policy.may_browse_audit),
    ("notifications:outbox", _("Outbox"), notifications_policy.may_view_outbox),
]


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"console_navigation": [], "unread_count": 0, "judging_link": False}
    access = user.access
    current = request.resolver_match.view_name if request.resolver_match else ""
    navigation = [
        {"url": reverse(name), "label": label, "active": current == name}
        for name, label, rule in CONSOLE_NAVIGATION
        if rule(access)
    ]
    return {
        "console_navigation": navigation,
        "unread_count": notifications_policy.inbox_of(user).filter(read_at__isnull=True).count(),
        "judging_link": judging_policy.may_judge(access),
    }
