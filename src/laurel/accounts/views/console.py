"""Console pages for people, roles and invitations. Thin: forms in, services, policy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from laurel.accounts import policy, services
from laurel.accounts.forms import (
    InvitationCodesForm,
    InvitationCreateForm,
    MemberLoginForm,
    RoleGrantForm,
)
from laurel.accounts.models import Role
from laurel.accounts.people_search import NumberSearchLimited
from laurel.accounts.tables import InvitationFilter, InvitationTable, UserFilter, UserTable
from laurel.orgs.policy import units_visible
from laurel.web.access import allowed_if
from laurel.web.tables import listing_build


@allowed_if(policy.may_manage_users)
def user_list(request):
    users = policy.users_visible(request.user.access).prefetch_related("grants__unit")
    listing = listing_build(request, UserTable, users, filters=UserFilter)
    if listing.export_requested:
        if listing.refusal:
            raise NumberSearchLimited
        return listing.export_response("people")
    template = "web/_listing.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, {"listing": listing})


@allowed_if(policy.may_manage_users)
def user_detail(request, pk: int):
    access = request.user.access
    user = get_object_or_404(policy.users_visible(access), pk=pk)
    grants = user.grants.select_related("unit")
    context = {
        "subject": user,
        "mobile": policy.mobile_shown_to(access, user),
        "may_reveal": bool(user.mobile) and policy.may_reveal_personal_data_of(access, user),
        "grants": grants,
        "may_manage_roles": policy.may_manage_roles(access),
        "grant_form": RoleGrantForm(units=units_visible(access)),
    }
    return render(request, "accounts/user_detail.html", context)


@allowed_if(policy.may_reveal_personal_data_somewhere)
@require_POST
@never_cache  # a whole number: no browser or proxy keeps a copy
def user_numbers_reveal(request, pk: int):
    """One person's mobile whole, on request (audited); 403 beyond the permission's reach."""
    user = get_object_or_404(
        policy.users_visible(request.user.access).prefetch_related("grants__unit"), pk=pk
    )
    mobile = services.user_numbers_reveal(acting_user=request.user, user=user)
    context = {"subject": user, "mobile": mobile}
    if request.htmx:
        return render(request, "accounts/_numbers_revealed.html", context)
    return render(request, "accounts/user_numbers.html", context)


@require_POST
@allowed_if(policy.may_manage_roles)
def role_grant(request, pk: int):
    access = request.user.access
    user = get_object_or_404(policy.users_visible(access), pk=pk)
    form = RoleGrantForm(request.POST, units=units_visible(access))
    if form.is_valid():
        try:
            services.role_grant(
                acting_user=request.user,
                user=user,
                role=Role(form.cleaned_data["role"]),
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Role granted."))
    else:
        messages.error(request, _("Choose a role and, where it needs one, a unit."))
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@allowed_if(policy.may_manage_roles)
def role_revoke(request, pk: int, grant_pk: int):
    access = request.user.access
    user = get_object_or_404(policy.users_visible(access), pk=pk)
    grant = get_object_or_404(user.grants, pk=grant_pk)
    services.role_revoke(acting_user=request.user, grant=grant)
    messages.success(request, _("Role revoked."))
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@allowed_if(policy.may_manage_roles)
def user_set_active(request, pk: int):
    access = request.user.access
    user = get_object_or_404(policy.users_visible(access), pk=pk)
    if user == request.user:
        messages.error(request, _("You cannot disable your own account."))
    else:
        services.user_set_active(
            acting_user=request.user, user=user, active=request.POST.get("active") == "1"
        )
    return redirect("accounts:user_detail", pk=user.pk)


@allowed_if(policy.may_manage_users)
def member_create(request):
    access = request.user.access
    form = MemberLoginForm(request.POST or None, units=units_visible(access))
    if request.method == "POST" and form.is_valid():
        user, initial_password = services.member_login_create(
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            username=form.cleaned_data["username"],
            display_name=form.cleaned_data["display_name"],
            mobile=form.cleaned_data["mobile"],
        )
        return render(
            request,
            "accounts/member_created.html",
            {"subject": user, "initial_password": initial_password},
        )
    return render(request, "accounts/member_create.html", {"form": form})


@allowed_if(policy.may_invite)
def invitation_list(request):
    access = request.user.access
    form = InvitationCreateForm(
        request.POST or None,
        roles=policy.invitable_roles(access),
        units=units_visible(access),
    )
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = services.invitation_create(
            acting_user=request.user,
            role=Role(form.cleaned_data["role"]),
            unit=form.cleaned_data["unit"],
            name=form.cleaned_data["name"],
            mobile=form.cleaned_data["mobile"] or "",
            email=form.cleaned_data["email"],
            site_url=request.build_absolute_uri("/")[:-1],
        )
        form = InvitationCreateForm(
            roles=policy.invitable_roles(access), units=units_visible(access)
        )
    invitations = (
        policy.invitations_visible(access)
        .filter(kind="link")
        .select_related("unit", "created_by", "accepted_by")
    )
    listing = listing_build(request, InvitationTable, invitations, filters=InvitationFilter)
    if listing.export_requested:
        return listing.export_response("invitations")
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "form": form,
            "issued": issued,
            "issued_url": request.build_absolute_uri(issued.path) if issued else "",
            "listing": listing,
        },
    )


@require_POST
@allowed_if(policy.may_invite)
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(policy.invitations_visible(request.user.access), pk=pk)
    if invitation.is_open:
        services.invitation_revoke(acting_user=request.user, invitation=invitation)
        messages.success(request, _("Invitation revoked."))
    return redirect("accounts:invitation_list")


@allowed_if(policy.may_invite)
def invitation_codes(request):
    """Print a sheet of member invitation codes; codes are shown on this page only."""
    access = request.user.access
    form = InvitationCodesForm(request.POST or None, units=units_visible(access))
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        codes = services.invitation_codes_create(
            acting_user=request.user, unit=unit, count=form.cleaned_data["count"]
        )
        return render(
            request,
            "accounts/invitation_codes_sheet.html",
            {
                "unit": unit,
                "codes": codes,
                "redeem_url": request.build_absolute_uri("/accounts/invite/code/"),
            },
        )
    return render(request, "accounts/invitation_codes.html", {"form": form})
