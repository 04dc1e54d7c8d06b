"""Who may see and do what with contests and entries. Organisers are the federation's
admins; unit admins submit for (and see the entries of) their subtree; members see and
change their own entries, and a team's leader those of the team. Views and commands ask
these rules; they never look at roles.

An entry's entrant is a member, a team or a unit (``contests.entrants``), of the kind the
contest takes (``Contest.entrants``).
"""

from django.db.models import Q, QuerySet

from laurel.contests.entrants import entrant_record
from laurel.contests.models import BulkSubmission, Contest, Entry, Flag
from laurel.members.models import Member, Team
from laurel.orgs.models import Unit
from laurel.web.access import Access

# the record type of each kind of entrant a contest takes
ENTRANT_TYPES = {
    Contest.Entrants.MEMBERS: Member,
    Contest.Entrants.TEAMS: Team,
    Contest.Entrants.UNITS: Unit,
}


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
    """A person's own entries: those whose author is their member record, and those of the
    teams they lead."""
    if access.user_id is None:
        return Entry.objects.none()
    return Entry.objects.filter(
        Q(author__user_id=access.user_id) | Q(team__leader__user_id=access.user_id)
    )


def may_submit_for(access: Access, contest: Contest, entrant: Member | Team | Unit) -> bool:
    """Members submit their own entries and a team's leader the team's; unit admins those
    of their subtree's members and teams, as far as the contest allows each; a unit's
    entries come from the admins of its subtree. Only for an entrant of the kind the
    contest takes."""
    if not isinstance(entrant, ENTRANT_TYPES[contest.entrants]):
        return False
    return _acts_for(access, contest, entrant)


def _acts_for(access: Access, contest: Contest, entrant: Member | Team | Unit) -> bool:
    if isinstance(entrant, Unit):
        return contest.units_submit and access.is_staff and access.administers(entrant.path)
    if _is_entrant(access, entrant):
        return contest.members_submit or _administers(access, contest, entrant)
    return _administers(access, contest, entrant)


def _administers(access: Access, contest: Contest, entrant: Member | Team) -> bool:
    return contest.units_submit and access.is_staff and access.administers(entrant.unit.path)


def _is_entrant(access: Access, entrant: Member | Team | Unit) -> bool:
    """The person themself: the member's login, the team leader's; a unit's admins (of
    exactly that unit, not of a subtree above it)."""
    if access.user_id is None:
        return False
    if isinstance(entrant, Unit):
        return entrant.path in access.admin_paths
    person = entrant.leader if isinstance(entrant, Team) else entrant
    return person.user_id is not None and person.user_id == access.user_id


def is_entrant_of(access: Access, entry: Entry) -> bool:
    """This person answers for the entry's entrant (declarations, screening questions)."""
    return _is_entrant(access, entrant_record(entry))


def may_submit_for_members(access: Access, contest: Contest) -> bool:
    """The console's submission pages: unit admins submitting for an entrant (a member, a
    team or a unit) of their subtree."""
    return contest.units_submit and access.is_staff


def may_change_entry(access: Access, entry: Entry) -> bool:
    """Editing and withdrawing: the entrant (a member, a team's leader), or who may submit
    for them."""
    entrant = entrant_record(entry)
    return _acts_for(access, entry.contest, entrant) or _is_entrant(access, entrant)


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
    answerable = Q(entry__author__user_id=access.user_id) | Q(
        entry__team__leader__user_id=access.user_id
    )
    for path in access.admin_paths:
        answerable |= Q(entry__unit__path__startswith=path)
    return Flag.objects.filter(answerable, state=Flag.State.ASKED)
