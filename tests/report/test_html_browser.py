"""The HTML audit in headless Chromium: layout, charts, on-demand findings, filter, escaping.

Needs Debian's chromium (`make test` installs it when it runs as root with apt) and the
playwright package (test extra); it drives /usr/bin/chromium and never downloads a browser.
Times are not asserted (benchmarks/).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from vpcpath.audit.engine import audit
from vpcpath.audit.flow_evidence import flow_evidence
from vpcpath.audit.report_model import AuditReport
from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.synthetic.demo import demo_flow_logs
from vpcpath.model.evidence import Evidence
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.report.audit_html import render_audit_html
from vpcpath.sources.sample_estate import load_sample

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
INSTALL_HINT = (
    "install Chromium: `sudo apt-get install chromium` (Debian), or run `make test` as root"
)
HOSTILE = "Owner=<script>alert(1)</script>"
pytestmark = pytest.mark.browser

# Every element whose text must fit its box, and the check: text wider than its box is clipped
# or spills over its neighbours.
_CLIPPED = """() => Array.from(document.querySelectorAll(
    '.bar-label, .bar-value, th, td, figcaption, .headline, .scope, .note, .action'))
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.className + ': ' + e.textContent.slice(0, 80))"""
_OVERFLOW = "() => document.documentElement.scrollWidth"
# Ids (vpc-…, rtb-…, finding ids on each side of their ':') that a line break cut in two.
_BROKEN_IDS = """() => Array.from(document.querySelectorAll('.id'))
  .filter(e => e.offsetParent !== null && e.getClientRects().length > 1)
  .map(e => e.textContent)"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: {INSTALL_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
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
        yield b
        b.close()


