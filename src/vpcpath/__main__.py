"""``vpcpath`` and ``python -m vpcpath``: the interrupt signals first, then the command line.

Ctrl-C (SIGINT) and SIGTERM may come at any moment — while the command's modules are still
being imported, or while DuckDB scans — and must end the same way: "vpcpath: interrupted" on
stderr, exit 130 (SIGINT) or 143 (SIGTERM, 128 + 15, as shells report it), no traceback, and
no temporary folder left behind. So both signals raise ``KeyboardInterrupt`` in the main
thread (DuckDB notices it and stops its query; the ``with`` blocks that own temporary folders
remove them on the way out), and a second signal during that clean-up is only noted: a user
pressing Ctrl-C twice must not cut the clean-up short. This module imports nothing of vpcpath
before the handlers are in place.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT
_received: list[int] = []


def _note(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    for each in (signal.SIGINT, signal.SIGTERM):
        signal.signal(each, _note)
    raise KeyboardInterrupt


def exit_code_for(code: int) -> int:
    """130 becomes 128 + the signal that stopped the run (143 for SIGTERM)."""
    if code == EXIT_INTERRUPTED and _received:
        return 128 + _received[0]
    return code


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    # A shell starts background jobs with SIGINT ignored; keep it ignored there.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)
    try:
        from vpcpath.cli import main as cli_main

        code = cli_main()
    except KeyboardInterrupt:
        print("vpcpath: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    return exit_code_for(code)


if __name__ == "__main__":
    raise SystemExit(main())
