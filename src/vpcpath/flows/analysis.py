"""``analyze_flows``: from flow-log inputs and a snapshot to a FlowsResult.

The pipeline: select the files → read each header (a bad one stops the run before any
scanning, naming the file) → scan them into flow pairs (``engine_duckdb``, or
``engine_spark`` when ``FlowsRequest.spark`` is set) → attribute the
pairs (``attribution``) → price the NAT bytes with the NAT gateway's regional price.
S3 objects are fetched batch by batch into a private spool folder (the next batch while
the current one is scanned), then deleted, so disk use stays near two batches.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from vpcpath.errors import FlowLogError
from vpcpath.flows.attribution import (
    BUCKETS_SQL,
    COVERAGE_SQL,
    ROWS_SQL,
    VERDICT_SQL,
    WINDOW_SQL,
    run_attribution,
)
from vpcpath.flows.classify import AddressRange, address_partition
from vpcpath.flows.engine_duckdb import Engine, EngineOptions
from vpcpath.flows.engine_errors import engine_errors_translated
from vpcpath.flows.engine_spark import SparkEngine, SparkOptions
from vpcpath.flows.evidence_check import nothing_readable, require_evidence
from vpcpath.flows.format_check import format_problem
from vpcpath.flows.inputs import (
    InputFile,
    RemoteObjects,
    default_remote_objects,
    download,
    file_origin,
    resolve_inputs,
)
from vpcpath.flows.ip_ranges_source import IpRangesChoice, ip_ranges_origin, obtain_ip_ranges
from vpcpath.flows.prepared_ranges import (
    CachedClasses,
    classes_key,
    find_cached,
    load_cached,
    store,
)
from vpcpath.flows.readers import read_format
from vpcpath.flows.result import (
    Bucket,
    Coverage,
    Evidence,
    FlowsResult,
    InputError,
    InputSummary,
    NatTraffic,
    Unattributed,
)
from vpcpath.flows.route_ranges import RoutePiece, SubnetRoute, route_pieces, subnet_routes
from vpcpath.flows.scan_engine import ProgressCallback, ScanEngine, ScanFile
from vpcpath.flows.snapshot_tables import load_snapshot_tables
from vpcpath.flows.workload_match import MATCHED_SQL, UNATTRIBUTED_SQL
from vpcpath.model import IpRanges, Snapshot
from vpcpath.pricing.path_price import nat_traffic_usd
from vpcpath.pricing.table import GIB, PriceTable, default_cache_dir


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowsRequest:
    """What to read and how. ``inputs``: files, folders, globs, s3:// prefixes."""

    inputs: tuple[str, ...]
    start: datetime | None = None
    end: datetime | None = None
    ip_ranges_path: Path | None = None
    allow_download: bool = True  # fetch AWS's ip-ranges.json when nothing else has it
    ip_ranges_cache_dir: Path | None = None
    engine: EngineOptions = field(default_factory=EngineOptions)
    spark: SparkOptions | None = None  # scan on Spark (attribution still runs in DuckDB)
    fields: tuple[str, ...] | None = None  # the fields of text files without a header line
    batch_bytes: int = 2 * GIB  # local files per scan statement
    s3_batch_bytes: int = 256 * (1 << 20)  # S3 objects fetched (and spooled) at a time


def _batches(files: Sequence[InputFile], limit: int) -> list[list[InputFile]]:
    batches: list[list[InputFile]] = []
    current: list[InputFile] = []
    size = 0
    for f in files:
        if current and size + f.size > limit:
            batches.append(current)
            current, size = [], 0
        current.append(f)
        size += f.size
    if current:
        batches.append(current)
    return batches


def _scan_files(
    local: Sequence[InputFile],
    con: Any,
    fields: tuple[str, ...] | None,
    set_aside: list[InputError],
) -> list[ScanFile]:
    """The files to scan, with their formats; those vpcpath cannot count go to ``set_aside``
    with what they are (``format_check``)."""
    found: list[ScanFile] = []
    for f in local:
        assert f.local_path is not None
        fmt = read_format(f.local_path, f.location, con=con, fields=fields)
        problem = format_problem(fmt.fields)
        if problem is not None:
            set_aside.append(InputError(file=f.location, message=f"not read: {problem}"))
            continue
        fmt = replace(fmt, origin=file_origin(f.location))
        found.append(ScanFile(path=f.local_path, location=f.location, size=f.size, format=fmt))
    return found


