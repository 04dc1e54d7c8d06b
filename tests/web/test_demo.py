"""``laurel demo`` loads the scenario, can run twice, and its printed logins work."""

from django.core.management import call_command
from django.test import Client

from laurel.accounts.models import User
from laurel.core.identity import id_card_normalise
from laurel.members.models import Member
from laurel.orgs.models import Unit


def test_demo_loads_idempotently_and_its_logins_work(db, capsys):
    call_command("demo", "--photos", "12")  # the contest's part: tests/contests/test_demo_contest
    members_after_first_run = list(Member.objects.order_by("pk").values())
    call_command("demo", "--photos", "12")
    printed = capsys.readouterr().out
    assert list(Member.objects.order_by("pk").values()) == members_after_first_run
    assert Unit.objects.filter(code="cq").count() == 1
    assert Unit.objects.get(code="cq/yongchuan/factory3").path.count("/") == 3
    logins = [line.split() for line in printed.splitlines() if line.startswith("  ")]
    judges = {f"judge{n:02d}" for n in range(1, 25)}  # the contest's panel: one line for all
    assert "judge01" in printed
    assert "judge24" in printed
    assert {login[0] for login in logins} == set(
        User.objects.values_list("username", flat=True)
    ) - judges
    for username, password, *_rest in logins:
        client = Client()
        client.post("/accounts/login/", {"username": username, "password": password})
        assert "_auth_user_id" in client.session, username
    admin = User.objects.get(username="admin")
    assert admin.access.is_federation_admin
    assert admin.access.personal_data_everywhere


def test_demo_is_the_bulletins_world(db):
    call_command("demo", "--members", "600", "--photos", "0")
    federation = Unit.objects.get(code="cq", parent=None)
    districts = Unit.objects.filter(parent=federation, kind__in=["district", "zone"])
    assert districts.count() == 38
    assert {"云阳县总工会", "奉节县总工会", "永川区总工会", "万盛经开区总工会"} <= set(
        districts.values_list("name", flat=True)
    )
    assert Unit.objects.filter(kind="grassroots").count() >= 300
    assert Member.objects.count() == 601  # and the member login's own record
    for id_card in Member.objects.values_list("id_card", flat=True):
        assert id_card_normalise(id_card) == id_card
    login = User.objects.get(username="member")
    assert login.member.unit.code == "cq/yongchuan/factory3"
