"""``laurel demo`` loads the scenario, can run twice, and its printed logins work."""

from django.core.management import call_command
from django.test import Client

from laurel.accounts.models import User
from laurel.orgs.models import Unit


def test_demo_loads_idempotently_and_its_logins_work(db, capsys):
    call_command("demo")
    call_command("demo")
    printed = capsys.readouterr().out
    assert Unit.objects.filter(code="cq").count() == 1
    assert Unit.objects.get(code="cq/yongchuan/factory3").path.count("/") == 3
    logins = [line.split() for line in printed.splitlines() if line.startswith("  ")]
    assert {login[0] for login in logins} == set(User.objects.values_list("username", flat=True))
    for username, password, *_rest in logins:
        client = Client()
        client.post("/accounts/login/", {"username": username, "password": password})
        assert "_auth_user_id" in client.session, username
    admin = User.objects.get(username="admin")
    assert admin.access.is_federation_admin
    assert admin.access.personal_data_everywhere
