"""The people and invitations lists: their tables and their searches."""

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from laurel.accounts import policy
from laurel.accounts.models import Invitation, Role, User
from laurel.accounts.people_search import (
    USER_FIELDS,
    NumberSearchLimited,
    PeopleFields,
    people_search,
)
from laurel.web.tables import (
    BadgeColumn,
    DateTimeColumn,
    LabelColumn,
    ListFilter,
    ListTable,
)


class PeopleSearchFilter(ListFilter):
    """``q`` through ``people_search``, the one search of people lists (architecture rule 5);
    a whole-number search over the limit selects no one and says why."""

    people_fields: PeopleFields
    search_place: str  # the list, as the audit entry of a whole-number search names it

    def search(self, queryset, name, value):
        try:
            return people_search(
                queryset,
                value,
                request=self.request,
                fields=self.people_fields,
                place=self.search_place,
            )
        except NumberSearchLimited as limited:
            self.refusal = limited.message
            return queryset.none()


ACTIVE_CHOICES = (("yes", _("Active")), ("no", _("Not active")))


class UserFilter(PeopleSearchFilter):
    people_fields = USER_FIELDS
    search_place = "accounts:user_list"

    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, empty_label=_("All"), method="role_filter"
    )
    active = django_filters.ChoiceFilter(
        label=_("Active"), choices=ACTIVE_CHOICES, empty_label=_("All"), method="active_filter"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        whole = policy.may_reveal_personal_data_somewhere(self.request.user.access)
        self.form.fields["q"].widget.attrs["placeholder"] = (
            _("Name, username, a whole mobile or the digits shown")
            if whole
            else _("Name, username or the digits shown of a mobile")
        )

    def role_filter(self, queryset, name, value):
        return queryset.filter(grants__role=value).distinct()

    def active_filter(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")


class UserTable(ListTable):
    """Logins; a mobile as this viewer may see it (masked for all but the person), never
    sorted by (an order would tell the hidden digits)."""

    username = LabelColumn(
        verbose_name=_("Username"), linkify=("accounts:user_detail", {"pk": tables.A("pk")})
    )
    display_name = LabelColumn(verbose_name=_("Name"))
    mobile = LabelColumn(
        verbose_name=_("Mobile"),
        orderable=False,
        default="—",
        attrs={"th": {"class": "nowrap"}, "td": {"class": "nowrap mono"}},
    )
    roles = tables.Column(verbose_name=_("Roles"), accessor="pk", orderable=False)
    is_active = BadgeColumn(verbose_name=_("Active"))

    class Meta(ListTable.Meta):
        model = User
        fields = ("username", "display_name", "mobile", "roles", "is_active")
        order_by = ("username",)

    def render_mobile(self, record):
        return policy.mobile_shown_to(self.request.user.access, record) or "—"

    def value_mobile(self, record):
        return policy.mobile_shown_to(self.request.user.access, record)

    def render_roles(self, record):
        """Each grant as its role and the unit's name (``grants__unit`` prefetched)."""
        return "; ".join(str(grant) for grant in record.grants.all())

    def render_is_active(self, record):
        state, label = _active_state(record)
        return format_html('<span class="pill pill-{}">{}</span>', state, label)

    def value_is_active(self, record):
        return str(_active_state(record)[1])


def _active_state(user: User) -> tuple[str, str]:
    return ("active", _("Active")) if user.is_active else ("inactive", _("Not active"))


# --- invitations ---------------------------------------------------------------------------

INVITATION_STATES = (
    ("open", _("open")),
    ("accepted", _("accepted")),
    ("revoked", _("revoked")),
    ("expired", _("expired")),
)


def invitation_state(invitation: Invitation) -> str:
    if invitation.accepted_at:
        return "accepted"
    if invitation.revoked_at:
        return "revoked"
    return "open" if invitation.is_open else "expired"


def invitation_state_filter(state: str) -> Q:
    """The invitations in ``state``, as ``invitation_state`` tells them apart."""
    pending = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    now = timezone.now()
    return {
        "accepted": Q(accepted_at__isnull=False),
        "revoked": Q(accepted_at__isnull=True, revoked_at__isnull=False),
        "open": pending & Q(expires_at__gt=now),
        "expired": pending & Q(expires_at__lte=now),
    }[state]


REVOKE_FORM = (
    '{% load i18n %}{% if record.is_open %}<form method="post" class="inline" '
    "action=\"{% url 'accounts:invitation_revoke' record.pk %}\">{% csrf_token %}"
    '<button class="link" type="submit">{% translate "Revoke" %}</button></form>{% endif %}'
)


class InvitationTable(ListTable):
    name = LabelColumn(verbose_name=_("Name"), default="—")
    role = LabelColumn(verbose_name=_("Role"))
    unit = LabelColumn(verbose_name=_("Unit"), accessor="unit__name", default="—")
    created_at = DateTimeColumn(verbose_name=_("Created"))
    state = BadgeColumn(verbose_name=_("Status"), accessor="pk", orderable=False)
    actions = tables.TemplateColumn(
        REVOKE_FORM, verbose_name="", orderable=False, exclude_from_export=True
    )

    class Meta(ListTable.Meta):
        model = Invitation
        fields = ("name", "role", "unit", "created_at", "state", "actions")
        order_by = ("-created_at",)

    def render_state(self, record):
        state = invitation_state(record)
        return format_html('<span class="pill pill-{}">{}</span>', state, _state_text(record))

    def value_state(self, record):
        return _state_text(record)


def _state_text(invitation: Invitation) -> str:
    state = invitation_state(invitation)
    if state == "accepted":
        return _("accepted by %(who)s") % {"who": invitation.accepted_by}
    return str(dict(INVITATION_STATES)[state])


class InvitationFilter(ListFilter):
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=[(role.value, role.label) for role in (Role.JUDGE, Role.UNIT_ADMIN, Role.MEMBER)],
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=INVITATION_STATES, empty_label=_("All"), method="status_filter"
    )

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(unit__name__icontains=value))

    def status_filter(self, queryset, name, value):
        return queryset.filter(invitation_state_filter(value))
