"""Where a resource is written: the ``.tf`` file and line of its ``resource`` block.

Terraform's JSON gives module sources but no file positions, so the root module's folder (by
default the plan file's) and local child modules (``source = "./modules/net"``) are searched
for ``resource "TYPE" "NAME"``. Registry and Git modules are not on disk: their resources have
no file location (the SARIF output then points at the plan file with the address).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from vpcpath.sources.terraform.document import TfDocument, module_calls

_RESOURCE = re.compile(r'^\s*resource\s+"([A-Za-z0-9_]+)"\s+"([A-Za-z0-9_-]+)"')


def _blocks(folder: Path) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.glob("*.tf")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            match = _RESOURCE.match(line)
            if match:
                found.setdefault(
                    f"{match.group(1)}.{match.group(2)}", (repository_path(path), number)
                )
    return found


def repository_root(start: Path) -> Path:
    """The nearest folder above ``start`` with a ``.git`` (a file in a worktree), else ``start``:
    code scanning resolves a SARIF location against the repository's root."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def repository_path(path: Path) -> str:
    """``path`` relative to the repository root (or the working folder), with ``/``."""
    try:
        return Path(os.path.relpath(path.resolve(), repository_root(Path.cwd()))).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _module_folder(doc: TfDocument, module: str, root: Path) -> Path | None:
    folder = root
    prefix = ""
    for call in module_calls(module):
        config = doc.module_call(
            f"{prefix}module.{call}" if not prefix else f"{prefix}.module.{call}"
        )
        source = str((config or {}).get("source", ""))
        if not source.startswith(("./", "../")):
            return None
        folder = (folder / source).resolve()
        prefix = f"{prefix}.module.{call}" if prefix else f"module.{call}"
    return folder if folder.is_dir() else None


def resource_locations(doc: TfDocument, root: Path) -> dict[str, tuple[str, int]]:
    """Address → (file relative to the repository root, line) for what can be found."""
    by_folder: dict[Path, dict[str, tuple[str, int]]] = {}
    found: dict[str, tuple[str, int]] = {}
    for inst in doc.instances:
        if inst.mode != "managed":
            continue
        folder = _module_folder(doc, inst.module, root)
        if folder is None:
            continue
        if folder not in by_folder:
            by_folder[folder] = _blocks(folder)
        where = by_folder[folder].get(inst.resource)
        if where:
            found[inst.address] = where
    return found
