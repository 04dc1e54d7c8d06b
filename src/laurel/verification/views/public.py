"""The verification pages, for anyone: who you are (name and ID-card number or mobile, or a
mobile alone) → the code sent to the mobile → verified, and back to where they came from
(``next``, this site only). Never cached.

Rate limits: a venue's members verify behind one address (1,500 behind one NAT in a
minute), so a roster member's steps are limited per person — per number typed, and the code
pages per number the session's code went to — and the address is held back only for tries
that match no one (``UNMATCHED_PER_ADDRESS``: guessing names and numbers). An outsider's
mobile is the asker's choice, so its page stays limited per address.
"""

import math

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from laurel.accounts.codes import CodeRefused, CodeSendRefused
from laurel.accounts.keyed_hashes import identity_hash
from laurel.core.identity import mobile_mask
from laurel.verification import services
from laurel.verification.forms import CodeForm, MemberVerifyForm, MobileVerifyForm
from laurel.verification.selectors import (
    member_match,
    pending_read,
    pending_recipient,
    verified_member,
    verified_until,
)
from laurel.web.client_address import client_address, client_address_required
from laurel.web.zones import zone_in_words


def _next_url(request) -> str:
    """The page to go back to once verified: only a URL of this site."""
    url = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


# Tries of the member page that match no one, from one address in an hour: a venue's typing
# mistakes fit; guessing people's names and numbers does not.
UNMATCHED_PER_ADDRESS = "200/h"


def typed_number_key(group, request) -> str:
    """The member page's limit is per number typed (an ID-card number or a mobile, as a
    keyed hash): each person behind a venue's address has their own. Text that is no number
    is counted against the address."""
    form = MemberVerifyForm(request.POST)
    if form.is_valid():
        kind, number = form.cleaned_data["number"]
        return identity_hash(kind, number)
    return f"address:{client_address_required(request)}"


def pending_number_key(group, request) -> str:
    """The code pages' limit is per number the session's code went to (a member's, or an
    outsider's); a session with no code waiting is counted against its address."""
    pending = pending_read(request.session)
    if pending is not None and pending.kind == "member":
        return f"member:{pending.member_id}"
    if pending is not None:
        return f"mobile:{identity_hash('mobile', pending.mobile)}"
    return f"address:{client_address_required(request)}"


def _unmatched_counted(request) -> None:
    """Count a try that matched no one against the address; past ``UNMATCHED_PER_ADDRESS``
    the page answers 429."""
    if is_ratelimited(
        request,
        group="verification.unmatched",
        key="ip",
        rate=UNMATCHED_PER_ADDRESS,
        method="POST",
        increment=True,
    ):
        raise Ratelimited


def _unmatched_over(request) -> bool:
    return is_ratelimited(
        request, group="verification.unmatched", key="ip", rate=UNMATCHED_PER_ADDRESS, method="POST"
    )


@never_cache
@ratelimit(key=typed_number_key, rate="10/h", method="POST")
def member_verify(request):
    if request.method == "POST" and _unmatched_over(request):
        raise Ratelimited
    form = MemberVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, number = form.cleaned_data["number"]
        member = member_match(name=form.cleaned_data["name"], kind=kind, number=number)
        if member is None:
            _unmatched_counted(request)
            form.add_error(
                None,
                _(
                    "No member on the roster matches these details with a mobile to send a "
                    "code to. Check them, or ask your union to put your mobile on the roster."
                ),
            )
        else:
            try:
                services.member_code_send(
                    session=request.session,
                    member=member,
                    client_address=client_address(request),
                    next_url=_next_url(request),
                )
            except CodeSendRefused as error:
                form.add_error(None, error)
            else:
                return redirect("verification:code")
    return render(request, "verification/member.html", {"form": form, "next": _next_url(request)})


@never_cache
@ratelimit(key="ip", rate="20/h", method="POST")
def mobile_verify(request):
    form = MobileVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mobile_code_send(
                session=request.session,
                mobile=form.cleaned_data["mobile"],
                client_address=client_address(request),
                next_url=_next_url(request),
            )
        except CodeSendRefused as error:
            form.add_error("mobile", error)
        else:
            return redirect("verification:code")
    return render(request, "verification/mobile.html", {"form": form, "next": _next_url(request)})


@never_cache
@ratelimit(key=pending_number_key, rate="30/h", method="POST")
def code_enter(request):
    pending = pending_read(request.session)
    mobile = pending_recipient(pending)[1] if pending is not None else ""
    if not mobile:
        messages.info(request, _("Ask for a code first."))
        return redirect("verification:member")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.code_confirm(
                session=request.session, code=form.cleaned_data["code"]
            )
        except CodeRefused as error:
            form.add_error("code", error)
        except services.NothingPending:
            return redirect("verification:member")
        else:
            return redirect(confirmed.next_url or "verification:done")
    wait = max(0, math.ceil((pending.resend_at - timezone.now()).total_seconds()))
    return render(
        request,
        "verification/code.html",
        {
            "form": form,
            "sent_to": mobile_mask(mobile),
            "resend_at": pending.resend_at,
            "resend_seconds": wait,
            "zone": zone_in_words(),
            "start": "verification:member" if pending.kind == "member" else "verification:mobile",
        },
    )


@never_cache
@require_POST
@ratelimit(key=pending_number_key, rate="10/h")
def code_resend(request):
    try:
        services.code_resend(session=request.session, client_address=client_address(request))
    except services.NothingPending:
        messages.info(request, _("Ask for a code first."))
        return redirect("verification:member")
    except CodeSendRefused as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("A new code is on its way. The one before no longer works."))
    return redirect("verification:code")


@never_cache
def verified(request):
    until = verified_until(request)
    if until is None:
        return redirect("verification:member")
    return render(
        request,
        "verification/done.html",
        {
            "member": verified_member(request),
            "until": until,
            "zone": zone_in_words(),
        },
    )


@never_cache
@require_POST
def verification_end(request):
    services.verification_end(session=request.session)
    messages.info(request, _("You are no longer verified on this device."))
    return redirect("verification:member")
