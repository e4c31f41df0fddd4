"""What a scan engine is: the interface ``analysis`` drives, which DuckDB and Spark implement.

An engine reads flow-log files into the ``pairs`` table of a DuckDB connection (``con``),
where the attribution runs whatever engine scanned. ``state()`` is the frozen account of what
the scan read and refused; the engines keep their bookkeeping to themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from vpcpath.flows.readers import FileFormat
from vpcpath.flows.result import InputError, MalformedLine
from vpcpath.flows.scan_rules import MAX_EXAMPLES

ProgressCallback = Callable[[int, int], None]  # (bytes done, bytes in total)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanFile:
    """A local file ready to scan, with its format and the name to show for it."""

    path: Path
    location: str
    size: int
    format: FileFormat


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanTotals:
    """What a scan read: files, bytes, lines the reader refused, errors, a few bad lines."""

    files: int
    bytes_read: int
    rejected: int  # lines the reader refused (they reach no pair, but are records)
    examples: tuple[MalformedLine, ...]  # the first few malformed lines, by file and line
    errors: tuple[InputError, ...]


@dataclass(slots=True)
class ScanState:
    """Mutable bookkeeping of one scan (private to an engine; ``ScanTotals`` is its result)."""

    errors: list[InputError] = field(default_factory=list)
    examples: list[MalformedLine] = field(default_factory=list)
    malformed_seen: int = 0
    files: int = 0
    bytes_read: int = 0
    locations: dict[str, str] = field(default_factory=dict)  # scanned path → shown name

    def totals(self, rejected: int, rejected_examples: Sequence[MalformedLine]) -> ScanTotals:
        examples = sorted(
            [*self.examples, *rejected_examples],
            key=lambda m: (m.file, m.line if m.line is not None else 0),
        )[:MAX_EXAMPLES]
        return ScanTotals(
            files=self.files,
            bytes_read=self.bytes_read,
            rejected=rejected,
            examples=tuple(examples),
            errors=tuple(self.errors),
        )


def group_by_format(
    files: Sequence[ScanFile], state: ScanState
) -> dict[FileFormat, list[ScanFile]]:
    """Files that one scan statement can read together; records where each came from."""
    groups: dict[FileFormat, list[ScanFile]] = {}
    for f in files:
        groups.setdefault(f.format, []).append(f)
        state.locations[str(f.path)] = f.location
    return groups


class ScanEngine(Protocol):
    """A flow-log scan: ``scan`` batches of files, then read ``state()`` and ``con``."""

    @property
    def con(self) -> Any:
        """The DuckDB connection holding the ``pairs`` table."""
        ...

    @property
    def temp_dir(self) -> Path:
        """The engine's private folder (downloads are spooled there)."""
        ...

    def scan(
        self,
        files: Sequence[ScanFile],
        *,
        done_before: int = 0,
        total: int = 0,
        progress: ProgressCallback | None = None,
    ) -> None:
        """Aggregate ``files`` into ``pairs``; damaged files become errors, never fatal."""
        ...

    def add_errors(self, errors: Sequence[InputError]) -> None:
        """Inputs that never reached the scan (a failed download), in the order met."""
        ...

    def state(self) -> ScanTotals:
        """What the scan has read so far."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> ScanEngine: ...

    def __exit__(self, *exc: object) -> None: ...