def analyze_flows(
    snapshot: Snapshot,
    request: FlowsRequest,
    *,
    prices: PriceTable,
    progress: ProgressCallback | None = None,
    s3: RemoteObjects | None = None,
) -> FlowsResult:
    """Attribute the NAT gateway bytes of ``request.inputs`` (see ``attribution``)."""
    selection = resolve_inputs(
        request.inputs,
        start=request.start,
        end=request.end,
        remote=(lambda: s3) if s3 is not None else None,
    )
    if not selection.files:
        raise FlowLogError(
            "no flow-log files to read"
            + (" in the --start/--end window" if selection.skipped_by_window else "")
        )
    notes: list[str] = []
    if selection.skipped_by_window:
        notes.append(f"{selection.skipped_by_window} files outside --start/--end were skipped")
    if selection.undated:
        notes.append(
            f"{selection.undated} files have no date in their path or name and were read "
            "whatever the window"
        )
    # The routing partition is pure Python: built in a thread while DuckDB (which releases the
    # GIL) scans, and only needed after the scan. So is the classification partition, unless
    # the user cache holds it for these ranges (``prepared_ranges``).
    with (
        engine_errors_translated(request.engine.memory_limit),
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        routing = pool.submit(_routing, snapshot)
        return _scan_and_attribute(
            snapshot,
            request,
            selection.files,
            routing,
            pool,
            prices=prices,
            progress=progress,
            s3=s3,
            notes=notes,
        )


def _routing(snapshot: Snapshot) -> tuple[tuple[SubnetRoute, ...], tuple[RoutePiece, ...]]:
    routes = subnet_routes(snapshot)
    return routes, route_pieces(snapshot, [r.route_table_id for r in routes if r.route_table_id])


@dataclass(frozen=True, slots=True, kw_only=True)
class _Classes:
    """The classification: already in ``s_classes`` (from the cache), or being built."""

    source: str
    building: Future[tuple[AddressRange, ...]] | None = None
    ranges: IpRanges | None = None
    cache_key: str | None = None  # where to keep what is built


@dataclass(frozen=True, slots=True, kw_only=True)
class _RangesSource:
    """Where the classification comes from, settled before any engine starts, so a bad
    ``--ip-ranges`` file fails before a scan (or a Spark session) begins: a user-cache entry
    for these ranges, else the ranges themselves, read and checked."""

    cached: CachedClasses | None = None
    origin: str = ""
    choice: IpRangesChoice | None = None


def _ranges_source(snapshot: Snapshot, request: FlowsRequest) -> _RangesSource:
    cache_dir = request.ip_ranges_cache_dir or default_cache_dir()
    origin = ip_ranges_origin(
        snapshot, path=request.ip_ranges_path, cache_dir=request.ip_ranges_cache_dir
    )
    if origin is not None:
        entry = find_cached(cache_dir, classes_key(origin.digest, snapshot))
        if entry is not None:
            return _RangesSource(cached=entry, origin=origin.origin)
    return _RangesSource(choice=_obtain(snapshot, request))


def _obtain(snapshot: Snapshot, request: FlowsRequest) -> IpRangesChoice:
    return obtain_ip_ranges(
        snapshot,
        path=request.ip_ranges_path,
        allow_download=request.allow_download,
        cache_dir=request.ip_ranges_cache_dir,
    )


def _classes(
    con: Any,
    snapshot: Snapshot,
    request: FlowsRequest,
    source: _RangesSource,
    pool: ThreadPoolExecutor,
    notes: list[str],
) -> _Classes:
    entry = source.cached
    if entry is not None and load_cached(con, entry):
        return _Classes(
            source=f"{source.origin} (syncToken {entry.sync_token}, created {entry.create_date})"
        )
    # No entry, or one the engine could not load: the ranges themselves.
    choice = source.choice if source.choice is not None else _obtain(snapshot, request)
    if choice.note:
        notes.append(choice.note)
    key = classes_key(choice.digest, snapshot) if choice.digest else None
    return _Classes(
        source=choice.source,
        building=pool.submit(address_partition, snapshot, choice.ranges),
        ranges=choice.ranges,
        cache_key=key,
    )


def _scan_and_attribute(
    snapshot: Snapshot,
    request: FlowsRequest,
    files: Sequence[InputFile],
    routing: Future[tuple[tuple[SubnetRoute, ...], tuple[RoutePiece, ...]]],
    pool: ThreadPoolExecutor,
    *,
    prices: PriceTable,
    progress: ProgressCallback | None,
    s3: RemoteObjects | None,
    notes: list[str],
) -> FlowsResult:
    local = [f for f in files if not f.is_s3]
    remote = [f for f in files if f.is_s3]
    total = sum(f.size for f in files)
    formats: dict[str, None] = {}
    ranges_source = _ranges_source(snapshot, request)
    scanner: ScanEngine = (
        SparkEngine(request.engine, request.spark) if request.spark else Engine(request.engine)
    )
    with scanner as engine:
        classes = _classes(engine.con, snapshot, request, ranges_source, pool, notes)
        # Every local header first: a bad one fails fast, before minutes of scanning.
        set_aside: list[InputError] = []
        scan_local = _scan_files(local, engine.con, request.fields, set_aside)
        if local and not scan_local and not remote:
            raise FlowLogError(nothing_readable(set_aside))
        engine.add_errors(set_aside)
        formats.update({f.format.label: None for f in scan_local})
        done = 0
        by_location = {f.location: f for f in scan_local}
        readable = [f for f in local if f.location in by_location]
        for batch in _batches(readable, request.batch_bytes):
            members = [by_location[f.location] for f in batch]
            engine.scan(members, done_before=done, total=total, progress=progress)
            done += sum(f.size for f in batch)
        if remote:
            objects = s3 if s3 is not None else default_remote_objects()
            spool = Path(tempfile.mkdtemp(prefix="spool-", dir=engine.temp_dir))
            batches = _batches(remote, request.s3_batch_bytes)

            def fetch(index: int) -> tuple[list[InputFile], list[tuple[InputFile, str]]]:
                folder = spool / f"batch-{index}"
                folder.mkdir()
                return download(batches[index], folder, objects)

            # The next batch downloads while this one is scanned: at most two on disk.
            try:
                with ThreadPoolExecutor(max_workers=1) as fetcher:
                    pending = fetcher.submit(fetch, 0)
                    for index, batch in enumerate(batches):
                        fetched, failed = pending.result()
                        if index + 1 < len(batches):
                            pending = fetcher.submit(fetch, index + 1)
                        engine.add_errors(
                            [InputError(file=f.location, message=why) for f, why in failed]
                        )
                        set_aside = []
                        members = _scan_files(fetched, engine.con, request.fields, set_aside)
                        engine.add_errors(set_aside)
                        formats.update({f.format.label: None for f in members})
                        engine.scan(members, done_before=done, total=total, progress=progress)
                        done += sum(f.size for f in batch)
                        shutil.rmtree(spool / f"batch-{index}", ignore_errors=True)
            finally:
                shutil.rmtree(spool, ignore_errors=True)
        routes, pieces = routing.result()
        built = classes.building.result() if classes.building is not None else None
        load_snapshot_tables(
            engine.con, snapshot, subnets=routes, pieces=pieces, classes=built, prices=prices
        )
        if classes.cache_key is not None and classes.ranges is not None:
            store(
                engine.con,
                request.ip_ranges_cache_dir or default_cache_dir(),
                classes.cache_key,
                classes.ranges,
            )
        run_attribution(engine.con)
        if isinstance(engine, SparkEngine) and (note := engine.parser_note()) is not None:
            notes.append(note)
        result = _result(engine, prices, classes.source, tuple(formats), notes)
    require_evidence(result)
    return result


def _result(
    engine: ScanEngine,
    prices: PriceTable,
    ip_ranges_source: str,
    formats: tuple[str, ...],
    notes: list[str],
) -> FlowsResult:
    con = engine.con
    first, last, records, malformed, nodata, skipdata = con.execute(WINDOW_SQL).fetchone()
    scanned = engine.state()
    summary = InputSummary(
        files=scanned.files,
        bytes_read=scanned.bytes_read,
        records=int(records) + scanned.rejected,
        malformed=int(malformed) + scanned.rejected,
        nodata=int(nodata),
        skipdata=int(skipdata),
        malformed_examples=scanned.examples,
        errors=scanned.errors,
        formats=formats,
    )
    rows: list[NatTraffic] = []
    missing_price: set[str] = set()
    for (
        nat_id,
        nat_region,
        subnet,
        eni,
        instance,
        service,
        service_region,
        to_bytes,
        from_bytes,
        avoidable,
        evidence,
        cross_az,
        per_gb,
        transit_gateway_id,
    ) in con.execute(ROWS_SQL).fetchall():
        to_b, from_b = int(to_bytes), int(from_bytes)
        usd = 0.0
        if per_gb is None:  # ROWS_SQL found no price for the NAT gateway's region
            missing_price.add(str(nat_region))
        else:
            usd = nat_traffic_usd(
                to_b + from_b,
                prices.for_region(nat_region),
                via_transit_gateway=transit_gateway_id is not None,
                cross_az=bool(cross_az),
            )
        rows.append(
            NatTraffic(
                nat_gateway_id=str(nat_id),
                nat_region=str(nat_region) if nat_region else "",
                source_subnet_id=subnet,
                source_eni_id=eni,
                source_instance_id=instance,
                service=service,
                service_region=service_region,
                bytes_to_destination=to_b,
                bytes_from_destination=from_b,
                avoidable_by=avoidable,
                usd=usd,
                evidence=Evidence(evidence),
                nat_cross_az=bool(cross_az),
                transit_gateway_id=transit_gateway_id,
            )
        )
    if missing_price:
        notes.append(f"no NAT gateway price for {', '.join(sorted(missing_price))}: priced $0")
    coverage = tuple(
        Coverage(
            nat_gateway_id=str(nat_id),
            client_leg_bytes=int(client),
            internet_leg_bytes=int(internet),
            attributed_bytes=int(got),
            model_bytes=int(model),
            nat_eni_logged=bool(logged),
            direct=bool(direct),
        )
        for nat_id, client, internet, got, model, logged, direct in con.execute(
            COVERAGE_SQL
        ).fetchall()
    )
    verdicts = tuple((str(v), int(b)) for v, b in con.execute(VERDICT_SQL).fetchall())
    buckets = []
    for name, count, size, extra in con.execute(BUCKETS_SQL).fetchall():
        if int(size) == 0 and int(count) == 0:
            continue
        detail = f"{int(extra)} of these bytes through NAT gateways" if extra else ""
        buckets.append(Bucket(name=str(name), records=int(count), bytes=int(size), detail=detail))
    unattributed = tuple(
        Unattributed(
            reason=str(reason),
            records=int(count),
            bytes=int(size),
            named=tuple(str(n) for n in (named or ())[:5]),
        )
        for reason, count, size, named in con.execute(UNATTRIBUTED_SQL).fetchall()
    )
    return FlowsResult(
        unattributed=unattributed,
        matched_records=int(con.execute(MATCHED_SQL).fetchone()[0]),
        input=summary,
        window_start=int(first) if first is not None else None,
        window_end=int(last) if last is not None else None,
        nat_traffic=tuple(rows),
        coverage=coverage,
        bytes_by_verdict=verdicts,
        buckets=tuple(buckets),
        price_source=prices.source,
        price_date=prices.date,
        ip_ranges_source=ip_ranges_source,
        notes=tuple(notes),
    )
