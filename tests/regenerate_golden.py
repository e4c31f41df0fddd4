"""Rewrite the golden files from the current code; review the diff before committing.

make golden        (or: .venv/bin/python tests/regenerate_golden.py)
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cli.cases import AUDIT_CASES, EXPLAIN_CASES, GOLDEN, SOURCE_DATE_EPOCH
from vpcpath.cli import main


def run(argv: list[str], ok: tuple[int, ...] = (0,)) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(argv)
    if code not in ok:
        raise SystemExit(f"vpcpath {' '.join(argv)} exited {code}")
    return buffer.getvalue()


def regenerate() -> None:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()  # bundled prices only, as in the tests
    folder = GOLDEN / "explain"
    folder.mkdir(parents=True, exist_ok=True)
    for name, argv in EXPLAIN_CASES.items():
        (folder / f"{name}.json").write_text(run(argv))
        print(f"wrote {folder / name}.json")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    folder = GOLDEN / "audit"
    folder.mkdir(parents=True, exist_ok=True)
    for name, argv in AUDIT_CASES.items():
        (folder / f"{name}.json").write_text(run(argv, ok=(0, 4)))
        print(f"wrote {folder / name}.json")


if __name__ == "__main__":
    regenerate()
