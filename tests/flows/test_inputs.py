"""Input selection: files, folders, globs; --start/--end by file names and date folders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from vpcpath.errors import FlowLogError, UsageError
from vpcpath.flows.inputs import file_interval, in_window, parse_time, resolve_inputs


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("location", "interval"),
    [
        (
            "b/AWSLogs/1/vpcflowlogs/us-east-1/2024/05/01/"
            "1_vpcflowlogs_us-east-1_fl-1_20240501T2355Z_ab12.log.gz",
            (utc(2024, 5, 1, 23, 55), utc(2024, 5, 1, 23, 55)),
        ),
        (
            "x/AWSLogs/1/vpcflowlogs/eu-west-1/2024/05/02/part.log.gz",
            (utc(2024, 5, 2), utc(2024, 5, 3)),
        ),
        (
            "x/AWSLogs/1/vpcflowlogs/eu-west-1/2024/05/02/07/part.log.gz",
            (utc(2024, 5, 2, 7), utc(2024, 5, 2, 8)),
        ),
        (
            "s3://b/AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=us-east-1/"
            "year=2024/month=05/day=03/hour=09/part.log.parquet",
            (utc(2024, 5, 3, 9), utc(2024, 5, 3, 10)),
        ),
        (
            "b/aws-region=us-east-1/year=2024/month=12/day=31/part.log.gz",
            (utc(2024, 12, 31), utc(2025, 1, 1)),
        ),
        ("local/flows.log", None),
    ],
)
def test_file_interval(location: str, interval: tuple[datetime, datetime] | None) -> None:
    assert file_interval(location) == interval


def test_in_window_is_half_open() -> None:
    day = (utc(2024, 5, 2), utc(2024, 5, 3))
    assert in_window(day, utc(2024, 5, 2, 12), None)
    assert not in_window(day, utc(2024, 5, 3), None)
    assert not in_window(day, None, utc(2024, 5, 2))
    instant = (utc(2024, 5, 2, 10), utc(2024, 5, 2, 10))
    assert in_window(instant, utc(2024, 5, 2, 10), utc(2024, 5, 2, 10, 5))
    assert not in_window(instant, utc(2024, 5, 2, 10, 1), None)
    assert not in_window(instant, None, utc(2024, 5, 2, 10))


def test_parse_time() -> None:
    assert parse_time("2024-05-01", option="--start") == utc(2024, 5, 1)
    assert parse_time("2024-05-01T13:30Z", option="--end") == utc(2024, 5, 1, 13, 30)
    with pytest.raises(UsageError, match="--end '5/1/2024'"):
        parse_time("5/1/2024", option="--end")


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("version\n")


def test_folders_globs_and_files(tmp_path: Path) -> None:
    make(
        tmp_path,
        "logs/2024/05/01/a.log.gz",
        "logs/2024/05/02/b.log.gz",
        "logs/2024/05/02/notes.md",
        "logs/.hidden/c.log.gz",
        "other/d.log.parquet",
        "other/e.txt",
    )
    folder = resolve_inputs([str(tmp_path / "logs")])
    assert [Path(f.location).name for f in folder.files] == ["a.log.gz", "b.log.gz"]
    globbed = resolve_inputs([str(tmp_path / "**" / "*.log*")])
    assert sorted(Path(f.location).name for f in globbed.files) == [
        "a.log.gz",
        "b.log.gz",
        "d.log.parquet",
    ]
    # An explicit file is read whatever its name; the same file twice is read once.
    explicit = resolve_inputs([str(tmp_path / "logs/2024/05/02/notes.md")] * 2)
    assert len(explicit.files) == 1
    with pytest.raises(FlowLogError, match="no file matches"):
        resolve_inputs([str(tmp_path / "*.nothing")])


def test_window_by_date_folders(tmp_path: Path) -> None:
    make(tmp_path, "2024/05/01/a.log.gz", "2024/05/02/b.log.gz", "2024/05/03/c.log.gz", "u.log")
    chosen = resolve_inputs(
        [str(tmp_path)],
        start=parse_time("2024-05-02", option=""),
        end=parse_time("2024-05-03", option=""),
    )
    assert sorted(Path(f.location).name for f in chosen.files) == ["b.log.gz", "u.log"]
    assert (chosen.skipped_by_window, chosen.undated) == (2, 1)
