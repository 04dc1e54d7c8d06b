"""``{% rendition_url asset 'thumbnail' %}``: the one way a page shows an asset's thumbnail or
display copy — public once the asset is published, else a signed URL only the viewer (the
request's user) can use. The page has already decided the viewer may see the asset."""

from django import template

from laurel.media import services

register = template.Library()


@register.simple_tag(takes_context=True)
def rendition_url(context, asset, rendition: str) -> str:
    """The URL, or "" when there is none (not ready, or no signed-in viewer)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return services.rendition_url(user, asset, rendition) or ""
