"""The slow paths, taken only when something is wrong: damaged gzip files and line numbers.

Both read a single file in Python, so they cost nothing on clean input:

- ``salvage_gzip``: DuckDB fails a whole scan on a truncated or corrupt gzip member. The
  records before the damage are still good (gzip is a stream), so they are decompressed here
  into a plain file that DuckDB then reads like any other; the incomplete last line is dropped.
- ``find_line_numbers``: DuckDB's line reader does not number lines, so the first few
  malformed lines it reports are looked up here by their text to show ``file:line``.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True, kw_only=True)
class Salvage:
    path: Path  # the plain-text file with every complete line before the damage
    complete_lines: int  # header included
    reason: str


def salvage_gzip(source: Path, target: Path) -> Salvage:
    """Write the complete lines before the damage of ``source`` to ``target``."""
    complete = 0
    reason = "the file ends inside a gzip member (truncated)"
    pending = b""
    with target.open("wb") as out:
        try:
            for data in _stream(source):
                data = pending + data
                cut = data.rfind(b"\n")
                if cut < 0:
                    pending = data
                    continue
                out.write(data[: cut + 1])
                complete += data.count(b"\n", 0, cut + 1)
                pending = data[cut + 1 :]
            reason = ""
        except (EOFError, zlib.error, OSError) as exc:
            reason = str(exc) or reason
    if not reason and pending:
        reason = "the last line has no end of line"
    return Salvage(path=target, complete_lines=complete, reason=reason)


def _stream(path: Path) -> Iterator[bytes]:
    """Decompressed bytes of all members; EOFError when the last member is cut short."""
    with path.open("rb") as handle:
        decomp = zlib.decompressobj(wbits=31)
        consumed = False
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
            while chunk:
                consumed = True
                yield decomp.decompress(chunk)
                if decomp.eof:
                    chunk = decomp.unused_data
                    decomp = zlib.decompressobj(wbits=31)
                    consumed = False
                else:
                    chunk = b""
        if consumed and not decomp.eof:
            yield decomp.flush()
            raise EOFError("compressed data ended before the end-of-stream marker (truncated)")


def find_line_numbers(path: Path, wanted: set[str], *, gzipped: bool) -> dict[str, int]:
    """The first line number (1-based) of each text in ``wanted``; stops when all are found."""
    found: dict[str, int] = {}
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                text = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
                if text in wanted and text not in found:
                    found[text] = number
                    if len(found) == len(wanted):
                        break
    except (OSError, EOFError, zlib.error):
        pass  # a damaged tail is reported by the scan itself; keep what was found
    return found
