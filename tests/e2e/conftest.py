"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

We never run `playwright install`: the browser is the system's /usr/bin/chromium (CHROMIUM_PATH
overrides it). Without it, or without the playwright package, the tests skip and say why.
"""

import contextlib
import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Collects what Chromium reports when the page's CSP blocks something, before any page script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${where}`);
});
"""


def _why_no_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _why_no_browser()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls that tests
    # make between browser steps are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser, live_server):
    """Opens fresh browser tabs (own cookies) on the live server, recording CSP violations and errors.

    `open_page(locale="fr-FR")` is a visitor whose browser asks for French.
    """
    contexts = []

    def open_tab(locale="en-GB"):
        context = browser.new_context(base_url=live_server.url, locale=locale, accept_downloads=True)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        tab = context.new_page()
        tab.problems = []

        def record_console(message):
            # Browsers ask for /favicon.ico on their own; its absence is not a fault of the page.
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                tab.problems.append(f"console: {message.text} ({message.location.get('url')})")

        tab.on("console", record_console)
        tab.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
        return tab

    yield open_tab
    for context in contexts:
        for tab in context.pages:
            # Let a request still in flight (autosave) finish before the database is flushed.
            with contextlib.suppress(Exception):
                tab.wait_for_load_state("networkidle", timeout=2_000)
        context.close()


@pytest.fixture
def page(open_page):
    """A fresh browser tab in English."""
    return open_page()
