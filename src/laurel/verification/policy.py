"""Who may verify: anyone, without an account — a roster member by their name and ID-card
number or mobile, anyone else by a mobile alone. Sends are limited per number, and an
outsider's also per client address (``accounts.codes``); a member's pages per number typed and
an outsider's per address (django-ratelimit, ``views.public``), so a venue's members behind
one address all verify. What a verified session allows is decided by the features that read
it."""

from laurel.members.models import Member


def member_verifiable(member: Member) -> bool:
    """A member proves who they are by a code sent to the mobile the roster has for them:
    without one there, not at all (a mobile typed in by the person proves nothing)."""
    return bool(member.mobile)
