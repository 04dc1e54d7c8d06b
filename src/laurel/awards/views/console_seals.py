"""The organisers' seals page: each issuing body's seal (公章), stamped over its name on the
certificates it issues; uploaded (checked by content, re-encoded), replaced, removed. Thin:
the form cleans, ``awards.services`` checks and writes, the awards policy decides.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from laurel.awards import policy, services
from laurel.awards.certificates import issuer_of
from laurel.awards.forms import SealForm
from laurel.awards.models import Seal
from laurel.contests.models import Contest
from laurel.core.seal_images import MAX_BYTES
from laurel.web.access import allowed_if
from laurel.web.forms import service_errors_onto


def _contests_by_issuer() -> dict[str, list[Contest]]:
    """Every contest under the name its certificates print as their issuer."""
    by_issuer: dict[str, list[Contest]] = defaultdict(list)
    for contest in Contest.objects.only("slug", "title", "organiser", "certificate_issuer"):
        by_issuer[issuer_of(contest)].append(contest)
    return by_issuer


@allowed_if(policy.may_manage_seals)
@never_cache
def seals(request):
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            seal = services.seal_upload(
                acting_user=request.user,
                issuer=form.cleaned_data["issuer"],
                data=upload.read(MAX_BYTES + 1),  # one byte over: refused as too large
                filename=upload.name,
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request,
                _("The seal of %(issuer)s is stamped on its certificates from now on.")
                % {"issuer": seal.issuer},
            )
            return redirect("awards:console_seals")
    by_issuer = _contests_by_issuer()
    listed = list(Seal.objects.select_related("uploaded_by"))
    sealed = {seal.issuer for seal in listed}
    context = {
        "form": form,
        "seals": [{"seal": seal, "contests": by_issuer.get(seal.issuer, [])} for seal in listed],
        "unsealed": [
            {"issuer": issuer, "contests": contests}
            for issuer, contests in sorted(by_issuer.items())
            if issuer not in sealed
        ],
        "issuers": sorted(by_issuer),
    }
    return render(request, "awards/console_seals.html", context)


@allowed_if(policy.may_manage_seals)
@require_GET
@never_cache
def seal_image(request, pk: int):
    seal = get_object_or_404(Seal, pk=pk)
    try:
        with seal.image.open("rb") as image:
            png = image.read()
    except FileNotFoundError:
        raise Http404 from None
    return HttpResponse(png, content_type="image/png")


@allowed_if(policy.may_manage_seals)
@require_POST
def seal_remove(request, pk: int):
    seal = get_object_or_404(Seal, pk=pk)
    services.seal_remove(acting_user=request.user, seal=seal)
    messages.success(
        request,
        _("The seal of %(issuer)s is removed; its certificates print without one.")
        % {"issuer": seal.issuer},
    )
    return redirect("awards:console_seals")
