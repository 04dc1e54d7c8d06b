"""Telling registrants: a place freed for them, an event changed or cancelled, the reminder
the day before. A member is told in their inbox (when they have a login) and by SMS to their
roster mobile; a team through its leader, and the admin who registered it in their inbox."""

from django.utils.translation import gettext as _

from laurel.notifications.services import message_send, notification_send


def registrant_tell(registration, *, title: str, body: str, link: str = "") -> None:
    """Tell the registrant of ``registration`` (inside the caller's transaction: messages
    leave after its commit)."""
    person = registration.member if registration.member_id else registration.team.leader
    told_users = set()
    if person.user_id:
        notification_send(recipient=person.user, title=title, body=body, link=link)
        told_users.add(person.user_id)
    if person.mobile:
        message_send(channel="sms", to=person.mobile, subject="", body=f"{title}。{body}")
    admin = registration.registered_by
    if registration.team_id and admin is not None and admin.pk not in told_users:
        notification_send(recipient=admin, title=title, body=body, link=link)


def registrants_tell(registrations, *, title: str, body: str, link: str = "") -> int:
    """Tell each of ``registrations``; returns how many were told."""
    told = 0
    for registration in registrations.select_related(
        "member__user", "team__leader__user", "registered_by"
    ):
        registrant_tell(registration, title=title, body=body, link=link)
        told += 1
    return told


def event_when(event) -> str:
    from django.utils import timezone

    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def change_sentence(event, changed: list[str]) -> str:
    return _("“%(event)s” has changed: now %(when)s at %(venue)s.") % {
        "event": event.title,
        "when": event_when(event),
        "venue": event.venue,
    }
