"""Every audit action written anywhere in src/ reads as a sentence, never as its code."""

import ast
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from laurel.audit.actions import ACTION_SENTENCES, action_groups, action_sentence
from laurel.audit.models import LogEntry
from laurel.audit.services import audit_log
from laurel.contests.models import Entry, Flag
from laurel.media.models import MediaAsset
from laurel.members.models import MemberImport

SRC = Path(__file__).resolve().parents[2] / "src" / "laurel"

# Codes written from a value (f"contests.entry.{entry.state}"): the values they can take.
CODE_FAMILIES = {
    "contests.entry.": Entry.State.values,
    "contests.flag.": Flag.State.values,
    "media.asset.": MediaAsset.Status.values,
    "members.import.": MemberImport.Status.values,
}


def _codes_of(node: ast.expr, assignments: dict[str, list[ast.expr]], where: str) -> set[str]:
    """The codes an ``action=`` argument can be: literals, both sides of ``a if c else b``,
    a name assigned in the same function, an f-string of a known family."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes_of(node.body, assignments, where) | _codes_of(node.orelse, assignments, where)
    if isinstance(node, ast.Name) and node.id in assignments:
        return set().union(*(_codes_of(v, assignments, where) for v in assignments[node.id]))
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        prefix = node.values[0].value
        assert prefix in CODE_FAMILIES, f"{where}: add the values of {prefix}… to CODE_FAMILIES"
        return {prefix + value for value in CODE_FAMILIES[prefix]}
    raise AssertionError(f"{where}: cannot tell which action {ast.unparse(node)} writes")


def codes_written_in_src() -> set[str]:
    codes = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                continue
            assignments: dict[str, list[ast.expr]] = {}
            for node in ast.walk(function):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assignments.setdefault(target.id, []).append(node.value)
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                called = getattr(node.func, "id", getattr(node.func, "attr", None))
                if called not in ("audit_log", "audit_log_many"):
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        where = f"{path.relative_to(SRC)}:{node.lineno}"
                        codes |= _codes_of(keyword.value, assignments, where)
    return codes


def test_the_source_is_read_for_codes():
    codes = codes_written_in_src()
    # literals, both sides of a conditional, a variable, and an f-string family are all found
    assert {"awards.results.published", "accounts.user.deactivated", "awards.exported"} <= codes
    assert {"contests.entry.accepted", "members.import.failed"} <= codes
    assert len(codes) > 60


def test_every_action_written_in_src_has_a_sentence():
    missing = sorted(codes_written_in_src() - ACTION_SENTENCES.keys())
    assert not missing, f"give these audit actions a sentence in audit/actions.py: {missing}"


def test_every_sentence_is_of_an_area_the_filter_lists():
    listed = {code for group in action_groups() for code, _sentence in group.choices}
    assert listed == set(ACTION_SENTENCES)


def test_a_sentence_is_in_the_readers_language():
    with translation.override("en"):
        assert action_sentence("awards.results.published") == "Results published"
    assert action_sentence("no.such.code") == "no.such.code"  # an old entry still shows


@pytest.fixture
def published_entry(db, users):
    with transaction.atomic():
        return audit_log(actor=users["federation_admin"], action="awards.results.published")


def test_the_audit_log_shows_sentences_and_filters_by_a_chosen_action(published_entry, client_as):
    client = client_as("federation_admin")
    client.cookies["django_language"] = "en"
    url = reverse("audit:entry_list")
    page = client.get(url).content.decode()
    assert ">Results published</span>" in page
    assert ">awards.results.published<" not in page
    assert '<option value="awards.results.published">Results published</option>' in page
    # the filter's parameter is the code, as before; a prefix typed in the address still works
    for action in ("awards.results.published", "awards."):
        shown = client.get(url, {"action": action}).context["listing"].records
        assert list(shown) == [published_entry]
    shown = client.get(url, {"action": "accounts."}).context["listing"].records
    assert set(shown) == set(LogEntry.objects.filter(action__startswith="accounts."))
    assert published_entry not in shown


def test_an_audit_entry_names_its_units_not_their_codes(world, users, client_as):
    with transaction.atomic():
        entry = audit_log(
            actor=users["federation_admin"],
            action="accounts.role.granted",
            obj=users["member"],
            data={"role": "member", "unit": world.grassroots.code, "before": {"parent": "cq/fj"}},
        )
    client = Client()
    client.force_login(users["federation_admin"])
    page = client.get(reverse("audit:entry_detail", args=[entry.pk])).content.decode()
    assert f'title="{world.grassroots.code}">{world.grassroots.name}</dd>' in page
    assert f'title="cq/fj">{world.other_district.name}</dd>' in page
    assert f">{world.grassroots.code}<" not in page
    assert 'data-action="accounts.role.granted"' in page
