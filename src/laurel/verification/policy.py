"""Who may verify: anyone, without an account — a roster member by their name and ID-card
number or mobile, anyone else by a mobile alone. Sends are limited per number and per client
address (``accounts.codes``) and the pages per address (django-ratelimit). What a verified
session allows is decided by the features that read it."""

from laurel.members.models import Member


def member_verifiable(member: Member) -> bool:
    """A member proves who they are by a code sent to the mobile the roster has for them:
    without one there, not at all (a mobile typed in by the person proves nothing)."""
    return bool(member.mobile)
