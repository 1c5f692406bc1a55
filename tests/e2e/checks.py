"""What every browser test asserts about a page: nothing blocked by the CSP, no script error, and
no serious or critical accessibility violation (axe-core)."""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = ("serious", "critical")


def csp_violations(page) -> list[str]:
    in_page = page.evaluate("() => window.__cspViolations || []")
    from_console = [problem for problem in page.problems if "Content Security Policy" in problem]
    return in_page + from_console


def assert_page_is_clean(page) -> None:
    """No CSP violation and no console error or uncaught exception so far on this tab."""
    problems = csp_violations(page) + [p for p in page.problems if "Content Security Policy" not in p]
    assert not problems, f"{page.url}: " + "; ".join(problems)


def axe_violations(page, impacts=BLOCKING_IMPACTS) -> list[dict]:
    # page.evaluate runs as the debugger does, so the page's CSP (script-src 'self') does not block axe.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in impacts]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(f"{node['target']} [{node.get('failureSummary', '').strip()}]" for node in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, f"{page.url}: " + "; ".join(details)
