"""axe-core (from npm: package.json, installed by ``make install``) run inside a page the browser
tests opened. A page fails on any *serious* or *critical* violation; the message names each rule,
its help text and the first elements it found, so the failure says what to fix."""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_source():
    if not AXE.exists():
        reason = f"needs axe-core from npm at {AXE} (make install runs npm ci)"
        if os.environ.get("REQUIRE_AXE"):  # CI: a missing install is a failure, not a skip
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def blocking_violations(page):
    """The serious and critical violations axe finds on the page as it is now."""
    # Evaluated through the browser's debugging protocol, so the page's own
    # Content-Security-Policy (no inline or injected script) does not stop it.
    page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations):
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"{violation['impact']} {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])} elements, e.g. {targets})"
        )
    return "\n".join(lines)


def assert_no_blocking_violations(page):
    violations = blocking_violations(page)
    assert violations == [], f"axe on {page.url}:\n{describe(violations)}"
