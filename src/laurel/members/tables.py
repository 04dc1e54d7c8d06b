"""The members and teams lists: their tables and their searches."""

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurel.accounts.people_search import MEMBER_FIELDS
from laurel.accounts.policy import may_reveal_personal_data_somewhere
from laurel.accounts.tables import PeopleSearchFilter
from laurel.members.models import Member, Team
from laurel.members.policy import id_card_shown_to, mobile_shown_to, teams_visible
from laurel.orgs.policy import units_visible
from laurel.orgs.tables import UnitPickFilter
from laurel.web.tables import LabelColumn, ListFilter, ListTable, NumberColumn


def team_kinds(teams) -> list[str]:
    """The kinds ``teams`` have, sorted (blank left out)."""
    return list(teams.exclude(kind="").order_by("kind").values_list("kind", flat=True).distinct())


class TeamTable(ListTable):
    name = tables.Column(
        verbose_name=_("Team"), linkify=("members:team_detail", {"pk": tables.A("pk")})
    )
    unit = tables.Column(
        verbose_name=_("Unit"), accessor="unit__name", order_by=("unit__path", "name")
    )
    kind = LabelColumn(verbose_name=_("Kind"), default="—")
    leader = LabelColumn(verbose_name=_("Leader"), accessor="leader__name", default="—")
    member_count = NumberColumn(verbose_name=_("Members"))  # annotated by the view

    class Meta(ListTable.Meta):
        model = Team
        fields = ("name", "unit", "kind", "leader", "member_count")
        order_by = ("unit",)


class TeamFilter(ListFilter):
    """By name (``q``), by kind (the kinds the viewer's teams have) and by unit (its
    subtree)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), empty_label=_("All"))
    unit = UnitPickFilter(
        label=_("Unit"),
        field_name="unit__path",
        queryset=lambda request: units_visible(request.user.access),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = team_kinds(teams_visible(self.request.user.access))
        self.filters["kind"].extra["choices"] = [(kind, kind) for kind in kinds]

    def search(self, queryset, name, value):
        """By the team's, its unit's or its leader's name."""
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(unit__name__icontains=value)
            | Q(leader__name__icontains=value)
        )


class MemberFilter(PeopleSearchFilter):
    people_fields = MEMBER_FIELDS
    search_place = "members:member_list"

    unit = UnitPickFilter(
        label=_("Unit"),
        field_name="unit__path",
        queryset=lambda request: units_visible(request.user.access),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        whole = may_reveal_personal_data_somewhere(self.request.user.access)
        self.form.fields["q"].widget.attrs["placeholder"] = (
            _("Name, a whole ID number or mobile, or the digits shown")
            if whole
            else _("Name, or the digits shown of an ID number or mobile")
        )


class MemberTable(ListTable):
    """Members; ID and mobile numbers as this viewer may see them (masked for all but the
    person), never sorted by (an order would tell the hidden digits)."""

    name = LabelColumn(
        verbose_name=_("Name"), linkify=("members:member_detail", {"pk": tables.A("pk")})
    )
    gender = LabelColumn(verbose_name=_("Gender"))
    id_card = LabelColumn(
        verbose_name=_("ID number"),
        orderable=False,
        attrs={"th": {"class": "nowrap"}, "td": {"class": "nowrap mono"}},
    )
    mobile = LabelColumn(
        verbose_name=_("Mobile"),
        orderable=False,
        default="—",
        attrs={"th": {"class": "nowrap"}, "td": {"class": "nowrap mono"}},
    )
    unit = tables.Column(
        verbose_name=_("Unit"), accessor="unit__name", order_by=("unit__path", "name", "pk")
    )
    job_title = tables.Column(verbose_name=_("Job title"), default="—")

    class Meta(ListTable.Meta):
        model = Member
        fields = ("name", "gender", "id_card", "mobile", "unit", "job_title")
        order_by = ("unit",)
        empty_text = _("No one matches.")

    def render_id_card(self, record):
        return id_card_shown_to(self.request.user.access, record)

    def value_id_card(self, record):
        return id_card_shown_to(self.request.user.access, record)

    def render_mobile(self, record):
        return mobile_shown_to(self.request.user.access, record) or "—"

    def value_mobile(self, record):
        return mobile_shown_to(self.request.user.access, record)
