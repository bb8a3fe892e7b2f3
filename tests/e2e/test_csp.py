"""The Content-Security-Policy in the browser: inline script is refused, and the tests notice."""

from tests.e2e.conftest import is_csp_violation

INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true;";
    document.body.append(script);
}"""


def test_injected_inline_script_is_refused_and_recorded(page, csp_violations):
    """A script injected into a public page does not run, and the violation is recorded."""
    page.goto("/")
    with page.expect_console_message(is_csp_violation):
        page.evaluate(INJECT_INLINE_SCRIPT)
    assert page.evaluate("() => window.injected === undefined")
    page.wait_for_timeout(200)  # the context's listener sees the same message
    assert any("script-src" in violation for violation in csp_violations)
    # Recorded as it should be: this test's own violation must not fail it.
    csp_violations.clear()
