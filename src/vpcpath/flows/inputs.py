"""Which flow-log files to read: local files, folders, globs and ``s3://bucket/prefix``.

Flow logs delivered to S3 follow one of two layouts (VPC User Guide, "Publish flow logs to
Amazon S3" → "Log file folder structure" and "Log file name",
https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html):

  <prefix>/AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/[<HH>/]<file>
  <prefix>/AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/
      year=<yyyy>/month=<mm>/day=<dd>/[hour=<HH>/]<file>     (Hive-compatible prefixes)

and files are named ``<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>
.log.gz`` (``.log.parquet`` for Parquet). ``--start``/``--end`` select files by that time: the
file name's timestamp when it has one, else the date (and hour) folders. Files whose path
carries no date are read whatever the window, and the result says how many.
"""

from __future__ import annotations

import glob  # Path.glob cannot take an absolute pattern the user typed
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vpcpath.errors import FlowLogError, UsageError, VpcpathError

if TYPE_CHECKING:  # botocore loads only when s3:// inputs are read
    from vpcpath.sources.live.s3_objects import S3Object

# Names a folder walk or an S3 listing takes as flow-log files; explicit file arguments are
# always read, whatever their name.
_FLOW_LOG_SUFFIXES = (".log", ".log.gz", ".gz", ".parquet", ".txt", ".csv")
_FILE_TIME = re.compile(r"_(\d{8}T\d{4}Z)_[^/]*$")
_PLAIN_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/(?:(\d{2})/)?")
_PLAIN_ORIGIN = re.compile(r"/AWSLogs/(\d{12})/vpcflowlogs/([a-z]{2}(?:-[a-z]+)+-\d+)/")
_HIVE_ORIGIN = re.compile(
    r"/aws-account-id=(\d{12})/aws-service=vpcflowlogs/aws-region=([a-z]{2}(?:-[a-z]+)+-\d+)/"
)
_NAME_ORIGIN = re.compile(r"/(\d{12})_vpcflowlogs_([a-z]{2}(?:-[a-z]+)+-\d+)_[^/]*$")
_HIVE_DATE = re.compile(r"/year=(\d{4})/month=(\d{2})/day=(\d{2})/(?:hour=(\d{2})/)?")


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFile:
    """One file to read: a local path, or an S3 object (downloaded just before it is read)."""

    location: str  # what the user sees: a path or s3://bucket/key
    size: int
    local_path: Path | None = None
    bucket: str | None = None
    key: str | None = None

    @property
    def is_s3(self) -> bool:
        return self.bucket is not None


class RemoteObjects(Protocol):
    """Where ``s3://`` inputs come from (``sources.live.s3_objects.S3Objects``): flows gets
    listings and downloaded files from a source, never a client."""

    def list_objects(self, bucket: str, prefix: str) -> list[S3Object]: ...

    def download(self, bucket: str, key: str, target: Path) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    files: tuple[InputFile, ...]
    undated: int  # files read although their path has no date (only counted with a window)
    skipped_by_window: int


def parse_time(text: str, *, option: str) -> datetime:
    """``2024-05-01`` or ``2024-05-01T13:00[:00][Z]`` as an aware UTC datetime."""
    value = text.strip().removesuffix("Z").removesuffix("z")
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise UsageError(f"{option} {text!r}: expected a UTC date like 2024-05-01 or 2024-05-01T13:00")


