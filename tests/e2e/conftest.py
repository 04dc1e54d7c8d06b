"""Every browser journey runs watched for the content security policy: each browser context a
journey opens reports what the policy blocked — the page's ``securitypolicyviolation``
events and the console's "Content Security Policy" errors — and the journey fails on any."""

import pytest
from playwright.sync_api import Browser, BrowserContext

# In the page before any of its own scripts: hands each violation to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.laurelCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ` +
    `${event.sourceFile}:${event.lineNumber} ${event.sample || ""}`
  );
});
"""


def watch_for_csp(context: BrowserContext, violations: list[str]) -> None:
    """Record in ``violations`` what the content security policy blocks in ``context``."""

    def report(source, text: str) -> None:
        violations.append(f"{source['frame'].url}: {text}")

    context.expose_binding("laurelCspViolation", report)
    context.add_init_script(REPORT_VIOLATIONS)

    def console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"console {message.type}: {message.text}")

    context.on("page", lambda page: page.on("console", console))


@pytest.fixture(autouse=True)
def csp_violations(monkeypatch):
    """Every context made with ``browser.new_context`` is watched; after the journey, the
    violations seen must be none."""
    violations: list[str] = []
    new_context = Browser.new_context

    def watched_new_context(browser, *args, **kwargs):
        context = new_context(browser, *args, **kwargs)
        watch_for_csp(context, violations)
        return context

    monkeypatch.setattr(Browser, "new_context", watched_new_context)
    yield violations
    assert violations == [], "the content security policy blocked:\n" + "\n".join(violations)
