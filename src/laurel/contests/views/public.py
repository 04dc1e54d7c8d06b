"""The call for entries, for anyone: every contest past its draft, with its rules in plain
words and the way to submit while it takes entries."""

from django.shortcuts import get_object_or_404, render

from laurel.accounts.policy import access_for
from laurel.contests import bulk, policy


def contest_list(request):
    contests = policy.contests_visible(access_for(request.user)).prefetch_related("categories")
    return render(request, "contests/public_contest_list.html", {"contests": contests})


def contest_detail(request, slug: str):
    access = access_for(request.user)
    contest = get_object_or_404(
        policy.contests_visible(access)
        .select_related("photo_rules")
        .prefetch_related("categories", "prize_tiers"),
        slug=slug,
    )
    context = {
        "contest": contest,
        "co_organisers": [
            line.strip() for line in contest.co_organisers.splitlines() if line.strip()
        ],
        "accepts_entries": contest.accepts_entries(),
        "submits_for_members": policy.may_submit_for_members(access, contest),
        "takes_bulk": not bulk.bulk_refusal(contest),
    }
    return render(request, "contests/public_contest_detail.html", context)
