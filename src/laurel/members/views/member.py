"""The member's own record: the one place their numbers are shown to them whole."""

from django.shortcuts import render

from laurel.members import policy
from laurel.members.models import Member
from laurel.web.access import allowed_if, signed_in


@allowed_if(signed_in)
def my_record(request):
    member = Member.objects.select_related("unit").filter(user=request.user).first()
    context = {"member": member}
    if member is not None:
        access = request.user.access
        context |= {
            "id_card": policy.id_card_shown_to(access, member),
            "mobile": policy.mobile_shown_to(access, member),
            "teams": member.teams.select_related("unit", "leader"),
        }
    return render(request, "members/my_record.html", context)
