"""The console's certificates list: its table and its filters."""

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laurel.contests.models import PrizeTier
from laurel.web.tables import DateTimeColumn, LabelColumn, ListFilter, ListTable

CERTIFICATE_STATES = (("valid", _("Valid")), ("revoked", _("Revoked")))


class CertificateTable(ListTable):
    number = LabelColumn(
        verbose_name=_("Certificate number"), attrs={"td": {"class": "mono nowrap"}}
    )
    recipient = LabelColumn(verbose_name=pgettext_lazy("certificate", "Recipient"))
    unit = tables.Column(verbose_name=_("Unit"))
    entry = LabelColumn(
        verbose_name=_("Entry"), accessor="entry__number", attrs={"td": {"class": "mono"}}
    )
    title = tables.Column(verbose_name=_("Work"))
    prize = LabelColumn(verbose_name=_("Prize"))
    issued_on = DateTimeColumn(verbose_name=_("Issued on"), format="Y-m-d")
    state = LabelColumn(verbose_name=_("State"), empty_values=(), order_by=("revoked_at",))
    pdf = LabelColumn(
        verbose_name="PDF", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta(ListTable.Meta):
        attrs = {"class": "list-table", "id": "certificate-list"}
        row_attrs = {
            "id": lambda record: f"certificate-{record.number}",
            "data-revoked": lambda record: "true" if record.revoked_at else "false",
        }
        order_by = ("number",)

    def render_entry(self, record):
        return record.entry.code

    def render_state(self, record):
        if record.revoked_at:
            return format_html(
                '<span class="pill pill-withdrawn" title="{}">{}</span>',
                timezone.localtime(record.revoked_at).strftime("%Y-%m-%d %H:%M"),
                _("Revoked"),
            )
        return format_html('<span class="pill pill-accepted">{}</span>', _("Valid"))

    def value_state(self, record):
        return str(_("Revoked") if record.revoked_at else _("Valid"))

    def render_pdf(self, record):
        if record.revoked_at:
            return ""
        return format_html(
            '<a id="certificate-pdf-{}" href="{}">{}</a>',
            record.number,
            reverse("awards:console_certificate_pdf", args=[record.number]),
            _("Download"),
        )


class CertificateFilter(ListFilter):
    """``q`` finds a certificate by its number, recipient, unit, work or entry number."""

    prize = django_filters.ChoiceFilter(label=_("Prize"), empty_label=_("All"))
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=CERTIFICATE_STATES, empty_label=_("All"), method="in_state"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        given = set(self.queryset.values_list("prize", flat=True).distinct())
        tiers = PrizeTier.objects.filter(contest__in=self.queryset.values("contest"))
        ranked = [name for name in tiers.values_list("name", flat=True) if name in given]
        prizes = ranked + sorted(given - set(ranked))  # tiers in order, then renamed ones
        self.filters["prize"].extra["choices"] = [(prize, prize) for prize in dict.fromkeys(prizes)]

    def search(self, queryset, name, value):
        text = value.strip().lstrip("#")
        found = (
            Q(number__icontains=text)
            | Q(recipient__icontains=text)
            | Q(unit__icontains=text)
            | Q(title__icontains=text)
        )
        if text.isascii() and text.isdigit() and len(text) <= 9:
            found |= Q(entry__number=int(text))
        return queryset.filter(found)

    def in_state(self, queryset, name, value):
        return queryset.filter(revoked_at__isnull=value == "valid")
