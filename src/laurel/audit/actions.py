"""What each audit action code means, as a sentence in the reader's language.

Every code a service writes (``audit_log(action=...)``) has a sentence here;
``tests/audit/test_action_sentences.py`` reads the source and fails on a code without one.
Pages show the sentence; the code stays in exports and in a ``title`` attribute.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The areas, in the order the audit log's filter lists them: the first part of a code.
AREAS = {
    "accounts": _("Accounts and roles"),
    "orgs": _("Units"),
    "members": _("Members"),
    "verification": _("Verification without an account"),
    "contests": _("Contests and entries"),
    "media": _("Photos"),
    "judging": _("Judging"),
    "awards": _("Results and prizes"),
    "notifications": _("Notifications"),
    "events": _("Events and registrations"),
}

ACTION_SENTENCES = {
    # accounts
    "accounts.user.created": _("Login created"),
    "accounts.user.activated": _("Login enabled"),
    "accounts.user.deactivated": _("Login disabled"),
    "accounts.role.granted": _("Role granted"),
    "accounts.role.revoked": _("Role revoked"),
    "accounts.invitation.created": _("Invitation made"),
    "accounts.invitation.codes_created": _("Invitation codes made"),
    "accounts.invitation.accepted": _("Invitation accepted"),
    "accounts.invitation.revoked": _("Invitation revoked"),
    "accounts.password.changed": _("Password changed"),
    "accounts.password.reset_requested": _("Password reset asked for"),
    "accounts.password.reset_code_wrong": _("Wrong password reset code typed"),
    "accounts.password.reset": _("Password reset"),
    "accounts.personal_data.revealed": _("Full mobile number shown"),
    "accounts.personal_data.searched": _("People searched by a whole number"),
    "accounts.login.locked_out": _("Log-in locked after failed attempts"),
    # orgs
    "orgs.unit.created": _("Unit created"),
    "orgs.unit.updated": _("Unit changed"),
    "orgs.import.committed": _("Unit sheet imported"),
    # members
    "members.member.created": _("Member added"),
    "members.member.updated": _("Member changed"),
    "members.member.imported": _("Member added by an import"),
    "members.member.login_created": _("Login made for a member"),
    "members.member.login_linked": _("Member linked to their login"),
    "members.team.created": _("Team created"),
    "members.team.updated": _("Team changed"),
    "members.team.dissolved": _("Team dissolved"),
    "members.team.member_added": _("Member added to a team"),
    "members.team.member_removed": _("Member taken out of a team"),
    "members.team_import.previewed": _("Team sheet checked"),
    "members.team_import.committed": _("Team sheet imported"),
    "members.team_import.failed": _("Team sheet import failed"),
    "members.exported": _("Members exported"),
    "members.exported_unmasked": _("Members exported with full numbers"),
    "members.personal_data.revealed": _("Full ID and mobile numbers shown"),
    "members.import.started": _("Roster import started"),
    "members.import.previewed": _("Roster import checked"),
    "members.import.running": _("Roster import running"),
    "members.import.committed": _("Roster imported"),
    "members.import.failed": _("Roster import failed"),
    # verification
    "verification.code.sent": _("Verification code sent"),
    "verification.code.refused": _("Verification code refused"),
    "verification.member.verified": _("Member verified by a code"),
    "verification.mobile.verified": _("Mobile number verified by a code"),
    # contests
    "contests.contest.created": _("Contest created"),
    "contests.contest.updated": _("Contest changed"),
    "contests.contest.copied": _("Contest copied from an earlier one"),
    "contests.contest.state_changed": _("Contest stage changed"),
    "contests.entry.submitted": _("Entry submitted"),
    "contests.entry.updated": _("Entry changed"),
    "contests.entry.withdrawn": _("Entry withdrawn"),
    "contests.entry.declared": _("Entry's declarations confirmed"),
    "contests.entry.received": _("Entry received"),
    "contests.entry.processing": _("Entry's photos being processed"),
    "contests.entry.accepted": _("Entry accepted"),
    "contests.entry.refused": _("Entry refused"),
    "contests.entry.disqualified": _("Entry disqualified"),
    "contests.entry.qualified": _("Entry qualified"),
    "contests.entry.awarded": _("Entry awarded"),
    "contests.flag.open": _("Entry flagged for screening"),
    "contests.flag.asked": _("Entrant asked about a flagged entry"),
    "contests.flag.kept": _("Flagged entry kept"),
    "contests.flag.disqualified": _("Flagged entry disqualified"),
    "contests.flag.answered": _("Entrant answered a flag"),
    "contests.bulk.started": _("Entries sent from a spreadsheet"),
    # media
    "media.asset.uploaded": _("Photo uploaded"),
    "media.asset.received": _("Photo received"),
    "media.asset.processing": _("Photo being processed"),
    "media.asset.ready": _("Photo processed"),
    "media.asset.refused": _("Photo refused"),
    "media.asset.expired": _("Unused photo removed"),
    "media.assets.published": _("Photos published"),
    # judging
    "judging.round.created": _("Judging round created"),
    "judging.round.opened": _("Judging round opened"),
    "judging.round.reminded": _("Judges reminded"),
    "judging.round.closed": _("Judging round closed"),
    "judging.round.reranked": _("Round ranked again"),
    "judging.seat.added": _("Judge added to a panel"),
    "judging.seat.dropped": _("Judge dropped from a panel"),
    "judging.seat.role_changed": _("Judge made head judge of a panel, or an ordinary judge again"),
    "judging.assignment.solved": _("Entries shared out to judges"),
    "judging.assignment.moved": _("Review moved to another judge"),
    "judging.assignment.conflict": _("Judge withdrew from a review: conflict of interest"),
    "judging.assignment.tiebreak": _("Tie-breaking review given to a judge"),
    "judging.review.saved": _("Review saved"),
    "judging.deduction.added": _("Points deducted from an entry"),
    "judging.deduction.removed": _("Deduction taken back"),
    "judging.tie.decided": _("Tie decided by the organiser"),
    # awards
    "awards.proposed": _("Prizes proposed"),
    "awards.award.changed": _("Prize changed"),
    "awards.unit_awards.proposed": _("Unit prizes proposed"),
    "awards.unit_award.changed": _("Unit prize changed"),
    "awards.results.published": _("Results published"),
    "awards.certificates.bundled": _("Certificates bundled"),
    "awards.exported": _("Results exported"),
    "awards.exported_unmasked": _("Results exported with full numbers"),
    "awards.seal.uploaded": _("Seal for certificates uploaded"),
    "awards.seal.removed": _("Seal for certificates removed"),
    # notifications
    "notifications.read": _("Notifications read"),
    # events
    "events.event.created": _("Event created"),
    "events.event.updated": _("Event changed"),
    "events.event.state_changed": _("Event stage changed"),
    "events.event.reminded": _("Reminder sent for an event tomorrow"),
    "events.booth.saved": _("Booth saved"),
    "events.booth.deleted": _("Booth taken out"),
    "events.slot.saved": _("Time slot saved"),
    "events.slot.deleted": _("Time slot taken out"),
    "events.registration.created": _("Registered for an event"),
    "events.registration.waiting": _("Put on an event's waiting list"),
    "events.registration.cancelled": _("Event registration cancelled"),
    "events.registration.promoted": _("Moved up from the waiting list"),
    "events.registration.offered": _("Offered a freed place"),
    "events.registration.offer_taken": _("Freed place taken"),
    "events.registration.offer_lapsed": _("Offer of a freed place lapsed"),
    "events.ticket.checked_in": _("Checked in at an event"),
    "events.ticket.refused": _("Check-in refused"),
    "events.staff.added": _("Check-in staff given an event's gate"),
    "events.staff.removed": _("Check-in staff's gate taken back"),
    # a performance's programme (Events IV)
    "events.act.saved": _("Act of a programme saved"),
    "events.act.deleted": _("Act taken out of a programme"),
    "events.act.moved": _("Act of a programme given another number"),
    "events.programme.reordered": _("Programme put in a new order"),
    # exports (Events IV)
    "events.registrations.exported": _("An event's registrations exported"),
    "events.registrations.exported_unmasked": _(
        "An event's registrations exported with full mobile numbers"
    ),
    "events.attendance.exported": _("An event's attendance exported"),
    # meetings (Events IV)
    "events.invitee.invited": _("Invited to a meeting"),
    "events.invitee.removed": _("Taken off a meeting's invitation list"),
    "events.leave.requested": _("Leave from a meeting asked for"),
    "events.leave.withdrawn": _("Leave from a meeting withdrawn"),
    "events.roll.exported": _("A meeting's attendance sheet taken"),
    # courses (Events IV)
    "events.session.added": _("Class added to a course"),
    "events.session.changed": _("Class of a course changed"),
    "events.session.deleted": _("Class taken off a course"),
    "events.roll_call.marked": _("Marked at a class's roll call"),
    "events.certificates.issued": _("Completion certificates issued"),
}


def action_sentence(code: str) -> str:
    """The sentence for ``code``; a code with none (an entry from an older version) as it is."""
    sentence = ACTION_SENTENCES.get(code)
    return str(sentence) if sentence is not None else code


@dataclass(frozen=True)
class ActionGroup:
    label: str
    choices: list[tuple[str, str]]  # (code, sentence)


def action_groups() -> list[ActionGroup]:
    """Every action as (code, sentence), grouped by area: the audit log's filter."""
    groups = []
    for area, label in AREAS.items():
        choices = [
            (code, str(sentence))
            for code, sentence in ACTION_SENTENCES.items()
            if code.split(".", 1)[0] == area
        ]
        groups.append(ActionGroup(str(label), choices))
    return groups
