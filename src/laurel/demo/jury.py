"""The demo's simulated judges (``judges``) as logins with the judge role, and seated on a
round's panel through the judging services."""

from collections.abc import Iterable

from laurel.accounts.models import Role, User
from laurel.accounts.services import role_grant, user_create
from laurel.demo.judges import DemoJudge
from laurel.demo.loaders.logins import PASSWORD
from laurel.judging import services as judging
from laurel.judging.models import Round
from laurel.orgs.models import Unit


def judge_load(person: DemoJudge, units: dict[str, Unit]) -> User:
    """The judge's login (made once, with the demo's password) and its judge role."""
    user = User.objects.filter(username=person.username).first()
    if user is None:
        user = user_create(
            acting_user=None,
            username=person.username,
            password=PASSWORD,
            display_name=person.name,
        )
    role_grant(
        acting_user=None,
        user=user,
        role=Role.JUDGE,
        unit=units[person.unit] if person.unit else None,
    )
    return user


def panel_seat(
    admin: User,
    round_: Round,
    people: Iterable[DemoJudge],
    users: dict[str, User],
    units: dict[str, Unit],
) -> None:
    """Seat each of ``people`` (their logins in ``users``) on the round's panel, for the
    unit they judge from (never their own district's entries) or none."""
    for person in people:
        judging.seat_add(
            acting_user=admin,
            round=round_,
            judge=users[person.username],
            unit=units[person.unit] if person.unit else None,
        )