def _open(browser: Any, path: Path, errors: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    return page


@pytest.fixture(scope="module")
def priced_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample priced from generated flow logs, as `make demo` prices it."""
    snapshot = load_sample()
    prices = load_bundled_prices()
    folder = tmp_path_factory.mktemp("flows")
    logs = demo_flow_logs(snapshot, folder, records=20_000)
    flows = analyze_flows(
        snapshot, FlowsRequest(inputs=(str(logs),), allow_download=False), prices=prices
    )
    report = audit(snapshot, prices, Evidence(flows=flow_evidence(flows)))
    path = folder / "audit.html"
    path.write_text(render_audit_html(report), encoding="utf-8")
    return path


def test_priced_report_makes_the_case(browser: Any, priced_sample: Path) -> None:
    errors: list[str] = []
    page = _open(browser, priced_sample, errors)
    headline = page.text_content("#headline") or ""
    assert headline.startswith("$") and "/month avoidable" in headline
    assert "add up to more than the headline" in (page.text_content("#share-note") or "")
    # One bar per fix, next to the bars by VPC/subnet; both add up to the headline.
    fixes = page.locator("#chart-fix .bar-row")
    assert fixes.count() >= 3
    assert "associate vpce-0ce063733efb53556 with" in (fixes.first.text_content() or "")
    assert page.locator("#chart-place .bar-row").count() >= 3
    assert page.evaluate(_CLIPPED) == []
    assert page.evaluate(_BROKEN_IDS) == []
    assert page.evaluate(_OVERFLOW) <= 1280
    # Price sources in the footer.
    assert "aws.amazon.com/vpc/pricing" in (page.text_content("footer #prices") or "")
    # A top group opens on its findings, each with its share of the total.
    top = page.locator("details.group").first
    top.locator("summary").click()
    first = top.locator("details.finding").first
    first.wait_for()
    assert "share $" in (first.locator("summary").text_content() or "")
    first.locator("summary").click()
    first.locator(".finding-body").wait_for()
    assert "Fix:" in (first.locator(".finding-body").text_content() or "")
    assert page.evaluate(_OVERFLOW) <= 1280
    _screenshot(page, priced_sample.parent)
    assert errors == []


def test_filter_by_finding_id_shows_the_hostile_tag_as_text(
    browser: Any, priced_sample: Path
) -> None:
    errors: list[str] = []
    page = _open(browser, priced_sample, errors)
    page.fill("#filter", "cross-az-nat:subnet-0cf2a5124e693498e")
    page.wait_for_selector("#results details.finding.match[open]")
    assert (page.text_content("#match-count") or "").startswith("1 group(s), 1 finding match")
    assert page.locator("#tree").is_hidden()
    body = page.locator("#results details.finding.match .finding-body")
    # The hostile tag value is shown as text and did not run.
    assert body.get_by_text(HOSTILE).count() == 1
    assert page.evaluate("() => document.querySelectorAll('#results script').length") == 0
    assert page.evaluate(_BROKEN_IDS) == []
    # Long tag lists (the EKS nodes have 8 tags) fold behind a count.
    ecr = '#results details.finding.match[data-id="ecr-pulls-via-nat:vpc-0b873741c03378b7d"]'
    page.fill("#filter", "ecr-pulls-via-nat:vpc-0b873741c03378b7d")
    page.wait_for_selector(f"{ecr}[open] details.tags")
    tags = page.locator(f"{ecr} details.tags")
    assert tags.count() == 4  # 4 EKS nodes
    assert tags.first.locator("summary").text_content() == "+5 tags"
    assert tags.first.locator(".tag").first.is_hidden()  # folded until opened
    # The transit-gateway finding reads right from the spoke's side.
    tgw = '#results details.finding.match[data-id="s3-via-transit-gateway:rtb-08d01c6ce918ae57a"]'
    page.fill("#filter", "s3-via-transit-gateway:rtb-08d01c6ce918ae57a")
    page.wait_for_selector(f"{tgw}[open] .finding-body")
    text = page.inner_text(f"{tgw} .finding-body")
    assert "A gateway endpoint in the egress VPC cannot help" in text
    assert "one in vpc-0e6b528d49c5745c9 carries the traffic for free" in text
    assert "in vpc-0e6b528d49c5745c9 — the spoke, not the egress VPC —" in text
    # Filtering by account and check narrows to the groups of both.
    page.fill("#filter", "111122223333 s3-via-nat")
    page.wait_for_function(
        "() => document.getElementById('match-count').textContent.startsWith('1 group')"
    )
    page.fill("#filter", "no-such-thing")
    page.wait_for_function(
        "() => document.getElementById('match-count').textContent.startsWith('0 group')"
    )
    page.fill("#filter", "")
    page.wait_for_function("() => !document.getElementById('tree').hidden")
    assert errors == []


def test_without_evidence_no_chart_looks_like_money(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "audit.html"
    path.write_text(render_audit_html(audit(load_sample(), load_bundled_prices())))
    errors: list[str] = []
    page = _open(browser, path, errors)
    assert page.locator("#chart-fix").count() == 0
    assert page.locator(".bar, .chart").count() == 0
    assert "No traffic evidence" in (page.text_content("header") or "")
    # The tree: check → account/region → VPC groups → findings, each filled when opened.
    check = page.locator("#tree details.check").first
    check.locator("summary").first.click()
    place = check.locator("details.place").first
    place.locator("summary").first.click()
    group = place.locator("details.group").first
    group.wait_for()
    group.locator("summary").first.click()
    finding = group.locator("details.finding").first
    finding.wait_for()
    finding.locator("summary").click()
    finding.locator(".finding-body").wait_for()
    assert "/month" not in page.inner_text("body")  # no money anywhere, not even "—/month"
    assert page.evaluate(_CLIPPED) == []
    assert page.evaluate(_BROKEN_IDS) == []
    assert page.evaluate(_OVERFLOW) <= 1280
    assert errors == []


def test_thousand_vpcs_open_and_filter(
    browser: Any, thousand_vpcs: AuditReport, tmp_path: Path
) -> None:
    report = thousand_vpcs
    path = tmp_path / "audit.html"
    path.write_text(render_audit_html(report), encoding="utf-8")
    errors: list[str] = []
    page = _open(browser, path, errors)
    assert page.locator("#chart-fix .bar-row").count() == 12  # 11 fixes and "other fixes"
    assert page.evaluate(_CLIPPED) == []
    assert page.evaluate(_BROKEN_IDS) == []
    assert page.evaluate(_OVERFLOW) <= 1280
    target = report.groups[500]
    page.fill("#filter", target.finding_ids[-1])
    page.wait_for_selector("#results details.finding.match[open]")
    assert (
        page.locator("#results details.finding.match").get_attribute("data-id")
        == target.finding_ids[-1]
    )
    page.fill("#filter", "")
    check = page.locator("#tree details.check").first
    check.locator("summary").first.click()
    place = check.locator("details.place").first
    place.locator("summary").first.click()
    place.locator("details.group").first.wait_for()
    assert place.locator("details.group").count() > 100
    assert page.evaluate(_OVERFLOW) <= 1280
    assert errors == []


def _screenshot(page: Any, folder: Path) -> None:
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / "audit.png"), full_page=False)
    assert (folder / "audit.png").stat().st_size > 10_000
    if os.environ.get("VPCPATH_UPDATE_SCREENSHOT") == "1":
        shutil.copy(folder / "audit.png", REPO / "docs" / "audit-report.png")
