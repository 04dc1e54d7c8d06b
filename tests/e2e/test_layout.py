"""Pages that fit: every console page at a laptop's 1366×768 and a phone's 390×844, measured in
the browser — no table cell holding a short label (six characters or fewer: a state, a kind,
a count, a unit's short name) wraps onto a second line, and no page scrolls sideways on the
phone (a wide table scrolls inside its own frame).

The console URLs and their world are the access test's (``tests/test_access.py``), so a new
console page is measured as soon as it is listed there."""

import pytest
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tests.e2e.test_journey import CHROMIUM_ARGS
from tests.test_access import CONSOLE_URLS, fx  # noqa: F401 - fx is the pages' world

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SHORT_LABEL = 6  # characters

# The short labels in the main column's tables that break onto a second line: each text of at
# most ``limit`` characters in a cell whose line boxes (one rectangle per line it takes) do not
# all share one line.
WRAPPED_SHORT_LABELS = """(limit) => {
  const wrapped = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
      const text = texts.currentNode.textContent.replace(/\\s+/g, "");
      if (!text || [...text].length > limit) continue;
      const range = document.createRange();
      range.selectNodeContents(texts.currentNode);
      const lines = [...range.getClientRects()].filter((box) => box.width > 0);
      const first = lines[0];
      if (lines.some((box) => box.top >= first.bottom - 1))
        wrapped.push(`${text} (${lines.length} lines)`);
    }
  }
  return wrapped;
}"""

SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def console_pages(fixtures, client) -> list[str]:
    """Every console page (HTML, not a download) the federation admin opens with a GET, with
    its objects: the rounds' pages last, since making a round closes the table's contest to
    entries."""
    urls = [
        url
        for url in CONSOLE_URLS
        if url.method == "get" and "federation_admin" in url.allowed and url.ok_status() == 200
    ]
    urls.sort(key=lambda url: url.name.startswith("judging:"))
    paths = [reverse(url.name, kwargs=url.own(fixtures) if url.own else {}) for url in urls]
    return [path for path in paths if client.get(path)["Content-Type"].startswith("text/html")]


@pytest.mark.browser
def test_console_pages_fit_a_laptop_and_a_phone(live_server, fx, client_as):  # noqa: F811
    client = client_as("federation_admin")
    pages = console_pages(fx, client)
    session = client.cookies["sessionid"].value
    problems: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
                context = browser.new_context(viewport=viewport)
                context.add_cookies(
                    [{"name": "sessionid", "value": session, "url": live_server.url}]
                )
                page = context.new_page()
                for path in pages:
                    response = page.goto(live_server.url + path)
                    assert response is not None, path
                    assert response.status == 200, path
                    for cell in page.evaluate(WRAPPED_SHORT_LABELS, SHORT_LABEL):
                        problems.append(f"{name} {path}: a short label wraps: {cell}")
                    overflow = page.evaluate(SIDEWAYS)
                    if name == "phone" and overflow > 0:
                        problems.append(f"{name} {path}: scrolls sideways by {overflow} px")
                context.close()
        finally:
            browser.close()

    assert len(pages) > 30  # the access table's console pages, not a few of them
    assert problems == [], "\n".join(problems)
