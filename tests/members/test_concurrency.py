"""Two imports of the same roster at the same moment: every member once, nothing half-written."""

import threading

import pytest
from django.db import connection

from laurel.importing import ImportRefused
from laurel.members.models import Member
from laurel.members.services import member_file_import
from laurel.orgs.services import unit_create
from tests.conftest import valid_id_card


def race(content: bytes, runners: int) -> list[str]:
    barrier = threading.Barrier(runners)
    outcomes = []

    def run():
        try:
            barrier.wait(timeout=10)
            result = member_file_import(acting_user=None, source=content, filename="r.csv")
            outcomes.append(result.summary_line())
        except ImportRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_roster_make_each_member_once():
    federation = unit_create(acting_user=None, name="重庆市总工会", code="cq", kind="federation")
    rows = "\n".join(f"职工{n},{valid_id_card(n)},cq" for n in range(1, 301))
    content = f"姓名,身份证号,单位\n{rows}\n".encode()
    outcomes = race(content, 3)
    assert len(outcomes) == 3
    assert outcomes.count("imported 300, updated 0, unchanged 0, rejected 0") == 1
    assert set(outcomes) <= {
        "imported 300, updated 0, unchanged 0, rejected 0",
        "imported 0, updated 0, unchanged 300, rejected 0",
        "refused",
    }
    assert Member.objects.count() == 300
    assert Member.objects.filter(unit=federation).count() == 300
