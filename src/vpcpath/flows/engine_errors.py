"""DuckDB's and the operating system's own failures, translated where they enter vpcpath.

The scan engine can fail for reasons that have nothing to do with the flow logs: the memory
limit is too small for the aggregation, the spill folder's disk is full, a temporary folder
cannot be made. They become ``ScanEngineError`` (exit 3) with what to change, never a
traceback, and never exit 1 (which means "findings"). DuckDB answers an interrupt (Ctrl-C or
SIGTERM while a query runs) with ``InterruptException``; it becomes ``KeyboardInterrupt``
again, so the command stops as an interrupted one, after every temporary folder is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from vpcpath.errors import ScanEngineError


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def engine_errors_translated(memory_limit: str) -> Iterator[None]:
    try:
        yield
    except (duckdb.Error, RuntimeError) as exc:
        # DuckDB turns the KeyboardInterrupt raised in its query into InterruptException, or
        # (as DuckDB 2.0 does) a RuntimeError "Query interrupted".
        if isinstance(exc, duckdb.InterruptException) or "interrupted" in str(exc).lower():
            raise KeyboardInterrupt from exc
        if isinstance(exc, duckdb.OutOfMemoryException):
            raise ScanEngineError(
                f"DuckDB ran out of memory within --memory-limit {memory_limit} "
                f"({_first_line(exc)}): give it more (e.g. --memory-limit 4GB) or fewer "
                "threads (--threads 1)"
            ) from exc
        if isinstance(exc, duckdb.Error):
            raise ScanEngineError(
                f"the flow-log scan failed in DuckDB: {_first_line(exc)}"
            ) from exc
        raise
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise ScanEngineError(f"the flow-log scan failed: {exc.strerror or exc}{where}") from exc
