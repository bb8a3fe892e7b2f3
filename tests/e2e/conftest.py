"""Browser tests: Playwright driving Debian's Chromium headless, with axe-core for WCAG checks.

The browser is never downloaded (`playwright install` cannot reach its CDN here): Playwright is
pointed at the system Chromium. A missing Chromium fails the tests with the way to install it;
they never skip.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    """Every browser test runs against a live server, so it needs real transactions; the
    serialized rollback restores what the migrations made (home page, site, roles) after the
    flush that ends each transactional test."""
    browser_tests = [item for item in items if "/e2e/" in str(item.fspath)]
    for item in browser_tests:
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
    # pytest-django has grouped transactional tests last; within that group, browser tests go
    # first, before any transactional test without serialized rollback, whose flush re-creates
    # content types under new ids that the restored copy would collide with.
    others = [item for item in items if "/e2e/" not in str(item.fspath)]
    first = next((i for i, item in enumerate(others) if _is_transactional(item)), len(others))
    items[:] = others[:first] + browser_tests + others[first:]


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(scope="session")
def browser(django_db_setup):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail(
            "The browser tests need Debian's Chromium: run `apt-get install chromium` "
            "(or `make test` as root, which installs it)."
        )
    # The serialized copy of the migrated data that the browser tests' rollback restores is
    # kept on the connection class (tests/conftest.py), so the second set of connections that
    # Django uses while Playwright's event loop runs in this thread has it too.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Chromium reports what the Content-Security-Policy blocked on the console ("Refused to load
# ... because it violates the following Content Security Policy directive"); the page also
# fires `securitypolicyviolation`, which this script reports to the console as well.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
    console.error("CSP violation: " + event.violatedDirective + " blocked " +
        (event.blockedURI || "inline") + " at " + event.documentURI);
});
"""


def is_csp_violation(message):
    return message.type == "error" and (
        "Content Security Policy" in message.text or message.text.startswith("CSP violation:")
    )


@pytest.fixture
def csp_violations(request):
    """What the Content-Security-Policy blocked during the test: any entry fails the test."""
    violations = []
    request.node.csp_violations = violations
    return violations


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test whose pages broke the Content-Security-Policy fails, listing what."""
    result = yield
    violations = getattr(item, "csp_violations", None)
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))
    return result


@pytest.fixture
def new_context(browser, live_server, csp_violations):
    """Open a browser context on the live server, its pages watched for CSP violations."""
    contexts = []

    def open_context(**options):
        """Playwright's context options (viewport, geolocation, java_script_enabled …) as given."""
        context = browser.new_context(locale="zh-CN", base_url=live_server.url, **options)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on(
            "console",
            lambda message: is_csp_violation(message) and csp_violations.append(message.text),
        )
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    page = new_context().new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def axe():
    """Check the current page against WCAG 2.1 A and AA; fail with axe's report.

    In care mode the page must also pass axe's enhanced contrast rule (7:1, WCAG AAA 1.4.6),
    which is what care mode promises.
    """
    checker = Axe()

    def check(page):
        results = checker.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert results.violations_count == 0, results.generate_report()
        if page.locator("html.care").count():
            enhanced = checker.run(
                page, options={"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}
            )
            assert enhanced.violations_count == 0, enhanced.generate_report()

    return check


@pytest.fixture
def care_mode(page):
    """Turn care mode on through its own switch, as a resident would."""

    def turn_on():
        page.goto("/")
        page.get_by_role("link", name="关怀版").click()
        page.wait_for_load_state()

    return turn_on
