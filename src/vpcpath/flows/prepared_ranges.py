"""The classification table (``classify.address_partition``), cached in the user cache.

Reading AWS's full ``ip-ranges.json`` (thousands of prefixes) and sweeping it into the
partition takes longer than attributing a small input, and the file changes a few times a
week at most. So the partition is kept as a Parquet file in ``$XDG_CACHE_HOME/vpcpath/
prepared-ranges/`` (``pricing.table.default_cache_dir``), keyed by the SHA-256 of what it
is made of: the ip-ranges file's bytes (or, for a snapshot's own copy, its prefixes), the
snapshot's AWS-managed prefix lists, the source of the code that builds it, and this format's
version. A manifest beside it holds the key, the row count, the Parquet file's own SHA-256
and the file's syncToken and createDate. An entry is used only when all of these agree;
anything else (missing, corrupt, another version, a different file) is a miss: the partition
is built again and the entry rewritten (atomically). A cache that cannot be written costs a
rebuild next time, nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from vpcpath.model import IpRanges, Snapshot

FORMAT = "vpcpath.prepared-ranges/1"
FOLDER = "prepared-ranges"

# s_classes as stored: UHUGEINT has no Parquet type, so lo/hi travel as decimal text.
_STORED_COLUMNS = (
    "family, CAST(lo AS VARCHAR) AS lo, CAST(hi AS VARCHAR) AS hi, service, region,"
    " gateway_service, gateway_region"
)
_LOADED_COLUMNS = (
    "CAST(family AS INTEGER) AS family, CAST(lo AS UHUGEINT) AS lo,"
    " CAST(hi AS UHUGEINT) AS hi, CAST(service AS VARCHAR) AS service,"
    " CAST(region AS VARCHAR) AS region, CAST(gateway_service AS VARCHAR) AS gateway_service,"
    " CAST(gateway_region AS VARCHAR) AS gateway_region"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedClasses:
    """A usable cache entry: the Parquet file and what the manifest says of the ranges."""

    parquet: Path
    rows: int
    sync_token: str
    create_date: str


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ranges_digest(ranges: IpRanges) -> str:
    """The digest of ranges that did not come from a file (a snapshot's own copy)."""
    h = hashlib.sha256()
    h.update(f"{ranges.sync_token}\n{ranges.create_date}\n".encode())
    for p in ranges.prefixes:
        h.update(f"{p.network}|{p.region}|{p.service}|{p.network_border_group}\n".encode())
    return "ranges:" + h.hexdigest()


def classes_key(ip_ranges_digest: str, snapshot: Snapshot) -> str:
    """What the partition depends on: the ip-ranges content, the AWS-managed prefix lists
    (``classify._entries`` reads nothing else of the snapshot) and the code that builds it
    (``code_digest``), so an entry written by another version of vpcpath is never used."""
    lists = sorted((key, pl) for key, pl in snapshot.prefix_lists.items() if pl.is_aws_managed)
    text = f"{FORMAT}\n{code_digest()}\n{ip_ranges_digest}\n{lists!r}"
    return hashlib.sha256(text.encode()).hexdigest()


# The modules whose code decides the partition: the sweep and the services it names.
PARTITION_MODULES = ("vpcpath.flows.classify", "vpcpath.routing.destinations")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the partition's source files; the package version where one cannot be read
    (a zipped install), which then changes with the code."""
    import importlib

    import vpcpath

    h = hashlib.sha256()
    for name in PARTITION_MODULES:
        origin = getattr(importlib.import_module(name), "__file__", None)
        try:
            h.update(Path(str(origin)).read_bytes())
        except OSError:
            return f"version:{vpcpath.__version__}"
    return h.hexdigest()


def _paths(cache_dir: Path, key: str) -> tuple[Path, Path]:
    folder = cache_dir / FOLDER
    return folder / f"{key}.parquet", folder / f"{key}.json"


def find_cached(cache_dir: Path, key: str) -> CachedClasses | None:
    """The entry for ``key`` when its manifest and Parquet file check out, else None."""
    parquet, manifest = _paths(cache_dir, key)
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
        data = parquet.read_bytes()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(doc, dict) or doc.get("schema") != FORMAT or doc.get("key") != key:
        return None
    rows, token, created = doc.get("rows"), doc.get("sync_token"), doc.get("create_date")
    if not isinstance(rows, int) or not isinstance(token, str) or not isinstance(created, str):
        return None
    if doc.get("sha256") != file_digest(data):
        return None
    return CachedClasses(parquet=parquet, rows=rows, sync_token=token, create_date=created)


def load_cached(con: Any, entry: CachedClasses) -> bool:
    """``s_classes`` from the entry; False (and no table) when DuckDB cannot read it as
    written or the row count differs from the manifest's."""
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE s_classes AS SELECT {_LOADED_COLUMNS} "
            "FROM read_parquet(?)",
            [str(entry.parquet)],
        )
        ((count,),) = con.execute("SELECT count(*) FROM s_classes").fetchall()
    except duckdb.Error:  # any error reading it means an unusable entry
        con.execute("DROP TABLE IF EXISTS s_classes")
        return False
    if count != entry.rows:
        con.execute("DROP TABLE s_classes")
        return False
    return True


def store(con: Any, cache_dir: Path, key: str, ranges: IpRanges) -> None:
    """Write ``s_classes`` (just loaded) as the entry for ``key``; failures are ignored."""
    parquet, manifest = _paths(cache_dir, key)
    try:
        parquet.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{key}.", suffix=".parquet", dir=parquet.parent)
        os.close(fd)
        try:
            con.execute(
                f"COPY (SELECT {_STORED_COLUMNS} FROM s_classes ORDER BY family, lo) "
                "TO ? (FORMAT parquet)",
                [temp],
            )
            ((rows,),) = con.execute("SELECT count(*) FROM s_classes").fetchall()
            doc = {
                "schema": FORMAT,
                "key": key,
                "rows": int(rows),
                "sha256": file_digest(Path(temp).read_bytes()),
                "sync_token": ranges.sync_token,
                "create_date": ranges.create_date,
            }
            fd, temp_manifest = tempfile.mkstemp(
                prefix=f".{key}.", suffix=".json", dir=parquet.parent
            )
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle)
            # The Parquet file first: a manifest never names a file that is not there yet.
            Path(temp).replace(parquet)
            Path(temp_manifest).replace(manifest)
        finally:
            with contextlib.suppress(OSError):
                Path(temp).unlink(missing_ok=True)
    except (OSError, duckdb.Error):  # a cache that cannot be written only costs a rebuild
        return
