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
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail(
            "The browser tests need Debian's Chromium: run `apt-get install chromium` "
            "(or `make test` as root, which installs it)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


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
