"""A contest's certificates in the console as the one table of every list (web.tables):
search, filters, sorting and the export of what is shown, scoped to what the viewer may see.

``published`` is the ``judged_contest`` with its prizes published: six certificates, for
entries 0–5; the even ones are of 永川区 (the unit admin's), the odd ones of 奉节县.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from laurel.awards import services
from laurel.awards.models import Certificate
from tests.conftest import english_client
from tests.helpers import exported, response_body


@pytest.fixture
def published(judged_contest, users):
    organiser = users["federation_admin"]
    services.awards_propose(acting_user=organiser, contest=judged_contest)
    services.results_publish(acting_user=organiser, contest=judged_contest)
    return judged_contest


def list_url(contest) -> str:
    return reverse("awards:console_certificates", args=[contest.slug])


def shown(response) -> list[str]:
    return re.findall(r'<tr id="certificate-([^"]+)"', response_body(response).decode())


def number_of(contest, n: int) -> str:
    return Certificate.objects.get(entry=contest.test_entries[n]).number


def test_the_search_finds_a_certificate_by_recipient_work_or_number(client_as, published):
    client = client_as("federation_admin")
    url = list_url(published)
    first = number_of(published, 1)
    assert shown(client.get(url, {"q": "作者1"})) == [first]
    assert shown(client.get(url, {"q": "作品1"})) == [first]
    assert shown(client.get(url, {"q": first})) == [first]
    assert shown(client.get(url, {"q": "无此人"})) == []


def test_the_list_filters_by_prize_and_by_state(client_as, published):
    client = client_as("federation_admin")
    url = list_url(published)
    third_prizes = Certificate.objects.filter(contest=published, prize="三等奖")
    assert sorted(shown(client.get(url, {"prize": "三等奖"}))) == sorted(
        third_prizes.values_list("number", flat=True)
    )
    assert len(third_prizes) == 3
    html = response_body(client.get(url)).decode()
    offered = [html.index(f'value="{prize}"') for prize in ("一等奖", "二等奖", "三等奖")]
    assert offered == sorted(offered)  # the prizes in the contest's order
    revoked = Certificate.objects.get(entry=published.test_entries[4])
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["revoked_at"])
    assert shown(client.get(url, {"state": "revoked"})) == [revoked.number]
    assert revoked.number not in shown(client.get(url, {"state": "valid"}))
    assert len(shown(client.get(url, {"state": "valid"}))) == 5


def test_the_list_sorts_by_number_either_way(client_as, published):
    client = client_as("federation_admin")
    numbers = sorted(Certificate.objects.filter(contest=published).values_list("number", flat=True))
    assert shown(client.get(list_url(published))) == numbers
    assert shown(client.get(list_url(published), {"sort": "-number"})) == numbers[::-1]


def test_the_export_holds_the_filtered_certificates_as_shown(users, published):
    client = english_client()
    client.force_login(users["federation_admin"])
    rows = exported(client.get(list_url(published), {"prize": "二等奖", "export": "xlsx"}))

    assert rows[0] == [
        *["Certificate number", "Recipient", "Unit", "Entry", "Work", "Prize", "Issued on"],
        "State",
    ]
    second_prizes = Certificate.objects.filter(contest=published, prize="二等奖").order_by("number")
    assert [row[0] for row in rows[1:]] == [c.number for c in second_prizes]
    certificate = second_prizes.select_related("entry").first()
    assert rows[1][1:] == [
        certificate.recipient,
        certificate.unit,
        certificate.entry.code,
        certificate.title,
        "二等奖",
        certificate.issued_on.isoformat(),
        "Valid",
    ]


def test_a_unit_admins_list_and_export_hold_only_their_subtrees_certificates(client_as, published):
    client = client_as("unit_admin")
    ours = sorted(number_of(published, n) for n in (0, 2, 4))
    assert sorted(shown(client.get(list_url(published)))) == ours
    rows = exported(client.get(list_url(published), {"export": "xlsx"}))
    assert sorted(row[0] for row in rows[1:]) == ours
    assert shown(client.get(list_url(published), {"q": "作者1"})) == []
