"""Where ip-ranges.json comes from: flag, snapshot, fresh cache, download (loopback), offline."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.ip_ranges_source import obtain_ip_ranges
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices

DOC = {
    "syncToken": "1700000000",
    "createDate": "2023-11-14-22-13-20",
    "prefixes": [
        {"ip_prefix": "52.216.0.0/15", "region": "us-east-1", "service": "S3"},
        {"ip_prefix": "151.101.0.0/16", "region": "us-east-1", "service": "EC2"},
    ],
    "ipv6_prefixes": [],
}


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that serves DOC at /ip-ranges.json and counts requests."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = json.dumps(DOC).encode()
            self.send_response(200 if self.path == "/ip-ranges.json" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/ip-ranges.json", hits
    httpd.shutdown()


def test_snapshot_copy_is_used_first(sample: Snapshot, tmp_path: Path) -> None:
    choice = obtain_ip_ranges(sample, cache_dir=tmp_path, url="http://127.0.0.1:9/never")
    assert choice.ranges is sample.ip_ranges
    assert choice.source.startswith("the snapshot (syncToken 1784861225")


def test_download_then_cache(
    sample: Snapshot, tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    url, hits = server
    bare = replace(sample, ip_ranges=None)
    first = obtain_ip_ranges(bare, cache_dir=tmp_path, url=url)
    assert first.ranges is not None and first.ranges.sync_token == "1700000000"
    assert first.source == f"{url} (syncToken 1700000000, created 2023-11-14-22-13-20)"
    assert json.loads((tmp_path / "ip-ranges.json").read_text()) == DOC
    second = obtain_ip_ranges(bare, cache_dir=tmp_path, url=url)
    assert second.source.startswith(str(tmp_path / "ip-ranges.json"))
    assert len(hits) == 1  # fresh cache: no second download
    # A day-old cache is refreshed; when the download fails, the stale copy is used, said so.
    stale = time.time() - 2 * 24 * 3600
    os.utime(tmp_path / "ip-ranges.json", (stale, stale))
    failed = obtain_ip_ranges(bare, cache_dir=tmp_path, url=url.replace("ip-ranges", "gone"))
    assert failed.ranges is not None
    assert failed.note is not None and "older than a day" in failed.note


def test_offline_without_ranges_says_so(sample: Snapshot, tmp_path: Path) -> None:
    bare = replace(sample, ip_ranges=None)
    choice = obtain_ip_ranges(bare, cache_dir=tmp_path, allow_download=False)
    assert choice.ranges is None
    assert choice.note is not None and "downloads are off (--offline)" in choice.note
    log = tmp_path / "flows.log"
    log.write_text(
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
        " start end action log-status\n"
        "2 111122223333 eni-01d9b5870047c5e53 10.0.52.23 3.2.64.9 1 443 6 1 500 1 2 ACCEPT OK\n"
        "2 111122223333 eni-01d9b5870047c5e53 10.0.52.23 52.216.1.1 1 443 6 1 700 1 2 ACCEPT OK\n"
    )
    result = analyze_flows(
        bare,
        FlowsRequest(inputs=(str(log),), allow_download=False, ip_ranges_cache_dir=tmp_path),
        prices=load_prices(),
    )
    # The prefix list still knows S3; the ip-ranges-only S3 range shows as outside AWS.
    services = {(r.service, r.bytes_to_destination) for r in result.nat_traffic}
    assert services == {("S3", 700), (None, 500)}
    assert any("downloads are off" in n for n in result.notes)
    assert result.ip_ranges_source == "none"
