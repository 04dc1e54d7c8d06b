"""The unit tree: federation → district/industry unions → grassroots unions → workplaces."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    class Kind(models.TextChoices):
        FEDERATION = "federation", _("Federation")
        DISTRICT = "district", _("District or county union")
        DEVELOPMENT_ZONE = "zone", _("Development-zone union")
        INDUSTRY = "industry", _("Industry union")
        GRASSROOTS = "grassroots", _("Grassroots union")
        WORKPLACE = "workplace", _("Workplace")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Materialised path of primary keys, "1/4/17/": a subtree is one indexed prefix query.
    path = models.CharField(max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_within(self, ancestor_path: str) -> bool:
        """True when this unit is the unit with ``ancestor_path`` or below it."""
        return self.path.startswith(ancestor_path)
