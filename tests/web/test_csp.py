"""The content security policy: on every response, and pages that can live under it — no
inline script, handler or style anywhere in the templates, chart geometry from classes."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from laurel.web import charts

SRC = Path(__file__).resolve().parents[2] / "src" / "laurel"
# Drawn to PDF by WeasyPrint, never served to a browser: the policy does not reach them.
PDF_DOCUMENTS = {
    "awards/templates/awards/certificate.html",
    "awards/templates/awards/winners_list.html",
}


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


STRICT = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def assert_strict(response) -> None:
    policy = policy_of(response)
    for name, values in STRICT.items():
        assert policy.get(name) == values, (name, policy.get(name))
    assert "style-src-attr" not in policy  # no 'unsafe-inline' back door for style=
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_public_page_carries_the_policy(db):
    response = Client().get(reverse("web:home"))
    assert response.status_code == 200
    assert_strict(response)


def test_a_console_page_carries_the_policy(client_as):
    response = client_as("federation_admin").get(reverse("web:console"))
    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_an_error_page_carries_the_policy(client_as, role):
    not_found = client_as(role).get("/no-such-page/")
    assert not_found.status_code == 404
    assert_strict(not_found)
    refused = client_as(role).get(reverse("web:console"))
    assert refused.status_code in (302, 403)
    assert_strict(refused)


def test_static_files_carry_the_policy_too(db):
    response = Client().get("/static/laurel/app.css")
    response.close()  # a file response: its file is closed
    assert response.status_code == 200
    assert_strict(response)


# --- the templates can live under it --------------------------------------------------------


def templates() -> list[Path]:
    found = sorted(SRC.glob("*/templates/**/*.html"))
    assert len(found) > 50  # the scan finds the templates
    return [path for path in found if str(path.relative_to(SRC)) not in PDF_DOCUMENTS]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
HTMX_SCRIPTING = re.compile(r"\bhx-on\b|\bhx-on:|\bhx-vars=|js:|javascript:", re.IGNORECASE)


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("inline <script>", INLINE_SCRIPT),
        ("on…= handler", HANDLER),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
        ("htmx or javascript: scripting", HTMX_SCRIPTING),
    ],
)
def test_no_template_holds_what_the_policy_blocks(what, pattern):
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == [], f"{what} in {found}"


def test_no_view_writes_a_style_attribute_into_markup():
    found = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.glob("**/*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""\sstyle=\\?["']|\son[a-z]+=\\?["']""", line)
    ]
    assert found == [], found


def test_the_scan_finds_what_it_looks_for():
    """The patterns are not blind: each matches the thing it forbids, and not the allowed."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert HANDLER.search('<button type="button" onclick="window.print()">')
    assert not HANDLER.search('<button type="button" data-print class="button">')
    assert STYLE_ATTRIBUTE.search('<span class="bar" style="width: 3%">')
    assert HTMX_SCRIPTING.search('<div hx-on:click="go()">')


def test_htmx_is_configured_to_need_nothing_inline(client_as):
    page = client_as("federation_admin").get(reverse("web:console")).content.decode()
    meta = re.search(r"""<meta name="htmx-config" content='([^']+)'>""", page)
    assert meta is not None
    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False  # else htmx injects a <style>
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["historyCacheSize"] == 0  # no copy of a page in sessionStorage
    css = Path(finders.find("laurel/app.css")).read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css  # what htmx would have injected


# --- chart geometry from classes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "width", "left"),
    [
        (0, "width-0", "left-0"),
        ("37.4", "width-37", "left-37"),
        (37.5, "width-38", "left-38"),
        (0.3, "width-1", "left-0"),  # something there shows, a place near 0 is 0
        (-4, "width-0", "left-0"),
        (104.2, "width-100", "left-100"),
        (None, "width-0", "left-0"),
    ],
)
def test_chart_classes_round_to_whole_percent_within_the_axis(value, width, left):
    assert charts.width_class(value) == width
    assert charts.left_class(value) == left


def test_every_chart_class_the_helper_gives_is_in_the_stylesheet():
    css = Path(finders.find("laurel/app.css")).read_text(encoding="utf-8")
    defined = set(re.findall(r"\.((?:width|left|indent)-\d+) \{", css))
    given = {charts.width_class(n) for n in range(101)} | {charts.left_class(n) for n in range(101)}
    given |= {charts.indent_class(depth) for depth in range(20)}
    assert given <= defined, sorted(given - defined)
    assert "width-37 { width: 37%; }" in css
    assert "left-63 { left: 63%; }" in css


def test_a_tree_page_indents_with_classes(world, client_as):
    page = client_as("federation_admin").get(reverse("orgs:unit_list")).content.decode()
    assert 'class="indent-2"' in page  # a grassroots union: federation → district → it
    assert "style=" not in page
