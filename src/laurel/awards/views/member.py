"""A signed-in user's certificates: the winner downloads their own 荣誉证书 (and anyone
who may see the entry, theirs: ``awards.policy.certificates_visible``; else 404)."""

from django.views.decorators.cache import never_cache

from laurel.awards.views.console_documents import certificate_response, valid_certificate
from laurel.web.access import allowed_if, signed_in


@allowed_if(signed_in)
@never_cache  # personal data: no browser or proxy keeps a copy
def certificate_pdf(request, number: str):
    return certificate_response(valid_certificate(request, number))
