"""The audit log: written with each change, masked, append-only, browsable."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from laurel.accounts.models import User
from laurel.accounts.services import user_create
from laurel.audit.models import AppendOnlyError, LogEntry
from laurel.audit.services import audit_log


def test_a_service_writes_one_entry_with_personal_fields_masked(db):
    admin = user_create(acting_user=None, username="admin", password=None)
    user_create(acting_user=admin, username="wang", password=None, mobile="13812345678")
    entry = LogEntry.objects.get(action="accounts.user.created", object_repr="wang")
    assert entry.actor == admin
    assert entry.data["mobile"] == "138****5678"
    assert "13812345678" not in str(entry.data)


@pytest.mark.django_db
def test_numbers_inside_any_string_of_the_data_are_masked():
    with transaction.atomic():
        entry = audit_log(
            actor=None,
            action="members.exported",
            data={"description": "q=17812346889&unit=3", "rows": [{"note": "50010119900101123X"}]},
        )
    entry.refresh_from_db()
    assert entry.data == {
        "description": "q=178****6889&unit=3",
        "rows": [{"note": "500101********123X"}],
    }


def test_a_number_in_the_recorded_names_is_masked(db):
    user_create(acting_user=None, username="17812346889", password=None)
    entry = LogEntry.objects.get(action="accounts.user.created")
    assert entry.object_repr == "178****6889"


@transaction.atomic
def create_then_crash():
    user_create(acting_user=None, username="wang", password=None)
    raise RuntimeError("crash after the write")


def test_the_entry_and_the_change_commit_or_roll_back_together(db):
    with pytest.raises(RuntimeError):
        create_then_crash()
    assert not User.objects.filter(username="wang").exists()
    assert not LogEntry.objects.filter(object_repr="wang").exists()


def test_audit_log_refuses_to_write_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        audit_log(actor=None, action="x.y")


def test_entries_cannot_be_changed_or_deleted_through_the_application(db):
    user_create(acting_user=None, username="wang", password=None)
    entry = LogEntry.objects.get()
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.update(action="forged")
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.all().delete()
    assert LogEntry.objects.get().action == "accounts.user.created"


@pytest.mark.postgres
def test_postgresql_itself_refuses_update_and_delete(db):
    user_create(acting_user=None, username="wang", password=None)
    for sql in ("UPDATE audit_logentry SET action = 'forged'", "DELETE FROM audit_logentry"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert LogEntry.objects.get().action == "accounts.user.created"


def test_admins_filter_entries_by_action_and_date(users, client_as):
    client = client_as("federation_admin")
    response = client.get(reverse("audit:entry_list"), {"action": "orgs.unit"})
    actions = {entry.action for entry in response.context["listing"].records}
    assert actions == {"orgs.unit.created"}
    response = client.get(reverse("audit:entry_list"), {"until": "2000-01-01"})
    assert response.context["listing"].records == []
    response = client.get(reverse("audit:entry_list"), {"since": "2000-01-01", "q": "永川"})
    assert {entry.object_repr for entry in response.context["listing"].records} == {"永川区总工会"}


def test_a_unit_admin_sees_only_entries_of_their_subtree(world, users, client_as):
    response = client_as("unit_admin").get(reverse("audit:entry_list"))
    units = {entry.unit_id for entry in response.context["listing"].records}
    assert units == {world.district.pk, world.grassroots.pk}


def test_the_audit_list_page_costs_a_fixed_number_of_queries(
    users, client_as, django_assert_max_num_queries
):
    client = client_as("federation_admin")
    with django_assert_max_num_queries(12):
        client.get(reverse("audit:entry_list"))


def test_the_audit_export_holds_the_filtered_entries_in_sentences_and_only_the_viewers(
    world, users, client_as
):
    import io

    from openpyxl import load_workbook

    client = client_as("unit_admin")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("audit:entry_list"), {"action": "orgs.unit", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    shown = LogEntry.objects.filter(
        action="orgs.unit.created", unit__path__startswith=world.district.path
    )
    assert sorted(row[3] for row in rows[1:]) == sorted(entry.object_repr for entry in shown)
    assert {row[2] for row in rows[1:]} == {"Unit created"}
    assert world.other_district.name not in {row[3] for row in rows[1:]}
