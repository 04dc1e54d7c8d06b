"""Staff pages name things: no audit action code, no unit code and no time zone name in any
console page's visible text. Codes may stay where no one reads them (attributes, form values,
exports) and where people type them: a unit's page gives its code for import sheets. (The
contest form's quotas are rows with a unit picker: no codes there either.)"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from laurel.audit.models import LogEntry
from laurel.judging.forms import JudgeField
from laurel.judging.policy import judges_available
from laurel.orgs.models import Unit
from tests.test_access import CONSOLE_URLS, fx  # noqa: F401 - fx: the table's fixture

PAGES = [
    url
    for url in CONSOLE_URLS
    if url.method == "get" and "federation_admin" in url.allowed and url.ok_status() == 200
]
CONSOLE_URLS_BY_NAME = {url.name: url for url in CONSOLE_URLS}
# where a unit's code is what a person types: into an import sheet (the unit's page says its
# code for that)
UNIT_CODE_SHOWN = {"orgs:unit_detail"}


class VisibleText(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes; no form values."""

    HIDDEN = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def _code_in(code: str, text: str) -> bool:
    """Whether ``code`` stands in ``text`` as a code ("cq" alone, not inside "cq/yc" or a word)."""
    return re.search(rf"(?<![\w/]){re.escape(code)}(?![\w/])", text, re.ASCII) is not None


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def test_visible_text_drops_what_no_one_reads():
    html = (
        '<p title="cq/yc">永川区总工会</p><script>var a = "cq/yc";</script>'
        '<select><option value="cq/fj">奉节县</option></select><textarea>cq/yc 20</textarea>'
        '<input value="cq/yc"><td>awards.results.published</td>'
    )
    text = visible_text(html)
    assert "永川区总工会" in text
    assert "奉节县" in text
    assert "cq/" not in text
    assert "awards.results.published" in text


@pytest.mark.parametrize("console_url", PAGES, ids=lambda url: url.name)
def test_a_console_page_shows_no_codes(console_url, fx, client_as):  # noqa: F811 - fx above
    kwargs = console_url.own(fx) if console_url.own else {}
    response = client_as("federation_admin").get(reverse(console_url.name, kwargs=kwargs))
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return  # a file: exports keep codes
    text = visible_text(response.content.decode())
    assert settings.TIME_ZONE not in text  # "Beijing time", not a setting's value
    actions = set(LogEntry.objects.values_list("action", flat=True).distinct())
    assert actions, "the world wrote no audit entries: the test would prove nothing"
    shown = sorted(action for action in actions if action in text)
    assert not shown, f"audit action codes shown: {shown}"
    if console_url.name in UNIT_CODE_SHOWN:
        return
    codes = list(Unit.objects.values_list("code", flat=True))
    assert "cq/yc/jg" in codes
    shown = sorted(code for code in codes if _code_in(code, text))
    assert not shown, f"unit codes shown: {shown}"


def test_a_rounds_name_is_labelled_as_a_rounds_not_a_persons(fx, client_as):  # noqa: F811
    client = client_as("federation_admin")
    client.cookies["django_language"] = "en"
    slug = CONSOLE_URLS_BY_NAME["judging:round_create"].own(fx)["slug"]
    form = client.get(reverse("judging:round_create", args=[slug])).context["form"]
    assert str(form["name"].label) == "Round name"


def test_a_judge_is_offered_with_the_name_of_their_unit(world, users):
    judges = judges_available(users["federation_admin"].access)
    label = JudgeField(queryset=judges).label_from_instance(judges.get(pk=users["judge"].pk))
    assert label.endswith(f" · {world.federation.name}")
    assert not _code_in(world.federation.code, label)
