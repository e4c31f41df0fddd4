"""Benchmark: the audit and its reports at 250, 1,000 and 4,000 VPCs (issue 16).

For each size, a fresh process generates the explain benchmark's estate (10 subnets a VPC, two
accounts, two regions), loads it (the baseline), audits it priced from synthetic flow-log
evidence (every private subnet sends S3 and DynamoDB through its NAT gateway;
``tests/report/large_estate.py``), and renders every format; peak RSS is read after the audit
and again after the reports. Then headless Chromium (Debian's, through playwright) opens the
HTML report: the render time is from navigation to the second animation frame after the load
event (layout and first paint done), the median of 3 loads.

    .venv/bin/python benchmarks/reports/run.py [--vpcs 250 1000 4000]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

CHROMIUM = "/usr/bin/chromium"


def _machine() -> str:
    """As benchmarks/explain/run.py describes it."""
    spec = importlib.util.spec_from_file_location(
        "explain_run", REPO / "benchmarks" / "explain" / "run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(REPO / "benchmarks" / "explain"))
    spec.loader.exec_module(module)
    return f"{module.cpu_model()}, {os.cpu_count()} cores, {module.mem_gib():.0f} GiB RAM"


def measure(vpcs: int, folder: Path) -> dict[str, float | int | str]:
    """One size, in this process (run as a child, so peak RSS is this size's alone)."""
    from tests.report.large_estate import large_estate, nat_evidence

    from vpcpath.audit.engine import audit
    from vpcpath.model.evidence import Evidence
    from vpcpath.pricing.table import load_bundled_prices
    from vpcpath.report.audit_html import render_audit_html
    from vpcpath.report.audit_json import audit_to_json
    from vpcpath.report.audit_markdown import render_audit_markdown
    from vpcpath.report.audit_text import render_audit
    from vpcpath.report.style import Style

    t0 = time.perf_counter()
    snapshot = large_estate(folder / "snapshot", vpcs)
    load_s = time.perf_counter() - t0
    evidence = Evidence(flows=nat_evidence(snapshot))
    t1 = time.perf_counter()
    report = audit(snapshot, load_bundled_prices(), evidence)
    audit_s = time.perf_counter() - t1
    rss_audit = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t2 = time.perf_counter()
    html = render_audit_html(report)
    html_s = time.perf_counter() - t2
    (folder / "audit.html").write_text(html, encoding="utf-8")
    markdown = render_audit_markdown(report)
    terminal = render_audit(report, Style(width=100))
    details = render_audit(report, Style(width=100), details=True)
    doc = json.dumps(audit_to_json(report), indent=2)
    return {
        "machine": _machine(),
        "vpcs": len(snapshot.vpcs),
        "subnets": len(snapshot.subnets),
        "findings": len(report.findings),
        "groups": len(report.groups),
        "load_s": load_s,
        "audit_s": audit_s,
        "rss_audit_mib": rss_audit,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "html_render_s": html_s,
        "html_bytes": len(html.encode("utf-8")),
        "markdown_chars": len(markdown),
        "terminal_lines": len(terminal.splitlines()),
        "details_lines": len(details.splitlines()),
        "json_bytes": len(doc.encode("utf-8")),
    }


def chromium_render_s(path: Path, rounds: int = 3) -> float:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(rounds):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load", timeout=120_000)
            page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
            )
            times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vpcs", type=int, nargs="+", default=[250, 1000, 4000])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.vpcs[0], args.child)))
        return
    print(f"date (UTC) {datetime.now(UTC):%Y-%m-%d %H:%M}")
    header = (
        "| VPCs (subnets) | findings / groups | load | audit | peak RSS (audit / all) | "
        "terminal lines (summary / --details) | Markdown chars | HTML | JSON | Chromium render |"
    )
    print(header)
    print("|" + " --- |" * 10)
    for vpcs in args.vpcs:
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [sys.executable, __file__, "--vpcs", str(vpcs), "--child", tmp],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            m = json.loads(out.strip().splitlines()[-1])
            render = chromium_render_s(Path(tmp) / "audit.html")
        print(
            f"| {m['vpcs']:,} ({m['subnets']:,}) | {m['findings']:,} / {m['groups']:,} | "
            f"{m['load_s']:.1f} s | {m['audit_s']:.1f} s | "
            f"{m['rss_audit_mib']:,.0f} / {m['rss_mib']:,.0f} MiB | "
            f"{m['terminal_lines']} / {m['details_lines']:,} | {m['markdown_chars']:,} | "
            f"{m['html_bytes'] / 2**20:.2f} MiB ({m['html_render_s']:.1f} s) | "
            f"{m['json_bytes'] / 2**20:.1f} MiB | {render:.2f} s |",
            flush=True,
        )
    print(f"machine: {m['machine']}")


if __name__ == "__main__":
    main()
