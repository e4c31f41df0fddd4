"""The slow paths, taken only when something is wrong: damaged gzip files and line numbers.

Both read a single file in Python, so they cost nothing on clean input:

- ``salvage_gzip``: DuckDB fails a whole scan on a truncated or corrupt gzip member. The
  records before the damage are still good (gzip is a stream), so they are decompressed here
  into a plain file that DuckDB then reads like any other; the incomplete last line is dropped.
- ``find_malformed``: DuckDB numbers the lines it rejects itself, but not the rows a SQL check
  refuses; the first few of those are looked up here to show ``file:line``.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vpcpath.flows.fields import is_numeric
from vpcpath.flows.scan_rules import (
    REASON_TEXT,
    Reason,
    bytes_reason,
    bytes_text_ok,
    plainly_negative,
)

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


def find_malformed(
    path: Path, fields: tuple[str, ...], *, gzipped: bool, limit: int, header: bool = True
) -> list[tuple[int, str, str]]:
    """(line number, text, reason) of the first lines the scan's check refused: ``bytes`` not
    digits or ``-`` (``STRICT_BYTES``), or a numeric field holding a negative number.

    Only lines with the header's field count are considered: the others are DuckDB's rejects.
    """
    position = fields.index("bytes")
    numeric = [i for i, name in enumerate(fields) if is_numeric(name) and i != position]
    found: list[tuple[int, str, str]] = []
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rb") as handle:
            if header:
                next(handle, None)
            for number, raw in enumerate(handle, start=2 if header else 1):
                values = raw.rstrip(b"\r\n").split(b" ")
                if len(values) != len(fields):
                    continue
                text = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
                if not bytes_text_ok(values[position]):
                    reason = bytes_reason(text.split(" ")[position])
                elif any(plainly_negative(values[i]) for i in numeric):
                    reason = REASON_TEXT[Reason.NEGATIVE]
                else:
                    continue
                found.append((number, text, reason))
                if len(found) >= limit:
                    break
    except (OSError, EOFError, zlib.error):
        pass  # a damaged tail is reported by the scan itself; keep what was found
    return found