def file_interval(location: str) -> tuple[datetime, datetime] | None:
    """The time a file stands for, from its name or its date folders; None if it has none."""
    normalised = location.replace("\\", "/")
    match = _FILE_TIME.search(normalised)
    if match:
        moment = datetime.strptime(match.group(1), "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        return moment, moment
    for pattern in (_PLAIN_DATE, _HIVE_DATE):
        found = pattern.findall("/" + normalised)
        if found:
            year, month, day, hour = found[-1]
            try:
                first = datetime(int(year), int(month), int(day), int(hour or 0), tzinfo=UTC)
            except ValueError:
                continue
            length = timedelta(hours=1) if hour else timedelta(days=1)
            return first, first + length
    return None


def file_origin(location: str) -> tuple[tuple[str, str], ...]:
    """The account and region a delivered file's path states (``account_id``, ``region``).

    AWS writes them in the folders and in the file name (see the module docstring); records
    of formats without ``account-id`` or ``region`` belong to them.
    """
    normalised = "/" + location.replace("\\", "/")
    for pattern in (_PLAIN_ORIGIN, _HIVE_ORIGIN, _NAME_ORIGIN):
        found = pattern.findall(normalised)
        if found:
            account, region = found[-1]
            return (("account_id", account), ("region", region))
    return ()


def in_window(
    interval: tuple[datetime, datetime], start: datetime | None, end: datetime | None
) -> bool:
    """Whether [first, last) (or the instant first == last) meets [start, end)."""
    first, last = interval
    if start is not None and (last <= start if last > first else first < start):
        return False
    return end is None or first < end


def _looks_like_flow_log(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not base.startswith(".") and base.lower().endswith(_FLOW_LOG_SUFFIXES)


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if _looks_like_flow_log(name):
                yield Path(root) / name


def _local(path: Path, location: str) -> InputFile:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FlowLogError(f"{location}: cannot read ({exc.strerror})") from exc
    return InputFile(location=location, size=size, local_path=path)


def _expand_local(argument: str) -> list[InputFile]:
    if glob.has_magic(argument):
        matches = sorted(glob.glob(argument, recursive=True))  # noqa: PTH207
        if not matches:
            raise FlowLogError(f"{argument}: no file matches this pattern")
        found: list[InputFile] = []
        for match in matches:
            found.extend(_expand_local(match))
        return found
    path = Path(argument)
    if path.is_dir():
        return [_local(p, str(p)) for p in _walk(path)]
    if not path.exists():
        raise FlowLogError(f"{argument}: no such file or folder")
    return [_local(path, argument)]


def split_s3_url(url: str) -> tuple[str, str]:
    rest = url[len("s3://") :]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise UsageError(f"{url}: expected s3://bucket/prefix")
    return bucket, prefix


def _expand_s3(url: str, remote: RemoteObjects) -> list[InputFile]:
    bucket, prefix = split_s3_url(url)
    found = [
        InputFile(location=f"s3://{bucket}/{obj.key}", size=obj.size, bucket=bucket, key=obj.key)
        for obj in remote.list_objects(bucket, prefix)
        # An exact key names one file; under a prefix, take what looks like a flow log.
        if obj.key == prefix or (not obj.key.endswith("/") and _looks_like_flow_log(obj.key))
    ]
    found.sort(key=lambda f: f.location)
    return found


def resolve_inputs(
    arguments: Sequence[str],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    remote: Callable[[], RemoteObjects] | None = None,
) -> Selection:
    """Every file the arguments name, once, in a stable order, selected by the window."""
    files: list[InputFile] = []
    objects: RemoteObjects | None = None
    for argument in arguments:
        if argument.startswith("s3://"):
            if objects is None:
                objects = (remote or default_remote_objects)()
            expanded = _expand_s3(argument, objects)
            if not expanded:
                raise FlowLogError(f"{argument}: no objects under this prefix")
            files.extend(expanded)
        else:
            files.extend(_expand_local(argument))
    unique = list({f.location: f for f in files}.values())
    if start is None and end is None:
        return Selection(files=tuple(unique), undated=0, skipped_by_window=0)
    selected: list[InputFile] = []
    undated = skipped = 0
    for f in unique:
        interval = file_interval(f.location)
        if interval is None:
            undated += 1
            selected.append(f)
        elif in_window(interval, start, end):
            selected.append(f)
        else:
            skipped += 1
    return Selection(files=tuple(selected), undated=undated, skipped_by_window=skipped)


def default_remote_objects() -> RemoteObjects:
    """S3 through the usual AWS configuration (AWS_PROFILE, AWS_ENDPOINT_URL, …)."""
    from vpcpath.sources.live.s3_objects import S3Objects

    return S3Objects.from_profile(None)


def download(
    files: Sequence[InputFile], spool: Path, remote: RemoteObjects
) -> tuple[list[InputFile], list[tuple[InputFile, str]]]:
    """Fetch S3 objects into ``spool``: (the files with ``local_path`` set, the failures).

    An object that cannot be fetched (denied, deleted since the listing) is a failure with its
    reason, not an error of the whole run: the result is then partial and says what is missing.
    """
    from concurrent.futures import ThreadPoolExecutor

    def fetch(item: tuple[int, InputFile]) -> InputFile | str:
        index, f = item
        if not f.is_s3:
            return f
        assert f.bucket is not None and f.key is not None
        name = f.key.rsplit("/", 1)[-1] or "object"
        target = spool / f"{index:06d}-{name}"
        try:
            remote.download(f.bucket, f.key, target)
        except VpcpathError as exc:
            return f"cannot download: {exc}"
        return InputFile(
            location=f.location, size=f.size, local_path=target, bucket=f.bucket, key=f.key
        )

    fetched: list[InputFile] = []
    failed: list[tuple[InputFile, str]] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        for f, outcome in zip(files, pool.map(fetch, enumerate(files)), strict=True):
            if isinstance(outcome, str):
                failed.append((f, outcome))
            else:
                fetched.append(outcome)
    return fetched, failed
