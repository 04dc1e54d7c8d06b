"""Reads about media that several parts share: which uploads nothing has claimed.

An upload is claimed when any row of any app refers to it (a contest's ``EntryFile``, and
whatever attaches media later). Media knows none of those apps: the references are found
from the models themselves, so a new app that points a foreign key at ``MediaAsset`` claims
its assets without a change here. An asset's links to its near duplicates claim nothing.
"""

import functools

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, QuerySet

from laurel.media.models import MediaAsset


@functools.cache
def asset_references() -> tuple[tuple[type[Model], str], ...]:
    """(model, column) of every foreign key to ``MediaAsset`` in the project (a many-to-many
    relation through its table's key), but the asset's own ``duplicates`` links."""
    own = MediaAsset.duplicates.through
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model is own:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is MediaAsset:
                found.append((model, field.attname))
    return tuple(found)


def assets_unclaimed() -> QuerySet[MediaAsset]:
    """Assets that are not published and that no row refers to."""
    unclaimed = MediaAsset.objects.filter(published_at__isnull=True)
    for model, column in asset_references():
        references = model._base_manager.filter(**{column: OuterRef("pk")})
        unclaimed = unclaimed.filter(~Exists(references))
    return unclaimed
