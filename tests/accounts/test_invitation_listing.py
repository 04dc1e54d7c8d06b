"""The sent invitations as one table (web.tables): searched, filtered by role and state, sorted,
exported without the revoke buttons, scoped to the viewer's units."""

import datetime
import re

from django.utils import timezone

from laurel.accounts.models import Invitation, Role
from laurel.accounts.services import invitation_accept, invitation_create, invitation_revoke
from tests.conftest import PASSWORD
from tests.helpers import exported

INVITATIONS = "/console/invitations/"


def shown_rows(response) -> dict[str, str]:
    """Each row's invitee → its state (the pill's class)."""
    assert response.status_code == 200
    body = response.content.decode()
    body = body[body.index('<section class="listing"') :]
    return dict(re.findall(r"<tr[^>]*>\s*<td[^>]*>([^<]+)</td>.*?pill-(\w+)", body, re.S))


def invitations(world, admin):
    """One invitation in each state, and one to another district."""

    def invite(name, role, unit=None):
        return invitation_create(acting_user=admin, role=role, unit=unit, name=name).invitation

    invite("张评委", Role.JUDGE)  # open
    accepted = invite("李会员", Role.MEMBER, world.grassroots)
    invitation_accept(
        invitation_id=accepted.pk,
        username="li_member",
        password=PASSWORD,
        display_name="李会员",
        mobile=None,
    )
    invitation_revoke(acting_user=None, invitation=invite("王会员", Role.MEMBER, world.grassroots))
    expired = invite("赵管理员", Role.UNIT_ADMIN, world.district)
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    invite("奉节人", Role.MEMBER, world.other_grassroots)  # open


def test_each_state_is_shown_and_only_an_open_invitation_can_be_revoked(world, users, client_as):
    invitations(world, users["federation_admin"])
    response = client_as("federation_admin").get(INVITATIONS)
    assert shown_rows(response) == {
        "张评委": "open",
        "李会员": "accepted",
        "王会员": "revoked",
        "赵管理员": "expired",
        "奉节人": "open",
    }
    assert response.content.decode().count('action="/console/invitations/') == 2


def test_the_search_finds_by_name_or_unit_and_excludes_the_rest(world, users, client_as):
    invitations(world, users["federation_admin"])
    client = client_as("federation_admin")
    assert list(shown_rows(client.get(INVITATIONS, {"q": "评委"}))) == ["张评委"]
    assert sorted(shown_rows(client.get(INVITATIONS, {"q": "奉节"}))) == ["奉节人"]


def test_the_state_and_role_filters_narrow_the_list(world, users, client_as):
    invitations(world, users["federation_admin"])
    client = client_as("federation_admin")
    assert sorted(shown_rows(client.get(INVITATIONS, {"status": "open"}))) == ["奉节人", "张评委"]
    assert list(shown_rows(client.get(INVITATIONS, {"status": "expired"}))) == ["赵管理员"]
    assert list(shown_rows(client.get(INVITATIONS, {"status": "revoked"}))) == ["王会员"]
    assert list(shown_rows(client.get(INVITATIONS, {"status": "accepted"}))) == ["李会员"]
    assert list(shown_rows(client.get(INVITATIONS, {"role": "judge"}))) == ["张评委"]
    assert shown_rows(client.get(INVITATIONS, {"status": "nonsense"})) == {}


def test_sorting_by_name_orders_the_rows(world, users, client_as):
    invitations(world, users["federation_admin"])
    client = client_as("federation_admin")
    by_name = list(shown_rows(client.get(INVITATIONS, {"sort": "name"})))
    assert by_name == sorted(by_name)
    assert list(shown_rows(client.get(INVITATIONS, {"sort": "-name"}))) == by_name[::-1]
    newest_first = list(shown_rows(client.get(INVITATIONS)))
    assert newest_first == ["奉节人", "赵管理员", "王会员", "李会员", "张评委"]


def test_the_export_holds_the_filtered_rows_without_the_revoke_buttons(world, users, client_as):
    invitations(world, users["federation_admin"])
    client = client_as("federation_admin")
    client.cookies["django_language"] = "en"  # roles and states are words
    rows = exported(client.get(INVITATIONS, {"role": "member", "export": "xlsx"}))
    assert rows[0] == ["Name", "Role", "Unit", "Created", "Status"]
    by_name = {row[0]: row for row in rows[1:]}
    assert sorted(by_name) == ["奉节人", "李会员", "王会员"]
    assert by_name["李会员"][1:3] == ["Member", "机关工会"]
    assert by_name["李会员"][4] == "accepted by 李会员"
    assert by_name["王会员"][4] == "revoked"


def test_a_unit_admin_lists_and_exports_only_their_subtree(world, users, client_as):
    invitations(world, users["federation_admin"])
    client = client_as("unit_admin")
    shown = shown_rows(client.get(INVITATIONS))
    assert sorted(shown) == ["李会员", "王会员", "赵管理员"]
    assert sorted(row[0] for row in exported(client.get(INVITATIONS, {"export": "xlsx"}))[1:]) == [
        "李会员",
        "王会员",
        "赵管理员",
    ]
    assert shown_rows(client.get(INVITATIONS, {"q": "奉节"})) == {}


def test_the_invite_form_and_the_filters_share_no_id(world, users, client_as):
    """Both have a role field: a label must name its own field, a browser test its own."""
    body = client_as("federation_admin").get(INVITATIONS).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert "id_role" in ids
    assert sorted(ids) == sorted(set(ids))
