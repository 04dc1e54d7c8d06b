"""Who may see and do what with contests and entries. Organisers are the federation's
admins; unit admins submit for (and see the entries of) their subtree; members see and
change their own entries. Views and commands ask these rules; they never look at roles.
"""

from django.db.models import Q, QuerySet

from laurel.contests.models import BulkSubmission, Contest, Entry, Flag
from laurel.members.models import Member
from laurel.web.access import Access


def may_organise(access: Access) -> bool:
    """Setting contests up, opening and closing them, screening: the federation."""
    return access.is_federation_admin


def may_browse_contests(access: Access) -> bool:
    """The console's contest pages: organisers, and unit admins who submit for members."""
    return access.is_staff


def contests_visible(access: Access) -> QuerySet[Contest]:
    """Drafts are the organisers' alone."""
    if access.is_federation_admin:
        return Contest.objects.all()
    return Contest.objects.exclude(state=Contest.State.DRAFT)


def entries_visible(access: Access) -> QuerySet[Entry]:
    """Organisers see every entry; unit admins those of their subtree; anyone their own."""
    if access.is_federation_admin:
        return Entry.objects.all()
    if access.is_unit_admin:
        return Entry.objects.filter(access.subtree_filter("unit__path"))
    return entries_of(access)


def entries_of(access: Access) -> QuerySet[Entry]:
    """Entries whose author is this user's member record."""
    if access.user_id is None:
        return Entry.objects.none()
    return Entry.objects.filter(author__user_id=access.user_id)


def may_submit_for(access: Access, contest: Contest, author: Member) -> bool:
    """Members submit their own entries, unit admins those of their subtree's members,
    as far as the contest allows each."""
    if contest.members_submit and author.user_id is not None and author.user_id == access.user_id:
        return True
    return contest.units_submit and access.is_staff and access.administers(author.unit.path)


def may_submit_for_members(access: Access, contest: Contest) -> bool:
    return contest.units_submit and access.is_staff


def may_change_entry(access: Access, entry: Entry) -> bool:
    """Editing and withdrawing: the author, or who may submit for them."""
    return may_submit_for(access, entry.contest, entry.author) or (
        entry.author.user_id is not None and entry.author.user_id == access.user_id
    )


def bulk_submissions_visible(access: Access) -> QuerySet[BulkSubmission]:
    """A bulk submission is seen by the one who uploaded it (and the federation)."""
    if access.is_federation_admin:
        return BulkSubmission.objects.all()
    if not access.is_staff:
        return BulkSubmission.objects.none()
    return BulkSubmission.objects.filter(uploaded_by_id=access.user_id)


def flags_visible(access: Access) -> QuerySet[Flag]:
    if access.is_federation_admin:
        return Flag.objects.all()
    return Flag.objects.none()


def flags_to_answer(access: Access) -> QuerySet[Flag]:
    """Screening questions waiting for this user's answer: those on their own entries and,
    for a unit admin, on their subtree's entries (they answer for their members). The
    federation asks them; it answers only for entries of its own."""
    if access.user_id is None:
        return Flag.objects.none()
    answerable = Q(entry__author__user_id=access.user_id)
    for path in access.admin_paths:
        answerable |= Q(entry__unit__path__startswith=path)
    return Flag.objects.filter(answerable, state=Flag.State.ASKED)
