"""Two people racing to accept the same invitation: exactly one account comes of it."""

import threading

import pytest
from django.db import connection

from laurel.accounts import services
from laurel.accounts.models import Invitation, Role, User


def race(invitation_id: int, usernames: list[str]) -> list[str]:
    barrier = threading.Barrier(len(usernames))
    outcomes = []

    def accept(username: str):
        try:
            barrier.wait(timeout=10)
            services.invitation_accept(
                invitation_id=invitation_id,
                username=username,
                password="Racer-pass-2026",
                display_name=username,
                mobile=None,
            )
            outcomes.append("accepted")
        except services.InvitationClosed:
            outcomes.append("closed")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(name,)) for name in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_accepted_once_under_concurrent_attempts():
    admin = services.user_create(acting_user=None, username="admin", password=None)
    issued = services.invitation_create(acting_user=admin, role=Role.JUDGE)
    outcomes = race(issued.invitation.pk, [f"racer{n}" for n in range(4)])
    assert outcomes == ["accepted", "closed", "closed", "closed"]
    assert User.objects.filter(username__startswith="racer").count() == 1
    assert Invitation.objects.get().accepted_by.username.startswith("racer")
