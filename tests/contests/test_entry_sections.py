"""The console entry page's sections that apps above contests add (``contests.entry_sections``;
awards adds the prize and the judging): each in its place and order, shown only when its
context is not None, a key registered again replacing the first."""

import re

import pytest
from django.urls import reverse

from laurel.contests import entry_sections
from laurel.contests.entry_sections import BELOW, FACTS, entry_section_register
from tests.contests.conftest import member_entry_submit


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the apps' own put back after it."""
    monkeypatch.setattr(entry_sections, "_sections", {})


def test_sections_come_by_place_and_order_and_none_hides_one(registry):
    for key, place, order in [("b", FACTS, 20), ("a", FACTS, 20), ("c", FACTS, 10)]:
        entry_section_register(
            key, place=place, order=order, template="t.html", context=lambda a, e, k=key: {"k": k}
        )
    entry_section_register(
        "hidden", place=BELOW, order=1, template="t.html", context=lambda a, e: None
    )
    entry_section_register(
        "below", place=BELOW, order=2, template="u.html", context=lambda a, e: {}
    )
    shown = entry_sections.entry_sections_for(access=None, entry=None)
    assert [s["key"] for s in shown[FACTS]] == ["c", "a", "b"]
    assert [s["section"] for s in shown[FACTS]] == [{"k": "c"}, {"k": "a"}, {"k": "b"}]
    assert [(s["key"], s["template"]) for s in shown[BELOW]] == [("below", "u.html")]

    entry_section_register("c", place=BELOW, order=0, template="v.html", context=lambda a, e: {})
    shown = entry_sections.entry_sections_for(access=None, entry=None)
    assert [s["key"] for s in shown[FACTS]] == ["a", "b"]
    assert [s["key"] for s in shown[BELOW]] == ["c", "below"]


def test_a_section_has_a_known_place(registry):
    with pytest.raises(ValueError, match="place"):
        entry_section_register("x", place="sidebar", order=1, template="t.html", context=dict)


def test_the_page_renders_facts_in_the_facts_list_and_gives_the_context(
    registry, contest, member_self, users, client_as, django_capture_on_commit_callbacks
):
    seen = []

    def prize(access, entry):
        seen.append((access.user_id, entry.pk))
        fake = {"name": "特等奖", "tier_class": "tier-1", "published": None, "as_published": False}
        return {"prize": fake}

    entry_section_register(
        "prize", place=FACTS, order=1, template="awards/_entry_prize.html", context=prize
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry = member_entry_submit(contest, member_self, users, title="春", seed=1)
    url = reverse("contests:console_entry", args=[contest.slug, entry.number])
    html = client_as("federation_admin").get(url).content.decode()
    facts = re.search(r'<dl class="facts">.*?</dl>', html, re.S).group(0)
    assert 'id="entry-prize" data-prize="特等奖"' in facts
    assert seen == [(users["federation_admin"].pk, entry.pk)]
