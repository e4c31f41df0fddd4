"""Where the classification's ``ip-ranges.json`` comes from.

In order: ``--ip-ranges FILE``; the snapshot's own copy; a copy in the user cache fetched less
than a day ago; a fresh download of AWS's current file
(https://ip-ranges.amazonaws.com/ip-ranges.json; AWS General Reference, "AWS IP address
ranges": the file changes several times a week and carries a ``syncToken``, the publication
time); an older cached copy. With none of these, classification uses the snapshot's prefix
lists and the records' pkt-*-aws-service fields only, and the result says so.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from vpcpath.errors import SourceError
from vpcpath.flows.prepared_ranges import file_digest, ranges_digest
from vpcpath.model import IpRanges, Snapshot
from vpcpath.pricing.table import default_cache_dir
from vpcpath.sources.ipranges import ip_ranges_from_bytes, is_ip_ranges_document, parse_ip_ranges

DEFAULT_URL = "https://ip-ranges.amazonaws.com/ip-ranges.json"
URL_ENV = "VPCPATH_IP_RANGES_URL"
CACHE_NAME = "ip-ranges.json"
FRESH_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True, kw_only=True)
class IpRangesChoice:
    ranges: IpRanges | None
    source: str  # for people: where the ranges came from, with the syncToken
    note: str | None = None  # said in the report when something was missing or stale
    digest: str | None = None  # of the content the ranges were read from (prepared_ranges)


@dataclass(frozen=True, slots=True, kw_only=True)
class IpRangesOrigin:
    """Where ``obtain_ip_ranges`` would take the ranges from without a download, unread."""

    origin: str  # as in IpRangesChoice.source, before the syncToken
    digest: str


def _read(path: Path) -> tuple[IpRanges, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from exc
    return ip_ranges_from_bytes(data, path), file_digest(data)


def _describe(ranges: IpRanges, origin: str) -> str:
    return f"{origin} (syncToken {ranges.sync_token}, created {ranges.create_date})"


def download_ip_ranges(url: str, target: Path, *, timeout: float = 10.0) -> IpRanges:
    """Fetch ``url`` and keep it at ``target`` (atomically); SourceError when it fails."""
    from vpcpath.sources.live.public_files import download_public_file  # botocore: lazily

    body = download_public_file(url, timeout=timeout)  # NetworkError, a SourceError
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{url}: not JSON ({exc.msg})") from exc
    if not is_ip_ranges_document(doc):
        raise SourceError(f"{url}: not an ip-ranges.json (no syncToken/prefixes)")
    ranges = parse_ip_ranges(doc, url)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".ip-ranges.", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        Path(temp).replace(target)
    except OSError:
        pass  # a cache that cannot be written only costs a download next time
    return ranges


def _cached_file(cache_dir: Path | None) -> Path:
    return (cache_dir if cache_dir is not None else default_cache_dir()) / CACHE_NAME


def _fresh(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < FRESH_SECONDS
    except OSError:
        return False


def ip_ranges_origin(
    snapshot: Snapshot, *, path: Path | None = None, cache_dir: Path | None = None
) -> IpRangesOrigin | None:
    """The source ``obtain_ip_ranges`` tries first, with its content's digest, when that
    needs no download (``--ip-ranges``, the snapshot's copy, a fresh cached copy); None when
    it cannot tell without more (the caller then calls ``obtain_ip_ranges``)."""
    if path is not None:
        try:
            return IpRangesOrigin(origin=str(path), digest=file_digest(path.read_bytes()))
        except OSError:
            return None
    if snapshot.ip_ranges is not None:
        return IpRangesOrigin(origin="the snapshot", digest=ranges_digest(snapshot.ip_ranges))
    cached = _cached_file(cache_dir)
    if _fresh(cached):
        try:
            return IpRangesOrigin(origin=str(cached), digest=file_digest(cached.read_bytes()))
        except OSError:
            return None
    return None


def obtain_ip_ranges(
    snapshot: Snapshot,
    *,
    path: Path | None = None,
    allow_download: bool = True,
    cache_dir: Path | None = None,
    url: str | None = None,
) -> IpRangesChoice:
    if path is not None:
        ranges, digest = _read(path)
        return IpRangesChoice(ranges=ranges, source=_describe(ranges, str(path)), digest=digest)
    if snapshot.ip_ranges is not None:
        return IpRangesChoice(
            ranges=snapshot.ip_ranges,
            source=_describe(snapshot.ip_ranges, "the snapshot"),
            digest=ranges_digest(snapshot.ip_ranges),
        )
    cached = _cached_file(cache_dir)
    cached_ranges: IpRanges | None = None
    cached_digest: str | None = None
    age = None
    if cached.is_file():
        try:
            cached_ranges, cached_digest = _read(cached)
            age = time.time() - cached.stat().st_mtime
        except (SourceError, OSError):
            cached_ranges = None
    if cached_ranges is not None and age is not None and age < FRESH_SECONDS:
        return IpRangesChoice(
            ranges=cached_ranges,
            source=_describe(cached_ranges, str(cached)),
            digest=cached_digest,
        )
    failure = "downloads are off (--offline)"
    if allow_download:
        source_url = url or os.environ.get(URL_ENV) or DEFAULT_URL
        try:
            ranges = download_ip_ranges(source_url, cached)
        except SourceError as exc:
            failure = str(exc)
        else:
            return IpRangesChoice(ranges=ranges, source=_describe(ranges, source_url))
    if cached_ranges is not None:
        return IpRangesChoice(
            ranges=cached_ranges,
            source=_describe(cached_ranges, str(cached)),
            note=f"using a cached ip-ranges.json older than a day: {failure}",
            digest=cached_digest,
        )
    return IpRangesChoice(
        ranges=None,
        source="none",
        note=(
            "no ip-ranges.json (none in the snapshot, no --ip-ranges, none cached, and "
            f"{failure}): remote addresses are classified only by the snapshot's prefix "
            "lists and the records' pkt-*-aws-service fields; other AWS addresses show as "
            "outside AWS"
        ),
    )
