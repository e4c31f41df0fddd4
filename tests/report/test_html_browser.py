"""The HTML report in headless Chromium: renders, no script errors, headline and charts shown.

Needs Debian's chromium (`.ci/run` installs it) and the playwright package (test extra); it
drives /usr/bin/chromium and never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from vpcpath.audit.engine import audit
from vpcpath.model.evidence import CloudWatchEvidence, Evidence, NatMetrics
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.report.audit_html import render_audit_html
from vpcpath.sources.sample_estate import load_sample

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser


def _report(tmp_path: Path) -> Path:
    snapshot = load_sample()
    metrics = {
        nat.id: NatMetrics(
            nat_gateway_id=nat.id,
            region=nat.region,
            bytes_out_to_destination=(i + 1) * 40 * 2**30,
            bytes_in_from_destination=(i + 1) * 160 * 2**30,
            bytes_in_from_source=0,
            bytes_out_to_source=0,
        )
        for i, nat in enumerate(sorted(snapshot.nat_gateways.values(), key=lambda n: n.id))
    }
    evidence = Evidence(
        cloudwatch=CloudWatchEvidence(days=14, start="s", end="e", nat_gateways=metrics)
    )
    report = audit(snapshot, load_bundled_prices(), evidence)
    path = tmp_path / "audit.html"
    path.write_text(render_audit_html(report))
    return path


def test_report_renders_in_chromium(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("VPCPATH_SKIP_BROWSER") == "1":
            pytest.skip("VPCPATH_SKIP_BROWSER=1")
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    path = _report(tmp_path)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(path.as_uri())
        headline = page.text_content("#headline") or ""
        assert "avoidable" in headline and headline.startswith("$")
        # Both charts drew bars.
        assert page.locator("#chart-path svg rect.bar").count() >= 1
        assert page.locator("#chart-place svg rect.bar").count() >= 1
        # The hostile tag value is shown as text, and did not run.
        assert page.get_by_text("Owner=<script>alert(1)</script>").count() >= 1
        # The severity filter works (the report's own script ran without errors).
        page.click("button[data-min='high']")
        shown = int(page.text_content("#shown") or "0")
        assert 0 < shown < page.locator("details.finding").count()
        page.click("button[data-min='info']")
        page.screenshot(path=str(tmp_path / "audit.png"), full_page=False)
        if os.environ.get("VPCPATH_UPDATE_SCREENSHOT") == "1":
            shutil.copy(tmp_path / "audit.png", REPO / "docs" / "audit-report.png")
        browser.close()
    assert errors == []
    assert (tmp_path / "audit.png").stat().st_size > 10_000
