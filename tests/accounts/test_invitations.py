"""Invitations: one-time links for judges and admins, printable codes for members."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.accounts import services
from laurel.accounts.models import Invitation, Role, User
from laurel.audit.models import LogEntry
from laurel.notifications.models import OutgoingMessage
from tests.notifications.capture import log_text, stored_text

GOOD = "Judge-pass-2026"


def accept(client, url, username="judge_wang", password=GOOD, **extra):
    data = {
        "username": username,
        "display_name": "王老师",
        "mobile": "",
        "password1": password,
        "password2": password,
        **extra,
    }
    return client.post(url, data)


def test_federation_admin_invites_a_judge_who_sets_a_password_once(
    users, client_as, delivered, django_capture_on_commit_callbacks
):
    admin = client_as("federation_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("accounts:invitation_list"),
            {"role": "judge", "name": "王老师", "mobile": "139 0000 0099", "email": ""},
        )
    assert response.status_code == 200
    link = response.context["issued_url"]
    assert link.startswith("http://testserver/accounts/invite/")
    # the link was also sent by SMS (through the message backend) to the normalised mobile
    [sent] = delivered
    assert (sent.channel, sent.to) == ("sms", "13900000099")
    assert link in sent.body
    # only a digest is stored: the link's secret is nowhere in the database
    secret = link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(digest=secret).exists()
    sms = OutgoingMessage.objects.get()
    assert secret not in sms.body
    assert "/accounts/invite/••••••/" in sms.body

    judge_client = Client()
    assert judge_client.get(link).status_code == 200
    response = accept(judge_client, link)
    assert response.status_code == 302
    judge = User.objects.get(username="judge_wang")
    assert judge.check_password(GOOD)
    assert list(judge.grants.values_list("role", flat=True)) == [Role.JUDGE]
    assert judge.access.is_judge
    assert not judge.access.is_staff

    # one-time: the same link now leads nowhere
    assert judge_client.get(link).status_code == 404
    assert accept(Client(), link, username="someone_else").status_code == 404
    assert LogEntry.objects.filter(action="accounts.invitation.accepted", actor=judge).exists()


def test_an_invitation_link_sent_by_e_mail_is_kept_and_shown_nowhere_but_still_works(
    users, client_as, delivered, all_log_records, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        issued = services.invitation_create(
            acting_user=users["federation_admin"],
            role=Role.JUDGE,
            name="王老师",
            email="wang@example.org",
            site_url="https://laurel.example",
        )
    token = issued.secret
    queued = OutgoingMessage.objects.get()
    assert (queued.channel, queued.status, delivered) == ("email", "queued", [])
    assert "https://laurel.example/accounts/invite/••••••/" in queued.body
    assert token not in stored_text([queued])
    assert token not in queued.body_sealed

    [deliver] = on_commit
    deliver()
    [sent] = delivered
    assert f"https://laurel.example/accounts/invite/{token}/" in sent.body
    message = OutgoingMessage.objects.get()
    assert (message.status, message.body_sealed) == ("sent", "")
    assert token not in stored_text(OutgoingMessage.objects.all())
    assert token not in stored_text(Invitation.objects.all())

    html = client_as("federation_admin").get(reverse("notifications:outbox")).content.decode()
    assert message.body in html
    assert token not in html
    assert queued.body_sealed not in html
    assert LogEntry.objects.filter(action="accounts.invitation.created").exists()
    assert token not in stored_text(LogEntry.objects.all())

    assert Client().get(reverse("accounts:invitation_accept", args=[token])).status_code == 200
    assert all_log_records
    assert token not in log_text(all_log_records)


def test_a_judge_password_must_meet_the_staff_policy(users, client_as):
    issued = services.invitation_create(acting_user=users["federation_admin"], role=Role.JUDGE)
    url = reverse("accounts:invitation_accept", args=[issued.secret])
    response = accept(Client(), url, password="alllowercase")
    assert response.status_code == 200
    assert response.context["form"].has_error("password1", code="password_too_few_classes")
    assert not User.objects.filter(username="judge_wang").exists()
    assert Invitation.objects.get().is_open  # a refused attempt does not spend it


def test_an_expired_or_revoked_invitation_is_refused(users):
    admin = users["federation_admin"]
    expired = services.invitation_create(acting_user=admin, role=Role.JUDGE)
    revoked = services.invitation_create(acting_user=admin, role=Role.JUDGE)
    services.invitation_revoke(acting_user=admin, invitation=revoked.invitation)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert (
            Client().get(reverse("accounts:invitation_accept", args=[expired.secret])).status_code
            == 404
        )
    assert (
        Client().get(reverse("accounts:invitation_accept", args=[revoked.secret])).status_code
        == 404
    )


def test_accepting_twice_in_the_service_is_refused(users):
    issued = services.invitation_create(acting_user=users["federation_admin"], role=Role.JUDGE)
    kwargs = {"password": GOOD, "display_name": "x", "mobile": None}
    services.invitation_accept(invitation_id=issued.invitation.pk, username="a1", **kwargs)
    with pytest.raises(services.InvitationClosed):
        services.invitation_accept(invitation_id=issued.invitation.pk, username="a2", **kwargs)
    assert not User.objects.filter(username="a2").exists()


def test_a_unit_admin_invites_only_members_of_their_subtree(world, users, client_as):
    client = client_as("unit_admin")
    form = client.get(reverse("accounts:invitation_list")).context["form"]
    assert [value for value, _label in form.fields["role"].choices] == ["member"]
    assert set(form.fields["unit"].queryset) == {world.district, world.grassroots}
    response = client.post(
        reverse("accounts:invitation_list"),
        {"role": "member", "unit": world.other_grassroots.pk, "name": "x"},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_printed_codes_let_members_join_their_unit(world, users, client_as):
    response = client_as("unit_admin").post(
        reverse("accounts:invitation_codes"), {"unit": world.grassroots.pk, "count": 3}
    )
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 3
    for code in codes:
        assert code in response.content.decode()

    member = Client()
    typed = codes[0].lower().replace("-", " ")  # as a person types it off paper
    response = member.get(reverse("accounts:invitation_code"), {"code": typed})
    assert response.status_code == 200
    assert "invitation" in response.context
    response = member.post(
        reverse("accounts:invitation_code"),
        {
            "code": typed,
            "username": "zhang",
            "display_name": "张凌清",
            "mobile": "13600000000",
            "password1": "member-2026",
            "password2": "member-2026",
        },
    )
    assert response.status_code == 302
    zhang = User.objects.get(username="zhang")
    grant = zhang.grants.get()
    assert (grant.role, grant.unit) == (Role.MEMBER, world.grassroots)
    # used codes are spent, and nonsense is told so
    response = member.get(reverse("accounts:invitation_code"), {"code": codes[0]})
    assert "code" in response.context["form"].errors


def test_unit_admin_creates_a_member_login_with_a_one_off_password(world, users, client_as):
    response = client_as("unit_admin").post(
        reverse("accounts:member_create"),
        {"unit": world.grassroots.pk, "username": "liu", "display_name": "刘上宁", "mobile": ""},
    )
    assert response.status_code == 200
    initial = response.context["initial_password"]
    liu = User.objects.get(username="liu")
    assert liu.check_password(initial)
    assert liu.must_change_password
    assert liu.grants.get().unit == world.grassroots
    # the one-off password is never written to the audit log
    assert initial not in str(list(LogEntry.objects.values_list("data", flat=True)))


def test_role_needs_a_unit_where_it_is_scoped(users):
    with pytest.raises(ValidationError):
        services.invitation_create(acting_user=users["federation_admin"], role=Role.UNIT_ADMIN)
