"""Console page for copying a contest: last year's rules as a new draft, dates a year on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from laurel.contests import policy, services
from laurel.contests.forms import ContestCopyForm
from laurel.web.access import allowed_if
from laurel.web.forms import service_errors_onto


@allowed_if(policy.may_organise)
def contest_copy(request, slug: str):
    source = get_object_or_404(policy.contests_visible(request.user.access), slug=slug)
    form = ContestCopyForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_copy(
                acting_user=request.user, source=source, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request, _("The contest was copied, as a draft: check its settings and dates.")
            )
            return redirect("contests:console_contest_edit", slug=contest.slug)
    context = {"contest": source, "form": form, "may_organise": True}
    return render(request, "contests/console_contest_copy.html", context)
